import type { OrderStatusEventResponse } from '@mallard/contracts';
import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { GatewayConfig } from '../config/gateway-config.js';
import { ReadModelQueries } from '../read-model/read-model.queries.js';
import type { ShopperStatus } from '../read-model/shopper-status.js';
import { StatusChanges } from '../read-model/status-changes.js';
import {
  eventIdOf,
  isNewer,
  KEEP_ALIVE,
  positionOfEventId,
  reconnectDelay,
  type StatusPosition,
  serverSentEvent,
} from './server-sent-events.js';
import { statusStreamProblems } from './status-stream.problems.js';

/** Where a stream's events go: the HTTP response, reduced to what a stream needs of it. */
export interface StreamSink {
  write(chunk: string): void;
  end(): void;
  /** Calls `listener` once the client is gone (or at once if it already is). */
  onClose(listener: () => void): void;
}

export interface StreamRequest {
  orderId: string;
  buyerId: string;
  /** The client's Last-Event-ID: the position it has seen, whose status it is not sent again. */
  lastEventId?: string;
  /** The status the order's own state gives, sent while the read model has not rolled the order up. */
  fallback: ShopperStatus;
}

interface OpenStream {
  readonly orderId: string;
  readonly buyerId: string;
  readonly sink: StreamSink;
  /** The newest position sent on this stream, or the one the client said it had seen. */
  seen: StatusPosition | null;
  keepAlive?: NodeJS.Timeout;
  closed: boolean;
}

/** How long a client waits before reconnecting after its stream ended (the SSE `retry:` field). */
const RECONNECT_DELAY_MS = 3000;

/**
 * The open status streams of this gateway instance. A stream is pushed its order's status and
 * flags whenever they move to a newer position: at once when this instance's read model commits
 * a change (StatusChanges), or when the poll worker re-reads the watched orders and finds a change
 * another instance wrote. Either way the stream re-reads the committed row and sends it only if
 * it is newer than what it sent last, so two reads that cross never send an older status after a
 * newer one, and a client reconnecting with Last-Event-ID is not sent what it has.
 */
@Injectable()
export class StatusStreamService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(StatusStreamService.name);
  private readonly byOrder = new Map<string, Set<OpenStream>>();
  private readonly stopListening = new Map<string, () => void>();
  private readonly perBuyer = new Map<string, number>();
  private closing = false;

  constructor(
    private readonly readModel: ReadModelQueries,
    private readonly statusChanges: StatusChanges,
    private readonly config: GatewayConfig,
    metrics: Registry,
  ) {
    const byOrder = this.byOrder;
    new Gauge({
      name: 'gateway_status_streams_open',
      help: 'Status streams open on this gateway instance',
      registers: [metrics],
      collect() {
        this.set([...byOrder.values()].reduce((open, streams) => open + streams.size, 0));
      },
    });
  }

  /**
   * Opens a stream once the caller is known to own the order: refuses (problem+json, before any
   * byte is written) when this instance is shutting down or the buyer has as many streams as
   * allowed, then calls `begin` for the response and sends the current status as the first event.
   */
  async start(request: StreamRequest, begin: () => StreamSink): Promise<void> {
    if (this.closing) throw statusStreamProblems.closing();
    const open = this.perBuyer.get(request.buyerId) ?? 0;
    if (open >= this.config.STATUS_STREAMS_PER_BUYER) throw statusStreamProblems.tooManyStreams(this.config.STATUS_STREAMS_PER_BUYER);
    // From here to the registration nothing awaits, so two requests cannot both take the last slot.
    const stream: OpenStream = {
      orderId: request.orderId,
      buyerId: request.buyerId,
      sink: begin(),
      seen: positionOfEventId(request.lastEventId),
      closed: false,
    };
    this.perBuyer.set(request.buyerId, open + 1);
    this.watch(stream);
    stream.sink.onClose(() => this.close(stream));
    this.write(stream, reconnectDelay(RECONNECT_DELAY_MS));
    try {
      // Watched before this read: a change committed meanwhile is pushed by its own re-read.
      const { generation, orders } = await this.readModel.streamPositionsOf([request.orderId]);
      const current = orders.get(request.orderId);
      this.push(stream, { generation, version: current?.version ?? 0 }, current ?? request.fallback);
    } catch (error) {
      this.logger.warn({ err: error, orderId: request.orderId, msg: 'could not read the status for a new stream; closing it' });
      this.close(stream);
    }
  }

  /**
   * Re-reads every watched order, `batchSize` orders per query, and pushes what moved. Returns
   * how many streams got a newer status this way.
   */
  async refreshWatched(batchSize: number): Promise<number> {
    const watched = [...this.byOrder.keys()];
    let pushed = 0;
    for (let start = 0; start < watched.length && !this.closing; start += batchSize) {
      pushed += await this.refresh(watched.slice(start, start + batchSize));
    }
    return pushed;
  }

  /** Streams open now, for one buyer or in all. */
  openStreams(buyerId?: string): number {
    if (buyerId !== undefined) return this.perBuyer.get(buyerId) ?? 0;
    return [...this.perBuyer.values()].reduce((open, count) => open + count, 0);
  }

  /** Ends every stream before the HTTP server closes, which would otherwise wait for them for ever. */
  beforeApplicationShutdown(): void {
    this.closing = true;
    for (const streams of [...this.byOrder.values()]) for (const stream of [...streams]) this.close(stream);
  }

  private async refresh(orderIds: string[]): Promise<number> {
    const { generation, orders } = await this.readModel.streamPositionsOf(orderIds);
    let pushed = 0;
    for (const orderId of orderIds) {
      const current = orders.get(orderId);
      if (!current) continue;
      for (const stream of this.byOrder.get(orderId) ?? []) {
        if (this.push(stream, { generation, version: current.version }, current)) pushed += 1;
      }
    }
    return pushed;
  }

  /** Sends the status if its position is newer than what the stream has; says whether it did. */
  private push(stream: OpenStream, position: StatusPosition, current: ShopperStatus): boolean {
    if (stream.closed || !isNewer(position, stream.seen)) return false;
    stream.seen = position;
    const data: OrderStatusEventResponse = { orderId: stream.orderId, status: current.status, flags: current.flags };
    this.write(stream, serverSentEvent(eventIdOf(position), 'status', data));
    return true;
  }

  /** Writes, and schedules the next keep-alive for a full period after this write. */
  private write(stream: OpenStream, chunk: string): void {
    if (stream.closed) return;
    clearTimeout(stream.keepAlive);
    try {
      stream.sink.write(chunk);
    } catch (error) {
      this.logger.debug({ err: error, orderId: stream.orderId, msg: 'status stream write failed; closing it' });
      this.close(stream);
      return;
    }
    stream.keepAlive = setTimeout(() => this.write(stream, KEEP_ALIVE), this.config.STATUS_STREAM_KEEPALIVE_MS);
    stream.keepAlive.unref();
  }

  private watch(stream: OpenStream): void {
    let streams = this.byOrder.get(stream.orderId);
    if (!streams) {
      streams = new Set();
      this.byOrder.set(stream.orderId, streams);
      // One listener per order, however many streams watch it: a change is read once for all.
      this.stopListening.set(
        stream.orderId,
        this.statusChanges.listen(stream.orderId, (orderId) => {
          this.refresh([orderId]).catch((error: unknown) =>
            this.logger.warn({ err: error, orderId, msg: 'could not read a changed status; the poll will' }),
          );
        }),
      );
    }
    streams.add(stream);
  }

  private close(stream: OpenStream): void {
    if (stream.closed) return;
    stream.closed = true;
    clearTimeout(stream.keepAlive);
    const streams = this.byOrder.get(stream.orderId);
    streams?.delete(stream);
    if (streams?.size === 0) {
      this.byOrder.delete(stream.orderId);
      this.stopListening.get(stream.orderId)?.();
      this.stopListening.delete(stream.orderId);
    }
    const open = (this.perBuyer.get(stream.buyerId) ?? 1) - 1;
    if (open > 0) this.perBuyer.set(stream.buyerId, open);
    else this.perBuyer.delete(stream.buyerId);
    try {
      stream.sink.end();
    } catch {
      // The connection is gone already: nothing left to end.
    }
  }
}
