/**
 * How many decimals the currency's minor unit has (ISO 4217, as the runtime's Intl data knows it):
 * CNY 2, JPY 0, BHD 3. Throws a RangeError for a code that is not three letters.
 */
export function currencyFractionDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * An amount in minor units as a decimal in the currency's major unit: 123456 CNY → "1234.56",
 * −1500 JPY → "-1500"; `separateThousands` gives "1,234.56" for a reader.
 *
 * Built from the integer's digits, never by dividing a float, so every safe integer comes out
 * exactly (0.1 + 0.2 is not an amount's business).
 */
export function formatMinorUnits(amountMinor: number, currency: string, { separateThousands = false } = {}): string {
  if (!Number.isSafeInteger(amountMinor)) {
    throw new RangeError(`amountMinor must be a safe integer in minor units, got ${String(amountMinor)}`);
  }
  const digits = currencyFractionDigits(currency);
  const magnitude = BigInt(Math.abs(amountMinor))
    .toString()
    .padStart(digits + 1, '0');
  const whole = magnitude.slice(0, magnitude.length - digits);
  const fraction = magnitude.slice(magnitude.length - digits);
  const shownWhole = separateThousands ? whole.replace(/\B(?=(\d{3})+$)/g, ',') : whole;
  return `${amountMinor < 0 ? '-' : ''}${shownWhole}${digits > 0 ? `.${fraction}` : ''}`;
}

/** Basis points as a percentage, exactly and without trailing zeros: 1300 → "13%", 650 → "6.5%", 5 → "0.05%". */
export function formatBasisPoints(basisPoints: number): string {
  if (!Number.isSafeInteger(basisPoints) || basisPoints < 0) {
    throw new RangeError(`basisPoints must be a non-negative safe integer, got ${String(basisPoints)}`);
  }
  const hundredths = BigInt(basisPoints).toString().padStart(3, '0');
  const whole = hundredths.slice(0, -2);
  const fraction = hundredths.slice(-2).replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''}%`;
}
