import { orderSplitV2 } from '@mallard/contracts';
import { ACTOR_HEADER } from '@mallard/platform';
import { callService, dropDatabase, eventually, queryDatabase, sendEvent, startTestService, type TestService } from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logisticsService } from '../service.js';
import { orderSplitOf, type SplitPart } from '../testing/logistics-test-kit.js';
import { type LocalProviderServer, type ReceivedRequest, startLocalProviderServer } from './local-provider-server.js';

const API_KEY = 'asat_integration_key';
const TEA = { skuId: 'tea', quantity: 2, merchandiseMinor: 6000 };

interface RegistrationRow {
  state: string;
  provider: string;
  carrier_code: string;
  attempts: number;
  provider_ref: string | null;
  last_error: string | null;
}

/**
 * AfterShip as logistics meets it, on a local port: a tracking number containing FLAKY is answered
 * 503 the first time, one containing BAD is refused (4005), any other is created.
 */
function localAfterShip(): Promise<LocalProviderServer> {
  const seen = new Set<string>();
  return startLocalProviderServer(({ body }) => {
    const { tracking_number: trackingNumber } = JSON.parse(body) as { tracking_number: string };
    if (trackingNumber.includes('FLAKY') && !seen.has(trackingNumber)) {
      seen.add(trackingNumber);
      return { status: 503, body: { meta: { code: 503, message: 'Something went wrong on AfterShip’s end.' }, data: {} } };
    }
    if (trackingNumber.includes('BAD')) {
      return { status: 400, body: { meta: { code: 4005, message: 'The value of tracking_number is invalid.' }, data: {} } };
    }
    return { status: 201, body: { meta: { code: 201 }, data: { id: `as-${trackingNumber}`, tracking_number: trackingNumber } } };
  });
}

describe('logistics: registering handed-over parcels with AfterShip, on real Kafka and PostgreSQL', () => {
  let afterShip: LocalProviderServer;
  let logistics: TestService;
  const staff = { [ACTOR_HEADER]: 'picker-7' };
  const call = (method: string, path: string, body?: unknown) => callService<any>(logistics.url, method, `/internal${path}`, body, staff);
  const sentFor = (trackingNumber: string): ReceivedRequest[] =>
    afterShip.received.filter((request) => JSON.parse(request.body).tracking_number === trackingNumber);
  const registrationOf = async (parcelId: string): Promise<RegistrationRow | undefined> =>
    (
      await queryDatabase<RegistrationRow>(
        logistics.databaseName,
        'SELECT state, provider, carrier_code, attempts, provider_ref, last_error FROM tracking_registration WHERE parcel_id = $1',
        [parcelId],
      )
    )[0];
  const settled = (parcelId: string) =>
    eventually(
      () => registrationOf(parcelId),
      (row) => row !== undefined && row.state !== 'PENDING',
    );

  /** Splits an order and waits until logistics has taken its sub-orders on. */
  const split = async (...parts: SplitPart[]) => {
    const event = orderSplitOf(parts);
    await sendEvent(orderSplitV2, event.orderId, event);
    await eventually(
      () => queryDatabase(logistics.databaseName, 'SELECT 1 FROM sub_order WHERE order_id = $1', [event.orderId]),
      (rows) => rows.length === parts.length,
    );
    return event;
  };

  /** A self-operated sub-order picked, packed in one parcel and handed to `carrierCode` with `trackingNumber`. */
  const handOver = async (carrierCode: string, trackingNumber: string) => {
    const order = await split({ warehouseId: 'wh-east', lines: [TEA] });
    const [subOrder] = order.subOrders;
    await call('POST', `/sub-orders/${subOrder.subOrderId}/pick`);
    const packed = await call('POST', `/sub-orders/${subOrder.subOrderId}/pack`, {
      parcels: [{ lines: [{ lineId: subOrder.lines[0].lineId, quantity: TEA.quantity }] }],
    });
    const parcelId: string = packed.body.parcels[0].id;
    const handed = await call('POST', `/parcels/${parcelId}/handover`, { carrierCode, trackingNumber });
    expect(handed.body.state).toBe('SHIPPED');
    return { orderId: order.orderId, parcelId };
  };

  beforeAll(async () => {
    afterShip = await localAfterShip();
    logistics = await startTestService(logisticsService, {
      TRACKING_PROVIDER: 'aftership',
      AFTERSHIP_API_KEY: API_KEY,
      AFTERSHIP_API_URL: afterShip.url,
      TRACKING_REGISTRATION_INTERVAL_MS: '100',
      TRACKING_REGISTRATION_BACKOFF_MS: '300',
    });
  });

  afterAll(async () => {
    await logistics?.stop();
    if (logistics) await dropDatabase(logistics.databaseName);
    await afterShip?.close();
  });

  it('registers a parcel handed to a carrier once, with the documented request, and records it REGISTERED', async () => {
    const trackingNumber = `SF${Date.now()}OK`;
    const { orderId, parcelId } = await handOver('sf-express', trackingNumber);

    expect(await settled(parcelId)).toEqual({
      state: 'REGISTERED',
      provider: 'aftership',
      carrier_code: 'sf-express',
      attempts: 1,
      provider_ref: `as-${trackingNumber}`,
      last_error: null,
    });
    // The same handover again (a retried click) queues nothing more.
    expect((await call('POST', `/parcels/${parcelId}/handover`, { carrierCode: 'sf-express', trackingNumber })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sent = sentFor(trackingNumber);
    expect(sent).toHaveLength(1);
    expect(sent[0].method).toBe('POST');
    expect(sent[0].path).toBe('/tracking/2026-07/trackings');
    expect(sent[0].headers['as-api-key']).toBe(API_KEY);
    expect(JSON.parse(sent[0].body)).toEqual({
      slug: 'sf-express',
      tracking_number: trackingNumber,
      order_id: orderId,
      destination_country_region: 'CHN',
    });
  });

  it('tries again after AfterShip failed (5xx), and registers on the second attempt', async () => {
    const trackingNumber = `SF${Date.now()}FLAKY`;
    const { parcelId } = await handOver('sf-express', trackingNumber);

    expect(await settled(parcelId)).toMatchObject({
      state: 'REGISTERED',
      attempts: 2,
      provider_ref: `as-${trackingNumber}`,
      last_error: null,
    });
    expect(sentFor(trackingNumber)).toHaveLength(2);
  });

  it('gives up at once on a permanent refusal (4xx): FAILED with the error, asked once', async () => {
    const trackingNumber = `ZT${Date.now()}BAD`;
    const { parcelId } = await handOver('zto', trackingNumber);

    const failed = await settled(parcelId);
    expect(failed).toMatchObject({ state: 'FAILED', carrier_code: 'zto', attempts: 1, provider_ref: null });
    expect(failed?.last_error).toMatch(/tracking_number is invalid/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sentFor(trackingNumber)).toHaveLength(1);
    expect(JSON.parse(sentFor(trackingNumber)[0].body).slug).toBe('zto-express');
  });

  it('registers the parcels a drop-ship merchant reports as shipped', async () => {
    const order = await split({ warehouseId: 'potter', merchantId: 'potter', fulfilmentType: 'DROP_SHIP', lines: [TEA] });
    const [subOrder] = order.subOrders;
    const trackingNumber = `YT${Date.now()}M`;
    const reported = await call('POST', `/sub-orders/${subOrder.subOrderId}/shipments`, {
      parcels: [{ carrierCode: 'yto', trackingNumber, lines: [{ lineId: subOrder.lines[0].lineId, quantity: TEA.quantity }] }],
    });
    expect(reported.body.state).toBe('SHIPPED');

    expect(await settled(reported.body.parcels[0].id)).toMatchObject({ state: 'REGISTERED', carrier_code: 'yto' });
    expect(JSON.parse(sentFor(trackingNumber)[0].body)).toMatchObject({ slug: 'yto', order_id: order.orderId });
  });
});
