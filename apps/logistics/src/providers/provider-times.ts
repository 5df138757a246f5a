/**
 * Providers' clocks, read strictly. `new Date(text)` would read a time without an offset in the
 * server's zone and accept many loose forms; here a time is ISO 8601 (`T` or a space between date and
 * time), and a missing offset is the provider's documented zone, or a refusal when it has none.
 */
const TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** `offsetWhenMissing`: `Z`, `+08:00`…, or null to refuse a time without an offset. */
export function parseProviderTime(value: unknown, offsetWhenMissing: string | null): Date | null {
  if (typeof value !== 'string') return null;
  const match = TIME.exec(value.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute, second = '00', fraction = '', zone] = match;
  const offset = zone ?? offsetWhenMissing;
  if (offset === null || !/^(Z|[+-]\d{2}:?\d{2})$/i.test(offset)) return null;
  const normalisedOffset = offset.toUpperCase() === 'Z' ? 'Z' : `${offset.slice(0, 3)}:${offset.slice(-2)}`;
  const millis = fraction ? fraction.slice(0, 4).padEnd(4, '0') : '';
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}${millis}${normalisedOffset}`);
  if (Number.isNaN(date.getTime())) return null;
  // Date rolls 2026-02-30 over to March: the calendar fields must survive the round trip.
  const check = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (check.getUTCMonth() !== Number(month) - 1 || check.getUTCDate() !== Number(day)) return null;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null;
  return date;
}

/** Unix seconds (a number or its digits), as AfterShip's `ts`. */
export function fromUnixSeconds(value: unknown): Date | null {
  const seconds = typeof value === 'string' && /^\d{1,12}$/.test(value) ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds <= 0) return null;
  return new Date(seconds * 1000);
}
