import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { orderInterceptionRequested, orderSplitV2, Topics } from '@mallard/contracts';
import { ACTOR_HEADER, verifyTimestamped } from '@mallard/platform';
import {
  callService,
  dropDatabase,
  eventually,
  queryDatabase,
  readTopic,
  sendEvent,
  serviceFetch,
  startTestService,
  type TestService,
} from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PURCHASE_SIGNATURE_HEADER } from '../platform-purchases/platform-purchase.client.js';
import { PLATFORM_SIGNATURE_HEADER, signPlatformBody } from '../providers/platform/platform-webhook.js';
import { signWarehouseBody, WAREHOUSE_SIGNATURE_HEADER } from '../providers/warehouse/warehouse-webhook.js';
import { logisticsService } from '../service.js';
import { orderSplitOf } from '../testing/logistics-test-kit.js';

const PLATFORM_WEBHOOK_SECRET = `platform-${randomUUID()}`;
const WAREHOUSE_WEBHOOK_SECRET = `warehouse-${randomUUID()}`;
const PLATFORM_API_SECRET = `platform-api-${randomUUID()}`;

interface Purchase {
  purchaseRef: string;
  lines: { skuId: string; quantity: number }[];
}

/** The platform's purchase API as documented: checks the signature, answers 201, and 503 once when told to. */
function platformApi(): {
  server: Server;
  purchases: Purchase[];
  failNext: { count: number };
  refuseNext: { count: number };
  breakNext: { count: number };
} {
  const purchases: Purchase[] = [];
  const failNext = { count: 0 };
  const refuseNext = { count: 0 };
  const breakNext = { count: 0 };
  const server = createServer(async (request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const signed = verifyTimestamped(PLATFORM_API_SECRET, request.headers[PURCHASE_SIGNATURE_HEADER] as string, body, 300);
    if (request.method !== 'POST' || request.url !== '/api/purchases' || !signed.ok) {
      response.writeHead(401).end();
      return;
    }
    if (failNext.count > 0) {
      failNext.count -= 1;
      response.writeHead(503).end('busy');
      return;
    }
    if (breakNext.count > 0) {
      // Placed, but the answer is lost in a 500: we cannot know.
      breakNext.count -= 1;
      purchases.push(JSON.parse(body.toString('utf8')) as Purchase);
      response.writeHead(500).end('oops');
      return;
    }
    if (refuseNext.count > 0) {
      refuseNext.count -= 1;
      response.writeHead(422, { 'content-type': 'application/json' }).end('{"error":"sku unknown to the platform"}');
      return;
    }
    const purchase = JSON.parse(body.toString('utf8')) as Purchase;
    purchases.push(purchase);
    response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ platformRef: `PO-${purchases.length}` }));
  });
  return { server, purchases, failNext, refuseNext, breakNext };
}

describe('logistics: platform purchases, the platform’s and the warehouse system’s webhooks, on real Kafka and PostgreSQL', () => {
  let logistics: TestService;
  const api = platformApi();
  const staff = { [ACTOR_HEADER]: 'picker-1' };

  const post = async (provider: 'platform' | 'warehouse', body: object, secret: string) => {
    const raw = JSON.stringify(body);
    const header = provider === 'platform' ? PLATFORM_SIGNATURE_HEADER : WAREHOUSE_SIGNATURE_HEADER;
    const sign = provider === 'platform' ? signPlatformBody : signWarehouseBody;
    const response = await serviceFetch(`${logistics.url}/internal/webhooks/carriers/${provider}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [header]: sign(secret, raw) },
      body: raw,
    });
    return { status: response.status, outcome: response.headers.get('x-mallard-webhook-outcome') };
  };
  const subOrder = async (id: string) =>
    (await callService(logistics.url, 'GET', `/internal/sub-orders/${id}`)).body as {
      state: string;
      parcels: { id: string; state: string; trackingNumber: string | null; lines: { lineId: string; quantity: number }[] }[];
    };
  const takenOn = (id: string) =>
    eventually(
      () => queryDatabase(logistics.databaseName, 'SELECT 1 FROM sub_order WHERE id = $1', [id]),
      (rows) => rows.length === 1,
    );

  /** The shopper's cancel of a paid order, as orders sends it to logistics. */
  const askToStop = (split: { orderId: string; buyerId: string }) =>
    sendEvent(orderInterceptionRequested, split.orderId, {
      orderId: split.orderId,
      buyerId: split.buyerId,
      requestedAt: new Date().toISOString(),
    });
  /** The refusal logistics published for the order's sub-order, as data. */
  const refusalOf = async (orderId: string): Promise<unknown> => {
    const [refusal] = await readTopic(
      Topics.logistics,
      1,
      20_000,
      (record) => record.headers.ce_type === 'sub-order.interception-refused' && record.key === orderId,
    );
    return JSON.parse(refusal.value!);
  };

  beforeAll(async () => {
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    const { port } = api.server.address() as AddressInfo;
    logistics = await startTestService(logisticsService, {
      PLATFORM_WEBHOOK_SECRET,
      WAREHOUSE_WEBHOOK_SECRET,
      PLATFORM_API_URL: `http://127.0.0.1:${port}/api`,
      PLATFORM_API_SECRET,
      // Due at once, so the worker places purchases while the test watches.
      PLATFORM_PURCHASE_DELAY_SECONDS: '0',
      PLATFORM_PURCHASE_INTERVAL_MS: '200',
    });
  });

  afterAll(async () => {
    await logistics?.stop();
    if (logistics) await dropDatabase(logistics.databaseName);
    await new Promise((resolve) => api.server.close(resolve));
  });

  it('places a platform purchase once its window is over (retrying a busy platform), then takes the platform’s parcel and its refusal; a cancel now is refused', async () => {
    api.failNext.count = 1;
    const split = orderSplitOf([
      { warehouseId: 'silk-road', fulfilmentType: 'THIRD_PARTY_PLATFORM', lines: [{ skuId: 'silk', quantity: 2, merchandiseMinor: 4000 }] },
    ]);
    const [part] = split.subOrders;
    await sendEvent(orderSplitV2, split.orderId, split);
    await takenOn(part.subOrderId);
    // The first attempt met a 503: the purchase is placed on a later one, once, signed as documented.
    const placed = await eventually(
      () =>
        queryDatabase<{ state: string; attempts: number; platform_ref: string }>(
          logistics.databaseName,
          'SELECT state, attempts, platform_ref FROM platform_purchase WHERE sub_order_id = $1',
          [part.subOrderId],
        ),
      (rows) => rows[0]?.state === 'PLACED' || rows[0]?.attempts === 1,
      { timeoutMs: 10_000 },
    );
    expect(placed[0]).toMatchObject({ attempts: 1, state: 'PENDING' });
    // Backed off a minute: bring the retry forward rather than wait.
    await queryDatabase(logistics.databaseName, 'UPDATE platform_purchase SET due_at = now() WHERE sub_order_id = $1', [part.subOrderId]);
    await eventually(
      () =>
        queryDatabase<{ state: string }>(logistics.databaseName, 'SELECT state FROM platform_purchase WHERE sub_order_id = $1', [
          part.subOrderId,
        ]),
      (rows) => rows[0]?.state === 'PLACED',
      { timeoutMs: 10_000 },
    );
    expect(api.purchases).toEqual([
      expect.objectContaining({ purchaseRef: part.subOrderId, lines: [expect.objectContaining({ skuId: 'silk', quantity: 2 })] }),
    ]);

    // A cancel now is too late: the platform has it.
    await askToStop(split);
    expect(await refusalOf(split.orderId)).toMatchObject({
      subOrderId: part.subOrderId,
      reason: 'PURCHASED_FROM_PLATFORM',
      state: 'AWAITING_PICK',
    });

    const status = (id: string, status: string, at: string) => ({
      id,
      type: 'parcel.status',
      occurredAt: at,
      subOrderId: part.subOrderId,
      purchaseRef: 'PO-1',
      parcel: {
        ref: 'PP-1',
        carrier: 'shunfeng',
        trackingNumber: `SFP${part.subOrderId.slice(0, 8)}`,
        status,
        lines: [{ skuId: 'silk', quantity: 2 }],
      },
    });
    const shipped = status(`pev-${randomUUID()}`, 'AWAITING_RECEIPT', '2026-12-03T10:00:00+08:00');
    expect(await post('platform', shipped, PLATFORM_WEBHOOK_SECRET)).toEqual({ status: 200, outcome: 'APPLIED' });
    expect(await post('platform', shipped, PLATFORM_WEBHOOK_SECRET)).toEqual({ status: 200, outcome: 'DUPLICATE' });
    const afterShipping = await subOrder(part.subOrderId);
    expect(afterShipping.state).toBe('SHIPPED');
    expect(afterShipping.parcels).toEqual([
      expect.objectContaining({ state: 'IN_TRANSIT', lines: [{ lineId: part.lines[0].lineId, quantity: 2, skuId: 'silk' }] }),
    ]);
    // A forgery, and a signed report about units the sub-order does not have, change nothing.
    expect((await post('platform', status(`pev-${randomUUID()}`, 'REJECTED', '2026-12-03T11:00:00+08:00'), 'not-the-secret')).status).toBe(
      401,
    );
    const tooMany = status(`pev-${randomUUID()}`, 'AWAITING_RECEIPT', '2026-12-03T10:30:00+08:00');
    tooMany.parcel = { ...tooMany.parcel, trackingNumber: 'SFP-OTHER', lines: [{ skuId: 'silk', quantity: 1 }] };
    expect((await post('platform', tooMany, PLATFORM_WEBHOOK_SECRET)).status).toBe(400);
    expect((await subOrder(part.subOrderId)).parcels).toHaveLength(1);

    expect(await post('platform', status(`pev-${randomUUID()}`, 'REJECTED', '2026-12-03T12:00:00+08:00'), PLATFORM_WEBHOOK_SECRET)).toEqual(
      {
        status: 200,
        outcome: 'APPLIED',
      },
    );
    expect((await subOrder(part.subOrderId)).parcels[0].state).toBe('REJECTED');
  });

  it('gives up at once on a purchase the platform refuses, and says so for staff', async () => {
    api.refuseNext.count = 1;
    const split = orderSplitOf([
      {
        warehouseId: 'silk-road',
        fulfilmentType: 'THIRD_PARTY_PLATFORM',
        lines: [{ skuId: 'unknown-there', quantity: 1, merchandiseMinor: 900 }],
      },
    ]);
    const [part] = split.subOrders;
    await sendEvent(orderSplitV2, split.orderId, split);
    await takenOn(part.subOrderId);
    const [failure] = await readTopic(
      Topics.logistics,
      1,
      20_000,
      (record) => record.headers.ce_type === 'platform-purchase.failed' && record.key === split.orderId,
    );
    expect(JSON.parse(failure.value!)).toMatchObject({ subOrderId: part.subOrderId, attempts: 1, error: expect.stringContaining('422') });
    const [row] = await queryDatabase<{ state: string }>(
      logistics.databaseName,
      'SELECT state FROM platform_purchase WHERE sub_order_id = $1',
      [part.subOrderId],
    );
    expect(row.state).toBe('FAILED');
    // Nothing was bought: the shopper's cancel still stops it.
    await askToStop(split);
    await eventually(
      async () => (await subOrder(part.subOrderId)).state,
      (state) => state === 'CANCELLED',
    );
  });

  it('takes a purchase whose answer was lost as possibly placed: a cancel is then refused, never refunded while the platform ships', async () => {
    api.breakNext.count = 1;
    const split = orderSplitOf([
      { warehouseId: 'silk-road', fulfilmentType: 'THIRD_PARTY_PLATFORM', lines: [{ skuId: 'silk', quantity: 1, merchandiseMinor: 2000 }] },
    ]);
    const [part] = split.subOrders;
    await sendEvent(orderSplitV2, split.orderId, split);
    await takenOn(part.subOrderId);
    await eventually(
      () =>
        queryDatabase<{ maybe_placed: boolean }>(
          logistics.databaseName,
          'SELECT maybe_placed FROM platform_purchase WHERE sub_order_id = $1',
          [part.subOrderId],
        ),
      (rows) => rows[0]?.maybe_placed === true,
      { timeoutMs: 10_000 },
    );
    await askToStop(split);
    expect(await refusalOf(split.orderId)).toMatchObject({ subOrderId: part.subOrderId, reason: 'PURCHASED_FROM_PLATFORM' });
    expect((await subOrder(part.subOrderId)).state).toBe('AWAITING_PICK');
  });

  it('takes our warehouse system’s shipments: parcels packed through us by id, parcels it packed alone by SKU', async () => {
    const split = orderSplitOf([
      {
        warehouseId: 'wh-system',
        lines: [
          { skuId: 'kettle', quantity: 1, merchandiseMinor: 9000 },
          { skuId: 'mug', quantity: 2, merchandiseMinor: 3000 },
        ],
      },
    ]);
    const [part] = split.subOrders;
    await sendEvent(orderSplitV2, split.orderId, split);
    await takenOn(part.subOrderId);
    // Picked and packed through us: one parcel with the kettle; the warehouse ships it and a box of mugs it packed itself.
    await callService(logistics.url, 'POST', `/internal/sub-orders/${part.subOrderId}/pick`, {}, staff);
    const kettle = part.lines.find((line) => line.skuId === 'kettle')!;
    const mug = part.lines.find((line) => line.skuId === 'mug')!;
    const packed = await callService<{ parcels: { id: string }[] }>(
      logistics.url,
      'POST',
      `/internal/sub-orders/${part.subOrderId}/pack`,
      { parcels: [{ lines: [{ lineId: kettle.lineId, quantity: 1 }] }, { lines: [{ lineId: mug.lineId, quantity: 2 }] }] },
      staff,
    );
    const [kettleParcel, mugParcel] = packed.body.parcels.map((parcel) => parcel.id);
    const suffix = part.subOrderId.slice(0, 8);
    const firstReport = {
      id: `wev-${randomUUID()}`,
      type: 'shipped',
      occurredAt: new Date().toISOString(),
      subOrderId: part.subOrderId,
      parcels: [{ parcelId: kettleParcel, carrier: 'zto', trackingNumber: `ZTK${suffix}` }],
    };
    expect(await post('warehouse', firstReport, WAREHOUSE_WEBHOOK_SECRET)).toEqual({ status: 200, outcome: 'APPLIED' });
    expect((await subOrder(part.subOrderId)).state).toBe('PARTIALLY_SHIPPED');
    expect(await post('warehouse', firstReport, WAREHOUSE_WEBHOOK_SECRET)).toEqual({ status: 200, outcome: 'DUPLICATE' });
    const secondReport = {
      ...firstReport,
      id: `wev-${randomUUID()}`,
      parcels: [{ parcelId: mugParcel, carrier: 'yto', trackingNumber: `YTM${suffix}` }],
    };
    expect(await post('warehouse', secondReport, WAREHOUSE_WEBHOOK_SECRET)).toEqual({ status: 200, outcome: 'APPLIED' });
    const shipped = await subOrder(part.subOrderId);
    expect(shipped.state).toBe('SHIPPED');
    expect(shipped.parcels.map((parcel) => [parcel.trackingNumber, parcel.state]).sort()).toEqual([
      [`YTM${suffix}`, 'PICKED_UP'],
      [`ZTK${suffix}`, 'PICKED_UP'],
    ]);

    // A sub-order the warehouse picked and packed without us: it catches up, then ships.
    // The same SKU on two lines: the report's parcels fill them in turn.
    const alone = orderSplitOf([
      {
        warehouseId: 'wh-system',
        lines: [
          { skuId: 'mug', quantity: 1, merchandiseMinor: 1500 },
          { skuId: 'mug', quantity: 2, merchandiseMinor: 3000 },
        ],
      },
    ]);
    const [alonePart] = alone.subOrders;
    await sendEvent(orderSplitV2, alone.orderId, alone);
    await takenOn(alonePart.subOrderId);
    const packedAlone = {
      id: `wev-${randomUUID()}`,
      type: 'shipped',
      occurredAt: new Date().toISOString(),
      subOrderId: alonePart.subOrderId,
      parcels: [
        { carrier: 'zto', trackingNumber: `ZTA${alonePart.subOrderId.slice(0, 8)}`, lines: [{ skuId: 'mug', quantity: 2 }] },
        { carrier: 'zto', trackingNumber: `ZTB${alonePart.subOrderId.slice(0, 8)}`, lines: [{ skuId: 'mug', quantity: 1 }] },
      ],
    };
    expect(await post('warehouse', packedAlone, WAREHOUSE_WEBHOOK_SECRET)).toEqual({ status: 200, outcome: 'APPLIED' });
    const caughtUp = await callService<{ state: string; history: { to: string; actor: { kind: string } }[] }>(
      logistics.url,
      'GET',
      `/internal/sub-orders/${alonePart.subOrderId}`,
    );
    expect(caughtUp.body.history.map((change) => [change.to, change.actor.kind])).toEqual([
      ['AWAITING_PICK', 'SYSTEM'],
      ['PICKING', 'WAREHOUSE_SYSTEM'],
      ['PACKED', 'WAREHOUSE_SYSTEM'],
      ['SHIPPED', 'WAREHOUSE_SYSTEM'],
    ]);
    // A report about another sub-order's parcel is unusable.
    const foreign = { ...firstReport, id: `wev-${randomUUID()}`, subOrderId: alonePart.subOrderId };
    expect((await post('warehouse', foreign, WAREHOUSE_WEBHOOK_SECRET)).status).toBe(400);
  });
});
