import { signTimestamped, verifyTimestamped } from '@mallard/platform';

/**
 * The sandbox provider's webhook signature: the shared timestamped scheme of libs/platform
 * (`Sandbox-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`), so an
 * old callback cannot be replayed outside the tolerance.
 */
export const SANDBOX_SIGNATURE_HEADER = 'sandbox-signature';

export function signSandboxPayload(secret: string, rawBody: Buffer | string, timestamp = Math.floor(Date.now() / 1000)): string {
  return signTimestamped(secret, rawBody, timestamp);
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function verifySandboxSignature(
  secret: string,
  header: string | undefined,
  rawBody: Buffer,
  toleranceSeconds: number,
  nowSeconds = Math.floor(Date.now() / 1000),
): SignatureCheck {
  const check = verifyTimestamped(secret, header, rawBody, toleranceSeconds, nowSeconds);
  return check.ok ? { ok: true } : check;
}
