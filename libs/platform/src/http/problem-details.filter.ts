import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Inject, Logger, Optional } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Registry } from 'prom-client';
import { throwError } from 'rxjs';
import { DataSource } from 'typeorm';
import { poolStateOf } from '../database/pool-state.js';
import { CORRELATION_HEADER, currentCorrelationId, sanitizeCorrelationId } from '../logging/correlation.js';
import { dependencyOutageOf, dependencyProblems } from './dependency-outage.js';
import { statusProblem } from './http.problems.js';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails, ProblemException, titleForStatus } from './problem-details.js';

const GENERIC_500_DETAIL = 'An unexpected error occurred. Quote the correlation id when reporting it.';

/**
 * Renders every error that leaves a request as RFC 9457 problem+json, so clients parse one
 * error shape whatever failed: validation, auth, routing, a domain refusal or a bug. A 500
 * never carries the underlying message (it may hold SQL, hosts or secrets); the log does. A
 * database out of reach is no bug: 503 with `Retry-After`, counted by cause.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');
  private readonly outages?: Counter<'dependency' | 'cause'>;

  constructor(
    @Optional() @Inject(Registry) registry?: Registry,
    // For the pool's state in an outage's log line; a service without a database has none.
    @Optional() @Inject(DataSource) private readonly dataSource?: DataSource,
  ) {
    this.outages = registry
      ? new Counter({
          name: 'http_dependency_unavailable_total',
          help: 'HTTP requests answered 503 because a dependency (the database, the broker) was out of reach, by what said so',
          labelNames: ['dependency', 'cause'],
          registers: [registry],
        })
      : undefined;
  }

  catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType() !== 'http') {
      // Kafka handlers and other transports have their own error paths; leave them be.
      return throwError(() => exception);
    }
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const instance = request.url?.split('?')[0];
    const correlationId = currentCorrelationId() ?? sanitizeCorrelationId(request.headers?.[CORRELATION_HEADER]);

    const outage = dependencyOutageOf(exception);
    if (outage) this.outages?.inc({ dependency: outage.dependency, cause: outage.cause });
    const { problem, headers } = toProblem(exception, instance, correlationId);
    if (outage) {
      const pool = outage.dependency === 'database' ? poolStateOf(this.dataSource) : undefined;
      this.logger.warn(`${outage.dependency} unavailable (${outage.cause}): answered 503`, {
        method: request.method,
        path: instance,
        pool,
      });
    } else if (problem.status >= 500) {
      const context = { status: problem.status, method: request.method, path: instance };
      if (exception instanceof Error) this.logger.error(exception, context);
      else this.logger.error(`non-Error thrown: ${String(exception)}`, context);
    }
    if (reply.sent) {
      // Headers are already on the wire (a stream failed midway): nothing more can be said.
      return;
    }
    void reply
      .status(problem.status)
      .headers(headers)
      .header('content-type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`)
      .send(JSON.stringify(problem));
  }
}

export function toProblem(
  exception: unknown,
  instance?: string,
  correlationId?: string,
): { problem: ProblemDetails; headers: Record<string, string> } {
  if (exception instanceof ProblemException) {
    return { problem: exception.toProblem(instance, correlationId), headers: { ...exception.headers } };
  }
  const outage = dependencyOutageOf(exception);
  if (outage) return toProblem(dependencyProblems.dependencyUnavailable(outage.dependency), instance, correlationId);
  const status = exception instanceof HttpException ? exception.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR;
  const title = titleForStatus(status);
  const detail =
    exception instanceof HttpException && status !== HttpStatus.INTERNAL_SERVER_ERROR
      ? detailOf(exception, title)
      : status === HttpStatus.INTERNAL_SERVER_ERROR
        ? GENERIC_500_DETAIL
        : undefined;
  return { problem: statusProblem(status, detail).toProblem(instance, correlationId), headers: {} };
}

/** Nest's own exceptions carry `{ message }` (a string or, from pipes, a list of strings). */
function detailOf(exception: HttpException, title: string): string | undefined {
  const response = exception.getResponse();
  const message =
    typeof response === 'string'
      ? response
      : typeof response === 'object' && response !== null && 'message' in response
        ? (response as { message: unknown }).message
        : exception.message;
  const text = Array.isArray(message) ? message.map(String).join('; ') : typeof message === 'string' ? message : undefined;
  return text && text !== title ? text : undefined;
}
