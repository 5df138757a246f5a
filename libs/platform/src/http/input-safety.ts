import type { ProblemException } from './problem-details.js';
import { type RequestPart, requestProblems } from './request.problems.js';

/**
 * How deep a request's JSON may nest (the root object is level 1). Mallard's deepest body
 * (an order's receiver address) is 3 levels; anything near the limit is an attack or a bug,
 * and recursive code downstream (class-transformer, class-validator) would overflow its stack.
 */
export const MAX_INPUT_DEPTH = 32;

/** Keys are the caller's: a path built from them is cut short rather than echoed at any length. */
const MAX_REPORTED_PATH = 200;

export type UnsafeInput =
  | { kind: 'too-deep'; path: string }
  | { kind: 'nul-character'; path: string }
  | { kind: 'lone-surrogate'; path: string };

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function unsafeString(text: string): 'nul-character' | 'lone-surrogate' | undefined {
  if (text.includes('\u0000')) return 'nul-character';
  if (LONE_SURROGATE.test(text)) return 'lone-surrogate';
  return undefined;
}

/**
 * The first thing in a parsed input (JSON body, form, query string, path parameters) that no
 * Mallard service can store: nesting deeper than `maxDepth`, a NUL character (PostgreSQL text
 * refuses it) or a lone UTF-16 surrogate (jsonb refuses it), in a value or in a key. Walks
 * with an explicit stack, so a hostile depth cannot overflow this check either.
 */
export function findUnsafeInput(input: unknown, maxDepth: number = MAX_INPUT_DEPTH): UnsafeInput | undefined {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value: input, path: '', depth: 0 }];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value === 'string') {
      const kind = unsafeString(value);
      if (kind) return { kind, path: path || '$' };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth + 1 > maxDepth) return { kind: 'too-deep', path: path || '$' };
    const entries: Array<[string, unknown]> = Array.isArray(value)
      ? value.map((item, index) => [String(index), item])
      : Object.entries(value as Record<string, unknown>);
    for (const [key, item] of entries) {
      const kind = unsafeString(key);
      const itemPath = path ? `${path}.${key}` : key;
      if (kind) return { kind, path: path || '$' };
      pending.push({ value: item, path: itemPath, depth: depth + 1 });
    }
  }
  return undefined;
}

/** The 400 for an input `findUnsafeInput` found; the offending value is never echoed. */
export function unsafeInputProblem(where: RequestPart, unsafe: UnsafeInput): ProblemException {
  const path = unsafe.path.length > MAX_REPORTED_PATH ? `${unsafe.path.slice(0, MAX_REPORTED_PATH)}…` : unsafe.path;
  const field = where === 'body' ? path : `${where}:${path}`;
  return unsafe.kind === 'too-deep'
    ? requestProblems.inputTooDeep(where, field, MAX_INPUT_DEPTH)
    : requestProblems.invalidCharacters(where, field, unsafe.kind);
}

/** Throws the 400 problem for the first unsafe value of each part of a request. */
export function assertSafeRequestInput(request: { body?: unknown; query?: unknown; params?: unknown }): void {
  for (const [where, value] of [
    ['path', request.params],
    ['query', request.query],
    ['body', request.body],
  ] as const) {
    const unsafe = findUnsafeInput(value);
    if (unsafe) throw unsafeInputProblem(where, unsafe);
  }
}
