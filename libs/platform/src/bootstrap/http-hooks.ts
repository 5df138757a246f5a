import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import { statusProblem } from '../http/http.problems.js';
import { assertSafeRequestInput } from '../http/input-safety.js';
import { PROBLEM_CONTENT_TYPE, type ProblemException } from '../http/problem-details.js';
import { requestProblems } from '../http/request.problems.js';
import { CORRELATION_HEADER, runWithCorrelation, sanitizeCorrelationId } from '../logging/correlation.js';
import { createHttpDurationHistogram } from '../metrics/metrics.js';

/**
 * Every request runs inside its correlation context (taken from the caller or made here and
 * echoed back), and its duration is observed under its route template, not its raw URL, so
 * order ids do not explode the metric's cardinality.
 *
 * Input no service can store is refused here, once for every service, before any DTO code
 * runs: nesting deeper than MAX_INPUT_DEPTH, NUL characters and lone surrogates, in the body,
 * the query string or the path parameters (400 problem+json through the Nest error layer).
 * Only JSON and form bodies are parsed; any other content type is a 415.
 */
export function installHttpHooks(fastify: FastifyInstance, registry: Registry): void {
  const duration = createHttpDurationHistogram(registry);
  const started = new WeakMap<object, bigint>();

  // Fastify parses text/plain by default; no Mallard route takes it, and a raw string body
  // would only surprise a handler written for JSON (a webhook lost its raw bytes that way).
  fastify.removeContentTypeParser('text/plain');

  fastify.addHook('onRequest', (request, reply, done) => {
    started.set(request, process.hrtime.bigint());
    const correlationId = sanitizeCorrelationId(request.headers[CORRELATION_HEADER]) ?? randomUUID();
    void reply.header(CORRELATION_HEADER, correlationId);
    runWithCorrelation(correlationId, done);
  });

  fastify.addHook('preValidation', (request, _reply, done) => {
    try {
      assertSafeRequestInput(request);
      done();
    } catch (error) {
      done(error as Error);
    }
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const start = started.get(request);
    if (start !== undefined) {
      const route = request.routeOptions.url ?? 'unmatched';
      duration.observe({ method: request.method, route, status: String(reply.statusCode) }, Number(process.hrtime.bigint() - start) / 1e9);
    }
    done();
  });
}

/** The router's refusals that have a problem of their own; the rest are named by their status. */
const FRAMEWORK_PROBLEMS: Record<string, () => ProblemException> = {
  FST_ERR_BAD_URL: requestProblems.malformedUrl,
  FST_ERR_MAX_PARAM_LENGTH: requestProblems.pathParameterTooLong,
};

/**
 * What the router refuses before any hook, route or Nest exception layer exists for the
 * request (bad percent-encoding such as `%FF`, a path parameter over `maxParamLength`): the
 * same problem+json as every other error. Fastify's own JSON error shape never leaves.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 400;
  const correlationId = sanitizeCorrelationId(request.headers[CORRELATION_HEADER]) ?? randomUUID();
  const known = FRAMEWORK_PROBLEMS[error.code];
  const problem = (known ? known() : statusProblem(status, error.message)).toProblem(
    (request.raw.url ?? '').split('?')[0].slice(0, 200),
    correlationId,
  );
  void reply
    .code(problem.status)
    .header(CORRELATION_HEADER, correlationId)
    .header('content-type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`)
    .send(JSON.stringify(problem));
}

/**
 * Requests Node's HTTP parser refuses (a malformed request line or header, headers too large,
 * a request that took too long): answered as problem+json on the socket, then closed.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  if (socket.writable) {
    const body = JSON.stringify(statusProblem(status).toProblem());
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** Spread into the Fastify options of every service, so refusals made outside routes are problems too. */
export const PROBLEM_FASTIFY_OPTIONS = {
  frameworkErrors: answerFrameworkError,
  clientErrorHandler: answerClientError,
} as const;
