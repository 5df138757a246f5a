import { orderSplitV2, parcelStateChanged, Topics } from '@mallard/contracts';
import { ACTOR_HEADER } from '@mallard/platform';
import {
  callService,
  dropDatabase,
  eventually,
  queryDatabase,
  readTopic,
  sendEvent,
  startTestService,
  type TestService,
} from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logisticsService } from '../service.js';
import { orderSplitOf, type SplitPart } from '../testing/logistics-test-kit.js';
import type { WarehouseSubOrderView } from './warehouse-sub-order.view.js';

const TEA = { skuId: 'tea', quantity: 3, merchandiseMinor: 9000 };
const CUP = { skuId: 'cup', quantity: 1, merchandiseMinor: 4500 };

describe('logistics: picking, packing and handing parcels to carriers, on real Kafka and PostgreSQL', () => {
  let logistics: TestService;
  const staff = { [ACTOR_HEADER]: 'picker-7' };
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = staff) =>
    callService<any>(logistics.url, method, `/internal${path}`, body, headers);

  /** Splits an order into the parts given and waits until logistics has taken its sub-orders on. */
  const split = async (...parts: SplitPart[]) => {
    const event = orderSplitOf(parts);
    await sendEvent(orderSplitV2, event.orderId, event);
    await eventually(
      () => queryDatabase(logistics.databaseName, 'SELECT 1 FROM sub_order WHERE order_id = $1', [event.orderId]),
      (rows) => rows.length === parts.length,
    );
    return event;
  };

  beforeAll(async () => {
    logistics = await startTestService(logisticsService);
  });

  afterAll(async () => {
    await logistics?.stop();
    if (logistics) await dropDatabase(logistics.databaseName);
  });

  it('picks, packs in two parcels and ships a self-operated sub-order as its parcels are handed over, recording who did each step', async () => {
    const order = await split({ warehouseId: 'wh-east', lines: [TEA, CUP] });
    const [subOrder] = order.subOrders;
    const [tea, cup] = subOrder.lines;

    expect((await call('POST', `/sub-orders/${subOrder.subOrderId}/pick`)).body.state).toBe('PICKING');
    // A retried click changes nothing.
    expect((await call('POST', `/sub-orders/${subOrder.subOrderId}/pick`)).body.version).toBe(2);

    const short = await call('POST', `/sub-orders/${subOrder.subOrderId}/pack`, {
      parcels: [{ lines: [{ lineId: tea.lineId, quantity: 3 }] }],
    });
    expect(short.status).toBe(422);
    expect(short.body.problems).toEqual([`line ${cup.lineId}: 1 of 1 units are in no parcel`]);

    const packed = await call('POST', `/sub-orders/${subOrder.subOrderId}/pack`, {
      parcels: [
        { lines: [{ lineId: tea.lineId, quantity: 2 }] },
        {
          lines: [
            { lineId: tea.lineId, quantity: 1 },
            { lineId: cup.lineId, quantity: 1 },
          ],
        },
      ],
    });
    expect(packed.status).toBe(200);
    const view = packed.body as WarehouseSubOrderView;
    expect(view.state).toBe('PACKED');
    expect(view.parcels.map((parcel) => [parcel.state, parcel.lines.map((line) => line.quantity).reduce((a, b) => a + b, 0)])).toEqual([
      ['PACKED', 2],
      ['PACKED', 2],
    ]);

    const first = await call('POST', `/parcels/${view.parcels[0].id}/handover`, {
      carrierCode: 'sf-express',
      trackingNumber: `SF${Date.now()}1`,
    });
    expect(first.body.state).toBe('PARTIALLY_SHIPPED');
    // The same handover again is harmless; another tracking number for it is refused.
    const label = { carrierCode: first.body.parcels[0].carrierCode, trackingNumber: first.body.parcels[0].trackingNumber };
    expect((await call('POST', `/parcels/${view.parcels[0].id}/handover`, label)).body.state).toBe('PARTIALLY_SHIPPED');
    const changed = await call('POST', `/parcels/${view.parcels[0].id}/handover`, {
      carrierCode: 'sf-express',
      trackingNumber: 'SF000OTHER',
    });
    expect([changed.status, changed.body.type]).toEqual([409, 'https://mallard.dev/problems/parcel-already-handed-over']);
    // A label already on another parcel is refused too, and nothing moves.
    const clash = await call('POST', `/parcels/${view.parcels[1].id}/handover`, {
      carrierCode: 'sf-express',
      trackingNumber: first.body.parcels[0].trackingNumber,
    });
    expect([clash.status, clash.body.trackingNumber]).toEqual([409, first.body.parcels[0].trackingNumber]);

    const second = await call('POST', `/parcels/${view.parcels[1].id}/handover`, {
      carrierCode: 'zto',
      trackingNumber: `ZT${Date.now()}2`,
    });
    expect(second.body.state).toBe('SHIPPED');
    expect(
      second.body.history.map((change: { to: string; actor: { kind: string; id: string | null } }) => [
        change.to,
        change.actor.kind,
        change.actor.id,
      ]),
    ).toEqual([
      ['AWAITING_PICK', 'SYSTEM', null],
      ['PICKING', 'STAFF', 'picker-7'],
      ['PACKED', 'STAFF', 'picker-7'],
      ['PARTIALLY_SHIPPED', 'STAFF', 'picker-7'],
      ['SHIPPED', 'STAFF', 'picker-7'],
    ]);
    expect(second.body.version).toBe(5);

    // Two parcels made, two handed over: four parcel events, each keyed by the order.
    const events = await readTopic(
      Topics.logistics,
      4,
      20_000,
      (record) => record.key === order.orderId && record.headers.ce_type === parcelStateChanged.type,
    );
    expect(events.map((event) => JSON.parse(event.value!).to).sort()).toEqual(['PACKED', 'PACKED', 'PICKED_UP', 'PICKED_UP']);

    // Shipped is the end: packing again is refused with the state to act on.
    const again = await call('POST', `/sub-orders/${subOrder.subOrderId}/pick`);
    expect([again.status, again.body.state]).toEqual([409, 'SHIPPED']);
  });

  it('takes a drop-ship merchant’s shipments, in two reports, and never our pick', async () => {
    const order = await split({
      warehouseId: 'potter',
      merchantId: 'potter',
      fulfilmentType: 'DROP_SHIP',
      lines: [{ ...TEA, skuId: 'mug' }],
    });
    const [subOrder] = order.subOrders;
    const [mug] = subOrder.lines;
    const merchant = { [ACTOR_HEADER]: 'potter-staff' };

    const picked = await call('POST', `/sub-orders/${subOrder.subOrderId}/pick`);
    expect([picked.status, picked.body.type]).toEqual([409, 'https://mallard.dev/problems/sub-order-step-refused']);

    const label = `YT${Date.now()}`;
    const firstReport = { parcels: [{ carrierCode: 'yto', trackingNumber: `${label}1`, lines: [{ lineId: mug.lineId, quantity: 2 }] }] };
    expect((await call('POST', `/sub-orders/${subOrder.subOrderId}/shipments`, firstReport, merchant)).body.state).toBe(
      'PARTIALLY_SHIPPED',
    );
    // The same report again (a retry) makes no second parcel.
    expect((await call('POST', `/sub-orders/${subOrder.subOrderId}/shipments`, firstReport, merchant)).body.parcels).toHaveLength(1);

    const tooMany = await call('POST', `/sub-orders/${subOrder.subOrderId}/shipments`, {
      parcels: [{ carrierCode: 'yto', trackingNumber: `${label}9`, lines: [{ lineId: mug.lineId, quantity: 2 }] }],
    });
    expect(tooMany.status).toBe(422);

    const done = await call(
      'POST',
      `/sub-orders/${subOrder.subOrderId}/shipments`,
      { parcels: [{ carrierCode: 'yto', trackingNumber: `${label}2`, lines: [{ lineId: mug.lineId, quantity: 1 }] }] },
      merchant,
    );
    expect(done.body.state).toBe('SHIPPED');
    expect(done.body.parcels.map((parcel: { state: string }) => parcel.state)).toEqual(['PICKED_UP', 'PICKED_UP']);
    expect(done.body.history.at(-1).actor).toEqual({ kind: 'MERCHANT', id: 'potter-staff' });
  });

  it('lets warehouse staff see and work on only the sub-orders of their warehouses', async () => {
    const order = await split({ warehouseId: 'wh-scoped', lines: [TEA] });
    const [subOrder] = order.subOrders;
    const east = { ...staff, 'x-mallard-warehouses': 'wh-east,wh-scoped' };
    const west = { ...staff, 'x-mallard-warehouses': 'wh-west' };
    const nowhere = { ...staff, 'x-mallard-warehouses': '' };
    expect((await call('GET', '/sub-orders?warehouseId=wh-scoped', undefined, east)).status).toBe(200);
    const refused = await call('GET', '/sub-orders?warehouseId=wh-scoped', undefined, west);
    expect([refused.status, refused.body.type]).toEqual([403, 'https://mallard.dev/problems/warehouse-not-yours']);
    for (const caller of [west, nowhere]) {
      expect((await call('GET', `/sub-orders/${subOrder.subOrderId}`, undefined, caller)).status).toBe(404);
      expect((await call('POST', `/sub-orders/${subOrder.subOrderId}/pick`, {}, caller)).status).toBe(404);
    }
    expect((await call('GET', `/sub-orders/${subOrder.subOrderId}`)).body.state).toBe('AWAITING_PICK');
    expect((await call('POST', `/sub-orders/${subOrder.subOrderId}/pick`, {}, east)).body.state).toBe('PICKING');
  });

  it('lists a warehouse’s sub-orders oldest first, by state, and answers 404 for what it does not know', async () => {
    const order = await split(
      { warehouseId: 'wh-list', lines: [TEA] },
      { warehouseId: 'wh-list', fulfilmentType: 'DROP_SHIP', lines: [CUP] },
    );
    const listed = await call('GET', '/sub-orders?warehouseId=wh-list&state=AWAITING_PICK');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item: WarehouseSubOrderView) => item.id).sort()).toEqual(order.subOrders.map((s) => s.subOrderId).sort());
    expect(listed.body.items[0]).not.toHaveProperty('paidAmount');
    expect((await call('GET', '/sub-orders?warehouseId=wh-list&state=PACKED')).body.items).toEqual([]);
    expect((await call('GET', '/sub-orders?state=PACKED')).status).toBe(400);
    expect((await call('GET', `/sub-orders/${order.orderId}`)).status).toBe(404);
    expect((await call('GET', `/parcels/${order.orderId}`)).status).toBe(404);
  });
});
