export type { components, operations, paths } from './generated/openapi.js';
export { createMallardClient, type MallardClient, type MallardClientOptions } from './mallard-client.js';
export { isProblem, MallardProblemError, orThrow, type Problem, problemSlug } from './problem.js';
export { DEFAULT_RETRY_POLICY, isSafeToRetry, type RetryPolicy } from './safe-retry.js';
