/**
 * Billing details of an order (docs/domain.md §1): who the invoice is made out to, and the rules
 * of their tax id. Pure: the gateway checks the shape with the constants, orders checks the tax id
 * of its country with `checkTaxId` and the formats of its TAX_ID_FORMATS setting.
 */

/** A person, or a company (which must give its tax id). */
export const BILLING_TYPES = ['PERSONAL', 'COMPANY'] as const;
export type BillingType = (typeof BILLING_TYPES)[number];

/** The tax id's country when none is given: China's Unified Social Credit Code. */
export const DEFAULT_BILLING_COUNTRY = 'CN';

/** ISO 3166-1 alpha-2. */
export const COUNTRY_PATTERN = /^[A-Z]{2}$/;

/**
 * What any tax id looks like before its country's rule is asked: upper-case letters and digits,
 * hyphens inside (a US EIN may be written 12-3456789), 2 to 32 characters.
 */
export const TAX_ID_SHAPE = /^[0-9A-Z][0-9A-Z-]{0,30}[0-9A-Z]$/;

/**
 * The 31 characters of a Unified Social Credit Code (GB 32100-2015), in the order of their values:
 * the digits and the capitals without I, O, S, V and Z, which read like digits or like each other.
 */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/**
 * First character: the registering authority (1 establishment, 2 foreign affairs, 3 justice,
 * 4 culture, 5 civil affairs, 6 tourism, 7 religion, 8 trade unions, 9 market regulation,
 * A military establishment, N agriculture, Y others).
 */
const USCC_AUTHORITIES = '123456789ANY';

/** The weight of position i (0-based) is 3^i mod 31: never 0, and no two neighbours alike. */
const USCC_WEIGHTS = Array.from({ length: 17 }, (_, i) => {
  let weight = 1;
  for (let k = 0; k < i; k += 1) weight = (weight * 3) % 31;
  return weight;
});

/**
 * The check character of the first 17 characters of a USCC, or null when they are not 17
 * characters of its set. 31 − (Σ value × weight mod 31), where 31 stands for 0.
 */
export function usccCheckCharacter(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = USCC_CHARSET.indexOf(first17[i]);
    if (value < 0) return null;
    sum += value * USCC_WEIGHTS[i];
  }
  return USCC_CHARSET[(31 - (sum % 31)) % 31];
}

/** Why a tax id is refused. */
export const TAX_ID_REFUSALS = [
  /** No rule is known for the country, so no tax id of it can be checked. */
  'COUNTRY_NOT_SUPPORTED',
  /** Its length, characters or structure do not fit the country's format. */
  'FORMAT',
  /** The structure fits but the check character does not: a typo. */
  'CHECK_CHARACTER',
] as const;
export type TaxIdRefusal = (typeof TAX_ID_REFUSALS)[number];

export type TaxIdVerdict = { ok: true } | { ok: false; reason: TaxIdRefusal };

/**
 * A Unified Social Credit Code: 18 characters of its set; the registering authority; a category
 * digit; the six digits of the administrative division; the nine characters of the organisation
 * code; the check character over the 17 before it.
 */
export function checkUscc(code: string): TaxIdVerdict {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return { ok: false, reason: 'FORMAT' };
  if (!USCC_AUTHORITIES.includes(code[0]) || !/^[0-9]{6}$/.test(code.slice(2, 8))) return { ok: false, reason: 'FORMAT' };
  return usccCheckCharacter(code.slice(0, 17)) === code[17] ? { ok: true } : { ok: false, reason: 'CHECK_CHARACTER' };
}

/** Countries whose tax ids have a rule in code; the others are checked by a configured format. */
const CODED_RULES: Readonly<Record<string, (taxId: string) => TaxIdVerdict>> = { CN: checkUscc };

export function hasCodedTaxIdRule(country: string): boolean {
  return Object.hasOwn(CODED_RULES, country);
}

/** Formats by country: each a regular expression the whole tax id must match. */
export type TaxIdFormats = ReadonlyMap<string, RegExp>;

/**
 * Compiles the TAX_ID_FORMATS setting (country → regular expression source). Each pattern is
 * anchored here, so `DE[0-9]{9}` cannot match inside a longer id. Throws on a bad country or
 * pattern, naming it, and on a country with a rule in code (CN): a setting cannot loosen it.
 */
export function compileTaxIdFormats(formats: Readonly<Record<string, unknown>>): TaxIdFormats {
  const compiled = new Map<string, RegExp>();
  for (const [country, source] of Object.entries(formats)) {
    if (!COUNTRY_PATTERN.test(country)) throw new Error(`"${country}" is not an ISO 3166-1 alpha-2 country code`);
    if (hasCodedTaxIdRule(country)) throw new Error(`${country} tax ids are checked by their own rule, not by a format`);
    if (typeof source !== 'string' || source.length === 0) throw new Error(`the format of ${country} must be a non-empty string`);
    try {
      compiled.set(country, new RegExp(`^(?:${source})$`));
    } catch (error) {
      throw new Error(`the format of ${country} is not a regular expression: ${(error as Error).message}`);
    }
  }
  return compiled;
}

/** Checks a tax id by its country: the rule in code, else the configured format, else refused. */
export function checkTaxId(country: string, taxId: string, formats: TaxIdFormats): TaxIdVerdict {
  if (hasCodedTaxIdRule(country)) return CODED_RULES[country](taxId);
  const format = formats.get(country);
  if (!format) return { ok: false, reason: 'COUNTRY_NOT_SUPPORTED' };
  return format.test(taxId) ? { ok: true } : { ok: false, reason: 'FORMAT' };
}
