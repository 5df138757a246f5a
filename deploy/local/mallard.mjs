#!/usr/bin/env node
// The one local command of Mallard.
//
//   node deploy/local/mallard.mjs up       (npm start)  Kafka + PostgreSQL when not reachable, then
//                                                       every service in the background
//   node deploy/local/mallard.mjs down     (npm stop)   stops the services, then what `up` started
//   node deploy/local/mallard.mjs status                 what runs, and whether it is ready
//
// The service list is libs/contracts/src/services.ts (read through the @swc-node loader, so
// there is one list). Each service runs as
//   node --enable-source-maps --import @swc-node/register/esm-register apps/<name>/src/main.ts
// with PORT, DATABASE_NAME (both from services.ts), KAFKA_BROKERS and DATABASE_URL in its
// environment, logs to .mallard/logs/<name>.log, pid file .mallard/run/<name>.pid, and is ready
// when GET http://127.0.0.1:<port>/health/ready answers 200.
// MALLARD_INSTANCES=orders=2,inventory=2 runs more instances of a service (orders-2 on port 3101,
// …; see instancePort) and gives the gateway all their URLs; `status` lists them when given the
// same setting, `down` stops them either way (their pid files).
// KAFKA_BROKERS / DATABASE_URL set in the environment point everything at existing servers.

import fs from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { carrierWebhookSecrets, localSecret } from './dev-secrets.mjs';
import { ensureInfrastructure, infrastructureStatus, stopInfrastructure } from './infra.mjs';
import { DEFAULT_KAFKA_BROKERS, kafkaAnswers } from './kafka.mjs';
import { tailFile } from './logs.mjs';
import { DEFAULT_PG_PROBE_URL, postgresAnswers, redactPassword } from './postgres.mjs';
import { processCommandLine, readPidFile, spawnDetached, tcpPortInUse, terminate, waitFor } from './processes.mjs';
import { stateLayout } from './state-dir.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const STATE_DIR = path.join(REPO, '.mallard');
const { run: RUN_DIR, logs: LOG_DIR } = stateLayout(STATE_DIR);
const INFRA_FILE = path.join(RUN_DIR, 'infra.json');
const INFRA_COMPONENTS = new Set(['kafka', 'postgres']);
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 15_000;

const log = (message) => console.log(`[mallard] ${message}`);
const rel = (file) => path.relative(process.cwd(), file) || '.';

async function loadServices(instancesSetting = process.env.MALLARD_INSTANCES) {
  // The loader resolves tsconfig.json from the working directory.
  process.chdir(REPO);
  register('@swc-node/register/esm', import.meta.url);
  const { SERVICES, MAX_LOCAL_INSTANCES, instancePort } = await import(
    pathToFileURL(path.join(REPO, 'libs', 'contracts', 'src', 'services.ts')).href
  );
  const instances = parseInstances(instancesSetting, Object.keys(SERVICES), MAX_LOCAL_INSTANCES);
  return Object.entries(SERVICES)
    .flatMap(([name, { port, database }]) =>
      Array.from({ length: instances.get(name) ?? 1 }, (_, index) =>
        index === 0 ? service(name, port, database) : service(`${name}-${index + 1}`, instancePort(port, index + 1), database, name),
      ),
    )
    .sort((a, b) => Number(a.name === 'gateway') - Number(b.name === 'gateway')); // gateway last
}

/**
 * MALLARD_INSTANCES=orders=2,inventory=2: how many instances of a service to run on this machine
 * (a scale-out measured on one machine, docs/benchmarks.md). The gateway stays one: front ends
 * call its port, and nothing balances in front of it locally.
 */
function parseInstances(setting, names, max) {
  const instances = new Map();
  for (const entry of (setting ?? '').split(',').filter((part) => part.trim() !== '')) {
    const [name, count] = entry.split('=').map((part) => part.trim());
    if (!names.includes(name) || name === 'gateway' || !/^\d+$/.test(count ?? '') || Number(count) < 1 || Number(count) > max) {
      throw new Error(
        `MALLARD_INSTANCES: "${entry}" is not <service>=<1..${max}> of ${names.filter((other) => other !== 'gateway').join(', ')}`,
      );
    }
    instances.set(name, Number(count));
  }
  return instances;
}

/** `app` is the service an instance runs (orders-2 runs orders). */
function service(name, port, database, app = name) {
  return {
    name,
    app,
    port,
    database,
    main: path.posix.join('apps', app, 'src', 'main.ts'),
    pidFile: path.join(RUN_DIR, `${name}.pid`),
    logFile: path.join(LOG_DIR, `${name}.log`),
  };
}

/** ORDERS_URL=http://127.0.0.1:3001,http://127.0.0.1:3101 for each service that runs more than once, unless set. */
function upstreamUrls(services) {
  const urls = {};
  for (const svc of services) {
    if (svc.app === 'gateway') continue;
    const variable = `${svc.app.toUpperCase().replace(/-/g, '_')}_URL`;
    urls[variable] = [...(urls[variable] ?? []), `http://127.0.0.1:${svc.port}`];
  }
  return Object.fromEntries(
    Object.entries(urls)
      .filter(([variable, list]) => list.length > 1 && !process.env[variable])
      .map(([variable, list]) => [variable, list.join(',')]),
  );
}

/**
 * What has a pid file but is not in `services`: an instance started with another
 * MALLARD_INSTANCES (orders-2.pid runs orders), or a service no longer in the list.
 */
function unlisted(services) {
  const known = new Set(services.map((svc) => svc.name));
  if (!fs.existsSync(RUN_DIR)) return [];
  return fs
    .readdirSync(RUN_DIR)
    .filter((file) => file.endsWith('.pid'))
    .map((file) => file.replace(/\.pid$/, ''))
    .filter((name) => !known.has(name) && !INFRA_COMPONENTS.has(name))
    .map((name) => service(name, 0, '', name.replace(/-\d+$/, '')));
}

/** The pid of the service when it runs as started by this launcher. */
function servicePid(svc) {
  const pid = readPidFile(svc.pidFile);
  if (pid === undefined) return undefined;
  return (processCommandLine(pid) ?? '').includes(svc.main) ? pid : undefined;
}

async function isReady(port) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer().catch(() => undefined);
    return response.status === 200;
  } catch {
    return false;
  }
}

function printWhere(services, infra) {
  const gateway = services.find((svc) => svc.name === 'gateway');
  const width = Math.max(...services.map((svc) => svc.name.length), 'PostgreSQL'.length) + 2;
  const lines = [];
  if (gateway) {
    lines.push(`  API          http://127.0.0.1:${gateway.port}/api/v1`);
    lines.push(`  API docs     http://127.0.0.1:${gateway.port}/docs`);
    lines.push('');
  }
  for (const svc of services) {
    lines.push(`  ${svc.name.padEnd(width)}http://127.0.0.1:${svc.port}  pid ${servicePid(svc) ?? '-'}  log ${rel(svc.logFile)}`);
  }
  if (infra) {
    lines.push(`  ${'Kafka'.padEnd(width)}${infra.kafkaBrokers}`);
    lines.push(`  ${'PostgreSQL'.padEnd(width)}${redactPassword(infra.databaseUrl)}`);
  }
  console.log(lines.join('\n'));
}

function readInfraFile() {
  try {
    return JSON.parse(fs.readFileSync(INFRA_FILE, 'utf8'));
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------

/** Kafka and PostgreSQL answering, started (again) where they do not; undefined after saying why not. */
async function ensureInfra() {
  try {
    const infra = await ensureInfrastructure({ stateDir: STATE_DIR, log });
    fs.writeFileSync(INFRA_FILE, `${JSON.stringify({ ...infra, at: new Date().toISOString() }, null, 2)}\n`);
    return infra;
  } catch (error) {
    console.error(`[mallard] ${error?.message ?? error}`);
    return undefined;
  }
}

async function up() {
  const services = await loadServices();
  fs.mkdirSync(RUN_DIR, { recursive: true });
  fs.mkdirSync(LOG_DIR, { recursive: true });

  const running = services.filter((svc) => servicePid(svc) !== undefined);
  if (running.length === services.length) {
    // The services may be up while Kafka or PostgreSQL died under them: bring back what is down.
    const infra = await ensureInfra();
    if (!infra) return 1;
    log(
      infra.started.length > 0
        ? `every service was running; brought back ${infra.started.join(', ')}`
        : 'Mallard is already running; nothing to do (`npm stop` stops it).',
    );
    printWhere(services, infra);
    return 0;
  }
  if (running.length > 0) {
    log(`already running: ${running.map((svc) => svc.name).join(', ')}; starting the others`);
  }
  const toStart = services.filter((svc) => servicePid(svc) === undefined);
  if (running.some((svc) => svc.name === 'gateway') && toStart.some((svc) => svc.name !== svc.app)) {
    log(
      `the gateway already runs and does not know ${toStart
        .filter((svc) => svc.name !== svc.app)
        .map((svc) => svc.name)
        .join(', ')}: they take their share of the events but no calls (\`npm stop\`, then start again)`,
    );
  }

  const missing = toStart.filter((svc) => !fs.existsSync(path.join(REPO, svc.main)));
  if (missing.length > 0) {
    console.error(`[mallard] cannot start: ${missing.map((svc) => svc.main).join(', ')} not found`);
    return 1;
  }
  const busy = [];
  for (const svc of toStart) if (await tcpPortInUse(svc.port)) busy.push(svc);
  if (busy.length > 0) {
    console.error(
      `[mallard] cannot start: ${busy.map((svc) => `port ${svc.port} (${svc.name})`).join(', ')} ` +
        'already in use by a process this launcher did not start',
    );
    return 1;
  }

  const infra = await ensureInfra();
  if (!infra) return 1;

  const serviceTokenSecret = localSecret(STATE_DIR, 'service-token');
  const children = new Map();
  for (const svc of toStart) {
    const state = spawnDetached(
      process.execPath,
      [
        ...(process.env.MALLARD_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.MALLARD_CPU_PROF_DIR}`] : []),
        '--enable-source-maps',
        '--import',
        '@swc-node/register/esm-register',
        svc.main,
      ],
      {
        cwd: REPO,
        logFile: svc.logFile,
        env: {
          ...process.env,
          PORT: String(svc.port),
          DATABASE_NAME: svc.database,
          KAFKA_BROKERS: infra.kafkaBrokers,
          DATABASE_URL: infra.databaseUrl,
          // Loopback only: nothing on the network reaches a local suite (the default, stated here).
          HOST: process.env.HOST ?? '127.0.0.1',
          // The key the gateway signs its calls to the services with: this checkout's own.
          SERVICE_TOKEN_SECRET: process.env.SERVICE_TOKEN_SECRET ?? serviceTokenSecret,
          // A demo mall to try the API on; loading it only adds what is missing.
          ...(svc.app === 'inventory' ? { SEED_DEMO_DATA: process.env.SEED_DEMO_DATA ?? 'true' } : {}),
          // The sandbox provider lets the demo pay without a real provider (off by default).
          ...(svc.app === 'payments' ? { SANDBOX_ENABLED: process.env.SANDBOX_ENABLED ?? 'true' } : {}),
          // Carriers' tracking webhooks signed with this checkout's own secrets are taken, so they
          // can be tried locally (`npm run bench -- webhooks` signs with them); without a secret the
          // service refuses every one.
          ...(svc.app === 'logistics' ? carrierWebhookSecrets(STATE_DIR, process.env) : {}),
          // The gateway calls every instance of a service that runs several (MALLARD_INSTANCES).
          ...(svc.name === 'gateway' ? upstreamUrls(services) : {}),
        },
      },
    );
    if (state.pid !== undefined) fs.writeFileSync(svc.pidFile, `${state.pid}\n`);
    children.set(svc.name, state);
    log(`started ${svc.name} (pid ${state.pid ?? '?'}) on port ${svc.port}, log ${rel(svc.logFile)}`);
  }

  log(`waiting for /health/ready of ${toStart.map((svc) => svc.name).join(', ')} (up to ${READY_TIMEOUT_MS / 1000} s)`);
  const t0 = Date.now();
  const results = await Promise.all(
    toStart.map(async (svc) => {
      const state = children.get(svc.name);
      const ok = await waitFor(async () => state.exited !== null || (await isReady(svc.port)), READY_TIMEOUT_MS, 500);
      if (ok && state.exited === null) {
        log(`${svc.name} is ready (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
        return undefined;
      }
      return {
        svc,
        reason: state.exited !== null ? `exited (${state.exited})` : `not ready within ${READY_TIMEOUT_MS / 1000} s`,
      };
    }),
  );
  const failed = results.filter(Boolean);
  if (failed.length > 0) {
    for (const { svc, reason } of failed) {
      console.error(`\n[mallard] ${svc.name} ${reason}. Last lines of ${rel(svc.logFile)}:`);
      console.error(tailFile(svc.logFile, 40) || '(empty log)');
    }
    log(`stopping the services started by this run (Kafka/PostgreSQL stay up; \`npm stop\` stops them)`);
    await stopServices(toStart);
    return 1;
  }

  console.log('\nMallard is up.');
  printWhere(services, infra);
  console.log('\nStop everything with `npm stop`; `node deploy/local/mallard.mjs status` shows what runs.');
  return 0;
}

async function stopServices(services) {
  const targets = services
    .map((svc) => ({ svc, pid: servicePid(svc) }))
    .filter(({ svc, pid }) => {
      if (pid === undefined) fs.rmSync(svc.pidFile, { force: true });
      return pid !== undefined;
    });
  await Promise.all(
    targets.map(async ({ svc, pid }) => {
      log(`stopping ${svc.name} (pid ${pid})`);
      await terminate(pid, STOP_TIMEOUT_MS, () => log(`${svc.name} still running after ${STOP_TIMEOUT_MS / 1000} s, killing it`));
      fs.rmSync(svc.pidFile, { force: true });
    }),
  );
  return targets.map(({ svc }) => svc.name);
}

async function down() {
  let services = [];
  try {
    services = await loadServices();
  } catch (error) {
    log(`could not read libs/contracts/src/services.ts (${error?.message ?? error}); using the pid files`);
  }
  // Also whatever has a pid file but is no longer in the list.
  services.push(...unlisted(services));
  // The gateway first: it stops taking requests before the services behind it go.
  services.sort((a, b) => Number(b.name === 'gateway') - Number(a.name === 'gateway'));

  const stoppedServices = await stopServices(services);
  const stoppedInfra = await stopInfrastructure({ stateDir: STATE_DIR, log });
  fs.rmSync(INFRA_FILE, { force: true });
  const stopped = [...stoppedServices, ...stoppedInfra];
  log(stopped.length > 0 ? `stopped ${stopped.join(', ')}` : 'nothing was running');
  return 0;
}

async function status() {
  const services = await loadServices();
  const infra = readInfraFile();
  const own = await infrastructureStatus({ stateDir: STATE_DIR });
  const width = Math.max(...services.map((svc) => svc.name.length), 'PostgreSQL'.length) + 2;
  let allReady = true;
  for (const svc of services) {
    const pid = servicePid(svc);
    const ready = await isReady(svc.port);
    allReady &&= pid !== undefined && ready;
    const state = pid === undefined ? (ready ? 'ready (not started by this launcher)' : 'stopped') : ready ? 'ready' : 'running, not ready';
    console.log(`  ${svc.name.padEnd(width)}${state.padEnd(20)} port ${svc.port}${pid ? `  pid ${pid}` : ''}`);
  }
  const kafkaBrokers = infra?.kafkaBrokers ?? process.env.KAFKA_BROKERS ?? DEFAULT_KAFKA_BROKERS;
  const kafkaUp = await kafkaAnswers(kafkaBrokers, 2_000);
  const kafkaOwner = own.kafka.running ? `started by this launcher, pid ${own.kafka.pid}` : 'not started by this launcher';
  console.log(`  ${'Kafka'.padEnd(width)}${(kafkaUp ? 'ready' : 'down').padEnd(20)} ${kafkaBrokers} (${kafkaOwner})`);
  const databaseUrl = infra?.databaseUrl ?? process.env.DATABASE_URL ?? DEFAULT_PG_PROBE_URL;
  const pgUp = await postgresAnswers(databaseUrl, 2_000);
  const pgOwner = own.postgres.running ? `embedded, started by this launcher, pid ${own.postgres.pid}` : 'not started by this launcher';
  console.log(`  ${'PostgreSQL'.padEnd(width)}${(pgUp ? 'ready' : 'down').padEnd(20)} ${redactPassword(databaseUrl)} (${pgOwner})`);
  return allReady ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------

const commands = { up, down, status };
const command = process.argv[2] ?? 'up';
if (!(command in commands)) {
  console.error('usage: node deploy/local/mallard.mjs up|down|status');
  process.exit(2);
}
try {
  process.exit(await commands[command]());
} catch (error) {
  console.error(`[mallard] ${command} failed:`, error);
  process.exit(1);
}
