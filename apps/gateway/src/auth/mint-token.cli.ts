/**
 * Mints a gateway bearer token for local work, demos and load tests:
 *
 *   npm run token -- --sub alice --role shopper [--role admin] [--warehouse wh-east] [--ttl 1h]
 *
 * Signs with JWT_SECRET, or with the development default when JWT_SECRET is unset and
 * NODE_ENV is not production, so a token minted here is accepted by a gateway started
 * with the same environment. Prints only the token, so `TOKEN=$(npm run -s token -- ...)` works.
 */
import { parseArgs } from 'node:util';
import { AccessTokens, DEFAULT_ISSUER, parseTtl } from './access-token.js';
import { jwtSecretFromEnv } from './jwt-secret.js';
import { isRole, ROLES, type Role } from './roles.js';

const USAGE = `usage: npm run token -- --sub <user-id> --role <role> [--role <role>...] [--warehouse <id>...] [--ttl 1h]
  --sub       the user id the token is for (its subject)
  --role      one of ${ROLES.join(', ')}; repeat or comma-separate for several
  --warehouse for warehouse staff: a warehouse (or drop-ship merchant's warehouse) they work for;
              repeat or comma-separate; a warehouse token without one may work on none
  --ttl    lifetime: seconds, or 15m, 1h, 7d (default 1h)
env: JWT_SECRET (required when NODE_ENV=production; a development default otherwise)`;

export function mintToken(argv: string[], env: Record<string, string | undefined>): string {
  const { values } = parseArgs({
    args: argv,
    options: {
      sub: { type: 'string' },
      role: { type: 'string', multiple: true },
      warehouse: { type: 'string', multiple: true },
      ttl: { type: 'string', default: '1h' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) throw new UsageError('');
  if (!values.sub) throw new UsageError('--sub is required');
  const roles = (values.role ?? []).flatMap((value) => value.split(',')).map((role) => role.trim());
  if (roles.length === 0) throw new UsageError('at least one --role is required');
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0) throw new UsageError(`unknown role(s): ${unknown.join(', ')}`);

  const tokens = new AccessTokens({ secret: jwtSecretFromEnv(env), issuer: DEFAULT_ISSUER });
  const warehouses = values.warehouse
    ?.flatMap((value) => value.split(','))
    .map((id) => id.trim())
    .filter(Boolean);
  return tokens.sign({
    sub: values.sub,
    roles: [...new Set(roles as Role[])],
    ttlSeconds: parseTtl(values.ttl),
    ...(warehouses ? { warehouses: [...new Set(warehouses)] } : {}),
  });
}

class UsageError extends Error {}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (invokedDirectly) {
  try {
    process.stdout.write(`${mintToken(process.argv.slice(2), process.env)}\n`);
  } catch (error) {
    if (error instanceof UsageError && error.message === '') {
      process.stdout.write(`${USAGE}\n`);
    } else {
      process.stderr.write(`token: ${(error as Error).message}\n${USAGE}\n`);
      process.exitCode = 2;
    }
  }
}
