/**
 * Checks on text that PostgreSQL would otherwise refuse with an error (a 500): it stores no NUL
 * (U+0000) in text, and a `date` must be a real day of the calendar.
 */

/** A NUL or another C0 control character: never part of an id, a reference or a file name. */
const CONTROL = /[\u0000-\u001f\u007f]/;

export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

export function hasNul(text: string): boolean {
  return text.includes('\u0000');
}

/** `YYYY-MM-DD` naming a day that exists: 2020-02-29 yes, 2020-02-30 and 2021-02-29 no. */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
}
