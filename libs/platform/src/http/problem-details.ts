import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';

/** RFC 9457 media type; clients switch on it to parse an error body. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const PROBLEM_TYPE_BASE = 'https://mallard.dev/problems/';

/** One rejected input, keyed by its dotted path in the request (`lines.0.quantity`). */
export interface FieldError {
  field: string;
  messages: string[];
}

/** The wire shape. Extension members sit beside the standard ones, as RFC 9457 §3.2 allows. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  correlationId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export interface ProblemInit {
  status: number;
  /** Stable, kebab-case name of the problem kind; it becomes the last segment of `type`. */
  slug: string;
  /** Short and the same for every occurrence of the kind; the specifics go in `detail`. */
  title: string;
  detail?: string;
  /** Machine-readable specifics (`orderId`, `errors`...). Cannot override the standard members. */
  extensions?: Record<string, unknown>;
  /** Response headers the problem implies (`WWW-Authenticate`, `Retry-After`). */
  headers?: Record<string, string>;
}

const RESERVED = new Set(['type', 'title', 'status', 'detail', 'instance', 'correlationId']);

export function problemType(slug: string): string {
  return PROBLEM_TYPE_BASE + slug;
}

/** `Unprocessable Entity` → `unprocessable-entity`: every status gets a stable slug for free. */
export function slugForStatus(status: number): string {
  const phrase = STATUS_CODES[status];
  return phrase
    ? phrase
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
    : `http-${status}`;
}

export function titleForStatus(status: number): string {
  return STATUS_CODES[status] ?? `HTTP ${status}`;
}

/**
 * What domain and edge code throws to refuse a request with a specific, documented problem.
 * It is an HttpException, so anything in Nest that understands those (interceptors, the
 * default filter in a service that has not installed ours) still sees the right status.
 */
export class ProblemException extends HttpException {
  readonly slug: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly extensions: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;

  constructor(init: ProblemInit) {
    super(init.detail ?? init.title, init.status);
    this.slug = init.slug;
    this.title = init.title;
    this.detail = init.detail;
    this.extensions = init.extensions ?? {};
    this.headers = init.headers ?? {};
  }

  toProblem(instance?: string, correlationId?: string): ProblemDetails {
    const extensions = Object.fromEntries(Object.entries(this.extensions).filter(([name]) => !RESERVED.has(name)));
    return {
      ...extensions,
      type: problemType(this.slug),
      title: this.title,
      status: this.getStatus(),
      ...(this.detail !== undefined ? { detail: this.detail } : {}),
      ...(instance !== undefined ? { instance } : {}),
      ...(correlationId !== undefined ? { correlationId } : {}),
    };
  }
}
