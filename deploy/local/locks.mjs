// The lock that serialises starting and stopping on one state dir, so that `npm start`, `npm stop`
// and test runs sharing <repo>/.mallard never start a second broker or stop one mid-start.

import fs from 'node:fs';
import { isAlive, readPidFile, sleep } from './processes.mjs';

const LOCK_TIMEOUT_MS = 5 * 60_000;

let inProcessLock = Promise.resolve();

/** Runs `fn` holding the lock `file`: one at a time in this process, and across processes. */
export function withLock(file, fn) {
  const next = inProcessLock.then(() => withFileLock(file, fn));
  inProcessLock = next.catch(() => undefined);
  return next;
}

/** The lock file holds the pid of its holder; a holder that died leaves a lock anyone may take. */
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
