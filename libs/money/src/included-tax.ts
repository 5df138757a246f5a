import { apportion } from './apportion.js';
import { assertMinorUnits } from './minor-units.js';

const BASIS_POINTS_PER_WHOLE = 10_000n;

/** One amount that includes tax at `rateBasisPoints` (1 300 = 13 %). */
export interface TaxedAmount {
  grossMinor: number;
  rateBasisPoints: number;
}

/** The tax one rate raises on a document: on the sum of its amounts, rounded once. */
export interface TaxAtRate {
  rateBasisPoints: number;
  grossMinor: number;
  taxMinor: number;
}

export interface IncludedTax {
  /** Per amount, in the order given; they add up to `totalTaxMinor`. */
  taxes: number[];
  /** Per rate, by rate ascending. */
  byRate: TaxAtRate[];
  totalTaxMinor: number;
}

/**
 * The tax inside tax-inclusive amounts, the rule invoices and credit notes follow
 * (docs/domain.md §2, "Tax included in prices"):
 *
 * 1. Per rate, the document's tax is computed once, on the sum of the amounts at that rate:
 *    gross × rate / (1 + rate), rounded half up to the minor unit. Rounding once per rate,
 *    not once per line, is what keeps the document's total right: per-line rounding drifts by
 *    up to half a unit per line.
 * 2. That total is then spread back over the rate's amounts by their gross, with the
 *    largest-remainder rule of `apportion` (the leftover units to the largest remainders, the
 *    earlier amount winning a tie). So the amounts' taxes add up to the document's, to the unit
 *    (the tail goes to the total), and each is within one unit of its share of the rounded
 *    total, so within one and a half units of its exact tax.
 *
 * Integers only (BigInt in between): no figure is ever fractional.
 */
export function includedTax(amounts: readonly TaxedAmount[]): IncludedTax {
  for (const [index, amount] of amounts.entries()) {
    assertMinorUnits(amount.grossMinor, `amounts[${index}].grossMinor`);
    assertMinorUnits(amount.rateBasisPoints, `amounts[${index}].rateBasisPoints`);
  }
  const taxes = new Array<number>(amounts.length).fill(0);
  const rates = [...new Set(amounts.map((amount) => amount.rateBasisPoints))].sort((a, b) => a - b);
  const byRate = rates.map((rateBasisPoints) => {
    const members = amounts.flatMap((amount, index) => (amount.rateBasisPoints === rateBasisPoints ? [index] : []));
    const grossMinor = members.reduce((sum, index) => sum + amounts[index].grossMinor, 0);
    const taxMinor = taxInside(grossMinor, rateBasisPoints);
    const shares = apportion(
      taxMinor,
      members.map((index) => amounts[index].grossMinor),
    );
    for (const [position, index] of members.entries()) taxes[index] = shares[position];
    return { rateBasisPoints, grossMinor, taxMinor };
  });
  return { taxes, byRate, totalTaxMinor: byRate.reduce((sum, rate) => sum + rate.taxMinor, 0) };
}

/** round-half-up(gross × rate / (10 000 + rate)), e.g. 11 300 at 1 300 bp → 1 300. */
export function taxInside(grossMinor: number, rateBasisPoints: number): number {
  assertMinorUnits(grossMinor, 'grossMinor');
  assertMinorUnits(rateBasisPoints, 'rateBasisPoints');
  const numerator = BigInt(grossMinor) * BigInt(rateBasisPoints);
  const denominator = BASIS_POINTS_PER_WHOLE + BigInt(rateBasisPoints);
  return Number((2n * numerator + denominator) / (2n * denominator));
}
