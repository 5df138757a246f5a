export { SkipThrottle } from '@nestjs/throttler';
export * from './api-problems.js';
export * from './edge.module.js';
export * from './openapi.js';
export * from './rate-limit.guard.js';
export * from './rate-limit.js';
export * from './raw-body.js';
