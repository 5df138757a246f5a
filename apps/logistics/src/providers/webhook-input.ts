import type { ReportedParcelLine } from './tracking-report.js';

/** Reading what a webhook brought: headers, a JSON body, a form. Nothing here trusts the types it is given. */
export type WebhookHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** A header by case-insensitive name; a header sent twice counts as absent, so no one can choose which copy is read. */
export function headerOf(headers: WebhookHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const found = Object.entries(headers).filter(([key]) => key.toLowerCase() === wanted);
  if (found.length !== 1) return undefined;
  const [, value] = found[0];
  if (typeof value === 'string') return value;
  return value?.length === 1 ? value[0] : undefined;
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body as a JSON object, or null when it is not one. */
export function parseJsonObject(raw: Buffer | string): JsonObject | null {
  try {
    const parsed: unknown = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
    return isObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** A form-encoded body; a field sent twice keeps its first value. */
export function parseForm(raw: Buffer): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) if (!(key in fields)) fields[key] = value;
  return fields;
}

/** A non-empty string after trimming, or null. */
export function textOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : null;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this removes
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;

/** Free text for the history (a message, a place): control characters become spaces, and it is cut at `max`. */
export function cleanText(value: unknown, max = 1000): string {
  if (typeof value !== 'string') return '';
  return value.replace(CONTROL_CHARACTERS, ' ').trim().slice(0, max);
}

/** Places as "city, state, country", skipping the parts not given; null when none is. */
export function placeOf(...parts: unknown[]): string | null {
  const place = parts
    .map((part) => cleanText(part, 200))
    .filter((part) => part.length > 0)
    .join(', ');
  return place.length > 0 ? place : null;
}

/**
 * `[{ skuId, quantity }]` as sent; null when it is not a list of objects. The values are passed on as
 * they are (a quantity that is not a number becomes NaN) for unusableReportReason to judge.
 */
export function parcelLinesOf(value: unknown): ReportedParcelLine[] | null {
  if (!Array.isArray(value) || !value.every(isObject)) return null;
  return value.map((line) => ({
    skuId: typeof line.skuId === 'string' ? line.skuId : '',
    quantity: typeof line.quantity === 'number' ? line.quantity : Number.NaN,
  }));
}
