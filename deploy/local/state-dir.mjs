// Where the launcher keeps its files in a state dir (e.g. <repo>/.mallard): config and data of
// what it starts, their logs, their pid files, and the lock.

import path from 'node:path';

export function stateLayout(stateDir) {
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
