import { randomUUID } from 'node:crypto';
import { orderSplitV2 } from '@mallard/contracts';
import { ACTOR_HEADER } from '@mallard/platform';
import {
  callService,
  dropDatabase,
  eventually,
  queryDatabase,
  sendEvent,
  serviceFetch,
  startTestService,
  type TestService,
} from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EASYPOST_SIGNATURE_HEADER, signEasyPostBody } from '../providers/easypost/easypost-webhook.js';
import { KUAIDI100_ACK } from '../providers/kuaidi100/kuaidi100-webhook.js';
import { logisticsService } from '../service.js';
import {
  afterShipUpdate,
  easyPostTrackerUpdated,
  kuaidi100Push,
  orderSplitOf,
  postAfterShip,
  postKuaidi100,
} from '../testing/logistics-test-kit.js';

const AFTERSHIP_SECRET = `aftership-${randomUUID()}`;
const KUAIDI100_SALT = `kuaidi100-${randomUUID()}`;
const EASYPOST_SECRET = `easypost-${randomUUID()}`;

type CarrierTracker = 'aftership' | 'kuaidi100' | 'easypost';
/** Three scans in each provider's words: picked up (the oldest), in transit, delivered. */
type Scan = 'PICKED_UP' | 'IN_TRANSIT' | 'DELIVERED';
const WORDS: Record<CarrierTracker, Record<Scan, string>> = {
  aftership: { PICKED_UP: 'InfoReceived', IN_TRANSIT: 'InTransit', DELIVERED: 'Delivered' },
  kuaidi100: { PICKED_UP: '1', IN_TRANSIT: '0', DELIVERED: '3' },
  easypost: { PICKED_UP: 'pre_transit', IN_TRANSIT: 'in_transit', DELIVERED: 'delivered' },
};
const CARRIER_OF: Record<CarrierTracker, string> = { aftership: 'sf-express', kuaidi100: 'sf-express', easypost: 'ups' };

/** China time without an offset, as Kuaidi100 writes it. */
const chinaTime = (at: Date): string => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

describe('logistics: carriers’ tracking webhooks, on real Kafka and PostgreSQL', () => {
  let logistics: TestService;
  const staff = { [ACTOR_HEADER]: 'picker-1' };

  const afterShip = (body: object, secret = AFTERSHIP_SECRET) => postAfterShip(logistics.url, body, secret);
  const kuaidi100 = (param: string) => postKuaidi100(logistics.url, param, KUAIDI100_SALT);
  const parcel = async (id: string) => (await callService(logistics.url, 'GET', `/internal/parcels/${id}`)).body as { state: string };
  const checkpoints = async (id: string) =>
    (
      await queryDatabase<{ n: number }>(logistics.databaseName, 'SELECT count(*)::int AS n FROM parcel_checkpoint WHERE parcel_id = $1', [
        id,
      ])
    )[0].n;

  /** One provider's report of one scan, signed with `secret` (the right one unless a forgery is wanted). */
  const report = async (provider: CarrierTracker, trackingNumber: string, scan: Scan, at: Date, secret?: string) => {
    const word = WORDS[provider][scan];
    if (provider === 'aftership') return afterShip(afterShipUpdate(trackingNumber, word, at.toISOString()), secret ?? AFTERSHIP_SECRET);
    if (provider === 'kuaidi100')
      return postKuaidi100(logistics.url, kuaidi100Push(trackingNumber, word, chinaTime(at), `scan ${word}`), secret ?? KUAIDI100_SALT);
    const raw = JSON.stringify(easyPostTrackerUpdated(trackingNumber, word, at.toISOString()));
    const response = await serviceFetch(`${logistics.url}/internal/webhooks/carriers/easypost`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [EASYPOST_SIGNATURE_HEADER]: signEasyPostBody(secret ?? EASYPOST_SECRET, raw) },
      body: raw,
    });
    return { status: response.status, outcome: response.headers.get('x-mallard-webhook-outcome'), text: await response.text() };
  };

  /** A sub-order of two units of tea taken on, picked and packed as two parcels: their ids. */
  const twoPackedParcels = async (warehouseId: string): Promise<string[]> => {
    const split = orderSplitOf([{ warehouseId, lines: [{ skuId: 'tea', quantity: 2, merchandiseMinor: 6000 }] }]);
    await sendEvent(orderSplitV2, split.orderId, split);
    const [subOrder] = split.subOrders;
    await eventually(
      () => queryDatabase(logistics.databaseName, 'SELECT 1 FROM sub_order WHERE id = $1', [subOrder.subOrderId]),
      (rows) => rows.length === 1,
    );
    const lineId = subOrder.lines[0].lineId;
    await callService(logistics.url, 'POST', `/internal/sub-orders/${subOrder.subOrderId}/pick`, {}, staff);
    const packed = await callService<{ parcels: { id: string }[] }>(
      logistics.url,
      'POST',
      `/internal/sub-orders/${subOrder.subOrderId}/pack`,
      { parcels: [{ lines: [{ lineId, quantity: 1 }] }, { lines: [{ lineId, quantity: 1 }] }] },
      staff,
    );
    return packed.body.parcels.map((parcel) => parcel.id);
  };

  beforeAll(async () => {
    logistics = await startTestService(logisticsService, {
      AFTERSHIP_WEBHOOK_SECRET: AFTERSHIP_SECRET,
      KUAIDI100_SALT,
      EASYPOST_WEBHOOK_SECRET: EASYPOST_SECRET,
    });
  });

  afterAll(async () => {
    await logistics?.stop();
    if (logistics) await dropDatabase(logistics.databaseName);
  });

  it('moves a parcel by its carrier’s reports, never backwards, once per report, and keeps a report that came before the parcel', async () => {
    const [first, second] = await twoPackedParcels('wh-track');
    const suffix = randomUUID().slice(0, 8).toUpperCase();
    const numberA = `SFA${suffix}`;
    const numberB = `SFB${suffix}`;
    await callService(
      logistics.url,
      'POST',
      `/internal/parcels/${first}/handover`,
      { carrierCode: 'sf-express', trackingNumber: numberA },
      staff,
    );

    const transit = afterShipUpdate(numberA, 'InTransit', '2026-12-03T10:00:00+08:00');
    expect(await afterShip(transit)).toEqual({ status: 200, outcome: 'APPLIED', text: '{"received":true}' });
    expect((await parcel(first)).state).toBe('IN_TRANSIT');
    // The same notification again has no second effect.
    expect((await afterShip(transit)).outcome).toBe('DUPLICATE');
    expect(await checkpoints(first)).toBe(1);
    // An older scan, arriving late, is kept in the history but does not move the parcel back.
    expect((await afterShip(afterShipUpdate(numberA, 'InfoReceived', '2026-12-03T08:00:00+08:00'))).outcome).toBe('NO_CHANGE');
    expect((await parcel(first)).state).toBe('IN_TRANSIT');
    expect(await checkpoints(first)).toBe(2);
    // A forgery is refused and changes nothing.
    const forged = await afterShip(afterShipUpdate(numberA, 'Delivered', '2026-12-04T10:00:00+08:00'), 'guessed-secret');
    expect(forged.status).toBe(401);
    expect((await parcel(first)).state).toBe('IN_TRANSIT');

    // The carrier reports the second parcel before our handover is recorded: kept, then applied.
    const early = await kuaidi100(kuaidi100Push(numberB, '3', '2026-12-04 15:00:00', '签收'));
    expect([early.status, early.outcome, JSON.parse(early.text)]).toEqual([200, 'PARKED', JSON.parse(KUAIDI100_ACK.body)]);
    await callService(
      logistics.url,
      'POST',
      `/internal/parcels/${second}/handover`,
      { carrierCode: 'sf-express', trackingNumber: numberB },
      staff,
    );
    expect((await parcel(second)).state).toBe('DELIVERED');
    expect(
      (await queryDatabase(logistics.databaseName, 'SELECT 1 FROM parked_tracking_report WHERE tracking_number = $1', [numberB])).length,
    ).toBe(0);

    expect((await afterShip(afterShipUpdate(numberA, 'Delivered', '2026-12-04T11:00:00+08:00'))).outcome).toBe('APPLIED');
    expect((await parcel(first)).state).toBe('DELIVERED');
    const unknown = await serviceFetch(`${logistics.url}/internal/webhooks/carriers/paypal`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(unknown.status).toBe(404);
  });

  it.each(['aftership', 'kuaidi100', 'easypost'] as const)(
    '%s: a duplicate has one effect, an older scan never moves a parcel back, a forgery changes nothing, a number not handed over yet waits for its parcel',
    async (provider) => {
      const [first, second] = await twoPackedParcels(`wh-${provider}`);
      const suffix = randomUUID().slice(0, 8).toUpperCase();
      const [numberA, numberB] = [`1ZA${suffix}`, `1ZB${suffix}`];
      const carrierCode = CARRIER_OF[provider];
      await callService(logistics.url, 'POST', `/internal/parcels/${first}/handover`, { carrierCode, trackingNumber: numberA }, staff);
      const now = Date.now();
      const minutes = (n: number) => new Date(now + n * 60_000);

      const inTransit = await report(provider, numberA, 'IN_TRANSIT', minutes(1));
      expect([inTransit.status, inTransit.outcome]).toEqual([200, 'APPLIED']);
      expect((await parcel(first)).state).toBe('IN_TRANSIT');
      const kept = await checkpoints(first);
      expect(kept).toBeGreaterThan(0);
      expect((await report(provider, numberA, 'IN_TRANSIT', minutes(1))).outcome).toMatch(/^(DUPLICATE|NO_CHANGE)$/);
      expect(await checkpoints(first)).toBe(kept);
      // Older, and lower: kept in the history, the parcel stays where it is.
      expect((await report(provider, numberA, 'PICKED_UP', minutes(-60))).outcome).toBe('NO_CHANGE');
      expect((await parcel(first)).state).toBe('IN_TRANSIT');
      const withOlder = await checkpoints(first);
      expect(withOlder).toBeGreaterThan(kept);
      const forged = await report(provider, numberA, 'DELIVERED', minutes(2), 'guessed-secret');
      expect(forged.status).toBe(401);
      expect((await parcel(first)).state).toBe('IN_TRANSIT');
      expect(await checkpoints(first)).toBe(withOlder);

      // Delivered before our handover of it is recorded: kept, and applied by the handover.
      expect((await report(provider, numberB, 'DELIVERED', minutes(3))).outcome).toBe('PARKED');
      expect((await parcel(second)).state).toBe('PACKED');
      await callService(logistics.url, 'POST', `/internal/parcels/${second}/handover`, { carrierCode, trackingNumber: numberB }, staff);
      expect((await parcel(second)).state).toBe('DELIVERED');
    },
  );

  it('counts each parcel once as shipped when a carrier first has it and once as delivered; a retry or a replayed report counts nothing', async () => {
    /** A counter's value on logistics' /metrics (no labels but the service's). */
    const counter = async (name: string) => {
      const text = await (await serviceFetch(`${logistics.url}/metrics`)).text();
      const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) || candidate.startsWith(`${name} `));
      if (!line) throw new Error(`${name} is not on /metrics`);
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    const counts = async () => ({ shipped: await counter('parcels_shipped_total'), delivered: await counter('parcels_delivered_total') });
    const start = await counts();
    const moved = async () => {
      const now = await counts();
      return { shipped: now.shipped - start.shipped, delivered: now.delivered - start.delivered };
    };

    const [first, second] = await twoPackedParcels('wh-counted');
    expect(await moved()).toEqual({ shipped: 0, delivered: 0 });
    const suffix = randomUUID().slice(0, 8).toUpperCase();
    const [numberA, numberB] = [`SFC${suffix}`, `SFD${suffix}`];
    const handOver = (parcelId: string, trackingNumber: string) =>
      callService(logistics.url, 'POST', `/internal/parcels/${parcelId}/handover`, { carrierCode: 'sf-express', trackingNumber }, staff);
    expect((await handOver(first, numberA)).status).toBe(200);
    expect(await moved()).toEqual({ shipped: 1, delivered: 0 });
    // The same click again: the parcel is already with that carrier.
    expect((await handOver(first, numberA)).status).toBe(200);
    // Further scans in flight are the same shipment.
    expect((await afterShip(afterShipUpdate(numberA, 'InTransit', '2026-12-05T10:00:00+08:00'))).outcome).toBe('APPLIED');
    expect((await afterShip(afterShipUpdate(numberA, 'OutForDelivery', '2026-12-05T12:00:00+08:00'))).outcome).toBe('APPLIED');
    expect(await moved()).toEqual({ shipped: 1, delivered: 0 });

    const delivered = afterShipUpdate(numberA, 'Delivered', '2026-12-05T15:00:00+08:00');
    expect((await afterShip(delivered)).outcome).toBe('APPLIED');
    expect(await moved()).toEqual({ shipped: 1, delivered: 1 });
    // The carrier sends the same notification again, then reports the delivery once more later.
    expect((await afterShip(delivered)).outcome).toBe('DUPLICATE');
    expect((await afterShip(afterShipUpdate(numberA, 'Delivered', '2026-12-05T16:00:00+08:00'))).outcome).toBe('NO_CHANGE');
    expect((await parcel(first)).state).toBe('DELIVERED');
    expect(await moved()).toEqual({ shipped: 1, delivered: 1 });

    // Delivered before the handover was recorded: the handover ships it and delivers it, one of each.
    expect((await afterShip(afterShipUpdate(numberB, 'Delivered', '2026-12-05T18:00:00+08:00'))).outcome).toBe('PARKED');
    expect((await handOver(second, numberB)).status).toBe(200);
    expect((await parcel(second)).state).toBe('DELIVERED');
    expect(await moved()).toEqual({ shipped: 2, delivered: 2 });

    // A merchant's parcels start with the carrier; the same report again makes no second parcel.
    const split = orderSplitOf([
      {
        warehouseId: 'wh-merchant',
        fulfilmentType: 'DROP_SHIP',
        merchantId: 'potter',
        lines: [{ skuId: 'mug', quantity: 1, merchandiseMinor: 3000 }],
      },
    ]);
    await sendEvent(orderSplitV2, split.orderId, split);
    const [subOrder] = split.subOrders;
    await eventually(
      () => queryDatabase(logistics.databaseName, 'SELECT 1 FROM sub_order WHERE id = $1', [subOrder.subOrderId]),
      (rows) => rows.length === 1,
    );
    const shipment = {
      parcels: [{ carrierCode: 'yto', trackingNumber: `YT${suffix}`, lines: [{ lineId: subOrder.lines[0].lineId, quantity: 1 }] }],
    };
    const merchant = { [ACTOR_HEADER]: 'potter-staff' };
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const reported = await callService(
        logistics.url,
        'POST',
        `/internal/sub-orders/${subOrder.subOrderId}/shipments`,
        shipment,
        merchant,
      );
      expect(reported.body.state).toBe('SHIPPED');
    }
    expect(await moved()).toEqual({ shipped: 3, delivered: 2 });
  });
});
