export * from './idempotency-store.js';
export * from './idempotent-request.js';
export * from './idempotent-requests.migration.js';
export * from './idempotently.js';
export * from './request-fingerprint.js';
