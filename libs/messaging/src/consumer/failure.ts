import { errorChain, isStalePreparedStatement } from '@mallard/platform';

/**
 * Failures of the infrastructure (database unreachable, connection lost, serialization
 * conflicts) say nothing about the message: it is retried until it goes through, never
 * dead-lettered. Anything else is the message's fault after a few attempts.
 */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53300', // too_many_connections
  '55P03', // lock_not_available
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
]);

export function isTransientFailure(error: unknown): boolean {
  if (isStalePreparedStatement(error)) return true;
  for (const link of errorChain(error)) {
    const candidate = link as { code?: unknown; message?: unknown };
    const code = typeof candidate.code === 'string' ? candidate.code : undefined;
    if (code && (TRANSIENT_CODES.has(code) || code.startsWith('08'))) return true;
    const message = typeof candidate.message === 'string' ? candidate.message : '';
    if (/Connection terminated|timeout exceeded when trying to connect|connection is closed/i.test(message)) return true;
  }
  return false;
}

export function describeFailure(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 1_000);
  // Nest's RPC pipeline may hand back an error already turned into a plain object.
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof message === 'string') return message.slice(0, 1_000);
  return (typeof error === 'object' ? JSON.stringify(error) : String(error)).slice(0, 1_000);
}
