import { randomUUID } from 'node:crypto';
import {
  type AfterSalesRequestChangedV1,
  afterSalesReturnShipped,
  newCloudEvent,
  type OrderSplitV2,
  orderSplitV2,
  type ReturnParcelStateChangedV1,
  returnParcelStateChanged,
  Topics,
} from '@mallard/contracts';
import {
  dropDatabase,
  eventually,
  PublishedEvents,
  queryDatabase,
  sendEvent,
  sendEvents,
  startTestService,
  type TestService,
} from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logisticsService } from '../service.js';
import {
  afterShipUpdate,
  kuaidi100Push,
  orderSplitOf,
  postAfterShip,
  postKuaidi100,
  returnShippedOf,
} from '../testing/logistics-test-kit.js';
import { type LocalProviderServer, startLocalProviderServer } from '../tracking-registration/local-provider-server.js';

const AFTERSHIP_SECRET = `aftership-${randomUUID()}`;
const KUAIDI100_SALT = `kuaidi100-${randomUUID()}`;

interface ReturnParcelRow {
  id: string;
  order_id: string;
  carrier_code: string;
  tracking_number: string;
  state: string | null;
  version: number;
}

describe('logistics: after-sales return parcels tracked by the carriers’ webhooks, on real Kafka and PostgreSQL', () => {
  let afterShipApi: LocalProviderServer;
  let logistics: TestService;
  let published: PublishedEvents;

  const afterShip = (body: object) => postAfterShip(logistics.url, body, AFTERSHIP_SECRET);
  const kuaidi100 = (param: string) => postKuaidi100(logistics.url, param, KUAIDI100_SALT);
  const returnParcelsOf = (requestId: string) =>
    queryDatabase<ReturnParcelRow>(
      logistics.databaseName,
      'SELECT id, order_id, carrier_code, tracking_number, state, version FROM return_parcel WHERE request_id = $1',
      [requestId],
    );
  const returnParcelOf = async (requestId: string): Promise<ReturnParcelRow> =>
    (
      await eventually(
        () => returnParcelsOf(requestId),
        (rows) => rows.length === 1,
      )
    )[0];
  const checkpoints = async (returnParcelId: string) =>
    (
      await queryDatabase<{ n: number }>(
        logistics.databaseName,
        'SELECT count(*)::int AS n FROM return_parcel_checkpoint WHERE return_parcel_id = $1',
        [returnParcelId],
      )
    )[0].n;
  const changesOf = (returnParcelId: string) =>
    published.of<ReturnParcelStateChangedV1>(returnParcelStateChanged, returnParcelId).map((event) => event.data);

  /** after-sales.return-shipped as after-sales' relay sends it. */
  const asAfterSales = (data: AfterSalesRequestChangedV1) =>
    newCloudEvent({
      type: afterSalesReturnShipped.type,
      version: afterSalesReturnShipped.version,
      source: 'mallard/after-sales',
      subject: data.orderId,
      data,
    });

  /** An order split and taken on by logistics: the one a return comes back from. */
  const deliveredOrder = async (): Promise<OrderSplitV2> => {
    const split = orderSplitOf([{ warehouseId: 'wh-returns', lines: [{ skuId: 'tea', quantity: 2, merchandiseMinor: 6000 }] }]);
    await sendEvent(orderSplitV2, split.orderId, split);
    await eventually(
      () => queryDatabase(logistics.databaseName, 'SELECT 1 FROM sub_order WHERE order_id = $1', [split.orderId]),
      (rows) => rows.length === 1,
    );
    return split;
  };

  beforeAll(async () => {
    afterShipApi = await startLocalProviderServer(({ body }) => {
      const { tracking_number: trackingNumber } = JSON.parse(body) as { tracking_number: string };
      return { status: 201, body: { meta: { code: 201 }, data: { id: `as-${trackingNumber}`, tracking_number: trackingNumber } } };
    });
    logistics = await startTestService(logisticsService, {
      AFTERSHIP_WEBHOOK_SECRET: AFTERSHIP_SECRET,
      KUAIDI100_SALT,
      TRACKING_PROVIDER: 'aftership',
      AFTERSHIP_API_KEY: 'asat_return_parcels',
      AFTERSHIP_API_URL: afterShipApi.url,
      TRACKING_REGISTRATION_INTERVAL_MS: '100',
    });
    // After the service: it makes this test world's topics.
    published = await PublishedEvents.collect([Topics.logistics], 'logistics');
  });

  afterAll(async () => {
    await logistics?.stop();
    if (logistics) await dropDatabase(logistics.databaseName);
    await published?.stop();
    await afterShipApi?.close();
  });

  it('follows a return parcel once, registers it, and moves it by its carrier’s reports, never backwards, publishing each move', async () => {
    const split = await deliveredOrder();
    const trackingNumber = `SFR${randomUUID().slice(0, 8).toUpperCase()}`;
    const shipped = returnShippedOf(split, trackingNumber);
    const event = asAfterSales(shipped);
    // Delivered twice, and once more under another event id: still the one return parcel.
    await sendEvents(Topics.afterSales, [event, { ...event }, { ...event, id: randomUUID() }]);

    const taken = await returnParcelOf(shipped.requestId);
    expect(taken).toEqual({
      id: expect.any(String),
      order_id: split.orderId,
      carrier_code: 'sf-express',
      tracking_number: trackingNumber,
      state: null,
      version: 0,
    });
    // Registered with the tracking provider, so that it sends its webhooks: our order id, no destination (it goes to the merchant).
    const [registration] = await eventually(
      () =>
        queryDatabase<{ state: string; attempts: number }>(
          logistics.databaseName,
          'SELECT state, attempts FROM tracking_registration WHERE parcel_id = $1',
          [taken.id],
        ),
      (rows) => rows.length === 1 && rows[0].state !== 'PENDING',
    );
    expect(registration).toEqual({ state: 'REGISTERED', attempts: 1 });
    const sent = afterShipApi.received.filter((request) => JSON.parse(request.body).tracking_number === trackingNumber);
    expect(sent.map((request) => JSON.parse(request.body))).toEqual([
      { slug: 'sf-express', tracking_number: trackingNumber, order_id: split.orderId },
    ]);

    expect(await afterShip(afterShipUpdate(trackingNumber, 'InTransit', '2026-12-06T10:00:00+08:00'))).toMatchObject({
      status: 200,
      outcome: 'APPLIED',
    });
    expect(await afterShip(afterShipUpdate(trackingNumber, 'Delivered', '2026-12-07T15:00:00+08:00'))).toMatchObject({
      status: 200,
      outcome: 'APPLIED',
    });
    // A scan older than the delivery, arriving late: kept in the history, the parcel stays delivered.
    expect((await afterShip(afterShipUpdate(trackingNumber, 'InTransit', '2026-12-07T09:00:00+08:00'))).outcome).toBe('NO_CHANGE');
    expect(await returnParcelOf(shipped.requestId)).toMatchObject({ state: 'DELIVERED', version: 2 });
    expect(await checkpoints(taken.id)).toBe(3);
    // No outbound parcel was touched.
    expect((await queryDatabase(logistics.databaseName, 'SELECT 1 FROM parcel WHERE order_id = $1', [split.orderId])).length).toBe(0);

    await published.waitFor(returnParcelStateChanged, taken.id, 2);
    const moves = changesOf(taken.id);
    expect(moves).toEqual([
      {
        orderId: split.orderId,
        requestId: shipped.requestId,
        returnParcelId: taken.id,
        version: 1,
        to: 'IN_TRANSIT',
        carrierCode: 'sf-express',
        trackingNumber,
        message: 'InTransit at 2026-12-06T10:00:00+08:00',
        location: expect.stringContaining('Shenzhen'),
        occurredAt: '2026-12-06T02:00:00.000Z',
      },
      expect.objectContaining({ version: 2, from: 'IN_TRANSIT', to: 'DELIVERED', occurredAt: '2026-12-07T07:00:00.000Z' }),
    ]);
    // Keyed by the order, on the order's partition with its other events.
    expect(published.of(returnParcelStateChanged, taken.id).map((record) => record.partitionkey)).toEqual([split.orderId, split.orderId]);
    // Nothing more was published for it: the late scan moved nothing.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(changesOf(taken.id)).toHaveLength(2);
  });

  it('keeps a report that came before after-sales named the parcel, and applies it when the return parcel appears', async () => {
    const split = await deliveredOrder();
    const trackingNumber = `SFE${randomUUID().slice(0, 8).toUpperCase()}`;
    const early = await kuaidi100(kuaidi100Push(trackingNumber, '0', '2026-12-06 18:00:00', '运输中'));
    expect([early.status, early.outcome]).toEqual([200, 'PARKED']);

    const shipped = returnShippedOf(split, trackingNumber);
    await sendEvent(afterSalesReturnShipped, split.orderId, shipped);
    const taken = await eventually(
      () => returnParcelsOf(shipped.requestId),
      (rows) => rows.length === 1 && rows[0].state !== null,
    );
    expect(taken[0]).toMatchObject({ state: 'IN_TRANSIT', version: 1 });
    expect(
      (await queryDatabase(logistics.databaseName, 'SELECT 1 FROM parked_tracking_report WHERE tracking_number = $1', [trackingNumber]))
        .length,
    ).toBe(0);
    const [first] = await published.waitFor<ReturnParcelStateChangedV1>(returnParcelStateChanged, taken[0].id, 1);
    expect(first.data).toMatchObject({
      requestId: shipped.requestId,
      version: 1,
      to: 'IN_TRANSIT',
      occurredAt: '2026-12-06T10:00:00.000Z',
    });
    expect(first.data.from).toBeUndefined();

    expect((await kuaidi100(kuaidi100Push(trackingNumber, '3', '2026-12-08 11:00:00', '签收'))).outcome).toBe('APPLIED');
    expect(await returnParcelOf(shipped.requestId)).toMatchObject({ state: 'DELIVERED', version: 2 });
  });

  it('ignores a return shipped without its parcel: nothing to follow', async () => {
    const split = await deliveredOrder();
    const unnamed = returnShippedOf(split, 'unused', { returnParcel: undefined });
    const named = returnShippedOf(split, `SFN${randomUUID().slice(0, 8).toUpperCase()}`);
    // On the order's partition, in this order: once the second is taken on, the first was handled.
    await sendEvents(Topics.afterSales, [asAfterSales(unnamed), asAfterSales(named)]);
    await returnParcelOf(named.requestId);
    expect(await returnParcelsOf(unnamed.requestId)).toEqual([]);
  });
});
