export * from './http.problems.js';
export * from './http-errors.module.js';
export * from './input-safety.js';
export * from './internal-headers.js';
export * from './problem-details.filter.js';
export * from './problem-details.js';
export * from './request.problems.js';
export * from './validation.js';
