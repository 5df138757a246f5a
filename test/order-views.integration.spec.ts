/**
 * What the gateway answers from its read model, beside what orders answers: "My orders" filtered
 * by the shopper's status, the flags (after-sales among them), and the live status stream of one
 * order (server-sent events). The gateway and orders run on real Kafka and PostgreSQL; shoppers
 * place and cancel through the gateway, and the part of payments, logistics and after-sales is
 * played by their events, sent as they send them.
 */

import { randomUUID } from 'node:crypto';
import { orThrow } from '@mallard/client';
import { afterSalesApproved, afterSalesRefunded, afterSalesRequested, type OrderStatusEventResponse } from '@mallard/contracts';
import { dropDatabase, eventually, queryDatabase, startTestService, type TestService, uniqueSuffix } from '@mallard/testing';
import { Client } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokens } from '../apps/gateway/src/auth/access-token.js';
import { DEV_JWT_SECRET } from '../apps/gateway/src/auth/jwt-secret.js';
import { gatewayService } from '../apps/gateway/src/service.js';
import { OrderEvents } from '../apps/gateway/src/testing/read-model-test-kit.js';
import { ordersService } from '../apps/orders/src/service.js';
import { catalogSku, seedCatalog } from '../apps/orders/src/testing/orders-test-kit.js';
import { contractCheckedClient, fetchInContract } from './api-contract.js';

const run = uniqueSuffix();
const TEA = `tea-${run}`;
const tokens = new AccessTokens({ secret: DEV_JWT_SECRET, issuer: 'mallard' });
const tokenOf = (buyer: string) => tokens.sign({ sub: buyer, roles: ['shopper'], ttlSeconds: 3600 });
const ALICE = `alice-${run}`;
const BOB = `bob-${run}`;
const receiver = { name: 'Li Lei', phone: '+8613800000000', address: { country: 'CN', city: 'Hangzhou', street: '1 Lake Road' } };

interface StreamEvent {
  id: string;
  event: string;
  data: OrderStatusEventResponse;
}

/**
 * A status stream read as a browser's EventSource would: events by blank lines, comments counted.
 * Each stream is one connection of its own (an undici Client), so closing it closes exactly that.
 */
class StatusStream {
  private buffer = '';
  private readonly decoder = new TextDecoder();
  private pending?: Promise<IteratorResult<Buffer>>;
  private ended = false;
  comments = 0;
  retry?: number;

  private constructor(
    readonly headers: Record<string, string | string[] | undefined>,
    private readonly chunks: AsyncIterator<Buffer>,
    private readonly client: Client,
  ) {}

  /** Opens a stream; any answer but 200 is read whole and handed back with its status. */
  static async request(
    url: string,
    token: string,
    lastEventId?: string,
  ): Promise<{ status: number; stream?: StatusStream; body?: string }> {
    const { origin, pathname } = new URL(url);
    const client = new Client(origin);
    const answer = await client.request({
      method: 'GET',
      path: pathname,
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    });
    if (answer.statusCode !== 200) {
      const body = await answer.body.text();
      await client.close();
      return { status: answer.statusCode, body };
    }
    return { status: 200, stream: new StatusStream(answer.headers, answer.body[Symbol.asyncIterator](), client) };
  }

  static async open(url: string, token: string, lastEventId?: string): Promise<StatusStream> {
    const answer = await StatusStream.request(url, token, lastEventId);
    expect(answer.status, answer.body).toBe(200);
    return answer.stream!;
  }

  /** The next event, or a failure naming what came instead within the time. */
  async next(timeoutMs = 15_000): Promise<StreamEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = this.takeEvent();
      if (event) return event;
      if (this.ended) throw new Error('the stream ended');
      if (!(await this.read(deadline))) throw new Error(`no event within ${timeoutMs} ms; unread: ${JSON.stringify(this.buffer)}`);
    }
  }

  /** Reads until the server ends the stream; fails if it does not within the time. */
  async untilEnded(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) if (!(await this.read(deadline))) throw new Error(`the stream did not end within ${timeoutMs} ms`);
  }

  async close(): Promise<void> {
    await this.client.destroy();
  }

  /** One chunk, or false when the deadline passed first (the read stays pending for the next call). */
  private async read(deadline: number): Promise<boolean> {
    this.pending ??= this.chunks.next();
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      this.pending,
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
      }),
    ]);
    clearTimeout(timer);
    if (outcome === 'timeout') return false;
    this.pending = undefined;
    if (outcome.done) this.ended = true;
    else this.buffer += this.decoder.decode(outcome.value, { stream: true });
    return true;
  }

  private takeEvent(): StreamEvent | undefined {
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end < 0) return undefined;
      const block = this.buffer.slice(0, end).split('\n');
      this.buffer = this.buffer.slice(end + 2);
      if (block.every((line) => line.startsWith(':'))) {
        this.comments += 1;
        continue;
      }
      const fields = Object.fromEntries(block.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]));
      if (fields.retry !== undefined) this.retry = Number(fields.retry);
      if (fields.data === undefined) continue;
      return { id: fields.id, event: fields.event, data: JSON.parse(fields.data) as OrderStatusEventResponse };
    }
  }
}

/** "0.7" → [0, 7], to compare positions. */
const position = (id: string) => id.split('.').map(Number);
const isLater = (later: string, earlier: string) => {
  const [a, b] = [position(later), position(earlier)];
  return a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
};

describe('the gateway’s order views: "My orders" by status, and the live status stream', () => {
  let orders: TestService;
  let gateway: TestService;
  let gatewayStopped = false;
  const alice = () => contractCheckedClient(gateway.url, tokenOf(ALICE));
  const bob = () => contractCheckedClient(gateway.url, tokenOf(BOB));
  const streamUrl = (orderId: string) => `${gateway.url}/api/v1/orders/${orderId}/status-stream`;

  const place = async (client: ReturnType<typeof alice>, quantity: number): Promise<string> => {
    const order = await eventually(
      () => client.POST('/api/v1/orders', { body: { lines: [{ skuId: TEA, quantity }], receiver, paymentMethod: 'ONLINE' } }),
      (answer) => answer.response.status === 201,
    ).then(orThrow);
    return order.id;
  };
  const statusOf = async (orderId: string) =>
    orThrow(await alice().GET('/api/v1/orders/{id}', { params: { path: { id: orderId } } })).status;

  beforeAll(async () => {
    orders = await startTestService(ordersService, { PAYMENT_WINDOW_SECONDS: '3600' });
    await seedCatalog(orders, [catalogSku(TEA, { name: 'Tea', priceMinor: 3000 })]);
    gateway = await startTestService(gatewayService, {
      ORDERS_URL: orders.url,
      RATE_LIMIT_PER_MINUTE: '0',
      STATUS_STREAMS_PER_BUYER: '2',
      STATUS_STREAM_POLL_INTERVAL_MS: '200',
      STATUS_STREAM_KEEPALIVE_MS: '700',
    });
  });

  afterAll(async () => {
    if (!gatewayStopped) await gateway?.stop();
    await orders?.stop();
    for (const service of [gateway, orders]) if (service) await dropDatabase(service.databaseName);
  });

  it('lists my orders in one shopper status from the read model, newest first, paged like the unfiltered list', async () => {
    const shipped = await place(alice(), 3);
    const cancelled = await place(alice(), 1);
    const olderPending = await place(alice(), 1);
    const newerPending = await place(alice(), 2);
    await place(bob(), 1);
    orThrow(await alice().POST('/api/v1/orders/{id}/cancel', { params: { path: { id: cancelled } } }));
    const shipping = new OrderEvents(ALICE, shipped);
    await shipping.paid();
    await shipping.split(1);
    await shipping.subOrder(0, 'SHIPPED', 1);
    await eventually(
      () => statusOf(shipped),
      (status) => status === 'SHIPPED',
    );
    await eventually(
      () => statusOf(cancelled),
      (status) => status === 'CLOSED',
    );

    const byStatus = async (status: 'SHIPPED' | 'CLOSED' | 'PENDING_PAYMENT', page = 1, pageSize = 20) =>
      orThrow(await alice().GET('/api/v1/orders', { params: { query: { status, page, pageSize } } }));
    expect(await byStatus('SHIPPED')).toEqual({
      items: [
        {
          id: shipped,
          status: 'SHIPPED',
          flags: { interception: 'NONE', refunded: 'NONE', exception: false, afterSales: false },
          state: 'SPLIT',
          stateReason: null,
          currency: 'CNY',
          payable: expect.any(Number),
          itemCount: 3,
          placedAt: expect.any(String),
        },
      ],
      page: 1,
      pageSize: 20,
      total: 1,
    });
    expect((await byStatus('CLOSED')).items.map((item) => [item.id, item.state, item.stateReason])).toEqual([
      [cancelled, 'CANCELLED', 'SHOPPER_CANCELLED'],
    ]);
    // Bob's unpaid order is his: only Alice's two, newest first, one a page.
    const first = await byStatus('PENDING_PAYMENT', 1, 1);
    const second = await byStatus('PENDING_PAYMENT', 2, 1);
    expect([first.total, first.items.map((item) => item.id), second.items.map((item) => item.id)]).toEqual([
      2,
      [newerPending],
      [olderPending],
    ]);
    expect((await byStatus('PENDING_PAYMENT', 3, 1)).items).toEqual([]);

    // Without a status the list is orders' own, as before: every order of hers, each with its status.
    const everything = orThrow(await alice().GET('/api/v1/orders'));
    expect(everything.total).toBe(4);
    expect(everything.items.find((item) => item.id === shipped)).toMatchObject({ status: 'SHIPPED', itemCount: 3, currency: 'CNY' });

    // A row from before the read model kept what a list shows is completed from orders.
    await queryDatabase(gateway.databaseName, 'UPDATE order_view SET currency = NULL, item_count = NULL WHERE order_id = $1', [shipped]);
    expect((await byStatus('SHIPPED')).items[0]).toMatchObject({ id: shipped, currency: 'CNY', itemCount: 3, status: 'SHIPPED' });

    const refused = await fetchInContract(`${gateway.url}/api/v1/orders?status=LOST`, {
      headers: { authorization: `Bearer ${tokenOf(ALICE)}` },
    });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await refused.json()) as { type: string }).type).toBe('https://mallard.dev/problems/validation-failed');
  });

  it('raises afterSales while a request of the order is open, keeps each request’s newest step, and counts its refund like any other', async () => {
    const orderId = await place(alice(), 2);
    const order = new OrderEvents(ALICE, orderId);
    await order.paid();
    await order.split(1);
    await order.subOrder(0, 'SHIPPED', 1);
    await order.parcel('only', 0, 'DELIVERED', 2);
    const read = async () => orThrow(await alice().GET('/api/v1/orders/{id}', { params: { path: { id: orderId } } }));
    expect(await eventually(read, (answer) => answer.status === 'DELIVERED')).toMatchObject({ flags: { afterSales: false } });

    const request = randomUUID();
    await order.afterSales(afterSalesRequested, request, 'REQUESTED', 1);
    expect(await eventually(read, (answer) => answer.flags.afterSales)).toMatchObject({
      status: 'DELIVERED',
      flags: { afterSales: true, refunded: 'NONE' },
    });
    const delivered = orThrow(await alice().GET('/api/v1/orders', { params: { query: { status: 'DELIVERED' } } }));
    expect(delivered.items.find((item) => item.id === orderId)?.flags.afterSales).toBe(true);

    // Payments gives the request's refund back as any other: its refundId and reason are after-sales'.
    await order.refunded(1000, `after-sales:${request}`, 'AFTER_SALES');
    await order.afterSales(afterSalesRefunded, request, 'REFUNDED', 3);
    const refunded = await eventually(read, (answer) => !answer.flags.afterSales && answer.flags.refunded === 'PARTIAL');
    expect(refunded).toMatchObject({
      status: 'DELIVERED',
      flags: { interception: 'NONE', refunded: 'PARTIAL', exception: false, afterSales: false },
    });

    // A step older than the one kept changes nothing; a second request opens the order again.
    await order.afterSales(afterSalesApproved, request, 'APPROVED', 2);
    const second = randomUUID();
    await order.afterSales(afterSalesRequested, second, 'REQUESTED', 1);
    expect(await eventually(read, (answer) => answer.flags.afterSales)).toMatchObject({ flags: { afterSales: true } });
    const kept = await queryDatabase(
      gateway.databaseName,
      'SELECT request_id, state, type, version FROM after_sales_view WHERE order_id = $1',
      [orderId],
    );
    expect(kept).toEqual(
      expect.arrayContaining([
        { request_id: request, state: 'REFUNDED', type: 'RETURN_AND_REFUND', version: 3 },
        { request_id: second, state: 'REQUESTED', type: 'RETURN_AND_REFUND', version: 1 },
      ]),
    );
    expect(kept).toHaveLength(2);
  });

  it('streams an order’s status and flags as they change, to its buyer only, resuming after the last event seen', async () => {
    const orderId = await place(alice(), 2);
    const order = new OrderEvents(ALICE, orderId);
    await order.paid();
    await eventually(
      () => statusOf(orderId),
      (status) => status === 'PAID',
    );

    // Another buyer is told what GET /api/v1/orders/{id} tells them: no such order.
    const othersOrder = await bob().GET('/api/v1/orders/{id}', { params: { path: { id: orderId } } });
    const othersStream = await fetchInContract(streamUrl(orderId), { headers: { authorization: `Bearer ${tokenOf(BOB)}` } });
    expect([othersStream.status, othersStream.headers.get('content-type')]).toEqual([
      404,
      expect.stringMatching(/^application\/problem\+json/),
    ]);
    expect(((await othersStream.json()) as { type: string }).type).toBe(othersOrder.error?.type);
    expect(othersOrder.response.status).toBe(404);

    const stream = await StatusStream.open(streamUrl(orderId), tokenOf(ALICE));
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.headers['x-correlation-id']).toBeTruthy();
    const seen: StreamEvent[] = [await stream.next()];
    expect(seen[0]).toMatchObject({ event: 'status', data: { orderId, status: 'PAID', flags: { exception: false } } });
    expect(stream.retry).toBe(3000);

    // One step at a time, each awaited on the stream; the split and the parcel in transit change nothing a shopper sees.
    const step = async (send: () => Promise<unknown>) => {
      await send();
      seen.push(await stream.next());
    };
    await order.split(2);
    await step(() => order.subOrder(0, 'SHIPPED', 1));
    await step(() => order.subOrder(1, 'SHIPPED', 1));
    await order.parcel('a', 0, 'IN_TRANSIT', 1);
    await step(() => order.parcel('b', 1, 'EXCEPTION', 1));
    await step(() => order.parcel('a', 0, 'DELIVERED', 2));
    expect(seen.map((event) => [event.data.status, event.data.flags.exception])).toEqual([
      ['PAID', false],
      ['PARTIALLY_SHIPPED', false],
      ['SHIPPED', false],
      ['SHIPPED', true],
      ['PARTIALLY_DELIVERED', true],
    ]);
    for (let index = 1; index < seen.length; index += 1) expect(isLater(seen[index].id, seen[index - 1].id), seen[index].id).toBe(true);

    // A change another gateway instance committed reaches no listener here: the poll finds it.
    await queryDatabase(
      gateway.databaseName,
      `UPDATE order_view SET refunded_flag = 'PARTIAL', status_version = status_version + 1 WHERE order_id = $1`,
      [orderId],
    );
    const polled = await stream.next(5_000);
    expect(polled.data).toMatchObject({ status: 'PARTIALLY_DELIVERED', flags: { refunded: 'PARTIAL' } });
    expect(isLater(polled.id, seen.at(-1)!.id)).toBe(true);

    // Quiet for a while: comment lines keep proxies from closing the connection.
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    await expect(stream.next(50)).rejects.toThrow(/no event/);
    expect(stream.comments).toBeGreaterThan(0);
    await stream.close();

    // Reconnecting with the last id: nothing already seen comes again, the next change does.
    const resumed = await StatusStream.open(streamUrl(orderId), tokenOf(ALICE), polled.id);
    await order.parcel('b', 1, 'DELIVERED', 2);
    const next = await resumed.next();
    expect(next.data).toMatchObject({ status: 'DELIVERED', flags: { exception: false } });
    expect(isLater(next.id, polled.id)).toBe(true);

    // An id the stream cannot place (a garbled one) gets the current status at once.
    const fresh = await StatusStream.open(streamUrl(orderId), tokenOf(ALICE), 'garbled');
    expect((await fresh.next()).id).toBe(next.id);

    // Two streams are Alice's limit here; closing one frees its place.
    const third = await fetchInContract(streamUrl(orderId), { headers: { authorization: `Bearer ${tokenOf(ALICE)}` } });
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('5');
    expect((await third.json()) as { type: string; limit: number }).toMatchObject({
      type: 'https://mallard.dev/problems/too-many-status-streams',
      limit: 2,
    });
    await fresh.close();
    const reopened = await eventually(
      async () => {
        const answer = await StatusStream.request(streamUrl(orderId), tokenOf(ALICE));
        await answer.stream?.close();
        return answer.status;
      },
      (status) => status === 200,
      { timeoutMs: 5_000 },
    );
    expect(reopened).toBe(200);

    // HEAD answers what GET would, and keeps nothing open.
    const head = new Client(new URL(gateway.url).origin);
    const headAnswer = await head.request({
      method: 'HEAD',
      path: new URL(streamUrl(orderId)).pathname,
      headers: { authorization: `Bearer ${tokenOf(ALICE)}` },
    });
    await headAnswer.body.dump();
    await head.close();
    expect([headAnswer.statusCode, headAnswer.headers['content-type']]).toEqual([200, expect.stringMatching(/^text\/event-stream/)]);

    // Stopping the gateway ends its streams instead of waiting for them.
    const stopping = Date.now();
    await gateway.stop();
    gatewayStopped = true;
    await resumed.untilEnded();
    expect(Date.now() - stopping).toBeLessThan(10_000);
  });
});
