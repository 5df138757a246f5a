import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The correlation id of the unit of work in progress: an HTTP request at the gateway, or the
 * handling of one event in a consumer. It is copied into every event written meanwhile, so a
 * request can be followed through Kafka into every service it reaches.
 */
const storage = new AsyncLocalStorage<{ correlationId: string }>();

export const CORRELATION_HEADER = 'x-correlation-id';

export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

export function runWithCorrelation<T>(correlationId: string | undefined, work: () => T): T {
  return storage.run({ correlationId: correlationId || randomUUID() }, work);
}

/** Accepts a caller's id only when it looks like one, so logs cannot be stuffed through it. */
export function sanitizeCorrelationId(candidate: unknown): string | undefined {
  return typeof candidate === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(candidate) ? candidate : undefined;
}
