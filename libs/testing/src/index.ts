export * from './http-test-app.js';
export * from './kafka-probe.js';
export * from './release-upgrade.js';
export * from './service-calls.js';
export * from './service-harness.js';
