import { ProblemException } from '@mallard/platform';
import { Registry } from 'prom-client';
import type { DataSource, EntitySubscriberInterface } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { ReadModelQueries, StatusAtVersion } from '../read-model/read-model.queries.js';
import type { ShopperStatus } from '../read-model/shopper-status.js';
import { StatusChanges } from '../read-model/status-changes.js';
import { KEEP_ALIVE } from './server-sent-events.js';
import { StatusStreamService, type StreamSink } from './status-stream.service.js';

const ORDER = '0b8e6f1c-4a1d-4c53-9a57-2f0d5f4c7e21';
const FLAGS = { interception: 'NONE', refunded: 'NONE', exception: false, afterSales: false } as const;
const status = (name: ShopperStatus['status'], version: number): StatusAtVersion => ({ status: name, flags: FLAGS, version });

/** The read model as the streams read it: rows set by the test, reads that may be held back. */
class ReadModelRows {
  generation = 0;
  readonly rows = new Map<string, StatusAtVersion>();
  readonly reads: string[][] = [];
  private held: (() => void)[] = [];
  holdReads = false;

  async streamPositionsOf(orderIds: readonly string[]) {
    this.reads.push([...orderIds]);
    // What the read saw is fixed when it ran, whenever it comes back.
    const answer = {
      generation: this.generation,
      orders: new Map(orderIds.flatMap((id) => (this.rows.has(id) ? [[id, this.rows.get(id)!] as const] : []))),
    };
    if (this.holdReads) await new Promise<void>((resolve) => this.held.push(resolve));
    return answer;
  }

  releaseReads(): void {
    for (const release of this.held.splice(0)) release();
  }
}

class FakeSink implements StreamSink {
  readonly chunks: string[] = [];
  ended = false;
  private closeListener?: () => void;
  write(chunk: string): void {
    this.chunks.push(chunk);
  }
  end(): void {
    this.ended = true;
  }
  onClose(listener: () => void): void {
    this.closeListener = listener;
  }
  /** The client went away. */
  disconnect(): void {
    this.closeListener?.();
  }
  /** The events sent, as [id, status]. */
  events(): [string, string][] {
    return this.chunks
      .filter((chunk) => chunk.startsWith('id: '))
      .map((chunk) => {
        const [id, , data] = chunk.split('\n');
        return [id.slice(4), (JSON.parse(data.slice(6)) as { status: string }).status];
      });
  }
}

describe('StatusStreamService', () => {
  let rows: ReadModelRows;
  let changes: StatusChanges;
  let streams: StatusStreamService;
  const config = { STATUS_STREAMS_PER_BUYER: 2, STATUS_STREAM_KEEPALIVE_MS: 15_000 } as GatewayConfig;
  const fallback: ShopperStatus = { status: 'PENDING_PAYMENT', flags: FLAGS };
  const open = async (buyerId = 'alice', lastEventId?: string) => {
    const sink = new FakeSink();
    await streams.start({ orderId: ORDER, buyerId, lastEventId, fallback }, () => sink);
    return sink;
  };
  /** What a committed change of the order does: the read model's row moves, then its listeners hear of it. */
  const change = async (next: StatusAtVersion) => {
    rows.rows.set(ORDER, next);
    changes.changed({ queryRunner: undefined } as never, ORDER);
    await vi.waitFor(() => expect(rows.reads.at(-1)).toEqual([ORDER]));
    await new Promise((resolve) => setImmediate(resolve));
  };

  beforeEach(() => {
    rows = new ReadModelRows();
    const dataSource = { subscribers: [] as EntitySubscriberInterface[] };
    changes = new StatusChanges(dataSource as unknown as DataSource);
    changes.onModuleInit();
    streams = new StatusStreamService(rows as unknown as ReadModelQueries, changes, config, new Registry());
  });

  afterEach(() => {
    streams.beforeApplicationShutdown();
    vi.useRealTimers();
  });

  it('sends the reconnect delay, then the current status as the first event, then each committed change', async () => {
    rows.rows.set(ORDER, status('PAID', 3));
    const sink = await open();
    expect(sink.chunks[0]).toBe('retry: 3000\n\n');
    expect(sink.events()).toEqual([['0.3', 'PAID']]);
    await change(status('PARTIALLY_SHIPPED', 4));
    await change(status('SHIPPED', 5));
    expect(sink.events()).toEqual([
      ['0.3', 'PAID'],
      ['0.4', 'PARTIALLY_SHIPPED'],
      ['0.5', 'SHIPPED'],
    ]);
  });

  it('sends nothing the client has seen (Last-Event-ID), and the current status when its id is of an older generation', async () => {
    rows.rows.set(ORDER, status('SHIPPED', 5));
    expect((await open('alice', '0.5')).events()).toEqual([]);
    rows.generation = 1;
    rows.rows.set(ORDER, status('SHIPPED', 2));
    expect((await open('bob', '0.5')).events()).toEqual([['1.2', 'SHIPPED']]);
  });

  it('sends the status of orders’ own state while the read model has no row, then the row once it has one', async () => {
    const sink = await open();
    expect(sink.events()).toEqual([['0.0', 'PENDING_PAYMENT']]);
    await change(status('PAID', 1));
    expect(sink.events().at(-1)).toEqual(['0.1', 'PAID']);
  });

  it('never sends an older status after a newer one, however two reads cross', async () => {
    rows.rows.set(ORDER, status('PAID', 1));
    const sink = await open();
    // A read (the poll's) sees version 2 and is slow; a change to version 3 is read and sent meanwhile.
    rows.rows.set(ORDER, status('PARTIALLY_SHIPPED', 2));
    rows.holdReads = true;
    const slowPoll = streams.refreshWatched(100);
    rows.holdReads = false;
    await change(status('SHIPPED', 3));
    rows.releaseReads();
    expect(await slowPoll).toBe(0);
    expect(sink.events()).toEqual([
      ['0.1', 'PAID'],
      ['0.3', 'SHIPPED'],
    ]);
  });

  it('finds changes another instance committed by re-reading the watched orders, so many to a query', async () => {
    rows.rows.set(ORDER, status('PAID', 1));
    const sink = await open();
    const other = '11111111-2222-4333-8444-555555555555';
    rows.rows.set(other, status('SHIPPED', 7));
    await streams.start({ orderId: other, buyerId: 'bob', fallback }, () => new FakeSink());
    expect(await streams.refreshWatched(1)).toBe(0);
    expect(rows.reads.slice(-2)).toEqual([[ORDER], [other]]);
    rows.rows.set(ORDER, status('PARTIALLY_SHIPPED', 2));
    expect(await streams.refreshWatched(10)).toBe(1);
    expect(rows.reads.at(-1)).toEqual([ORDER, other]);
    expect(sink.events().at(-1)).toEqual(['0.2', 'PARTIALLY_SHIPPED']);
  });

  it('refuses a buyer’s stream beyond the limit with 429 before writing anything, and frees the place when a client leaves', async () => {
    const first = await open();
    await open();
    const begin = vi.fn(() => new FakeSink());
    const refused = await streams.start({ orderId: ORDER, buyerId: 'alice', fallback }, begin).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ProblemException);
    expect((refused as ProblemException).getStatus()).toBe(429);
    expect(begin).not.toHaveBeenCalled();
    expect(streams.openStreams('alice')).toBe(2);
    await open('bob');

    first.disconnect();
    expect(first.ended).toBe(true);
    expect(streams.openStreams('alice')).toBe(1);
    await open();
    expect(streams.openStreams()).toBe(3);
  });

  it('writes a keep-alive comment after a quiet period, counted from the last write', async () => {
    // Only the keep-alive's timer: the reads and waits of the test run on the real ones.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    rows.rows.set(ORDER, status('PAID', 1));
    const sink = await open();
    await vi.advanceTimersByTimeAsync(14_000);
    await change(status('SHIPPED', 2));
    await vi.advanceTimersByTimeAsync(14_000);
    expect(sink.chunks).not.toContain(KEEP_ALIVE);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sink.chunks.filter((chunk) => chunk === KEEP_ALIVE)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(sink.chunks.filter((chunk) => chunk === KEEP_ALIVE)).toHaveLength(2);
  });

  it('ends every stream at shutdown and opens none after, so the server has nothing to wait for', async () => {
    const sinks = [await open('alice'), await open('bob')];
    streams.beforeApplicationShutdown();
    expect(sinks.map((sink) => sink.ended)).toEqual([true, true]);
    expect(streams.openStreams()).toBe(0);
    const refused = await streams
      .start({ orderId: ORDER, buyerId: 'carol', fallback }, () => new FakeSink())
      .catch((error: unknown) => error);
    expect((refused as ProblemException).getStatus()).toBe(503);
  });
});
