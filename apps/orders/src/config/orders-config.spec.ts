import { loadConfig } from '@mallard/platform';
import { describe, expect, it } from 'vitest';
import { OrdersConfig } from './orders-config.js';

const load = (env: Record<string, string>) => loadConfig(OrdersConfig, { PORT: '3001', DATABASE_NAME: 'mallard_orders', ...env });

describe('OrdersConfig', () => {
  it('sweeps unpaid orders every second, 100 a batch, unless told otherwise', () => {
    expect(load({})).toMatchObject({
      PAYMENT_WINDOW_SECONDS: 86_400,
      PAYMENT_WINDOW_SWEEP_MS: 1_000,
      PAYMENT_WINDOW_SWEEP_BATCH_SIZE: 100,
    });
    expect(load({ PAYMENT_WINDOW_SWEEP_MS: '50', PAYMENT_WINDOW_SWEEP_BATCH_SIZE: '10' })).toMatchObject({
      PAYMENT_WINDOW_SWEEP_MS: 50,
      PAYMENT_WINDOW_SWEEP_BATCH_SIZE: 10,
    });
  });

  it('refuses a sweep batch it cannot run with, and says which setting', () => {
    expect(() => load({ PAYMENT_WINDOW_SWEEP_BATCH_SIZE: '0' })).toThrow(/PAYMENT_WINDOW_SWEEP_BATCH_SIZE/);
    expect(() => load({ PAYMENT_WINDOW_SWEEP_BATCH_SIZE: 'many' })).toThrow(/PAYMENT_WINDOW_SWEEP_BATCH_SIZE/);
  });

  it('accepts tax ids of Germany, the United Kingdom and the United States unless told otherwise', () => {
    const formats = load({}).taxIdFormats;
    expect([...formats.keys()].sort()).toEqual(['DE', 'GB', 'US']);
    expect(formats.get('GB')!.test('GB123456789')).toBe(true);
    expect(formats.get('GB')!.test('GBGD001')).toBe(true);
    expect(formats.get('GB')!.test('GB12345678')).toBe(false);
    expect(formats.get('US')!.test('12-3456789')).toBe(true);
    const replaced = load({ TAX_ID_FORMATS: '{"FR": "FR[0-9A-HJ-NP-Z]{2}[0-9]{9}"}' }).taxIdFormats;
    expect([...replaced.keys()]).toEqual(['FR']);
    expect(replaced.get('FR')!.test('FRXX123456789')).toBe(true);
    expect(load({ TAX_ID_FORMATS: '{}' }).taxIdFormats.size).toBe(0);
  });

  it('refuses tax id formats it cannot use, and says which setting and why', () => {
    expect(() => load({ TAX_ID_FORMATS: 'DE=DE[0-9]{9}' })).toThrow(/TAX_ID_FORMATS.*not a JSON object/);
    expect(() => load({ TAX_ID_FORMATS: '["DE"]' })).toThrow(/TAX_ID_FORMATS.*not a JSON object/);
    expect(() => load({ TAX_ID_FORMATS: '{"DE": "DE[0-9"}' })).toThrow(/TAX_ID_FORMATS.*DE is not a regular expression/);
    expect(() => load({ TAX_ID_FORMATS: '{"CN": ".*"}' })).toThrow(/TAX_ID_FORMATS.*CN tax ids are checked by their own rule/);
    expect(() => load({ TAX_ID_FORMATS: '{"Germany": "DE[0-9]{9}"}' })).toThrow(/TAX_ID_FORMATS.*not an ISO 3166-1/);
  });
});
