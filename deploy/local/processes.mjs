// The processes the launcher starts, finds and stops: pid files, detached children that outlive
// the launcher, commands run to completion, waiting and polling.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { rotateLog } from './logs.mjs';

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

/**
 * Starts a process in its own process group so that it outlives the launcher, with stdout and
 * stderr appended to `logFile` (the previous log kept as <logFile>.1). Returns its `pid`
 * (undefined when it could not start) and `exited`, which becomes the exit code, signal or
 * spawn error once it ends while the launcher still runs.
 */
export function spawnDetached(command, args, { cwd, env, logFile }) {
  rotateLog(logFile);
  const out = fs.openSync(logFile, 'a');
  let child;
  try {
    child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', out, out] });
  } finally {
    fs.closeSync(out);
  }
  const started = { pid: child.pid, exited: null };
  child.on('exit', (code, signal) => (started.exited = signal ?? code));
  child.on('error', (error) => (started.exited = String(error)));
  child.unref();
  return started;
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

/** Asks `pid` to stop (SIGTERM); when it is still there after timeoutMs, calls onKill and kills it. */
export async function terminate(pid, timeoutMs, onKill) {
  if (await killAndWait(pid, 'SIGTERM', timeoutMs)) return;
  onKill();
  await killAndWait(pid, 'SIGKILL', 5_000);
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

export function withTimeout(promise, ms) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs a command to completion, collecting stdout and stderr together. */
export function runCommand(command, args, options = {}) {
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

/** The executable `name` on PATH, or undefined. */
export function findCommand(name) {
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

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function tcpPortInUse(port) {
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
