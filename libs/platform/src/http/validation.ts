import { memoizeValidationRules } from '@mallard/contracts';
import { type ValidationError, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import type { FieldError, ProblemException } from './problem-details.js';
import { requestProblems } from './request.problems.js';

export const VALIDATION_PROBLEM_SLUG = requestProblems.validationFailed.slug;

/** How the root value is named when it is itself wrong (not an object, for instance). */
const ROOT_FIELD = '$';

/**
 * Every class-validator rejection, including an unknown field, is a 400: the request is
 * malformed as sent and retrying it unchanged cannot succeed. 422 is left to domain code for
 * well-formed requests that a business rule refuses (a ProblemException with its own slug),
 * so a client can tell "fix your payload" from "the mall said no".
 */
export function validationProblem(errors: ValidationError[]): ProblemException {
  return requestProblems.validationFailed(flattenValidationErrors(errors));
}

/** Nested DTOs and arrays become dotted paths (`lines.0.quantity`) so a form can point at the input. */
export function flattenValidationErrors(errors: ValidationError[], parent?: string): FieldError[] {
  return errors.flatMap((error) => {
    const field = [parent, error.property].filter((part) => part !== undefined && part !== '').join('.') || ROOT_FIELD;
    const own: FieldError[] =
      error.constraints && Object.keys(error.constraints).length > 0 ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field === ROOT_FIELD ? undefined : field)];
  });
}

/**
 * The pipe every service installs globally. Unknown fields are refused rather than silently
 * dropped, so a typo in a client (`quantiy`) fails loudly instead of ordering the default.
 * Submitted values are never echoed back: they may be card numbers or addresses.
 */
export function createValidationPipe(overrides: ValidationPipeOptions = {}): ValidationPipe {
  memoizeValidationRules();
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: validationProblem,
    ...overrides,
  });
}
