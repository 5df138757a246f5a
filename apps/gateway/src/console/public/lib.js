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

/**
 * A view's loads, the newest winning: each call asks through `ask` and resolves to its answer, or
 * to null when a later call began meanwhile, so a slow answer to an old filter or page never
 * replaces the newer one on the screen. One per view, kept across renders (useState's initializer).
 */
export function newestOnly() {
  let latest = 0;
  return async (ask) => {
    const mine = ++latest;
    const answer = await ask();
    return mine === latest ? answer : null;
  };
}

/**
 * What staff type as an amount ("12", "12.5", "1234.56") in the currency's minor units, read
 * digit by digit as formatMoney writes them, never through a float; null for anything else
 * (a sign, a separator, more decimals than the currency has, zero, or beyond a safe integer).
 */
export function parseMoney(text, currency) {
  const digits = fractionDigits(currency);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(String(text).trim());
  if (!match || (match[2] ?? '').length > digits) return null;
  const minor = Number(match[1] + (match[2] ?? '').padEnd(digits, '0'));
  return Number.isSafeInteger(minor) && minor > 0 ? minor : null;
}

/**
 * A fresh staff refundId (payments takes 1–128 letters, digits, ".", "_" or "-"): made once per
 * refund the form prepares and sent again with every retry of it, so a retry refunds once.
 * getRandomValues, unlike randomUUID, also exists on a page not served over HTTPS.
 */
export function newRefundId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `cs-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

const by = (kind, at, text) => (at ? [{ at, kind, text }] : []);
const transition = (from, to) => `${from ?? 'new'} → ${to}`;

/** CUSTOMER_SERVICE as "customer service". */
/**
 * A short name for an id on screen. Ids begin with the moment they were made (UUID version 7),
 * so their first characters are the same for everything made within a minute; the last ones
 * tell things apart.
 */
export const shortId = (id) => id.slice(-8);

export const actorName = (kind) => kind.toLowerCase().replaceAll('_', ' ');

/**
 * The order's saga as one timeline, oldest first: its own state changes, the payments' log,
 * refunds asked and settled, sub-orders compensated, parcels handed over and every carrier
 * checkpoint, after-sales steps and invoices, each as the API gives it (`order` from
 * GET /api/v1/orders/{id}, `trail` from the money trail, `afterSales` the order's requests; either
 * of the last two may be missing). Entries of the same moment keep that order.
 */
export function orderTimeline(order, trail, afterSales) {
  const currency = order.currency;
  const entries = [
    ...order.history.flatMap((change) =>
      by('order', change.at, `Order ${transition(change.from, change.to)}${change.reason ? ` (${change.reason})` : ''}`),
    ),
    ...by('order', order.interceptionRequestedAt, 'Shopper cancelled after payment: every sub-order asked to stop'),
    ...(trail?.payments ?? []).flatMap((payment) =>
      payment.log.map((change) => ({
        at: change.at,
        kind: 'payment',
        text: `Payment ${payment.serial} ${transition(change.from, change.to)}${change.reason ? ` (${change.reason})` : ''}`,
      })),
    ),
    ...(trail?.refunds ?? []).flatMap((refund) => [
      ...by(
        'refund',
        refund.createdAt,
        `Refund ${refund.serial} of ${formatMoney(refund.amountMinor, refund.currency)} asked: ${refund.reason} (${refund.source}${refund.requestedBy ? ` by ${refund.requestedBy}` : ''})`,
      ),
      ...by('refund', refund.completedAt, `Refund ${refund.serial} ${refund.state}${refund.failure ? `: ${refund.failure}` : ''}`),
    ]),
    ...order.subOrders.flatMap((subOrder) =>
      subOrder.compensations.flatMap((comp) =>
        by('sub-order', comp.at, `Sub-order ${shortId(subOrder.id)} ${comp.kind}: refunded ${formatMoney(comp.refundAmount, currency)}`),
      ),
    ),
    ...(order.shipments ?? []).flatMap((shipment) =>
      shipment.parcels.flatMap((parcel) => {
        const name = parcel.trackingNumber ?? shortId(parcel.id);
        return [
          ...by('parcel', parcel.handedOverAt, `Parcel ${name} handed to ${parcel.carrierCode}`),
          ...parcel.tracking.map((point) => ({
            at: point.occurredAt,
            kind: 'parcel',
            text: `Parcel ${name} ${point.state ?? point.providerStatus}: ${point.message}${point.location ? ` (${point.location})` : ''}`,
          })),
        ];
      }),
    ),
    ...(afterSales ?? []).flatMap((request) =>
      request.history.map((step) => ({
        at: step.at,
        kind: 'after-sales',
        text: `After-sales ${request.type} ${transition(step.from, step.to)} by ${actorName(step.actor.kind)}${step.actor.id ? ` ${step.actor.id}` : ''}${step.automatic ? ' (automatic)' : ''}${step.note ? `: ${step.note}` : ''}`,
      })),
    ),
    ...(order.invoices ?? []).flatMap((invoice) => by('invoice', invoice.issuedAt, `${invoice.kind} ${invoice.number} issued`)),
  ];
  // Array.prototype.sort is stable: entries of the same instant stay in the order above.
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/**
 * An evidence file's bytes as a blob: the link needs the bearer, which an <img> cannot send. Only
 * links on this origin's API are followed, so the token never leaves for another host.
 */
export async function fetchEvidence(token, url) {
  const target = new URL(url, location.origin);
  if (target.origin !== location.origin || !target.pathname.startsWith('/api/v1/after-sales/')) {
    return { ok: false, problem: { status: 0, title: 'Not an evidence link of this gateway' } };
  }
  let response;
  try {
    response = await fetch(target, { headers: { authorization: `Bearer ${token}` }, redirect: 'error' });
  } catch {
    return { ok: false, problem: problemOf(0) };
  }
  if (!response.ok) {
    let body;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    return { ok: false, problem: problemOf(response.status, body) };
  }
  return { ok: true, blob: await response.blob() };
}
