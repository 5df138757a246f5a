import { defineProblems } from '../problems/define-problems.js';
import type { FieldError } from './problem-details.js';

/** Where in a request an unsafe value was found; `body` paths are reported bare. */
export type RequestPart = 'body' | 'query' | 'path';

/** Problems every service raises the same way about the request itself, before any business rule. */
export const requestProblems = defineProblems('platform', {
  validationFailed: {
    slug: 'validation-failed',
    status: 400,
    title: 'Invalid request',
    description: 'A field is missing, malformed, out of bounds or unknown; `errors` lists each field with its messages.',
    extensions: ['errors'],
    create: (errors: FieldError[]) => {
      const names = errors.map((error) => error.field);
      return {
        detail:
          names.length === 1
            ? `The field ${names[0]} is invalid or not allowed.`
            : `${names.length} fields are invalid or not allowed: ${names.join(', ')}.`,
        extensions: { errors },
      };
    },
  },
  inputTooDeep: {
    slug: 'input-too-deep',
    status: 400,
    title: 'Input nested too deeply',
    description: 'The body, query or path parameters nest deeper than `maxDepth` (32) levels; `field` says where.',
    extensions: ['maxDepth', 'field'],
    create: (where: RequestPart, field: string, maxDepth: number) => ({
      detail: `The ${where} nests more than ${maxDepth} levels deep (at ${field}).`,
      extensions: { maxDepth, field },
    }),
  },
  invalidCharacters: {
    slug: 'invalid-characters',
    status: 400,
    title: 'Input contains characters that cannot be stored',
    description: 'A value or key holds a NUL character or an unpaired UTF-16 surrogate; `field` says where.',
    extensions: ['field'],
    create: (where: RequestPart, field: string, what: 'nul-character' | 'lone-surrogate') => ({
      detail:
        what === 'nul-character'
          ? `The ${where} holds a NUL character (U+0000) at ${field}.`
          : `The ${where} holds an unpaired UTF-16 surrogate at ${field}: send well-formed Unicode.`,
      extensions: { field },
    }),
  },
  malformedUrl: {
    slug: 'malformed-url',
    status: 400,
    title: 'Malformed URL',
    description: 'The path cannot be decoded (bad percent-encoding such as `%FF`), so it cannot be routed.',
    create: () => ({ detail: 'Malformed URL: the request path cannot be routed.' }),
  },
  pathParameterTooLong: {
    slug: 'path-parameter-too-long',
    status: 414,
    title: 'Path parameter too long',
    description: 'A path segment is longer than the router accepts, so it cannot be routed.',
    create: () => ({ detail: 'Path parameter too long: the request path cannot be routed.' }),
  },
  buyerRequired: {
    slug: 'buyer-required',
    status: 400,
    title: 'Buyer missing',
    description: 'An internal route that acts for a shopper was called without one in the service token.',
    create: (header: string) => ({ detail: `the ${header} header is required` }),
  },
  idempotencyKeyRequired: {
    slug: 'idempotency-key-required',
    status: 400,
    title: 'Idempotency-Key header required',
    description: 'A request that creates or pays something came without a valid `Idempotency-Key` header (1–200 visible ASCII characters).',
    create: () => ({
      detail: 'send a unique Idempotency-Key (1–200 visible ASCII characters) with every new request, and the same one when retrying it',
    }),
  },
});
