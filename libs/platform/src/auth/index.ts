export * from './repo-secrets.js';
export * from './service-token.guard.js';
export * from './service-token.js';
export * from './service-token.problems.js';
