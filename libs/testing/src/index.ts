export * from './http-test-app.js';
export * from './kafka-probe.js';
export * from './service-calls.js';
export * from './service-harness.js';
