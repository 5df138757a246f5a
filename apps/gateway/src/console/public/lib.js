/**
 * What the console works out without a browser: the token's claims, amounts, API answers.
 * Plain functions, unit-tested in console.spec.ts.
 */

export const TOKEN_KEY = 'mallard.console.token';

/**
 * The claims of a gateway bearer token, read without checking its signature: the console only
 * chooses which tabs to show from them; the API checks the token on every call.
 */
export function readToken(token, now = Date.now()) {
  const parts = token.trim().split('.');
  if (parts.length !== 3) throw new Error('This is not a bearer token: it should have three parts separated by dots.');
  let claims;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
    claims = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new Error('The token’s payload cannot be read.');
  }
  if (typeof claims?.sub !== 'string' || typeof claims.exp !== 'number') throw new Error('The token names no user or no expiry.');
  if (claims.exp * 1000 <= now) throw new Error('The token has expired: mint a new one.');
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((role) => typeof role === 'string') : [];
  const warehouses = Array.isArray(claims.warehouses) ? claims.warehouses.filter((id) => typeof id === 'string') : [];
  return { sub: claims.sub, roles, warehouses, expiresAt: new Date(claims.exp * 1000) };
}

/** How many decimals a currency's minor unit has, from the browser's ISO 4217 data (CNY 2, JPY 0). */
export function fractionDigits(currency) {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * Minor units as "CNY 1,234.56", from the integer's digits (as libs/money's formatMinorUnits),
 * never by dividing a float.
 */
export function formatMoney(amountMinor, currency) {
  if (!Number.isSafeInteger(amountMinor)) return '—';
  const digits = fractionDigits(currency);
  const magnitude = String(Math.abs(amountMinor)).padStart(digits + 1, '0');
  const whole = magnitude.slice(0, magnitude.length - digits).replace(/\B(?=(\d{3})+$)/g, ',');
  const fraction = digits > 0 ? `.${magnitude.slice(magnitude.length - digits)}` : '';
  return `${amountMinor < 0 ? '-' : ''}${currency} ${whole}${fraction}`;
}

/** A moment as the reader's local date and time, or a dash. */
export function formatTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/**
 * The problem an unsuccessful answer carries (RFC 9457), or one made from its status when the
 * body is not problem+json.
 */
export function problemOf(status, body) {
  if (body && typeof body === 'object' && typeof body.title === 'string') return { status, ...body };
  return { status, title: status === 0 ? 'The gateway cannot be reached' : `HTTP ${status}` };
}

/** One API call with the signed-in token: `{ ok: true, data }` or `{ ok: false, problem }`. */
export async function callApi(token, method, path, body) {
  const headers = { accept: 'application/json', authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    return { ok: false, problem: problemOf(0) };
  }
  const text = await response.text();
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  return response.ok ? { ok: true, data } : { ok: false, problem: problemOf(response.status, data) };
}
