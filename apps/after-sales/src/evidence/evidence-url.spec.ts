import { describe, expect, it } from 'vitest';
import { checkEvidenceLink, type EvidenceViewer, evidenceLinkKey, linkExpiry, signEvidenceLink } from './evidence-url.js';

const key = evidenceLinkKey('a-service-token-secret-of-at-least-32-characters');
const target = { requestId: '9b2f0c3e-5d1a-4e8b-8f2c-6a7d3e1b0c55', fileId: '2d6f4b7a-1c3e-4f5a-9b8c-7d6e5f4a3b2c' };
const alice: EvidenceViewer = { kind: 'buyer', buyerId: 'alice' };
const bob: EvidenceViewer = { kind: 'buyer', buyerId: 'bob' };
const staff: EvidenceViewer = { kind: 'customer-service' };
const now = new Date('2026-11-25T10:00:00Z');
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

/** The link's query string as the route would receive it. */
const queryOf = (url: string) => Object.fromEntries(new URL(url, 'http://x').searchParams);

describe('evidence links', () => {
  const url = signEvidenceLink(key, target, alice, linkExpiry(now, 300));

  it('point at the file under the request, with an expiry and a signature', () => {
    expect(url).toMatch(
      /^\/api\/v1\/after-sales\/9b2f0c3e-5d1a-4e8b-8f2c-6a7d3e1b0c55\/evidence\/2d6f4b7a-1c3e-4f5a-9b8c-7d6e5f4a3b2c\?expires=\d+&signature=[0-9a-f]{64}$/,
    );
    expect(queryOf(url).expires).toBe(String(Math.floor(now.getTime() / 1000) + 300));
  });

  it('open for the viewer they were made for until they expire', () => {
    expect(checkEvidenceLink(key, target, queryOf(url), alice, now)).toEqual({ ok: true });
    expect(checkEvidenceLink(key, target, queryOf(url), alice, later(299))).toEqual({ ok: true });
    expect(checkEvidenceLink(key, target, queryOf(url), alice, later(300))).toEqual({ ok: false, reason: 'expired' });
  });

  it('open nothing for another shopper, nor for customer service with a shopper’s link', () => {
    expect(checkEvidenceLink(key, target, queryOf(url), bob, now)).toEqual({ ok: false, reason: 'invalid' });
    expect(checkEvidenceLink(key, target, queryOf(url), staff, now)).toEqual({ ok: false, reason: 'invalid' });
    const staffUrl = signEvidenceLink(key, target, staff, linkExpiry(now, 300));
    expect(checkEvidenceLink(key, target, queryOf(staffUrl), staff, now)).toEqual({ ok: true });
    expect(checkEvidenceLink(key, target, queryOf(staffUrl), alice, now)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuse a link altered in any part', () => {
    const query = queryOf(url);
    const flipped = `${query.signature.slice(0, -1)}${query.signature.endsWith('0') ? '1' : '0'}`;
    expect(checkEvidenceLink(key, target, { ...query, signature: flipped }, alice, now)).toEqual({ ok: false, reason: 'invalid' });
    expect(checkEvidenceLink(key, target, { ...query, expires: String(Number(query.expires) + 3600) }, alice, now)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(checkEvidenceLink(key, { ...target, fileId: '00000000-0000-4000-8000-000000000000' }, query, alice, now)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(checkEvidenceLink(key, { ...target, requestId: '00000000-0000-4000-8000-000000000000' }, query, alice, now)).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('refuse a link signed with another key, and a query that is missing or malformed', () => {
    const otherKey = evidenceLinkKey('another-service-token-secret-of-32-characters');
    expect(checkEvidenceLink(otherKey, target, queryOf(url), alice, now)).toEqual({ ok: false, reason: 'invalid' });
    for (const query of [
      {},
      { expires: queryOf(url).expires },
      { signature: queryOf(url).signature },
      { ...queryOf(url), expires: '-1' },
    ]) {
      expect(checkEvidenceLink(key, target, query, alice, now)).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(checkEvidenceLink(key, target, { ...queryOf(url), signature: ['a'] }, alice, now)).toEqual({ ok: false, reason: 'invalid' });
    expect(checkEvidenceLink(key, target, { ...queryOf(url), signature: 'ab' }, alice, now)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('are signed with a key derived for them, not with the service-token secret itself', () => {
    expect(key).toHaveLength(32);
    expect(key.equals(Buffer.from('a-service-token-secret-of-at-least-32-characters').subarray(0, 32))).toBe(false);
    expect(evidenceLinkKey('a-service-token-secret-of-at-least-32-characters').equals(key)).toBe(true);
  });

  it('keep a buyer id with separators apart from the fields around it', () => {
    const tricky: EvidenceViewer = { kind: 'buyer', buyerId: 'alice","x' };
    const trickyUrl = signEvidenceLink(key, target, tricky, linkExpiry(now, 300));
    expect(checkEvidenceLink(key, target, queryOf(trickyUrl), alice, now)).toEqual({ ok: false, reason: 'invalid' });
    expect(checkEvidenceLink(key, target, queryOf(trickyUrl), tricky, now)).toEqual({ ok: true });
  });
});
