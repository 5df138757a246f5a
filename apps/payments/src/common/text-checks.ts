import { findUnsafeInput, requestProblems } from '@mallard/platform';

/**
 * Checks on text that PostgreSQL would otherwise refuse with an error (a 500): it stores no NUL
 * (U+0000) in text, and a `date` must be a real day of the calendar. Used by the ledgers,
 * refunds, reconciliation and the sandbox console.
 */

/** A NUL or another C0 control character: never part of an id, a reference or a file name. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses
const CONTROL = /[\u0000-\u001f\u007f]/;

export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

/**
 * A NUL, found by the platform's input check (which refuses it in every request body, query and
 * path before a route runs); still checked here for text that did not come in a request, such
 * as a settlement file read by `npm run reconcile`.
 */
export function hasNul(text: string): boolean {
  return findUnsafeInput(text)?.kind === 'nul-character';
}

/**
 * 400 for text fields PostgreSQL could not store: ids with a control character, free text with
 * a NUL. Checked before anything is written.
 */
export function refuseUnstorableText(fields: {
  ids?: Record<string, string | undefined>;
  texts?: Record<string, string | undefined>;
}): void {
  const bad = [
    ...Object.entries(fields.ids ?? {}).filter(([, value]) => value !== undefined && hasControlCharacters(value)),
    ...Object.entries(fields.texts ?? {}).filter(([, value]) => value !== undefined && hasNul(value)),
  ].map(([name]) => name);
  if (bad.length > 0) {
    throw requestProblems.validationFailed(bad.map((field) => ({ field, messages: ['contains NUL or control characters'] })));
  }
}

/** `YYYY-MM-DD` naming a day that exists: 2020-02-29 yes, 2020-02-30 and 2021-02-29 no. */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
}
