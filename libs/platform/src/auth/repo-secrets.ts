import { ConfigError, type ServiceConfig, settingNames } from '../config/service-config.js';

/**
 * Development key of the gateway's bearer tokens (`JWT_SECRET`). Only for machines where
 * nothing real is at stake: production refuses it (see refuseRepoSecretsInProduction).
 */
export const DEV_JWT_SECRET = 'mallard-dev-only-secret-do-not-use-in-production-0000';

/** Development key of the service tokens (`SERVICE_TOKEN_SECRET`); production refuses it. */
export const DEV_SERVICE_TOKEN_SECRET = 'mallard-dev-only-service-token-key-not-for-production-0000';

/**
 * Every secret value that is, or ever was, written in this repository: development defaults
 * and the values docker-compose.yml used to ship. Anyone can read them, so a production
 * process refuses to start with any of them. test/deployment.spec.ts keeps compose and the
 * Kubernetes manifests free of literal secrets, so the list only grows when a default is added.
 */
export const SECRETS_WRITTEN_IN_REPO: readonly string[] = [
  DEV_JWT_SECRET,
  DEV_SERVICE_TOKEN_SECRET,
  // apps/payments/src/config/payments-config.ts DEV_SANDBOX_SECRET
  'mallard-sandbox-development-secret-0001',
  // docker-compose.yml before it took its secrets from the environment
  'mallard-compose-local-only-jwt-secret-0123456789',
  'mallard-compose-local-only-sandbox-secret-0123',
  'mallard',
  // placeholders of the docs and manifests
  'changeme',
  'change-me',
  '<password>',
];

/** Settings that hold a secret: their value must be the operator's own. */
const SECRET_SETTING = /(SECRET|PASSWORD|PRIVATE_KEY)/;

/**
 * In production, a setting holding a secret (JWT_SECRET, SERVICE_TOKEN_SECRET,
 * SANDBOX_WEBHOOK_SECRET, STRIPE_WEBHOOK_SECRET, …, and the password inside DATABASE_URL)
 * must not be a value written in this repository: refused with a ConfigError naming it.
 * Only what the environment provides is checked: a secret that is not set either is not used
 * (a sandbox that is off) or is refused by its own config rule (JWT_SECRET, SERVICE_TOKEN_SECRET
 * and a production sandbox's SANDBOX_WEBHOOK_SECRET are required there).
 */
export function refuseRepoSecretsInProduction(
  config: { NODE_ENV?: string } | ServiceConfig,
  env: Record<string, string | undefined>,
): void {
  if (config.NODE_ENV !== 'production') return;
  const known = new Set(SECRETS_WRITTEN_IN_REPO);
  const offenders: string[] = [];
  for (const name of new Set([...settingNames(config.constructor), ...Object.keys(config)])) {
    const value = env[name];
    if (SECRET_SETTING.test(name) && typeof value === 'string' && known.has(value.trim())) offenders.push(name);
  }
  const databaseUrl = env.DATABASE_URL;
  if (typeof databaseUrl === 'string') {
    const password = /^[a-z]+:\/\/[^:/@]+:([^@]*)@/i.exec(databaseUrl)?.[1];
    if (password !== undefined && (known.has(password) || known.has(safeDecode(password)))) offenders.push('DATABASE_URL (its password)');
  }
  if (offenders.length > 0) {
    throw new ConfigError(
      `invalid configuration:\n${offenders
        .map(
          (name) =>
            `  ${name}: is a value written in the Mallard repository (a development default or an example); set a secret of your own in production`,
        )
        .join('\n')}`,
    );
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The service-token key a process uses: its own, or outside production the development key. */
export function serviceTokenSecretOf(config: { SERVICE_TOKEN_SECRET?: string; NODE_ENV?: string }): string {
  if (config.SERVICE_TOKEN_SECRET) return config.SERVICE_TOKEN_SECRET;
  if (config.NODE_ENV === 'production') throw new ConfigError('invalid configuration:\n  SERVICE_TOKEN_SECRET: is required in production');
  return DEV_SERVICE_TOKEN_SECRET;
}
