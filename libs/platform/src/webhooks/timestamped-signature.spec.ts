import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signTimestamped, verifyTimestamped } from './timestamped-signature.js';

const SECRET = 'timestamped-unit-secret-timestamped-unit';
const OLD_SECRET = 'the-secret-before-the-rotation-the-secret';
const body = Buffer.from('{"id":"evt_1","type":"parcel.status"}');
const T = 1_800_000_000;

describe('timestamped signature', () => {
  it('is HMAC-SHA256 over "<t>.<raw body>", hex, and verifies within the tolerance', () => {
    const header = signTimestamped(SECRET, body, T);
    const expected = createHmac('sha256', SECRET).update(`${T}.${body.toString()}`).digest('hex');
    expect(header).toBe(`t=${T},v1=${expected}`);
    expect(verifyTimestamped(SECRET, header, body, 300, T + 300)).toEqual({ ok: true, timestamp: T });
    expect(verifyTimestamped([SECRET], header, body, 300, T - 300)).toEqual({ ok: true, timestamp: T });
  });

  it('refuses a wrong secret, a changed byte, a moved timestamp, a stale one, and a missing or malformed header', () => {
    const header = signTimestamped(SECRET, body, T);
    expect(verifyTimestamped('another-secret', header, body, 300, T)).toEqual({ ok: false, reason: 'signature does not match' });
    expect(verifyTimestamped(SECRET, header, Buffer.from(body.toString().replace('1', '2')), 300, T).ok).toBe(false);
    expect(verifyTimestamped(SECRET, header.replace(`t=${T}`, `t=${T + 1}`), body, 300, T).ok).toBe(false);
    expect(verifyTimestamped(SECRET, header, body, 300, T + 301)).toEqual({
      ok: false,
      reason: 'signature timestamp outside the tolerance',
    });
    expect(verifyTimestamped(SECRET, undefined, body, 300, T)).toEqual({ ok: false, reason: 'no signature header' });
    for (const malformed of ['v1=abc', `t=${T}`, `t=soon,v1=abc`, `t=${T},t=${T},v1=abc`, `t=-${T},v1=abc`, '']) {
      expect(verifyTimestamped(SECRET, malformed, body, 300, T).ok, malformed).toBe(false);
    }
  });

  it('supports rotation: several secrets on either side, any one pair matching', () => {
    const both = signTimestamped([SECRET, OLD_SECRET], body, T);
    expect(both.split(',')).toHaveLength(3);
    expect(verifyTimestamped(OLD_SECRET, both, body, 300, T).ok).toBe(true);
    expect(verifyTimestamped(SECRET, both, body, 300, T).ok).toBe(true);
    const oldOnly = signTimestamped(OLD_SECRET, body, T);
    expect(verifyTimestamped([SECRET, OLD_SECRET], oldOnly, body, 300, T).ok).toBe(true);
    expect(verifyTimestamped([SECRET], oldOnly, body, 300, T).ok).toBe(false);
  });

  it('refuses everything when no secret is configured, and will not sign without one', () => {
    expect(verifyTimestamped([], signTimestamped(SECRET, body, T), body, 300, T)).toEqual({
      ok: false,
      reason: 'no webhook secret is configured',
    });
    expect(verifyTimestamped('', `t=${T},v1=`, body, 300, T).ok).toBe(false);
    expect(() => signTimestamped([], body, T)).toThrow();
  });
});
