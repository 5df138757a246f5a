import { createPublicKey, createSign, createVerify, type KeyObject } from 'node:crypto';

/**
 * Alipay's RSA2 signature of an asynchronous notification, as documented ("异步通知验签"):
 * drop `sign` and `sign_type` and every empty value, sort the rest by key (ASCII), join as
 * `key=value` with `&` (values URL-decoded, as received in the form), and verify the base64
 * `sign` with SHA256withRSA against Alipay's public key.
 */
export function alipaySignContent(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((key) => key !== 'sign' && key !== 'sign_type' && params[key] !== '' && params[key] !== undefined)
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
}

/** PEM or the bare base64 Alipay's console shows. */
export function alipayPublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (trimmed.includes('BEGIN')) return createPublicKey(trimmed);
  return createPublicKey({ key: Buffer.from(trimmed.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
}

export function verifyAlipayParams(params: Record<string, string>, publicKey: KeyObject): boolean {
  if (!params.sign) return false;
  if (params.sign_type && params.sign_type !== 'RSA2') return false;
  const verifier = createVerify('RSA-SHA256');
  verifier.update(alipaySignContent(params), 'utf8');
  try {
    return verifier.verify(publicKey, params.sign, 'base64');
  } catch {
    return false;
  }
}

/** What Alipay does on its side; used by tests and the documentation's example. */
export function signAlipayParams(params: Record<string, string>, privateKeyPem: string): string {
  const signer = createSign('RSA-SHA256');
  signer.update(alipaySignContent(params), 'utf8');
  return signer.sign(privateKeyPem, 'base64');
}

/** Form-encoded body → params; a key sent twice keeps its first value. */
export function parseForm(rawBody: Buffer): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawBody.toString('utf8'))) if (!(key in params)) params[key] = value;
  return params;
}
