/**
 * Vitest global setup: real Kafka and real PostgreSQL for every test run.
 *
 * It shares the state dir of `npm start` (<repo>/.mallard), so a suite already running through
 * `npm start` lends its broker and database server to `npm test`, and a run never starts a
 * second broker next to it. KAFKA_BROKERS / DATABASE_URL in the environment point the tests at
 * existing servers instead (nothing is started then).
 *
 * Workers inherit process.env (set here before they start), which is what
 * libs/testing's infrastructure() reads; the same values are also provided as
 * inject('kafkaBrokers') / inject('databaseUrl').
 *
 * At teardown it stops only what this run started, unless MALLARD_KEEP_INFRA=1 (then the next
 * run reuses it and `npm stop` stops it).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
// Brings 'vitest' into the program so that the ProvidedContext augmentation below resolves.
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { ensureInfrastructure, stopInfrastructure } from '../deploy/local/infra.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    databaseUrl: string;
  }
}

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STATE_DIR = path.join(REPO, '.mallard');

const log = (message: string): void => console.log(`[mallard:test] ${message}`);

/**
 * Test files run in worlds of their own topics (libs/testing TEST_TOPIC_PREFIX, `t<run>-<file>.`);
 * they are dropped after the run so a reused broker does not pile them up.
 */
async function deleteTestTopics(brokers: string, run: string): Promise<void> {
  const admin = new Kafka({ clientId: 'mallard-test-teardown', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    // Only this run's: another run may be going on against the same broker.
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(`t${run}-`));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
  } catch (error) {
    log(`could not delete test topics: ${(error as Error).message}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export default async function setup({ provide }: TestProject): Promise<() => Promise<void>> {
  const inherited = { KAFKA_BROKERS: process.env.KAFKA_BROKERS, DATABASE_URL: process.env.DATABASE_URL };
  const infra = await ensureInfrastructure({ stateDir: STATE_DIR, log });
  const run = randomBytes(3).toString('hex');
  process.env.MALLARD_TEST_RUN = run;
  process.env.KAFKA_BROKERS = infra.kafkaBrokers;
  process.env.DATABASE_URL = infra.databaseUrl;
  provide('kafkaBrokers', infra.kafkaBrokers);
  provide('databaseUrl', infra.databaseUrl);

  return async () => {
    await deleteTestTopics(infra.kafkaBrokers, run);
    // A watch-mode restart runs setup again: it must not mistake our values for external servers.
    for (const [name, value] of Object.entries(inherited)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    if (infra.started.length === 0) return;
    if (process.env.MALLARD_KEEP_INFRA === '1') {
      log(`MALLARD_KEEP_INFRA=1: leaving ${infra.started.join(', ')} running (\`npm stop\` stops it)`);
      return;
    }
    await stopInfrastructure({ stateDir: STATE_DIR, only: infra.started, log });
  };
}
