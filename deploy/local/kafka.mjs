// Apache Kafka for local development and tests: a single-node KRaft broker (broker and
// controller in one JVM) on 127.0.0.1:9092, controller on 127.0.0.1:9093, state in
// <stateDir>/kafka. Its jars are fetched once with Maven (./kafka/pom.xml) into
// ${MALLARD_CACHE_DIR:-~/.cache/mallard}, so neither Docker nor a Kafka download is needed.

import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import kafkajs from 'kafkajs';
import { lastLines, tailSection } from './logs.mjs';
import {
  findCommand,
  killAndWait,
  processCommandLine,
  readPidFile,
  runCommand,
  spawnDetached,
  tcpPortInUse,
  terminate,
  waitFor,
  withTimeout,
} from './processes.mjs';

const { Kafka, logLevel: KafkaLogLevel } = kafkajs;

export const KAFKA_VERSION = '3.9.1';
export const DEFAULT_KAFKA_BROKERS = '127.0.0.1:9092';

const KAFKA_POM = path.join(path.dirname(fileURLToPath(import.meta.url)), 'kafka', 'pom.xml');
const KAFKA_START_TIMEOUT_MS = 60_000;
const KAFKA_STOP_TIMEOUT_MS = 30_000;

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

/**
 * The brokers to use: KAFKA_BROKERS, else the broker answering on 127.0.0.1:9092 (the one started
 * earlier from this state dir, or anyone's), else a broker started here and pushed onto `started`.
 */
export async function ensureKafka(dirs, log, started) {
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
  return startKafka(dirs, log, started);
}

/** Starts a broker that outlives this process and waits until it answers on 127.0.0.1:9092. */
async function startKafka(dirs, log, started) {
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

  const broker = spawnDetached(
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
    { cwd: dirs.kafka, logFile: dirs.kafkaLog },
  );
  if (broker.pid === undefined) throw new Error(`Kafka: could not start ${java}`);
  fs.writeFileSync(dirs.kafkaPid, `${broker.pid}\n`);
  started.push('kafka');
  log(`Kafka: starting a ${KAFKA_VERSION} broker (pid ${broker.pid}), log ${dirs.kafkaLog}`);

  const up = await waitFor(
    async () => broker.exited !== null || (await kafkaAnswers(DEFAULT_KAFKA_BROKERS, 2_000)),
    KAFKA_START_TIMEOUT_MS,
  );
  if (!up || broker.exited !== null) {
    if (broker.exited === null) await killAndWait(broker.pid, 'SIGKILL', 5_000);
    fs.rmSync(dirs.kafkaPid, { force: true });
    started.splice(started.indexOf('kafka'), 1);
    throw new Error(
      broker.exited !== null
        ? `Kafka: the broker exited during startup (${broker.exited}).\n${tailSection(dirs.kafkaLog)}`
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
  const result = await runCommand(mvn, [
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
    '# Written by deploy/local/kafka.mjs on every start; edit the launcher, not this file.',
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
    "# Written by deploy/local/kafka.mjs. The broker's stdout is redirected to",
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

/** True when `pid` is a broker running with the config of this state dir. */
export function isKafkaProcess(pid, dirs) {
  const cmdline = processCommandLine(pid);
  return cmdline?.includes('kafka.Kafka') && cmdline.includes(path.join(dirs.kafka, 'server.properties'));
}

/** Stops the broker started from this state dir; false when there was none. */
export async function stopKafka(dirs, log) {
  const pid = readPidFile(dirs.kafkaPid);
  if (pid === undefined) return false;
  if (!isKafkaProcess(pid, dirs)) {
    fs.rmSync(dirs.kafkaPid, { force: true });
    return false;
  }
  log(`Kafka: stopping the broker (pid ${pid})`);
  await terminate(pid, KAFKA_STOP_TIMEOUT_MS, () => log(`Kafka: still running after ${KAFKA_STOP_TIMEOUT_MS / 1000} s, killing it`));
  fs.rmSync(dirs.kafkaPid, { force: true });
  return true;
}

/** The cache shared by every clone on this machine (Kafka's jars). */
function cacheDir() {
  const configured = process.env.MALLARD_CACHE_DIR;
  if (configured) return path.resolve(configured.replace(/^~(?=$|\/)/, os.homedir()));
  return path.join(os.homedir(), '.cache', 'mallard');
}

function propertyValue(value) {
  return value.replace(/\\/g, '\\\\');
}
