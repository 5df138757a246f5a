import { defineProblems } from '../problems/define-problems.js';
import { ProblemException, slugForStatus, titleForStatus } from './problem-details.js';

/**
 * The answers that carry only an HTTP status: what Nest, Fastify or Node refuse on their own
 * (an unknown route, a malformed JSON body, a body too large), a plain Nest HttpException, and
 * the 500 of a bug. Slug and title come from the status phrase, so they read like the status.
 */
export const httpProblems = defineProblems('http', {
  badRequest: {
    slug: 'bad-request',
    status: 400,
    title: 'Bad Request',
    description: 'The request cannot be parsed: an empty or malformed JSON or multipart body, a malformed request line or header.',
  },
  notFound: {
    slug: 'not-found',
    status: 404,
    title: 'Not Found',
    description: 'No route matches the method and path, or the resource it names does not exist.',
  },
  requestTimeout: {
    slug: 'request-timeout',
    status: 408,
    title: 'Request Timeout',
    description: 'The request did not arrive in full in time; the connection is closed.',
  },
  payloadTooLarge: {
    slug: 'payload-too-large',
    status: 413,
    title: 'Payload Too Large',
    description: 'The body is larger than the service accepts.',
  },
  unsupportedMediaType: {
    slug: 'unsupported-media-type',
    status: 415,
    title: 'Unsupported Media Type',
    description: 'The body is in a media type the route does not take: JSON or a form, multipart/form-data where a route takes files.',
  },
  requestHeaderFieldsTooLarge: {
    slug: 'request-header-fields-too-large',
    status: 431,
    title: 'Request Header Fields Too Large',
    description: 'The request headers are larger than the server accepts; the connection is closed.',
  },
  internalServerError: {
    slug: 'internal-server-error',
    status: 500,
    title: 'Internal Server Error',
    description: 'A bug or an unexpected failure; the body never says more than to quote the `correlationId`.',
  },
  serviceUnavailable: {
    slug: 'service-unavailable',
    status: 503,
    title: 'Service Unavailable',
    description: 'A readiness check failed (`/health/ready`): the service cannot reach its database or broker.',
  },
});

const BY_STATUS = new Map<number, (parts?: { detail?: string }) => ProblemException>(
  Object.values(httpProblems).map((factory) => [factory.status, factory]),
);

/**
 * The problem for an error that says nothing but its status. A status outside the catalogue
 * (none is raised today) still gets a type derived the same way, so no error leaves without one.
 */
export function statusProblem(status: number, detail?: string): ProblemException {
  const known = BY_STATUS.get(status);
  if (known) return known(detail !== undefined ? { detail } : undefined);
  return new ProblemException({ status, slug: slugForStatus(status), title: titleForStatus(status), detail });
}
