import { defineConfig } from 'vitest/config';
import { mallardTestConfig } from './vitest.config.js';

/** `npm run test:unit`: the tests that need neither Kafka nor PostgreSQL, for the edit–test loop. */
export default defineConfig(mallardTestConfig({ unitOnly: true }));
