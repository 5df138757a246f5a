import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { CORRELATION_HEADER, runWithCorrelation, sanitizeCorrelationId } from '../logging/correlation.js';
import { createHttpDurationHistogram } from '../metrics/metrics.js';

/**
 * Every request runs inside its correlation context (taken from the caller or made here and
 * echoed back), and its duration is observed under its route template, not its raw URL, so
 * order ids do not explode the metric's cardinality.
 */
export function installHttpHooks(fastify: FastifyInstance, registry: Registry): void {
  const duration = createHttpDurationHistogram(registry);
  const started = new WeakMap<object, bigint>();

  fastify.addHook('onRequest', (request, reply, done) => {
    started.set(request, process.hrtime.bigint());
    const correlationId = sanitizeCorrelationId(request.headers[CORRELATION_HEADER]) ?? randomUUID();
    void reply.header(CORRELATION_HEADER, correlationId);
    runWithCorrelation(correlationId, done);
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const start = started.get(request);
    if (start !== undefined) {
      const route = request.routeOptions.url ?? 'unmatched';
      duration.observe(
        { method: request.method, route, status: String(reply.statusCode) },
        Number(process.hrtime.bigint() - start) / 1e9,
      );
    }
    done();
  });
}
