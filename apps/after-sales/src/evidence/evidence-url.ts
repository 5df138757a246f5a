import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Signed, short-lived links to evidence files:
 * `/api/v1/after-sales/{requestId}/evidence/{fileId}?expires=<unix seconds>&signature=<hex>`.
 *
 * The signature is an HMAC-SHA256 over the request, the file, the expiry and the viewer the
 * link was made for, so a link works only for that viewer until it expires: one a shopper
 * forwards, or that leaks from a log, opens nothing for another shopper, and nothing for anyone
 * a few minutes later. Who may be given a link at all (the request's owner, customer service)
 * is decided where the links are made.
 */
export type EvidenceViewer = { kind: 'buyer'; buyerId: string } | { kind: 'customer-service' };

export interface EvidenceLinkTarget {
  requestId: string;
  fileId: string;
}

/** The query string of a link as it came back, unchecked. */
export interface EvidenceLinkQuery {
  expires?: unknown;
  signature?: unknown;
}

export type EvidenceLinkCheck = { ok: true } | { ok: false; reason: 'invalid' | 'expired' };

const KEY_LABEL = 'mallard/evidence-url';

/**
 * The links' key, derived from the service-token secret every service already holds (HKDF with
 * its own label, so it is never the service-token key itself): no setting to add, and since
 * production refuses a service-token secret written in this repository, no key anyone can read
 * here signs a production link.
 */
export function evidenceLinkKey(serviceTokenSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', serviceTokenSecret, Buffer.alloc(0), KEY_LABEL, 32));
}

export function viewerLabel(viewer: EvidenceViewer): string {
  return viewer.kind === 'buyer' ? `buyer:${viewer.buyerId}` : 'staff:customer-service';
}

function signatureOf(key: Buffer, target: EvidenceLinkTarget, expires: number, viewer: EvidenceViewer): Buffer {
  // JSON keeps the fields apart whatever characters a buyer id holds.
  const message = JSON.stringify([target.requestId, target.fileId, expires, viewerLabel(viewer)]);
  return createHmac('sha256', key).update(message).digest();
}

export function signEvidenceLink(key: Buffer, target: EvidenceLinkTarget, viewer: EvidenceViewer, expires: number): string {
  const signature = signatureOf(key, target, expires, viewer).toString('hex');
  const path = `/api/v1/after-sales/${encodeURIComponent(target.requestId)}/evidence/${encodeURIComponent(target.fileId)}`;
  return `${path}?expires=${expires}&signature=${signature}`;
}

/** Unix seconds a link made at `now` stops working. */
export function linkExpiry(now: Date, ttlSeconds: number): number {
  return Math.floor(now.getTime() / 1000) + ttlSeconds;
}

export function checkEvidenceLink(
  key: Buffer,
  target: EvidenceLinkTarget,
  query: EvidenceLinkQuery,
  viewer: EvidenceViewer,
  now: Date,
): EvidenceLinkCheck {
  const { expires, signature } = query;
  if (typeof expires !== 'string' || !/^\d{1,12}$/.test(expires)) return { ok: false, reason: 'invalid' };
  if (typeof signature !== 'string' || !/^[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'invalid' };
  const expected = signatureOf(key, target, Number(expires), viewer);
  // The signature first: an expiry is only worth reporting on a link we made.
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return { ok: false, reason: 'invalid' };
  if (Number(expires) <= Math.floor(now.getTime() / 1000)) return { ok: false, reason: 'expired' };
  return { ok: true };
}
