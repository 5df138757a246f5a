import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import type { DataSource, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import type { MessageBroker } from '../broker/message-broker.js';
import { OutboxMessage } from './outbox-message.entity.js';

// Only one instance of a service relays at a time, so rows leave in position order.
const RELAY_LOCK_KEY = 7_357_002;
export const OUTBOX_WRITTEN = Symbol('outbox-written');

export interface OutboxRelayOptions {
  batchSize: number;
  pollIntervalMs: number;
  /**
   * How long to let more commits arrive after a wake-up before relaying. Under load every
   * commit wakes the relay; waiting a few milliseconds turns many one-event round trips to the
   * database and the broker into one batch.
   */
  coalesceMs: number;
}

/**
 * Moves committed outbox rows to Kafka in batches. It wakes right after a transaction that
 * wrote events commits, and polls as a fallback for rows left by a crashed or other instance.
 * A row is deleted only after Kafka acknowledged it; a crash between the two publishes the row
 * again, which consumers' inboxes absorb.
 */
export class OutboxRelay {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private pendingWake = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly broker: MessageBroker,
    private readonly options: OutboxRelayOptions,
    private readonly logger: Logger,
    private readonly published: Counter<'topic'>,
  ) {}

  /** A TypeORM subscriber that wakes the relay when a transaction holding new events commits. */
  commitSubscriber(): EntitySubscriberInterface {
    return {
      afterTransactionCommit: (event: TransactionCommitEvent) => {
        const data = event.queryRunner.data as Record<symbol, unknown>;
        if (data[OUTBOX_WRITTEN]) {
          delete data[OUTBOX_WRITTEN];
          this.wake();
        }
      },
      afterTransactionRollback: (event: TransactionCommitEvent) => {
        delete (event.queryRunner.data as Record<symbol, unknown>)[OUTBOX_WRITTEN];
      },
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  wake(): void {
    this.pendingWake = true;
    this.wakeUp?.();
  }

  /** Publishes one batch; returns how many rows it sent. Exposed for tests and tooling. */
  async relayOnce(): Promise<number> {
    const producer = await this.broker.producer();
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [RELAY_LOCK_KEY]);
      if (!locked) return 0;
      // Plain SQL: under load this runs many times a second, and the ORM's query building cost more than the read.
      const rows: Pick<OutboxMessage, 'position' | 'topic' | 'partitionKey' | 'headers' | 'value'>[] = await manager.query(
        `SELECT position, topic, partition_key AS "partitionKey", headers, value FROM outbox_message ORDER BY position LIMIT $1`,
        [this.options.batchSize],
      );
      if (rows.length === 0) return 0;
      await producer.send(rows.map((row) => ({ topic: row.topic, key: row.partitionKey, value: row.value, headers: row.headers })));
      await manager.query('DELETE FROM outbox_message WHERE position = ANY($1::bigint[])', [rows.map((row) => row.position)]);
      for (const row of rows) this.published.inc({ topic: row.topic });
      return rows.length;
    });
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.pendingWake = false;
      try {
        const sent = await this.relayOnce();
        failures = 0;
        if (sent === this.options.batchSize) continue;
      } catch (error) {
        failures += 1;
        this.logger.warn({ err: error, failures }, 'outbox relay failed; retrying');
        await sleep(Math.min(100 * 2 ** failures, 5_000));
        continue;
      }
      if (!this.pendingWake && this.running) await this.idleUntilWork();
      if (this.running && this.options.coalesceMs > 0) await sleep(this.options.coalesceMs);
    }
  }

  /**
   * Waits for a wake-up, or for a poll that finds a row. A poll is one statement that looks for
   * the oldest row, instead of the relay's transaction, lock and read: an idle service polls
   * all day long, and the rows it finds are the rare ones (another instance's, or left by a crash).
   */
  private async idleUntilWork(): Promise<void> {
    while (this.running && !this.pendingWake) {
      if (await this.idle()) return;
      try {
        // By the position index: the table is all inserts and deletes, and until vacuum has been
        // by, a scan of its heap would read every row relayed since.
        const oldest: unknown[] = await this.dataSource.query('SELECT position FROM outbox_message ORDER BY position LIMIT 1');
        if (oldest.length > 0) return;
      } catch {
        // The relay's own attempt reports the failure and backs off.
        return;
      }
    }
  }

  /** True when woken, false when the poll interval passed. */
  private idle(): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => done(false), this.options.pollIntervalMs);
      const wakeUp = (): void => done(true);
      this.wakeUp = wakeUp;
      function done(woken: boolean): void {
        clearTimeout(timer);
        resolve(woken);
      }
    }).finally(() => {
      this.wakeUp = undefined;
    });
  }
}
