import { defineProblems } from '../problems/define-problems.js';

/** A request failed because a dependency was out of reach, not because of a bug. */
export interface DependencyOutage {
  dependency: 'database' | 'broker';
  /** What said so, for metrics and logs: a socket error code, an SQLSTATE, or the driver's word. */
  cause: string;
}

/** Socket errors: the server is not there, or went away mid-conversation. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * Of class 08, only a connection failed, refused or gone: 08P01 (protocol violation) is a bug of
 * ours, and after 08007 (transaction resolution unknown) a commit may have happened.
 */
const CONNECTION_LOST = new Set(['08000', '08001', '08003', '08004', '08006']);

/**
 * PostgreSQL's own word that it cannot serve now: class 08 (connection exception), 53300 (too
 * many connections), 57P01–57P03 (shutting down, crashed, starting up), and a database closed to
 * connections (55000 with that message; the same SQLSTATE otherwise means a bug of ours).
 */
function isPostgresOutage(code: string, message: string): boolean {
  if (CONNECTION_LOST.has(code) || code === '53300' || code === '57P01' || code === '57P02' || code === '57P03') return true;
  return code === '55000' && message.includes('not currently accepting connections');
}

/** What node-postgres and its pool say when the connection is gone or never came. */
const DRIVER_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Connection ended',
];

/** kafkajs' errors for a broker out of reach (the names it gives them; the library stays out of platform). */
const BROKER_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
]);

/**
 * Tells an outage of the database or the broker from a bug, by the error or the driver error TypeORM wraps in
 * it; undefined for everything else. Only what the server or the socket says counts: a constraint
 * violation or a syntax error stays a 500, as it should.
 */
export function dependencyOutageOf(error: unknown): DependencyOutage | undefined {
  for (const candidate of [error, (error as { driverError?: unknown } | null)?.driverError]) {
    if (typeof candidate !== 'object' || candidate === null) continue;
    const { code, message, name } = candidate as { code?: unknown; message?: unknown; name?: unknown };
    const text = typeof message === 'string' ? message : '';
    if (typeof name === 'string' && BROKER_ERRORS.has(name)) return { dependency: 'broker', cause: name };
    // kafkajs wraps whatever it retried: an outage only when what it retried was one.
    if (name === 'KafkaJSNumberOfRetriesExceeded') {
      const retried =
        (candidate as { cause?: unknown; originalError?: unknown }).cause ?? (candidate as { originalError?: unknown }).originalError;
      const outage = retried === undefined ? undefined : dependencyOutageOf(retried);
      if (outage) return outage;
      continue;
    }
    if (typeof code === 'string' && SOCKET_CODES.has(code)) return { dependency: 'database', cause: code };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && isPostgresOutage(code, text))
      return { dependency: 'database', cause: code };
    const said = DRIVER_MESSAGES.find((words) => text.startsWith(words));
    if (said) return { dependency: 'database', cause: said };
  }
  return undefined;
}

/** Kept apart from the status-only problems: another 503, with its own type and `Retry-After`. */
export const dependencyProblems = defineProblems('platform', {
  dependencyUnavailable: {
    slug: 'dependency-unavailable',
    status: 503,
    title: 'A dependency is unavailable',
    description:
      'The service could not reach its database or its Kafka broker while answering (down, restarting or refusing connections). Nothing was changed; try again after `Retry-After` seconds.',
    extensions: ['dependency'],
    headers: { 'Retry-After': '2' },
    create: (dependency: string) => ({
      detail: `the ${dependency} is unavailable; nothing was changed, try again shortly`,
      extensions: { dependency },
    }),
  },
});
