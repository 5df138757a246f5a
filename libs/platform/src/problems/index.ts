export * from './define-problems.js';
export * from './problem-registry.js';
