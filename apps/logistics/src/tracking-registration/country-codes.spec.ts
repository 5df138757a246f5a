import { describe, expect, it } from 'vitest';
import { alpha3Of } from './country-codes.js';

describe('alpha3Of', () => {
  it('names the countries we ship to as AfterShip wants them', () => {
    expect(alpha3Of('CN')).toBe('CHN');
    expect(alpha3Of('HK')).toBe('HKG');
    expect(alpha3Of('US')).toBe('USA');
    expect(alpha3Of('GB')).toBe('GBR');
    expect(alpha3Of(' de ')).toBe('DEU');
  });

  it('knows nothing of a code it does not have, or of none', () => {
    expect(alpha3Of('AQ')).toBeUndefined();
    expect(alpha3Of('')).toBeUndefined();
    expect(alpha3Of(undefined)).toBeUndefined();
  });
});
