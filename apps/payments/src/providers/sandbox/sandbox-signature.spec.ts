import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signSandboxPayload, verifySandboxSignature } from './sandbox-signature.js';

const SECRET = 'sandbox-unit-secret-sandbox-unit-secret';
const body = Buffer.from('{"id":"evt_1","type":"charge.succeeded"}');

describe('Sandbox-Signature', () => {
  it('is HMAC-SHA256 over "<t>.<raw body>" and verifies within the tolerance', () => {
    const header = signSandboxPayload(SECRET, body, 1_800_000_000);
    const expected = createHmac('sha256', SECRET).update(`1800000000.${body.toString()}`).digest('hex');
    expect(header).toBe(`t=1800000000,v1=${expected}`);
    expect(verifySandboxSignature(SECRET, header, body, 300, 1_800_000_100)).toEqual({ ok: true });
  });

  it('refuses a wrong secret, a changed byte, an old timestamp, and a missing or malformed header', () => {
    const header = signSandboxPayload(SECRET, body, 1_800_000_000);
    expect(verifySandboxSignature('another-secret', header, body, 300, 1_800_000_000).ok).toBe(false);
    expect(verifySandboxSignature(SECRET, header, Buffer.from(body.toString().replace('1', '2')), 300, 1_800_000_000).ok).toBe(false);
    expect(verifySandboxSignature(SECRET, header, body, 300, 1_800_000_301)).toEqual({
      ok: false,
      reason: 'signature timestamp outside the tolerance',
    });
    expect(verifySandboxSignature(SECRET, undefined, body, 300).ok).toBe(false);
    expect(verifySandboxSignature(SECRET, 'v1=abc', body, 300).ok).toBe(false);
    // The timestamp is signed: moving it breaks the signature.
    expect(verifySandboxSignature(SECRET, header.replace('t=1800000000', 't=1800000001'), body, 300, 1_800_000_000).ok).toBe(false);
  });
});
