import { DEV_JWT_SECRET } from '@mallard/platform';

/**
 * Only for machines where nothing real is at stake; production refuses it below (and every
 * other secret written in the repo: SECRETS_WRITTEN_IN_REPO). Long enough for HS256 (RFC 7518
 * §3.2 wants a key at least as long as the 256-bit hash).
 */
export { DEV_JWT_SECRET };

/**
 * The gateway's config and the token CLI call this with their environment, so the module
 * itself never reads process.env and tests can pass any secret they like.
 */
export function jwtSecretFromEnv(env: Record<string, string | undefined>): string {
  const configured = env.JWT_SECRET;
  const production = env.NODE_ENV === 'production';
  if (configured) {
    if (production && configured === DEV_JWT_SECRET) {
      throw new Error('JWT_SECRET is the development default; set a real secret in production');
    }
    return configured;
  }
  if (production) {
    throw new Error('JWT_SECRET must be set in production');
  }
  return DEV_JWT_SECRET;
}
