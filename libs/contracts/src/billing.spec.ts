import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTaxId, checkUscc, compileTaxIdFormats, TAX_ID_SHAPE, USCC_CHARSET, usccCheckCharacter } from './billing.js';

/** Codes as issued: the standard's own example, then companies' codes as printed on their licences. */
const ISSUED_USCCS = ['91350100M000100Y43', '91330100716105852F', '9144030071526726XG', '914403001922038216'];

/** Well-formed USCC bodies: an authority, a category digit, a division, nine organisation-code characters. */
const usccBodies = fc
  .tuple(
    fc.constantFrom(...'123456789ANY'),
    fc.constantFrom(...'0123456789'),
    fc.array(fc.constantFrom(...'0123456789'), { minLength: 6, maxLength: 6 }),
    fc.array(fc.constantFrom(...USCC_CHARSET), { minLength: 9, maxLength: 9 }),
  )
  .map(([authority, category, division, organisation]) => `${authority}${category}${division.join('')}${organisation.join('')}`);
const usccs = usccBodies.map((body) => `${body}${usccCheckCharacter(body)}`);

describe('Unified Social Credit Code (GB 32100-2015)', () => {
  it('accepts codes as issued', () => {
    for (const code of ISSUED_USCCS) expect(checkUscc(code), code).toEqual({ ok: true });
  });

  it('computes the check character of the standard’s example', () => {
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
    // 31 − (sum mod 31) is 31 when the sum is a multiple of 31: that stands for 0.
    expect(usccCheckCharacter('00000000000000000')).toBe('0');
    expect(usccCheckCharacter('9135010')).toBeNull();
    expect(usccCheckCharacter('91350100M000100I4')).toBeNull();
  });

  it('refuses a wrong check character, and says so', () => {
    expect(checkUscc('91350100M000100Y44')).toEqual({ ok: false, reason: 'CHECK_CHARACTER' });
    expect(checkUscc('91330100716105852G')).toEqual({ ok: false, reason: 'CHECK_CHARACTER' });
  });

  it('refuses what is not a code at all as a format error', () => {
    for (const code of [
      '',
      '91350100M000100Y4', // 17 characters
      '91350100M000100Y433', // 19
      '91350100m000100y43', // lower case
      '91350100M000100I43', // I is not in the set
      '91350100M000100O43', // nor O
      'Z1350100M000100Y43', // no such authority
      'B1350100M000100Y43',
      '913501A0M000100Y43', // the division is digits
    ]) {
      expect(checkUscc(code), code).toEqual({ ok: false, reason: 'FORMAT' });
    }
  });

  it('catches every single changed character', () => {
    fc.assert(
      fc.property(usccs, fc.nat(17), fc.constantFrom(...USCC_CHARSET), (code, position, replacement) => {
        fc.pre(code[position] !== replacement);
        expect(checkUscc(code)).toEqual({ ok: true });
        const typo = `${code.slice(0, position)}${replacement}${code.slice(position + 1)}`;
        expect(checkUscc(typo).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('catches two neighbours swapped before the check character', () => {
    fc.assert(
      fc.property(usccs, fc.nat(15), (code, position) => {
        fc.pre(code[position] !== code[position + 1]);
        const swapped = `${code.slice(0, position)}${code[position + 1]}${code[position]}${code.slice(position + 2)}`;
        expect(checkUscc(swapped).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('checkTaxId', () => {
  const formats = compileTaxIdFormats({ DE: 'DE[0-9]{9}', US: '[0-9]{2}-?[0-9]{7}' });

  it('checks a Chinese id by its check character, whatever the formats say', () => {
    expect(checkTaxId('CN', '91350100M000100Y43', formats)).toEqual({ ok: true });
    expect(checkTaxId('CN', '91350100M000100Y44', formats)).toEqual({ ok: false, reason: 'CHECK_CHARACTER' });
    expect(checkTaxId('CN', 'DE123456789', formats)).toEqual({ ok: false, reason: 'FORMAT' });
  });

  it('checks other countries by their configured format, matched whole', () => {
    expect(checkTaxId('DE', 'DE123456789', formats)).toEqual({ ok: true });
    expect(checkTaxId('DE', 'DE12345678', formats)).toEqual({ ok: false, reason: 'FORMAT' });
    expect(checkTaxId('DE', 'XDE123456789', formats)).toEqual({ ok: false, reason: 'FORMAT' });
    expect(checkTaxId('DE', 'DE1234567890', formats)).toEqual({ ok: false, reason: 'FORMAT' });
    expect(checkTaxId('US', '12-3456789', formats)).toEqual({ ok: true });
    expect(checkTaxId('US', '123456789', formats)).toEqual({ ok: true });
  });

  it('refuses a country without a format', () => {
    expect(checkTaxId('FR', 'FR12345678901', formats)).toEqual({ ok: false, reason: 'COUNTRY_NOT_SUPPORTED' });
    expect(checkTaxId('FR', 'FR12345678901', compileTaxIdFormats({}))).toEqual({ ok: false, reason: 'COUNTRY_NOT_SUPPORTED' });
  });

  it('does not take a format that would replace a rule in code, or one that is not a pattern', () => {
    expect(() => compileTaxIdFormats({ CN: '.*' })).toThrow(/CN tax ids are checked by their own rule/);
    expect(() => compileTaxIdFormats({ de: 'DE[0-9]{9}' })).toThrow(/"de" is not an ISO 3166-1/);
    expect(() => compileTaxIdFormats({ DE: '' })).toThrow(/DE must be a non-empty string/);
    expect(() => compileTaxIdFormats({ DE: 9 })).toThrow(/DE must be a non-empty string/);
    expect(() => compileTaxIdFormats({ DE: 'DE[0-9' })).toThrow(/DE is not a regular expression/);
  });

  it('only sees ids of the shape the API lets through', () => {
    for (const taxId of ['91350100M000100Y43', 'DE123456789', '12-3456789', 'GB123456789'])
      expect(TAX_ID_SHAPE.test(taxId), taxId).toBe(true);
    for (const taxId of ['', 'A', '-12', '12-', 'de123456789', 'DE 123456789', 'X'.repeat(33)])
      expect(TAX_ID_SHAPE.test(taxId), taxId).toBe(false);
  });
});
