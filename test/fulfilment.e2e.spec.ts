/**
 * From a paid order to parcels with carriers, through the gateway as a shopper, warehouse staff,
 * a drop-ship merchant and customer service use it: gateway + inventory + orders + payments +
 * logistics on real Kafka and PostgreSQL. Every call goes through libs/client and every answer is
 * held to docs/openapi.json.
 */
import { orThrow } from '@mallard/client';
import { formatMinorUnits } from '@mallard/money';
import { dropDatabase, eventually, queryDatabase, startTestService, type TestService, uniqueSuffix } from '@mallard/testing';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokens } from '../apps/gateway/src/auth/access-token.js';
import { DEV_JWT_SECRET } from '../apps/gateway/src/auth/jwt-secret.js';
import { gatewayService } from '../apps/gateway/src/service.js';
import { inventoryService } from '../apps/inventory/src/service.js';
import { signAfterShipBody } from '../apps/logistics/src/providers/aftership/aftership-webhook.js';
import { EASYPOST_SIGNATURE_HEADER, signEasyPostBody } from '../apps/logistics/src/providers/easypost/easypost-webhook.js';
import { signKuaidi100Param } from '../apps/logistics/src/providers/kuaidi100/kuaidi100-webhook.js';
import { logisticsService } from '../apps/logistics/src/service.js';
import { afterShipUpdate, easyPostTrackerUpdated, kuaidi100Push } from '../apps/logistics/src/testing/logistics-test-kit.js';
import { ordersService } from '../apps/orders/src/service.js';
import { paymentsService } from '../apps/payments/src/service.js';
import { contractCheckedClient, fetchInContract } from './api-contract.js';

const run = uniqueSuffix();
const AFTERSHIP_SECRET = `aftership-${run}-secret`;
const KUAIDI100_SALT = `kuaidi100-${run}-salt`;
const EASYPOST_SECRET = `easypost-${run}-secret`;
const tokens = new AccessTokens({ secret: DEV_JWT_SECRET, issuer: 'mallard' });
type Role = 'shopper' | 'admin' | 'warehouse' | 'customer-service';
/** A Chinese company, as most invoices of a Chinese mall are made out to. */
const BILLING = {
  type: 'COMPANY' as const,
  title: '杭州西湖龙井茶业有限公司',
  taxId: '91350100M000100Y43',
  email: 'invoices@longjing.example',
};
const receiver = { name: 'Li Lei', phone: '+8613800000000', address: { country: 'CN', city: 'Hangzhou', street: '1 Lake Road' } };

describe('fulfilment through the gateway', () => {
  const services: TestService[] = [];
  let gateway: TestService;
  const as = (user: string, role: Role = 'shopper', warehouses?: string[]) =>
    contractCheckedClient(gateway.url, tokens.sign({ sub: user, roles: [role], ttlSeconds: 3600, ...(warehouses ? { warehouses } : {}) }));
  const admin = () => as(`admin-${run}`, 'admin');
  const picker = () => as(`picker-${run}`, 'warehouse', [EAST]);
  const byId = (id: string) => ({ params: { path: { id } } });
  const EAST = `east-${run}`;
  const POTTER = `potter-${run}`;
  const TEA = `tea-${run}`;
  const CUP = `cup-${run}`;

  beforeAll(async () => {
    const inventory = await startTestService(inventoryService, { STOCK_HOLD_TTL_SECONDS: '3600' });
    const orders = await startTestService(ordersService);
    const payments = await startTestService(paymentsService);
    const logistics = await startTestService(logisticsService, {
      AFTERSHIP_WEBHOOK_SECRET: AFTERSHIP_SECRET,
      KUAIDI100_SALT,
      EASYPOST_WEBHOOK_SECRET: EASYPOST_SECRET,
    });
    gateway = await startTestService(gatewayService, {
      ORDERS_URL: orders.url,
      INVENTORY_URL: inventory.url,
      PAYMENTS_URL: payments.url,
      LOGISTICS_URL: logistics.url,
      RATE_LIMIT_PER_MINUTE: '0',
      COMPLETION_SWEEP_INTERVAL_MS: '200',
    });
    services.push(gateway, logistics, payments, orders, inventory);

    const staff = admin();
    orThrow(
      await staff.PUT('/api/v1/admin/merchants/{id}', {
        ...byId(`mall-${run}`),
        body: { name: 'The Mall', defaultStockPolicy: 'RESERVE_ON_ORDER' },
      }),
    );
    orThrow(
      await staff.PUT('/api/v1/admin/merchants/{id}', {
        ...byId(POTTER),
        body: { name: 'Potter', defaultStockPolicy: 'DEDUCT_ON_PAYMENT' },
      }),
    );
    orThrow(await staff.PUT('/api/v1/admin/warehouses/{id}', { ...byId(EAST), body: { name: 'East', fulfilmentType: 'SELF_OPERATED' } }));
    orThrow(
      await staff.PUT('/api/v1/admin/warehouses/{id}', {
        ...byId(POTTER),
        body: { name: 'Potter workshop', merchantId: POTTER, fulfilmentType: 'DROP_SHIP' },
      }),
    );
    const sku = { currency: 'CNY', onShelf: true };
    orThrow(
      await staff.PUT('/api/v1/admin/skus/{id}', {
        ...byId(TEA),
        body: { ...sku, merchantId: `mall-${run}`, name: 'Tea', priceMinor: 3000, fulfilmentType: 'SELF_OPERATED' },
      }),
    );
    orThrow(
      await staff.PUT('/api/v1/admin/skus/{id}', {
        ...byId(CUP),
        body: { ...sku, merchantId: POTTER, name: 'Cup', priceMinor: 4500, fulfilmentType: 'DROP_SHIP' },
      }),
    );
    for (const [skuId, warehouseId] of [
      [TEA, EAST],
      [CUP, POTTER],
    ]) {
      orThrow(
        await staff.POST('/api/v1/admin/stock/movements', {
          body: { skuId, warehouseId, kind: 'RECEIPT', quantity: 50, reason: 'opening stock' },
        }),
      );
    }
    orThrow(await staff.POST('/api/v1/admin/points/grants', { body: { buyerId: `alice-${run}`, points: 1_000_000, reason: 'welcome' } }));
  });

  afterAll(async () => {
    for (const service of services) {
      await service.stop();
      await dropDatabase(service.databaseName);
    }
  });

  it('ships a paid order: our warehouse picks, packs two parcels and hands them over; the merchant reports its own', async () => {
    const alice = as(`alice-${run}`);
    // The catalog reaches orders through events: place once it prices both SKUs.
    const order = await eventually(
      async () =>
        alice.POST('/api/v1/orders', {
          body: {
            lines: [
              { skuId: TEA, quantity: 3 },
              { skuId: CUP, quantity: 1 },
            ],
            receiver,
            paymentMethod: 'POINTS',
            billing: BILLING,
          },
        }),
      (answer) => answer.response.status === 201,
    ).then(orThrow);
    orThrow(
      await alice.POST('/api/v1/orders/{id}/payments', {
        ...byId(order.id),
        body: { tenders: [{ type: 'POINTS', points: order.amounts.payable }] },
      }),
    );
    const split = await eventually(
      async () => orThrow(await alice.GET('/api/v1/orders/{id}', byId(order.id))),
      (current) => current.state === 'SPLIT',
      { timeoutMs: 30_000 },
    );
    // The shopper's one status follows the parcels, not orders' own state.
    const statusOf = async () => orThrow(await alice.GET('/api/v1/orders/{id}', byId(order.id))).status;
    await eventually(statusOf, (status) => status === 'PAID');
    const ours = split.subOrders.find((subOrder) => subOrder.warehouseId === EAST)!;
    const theirs = split.subOrders.find((subOrder) => subOrder.warehouseId === POTTER)!;

    // The warehouse sees the sub-order once logistics has taken it on: what to send, to whom.
    const waiting = await eventually(
      async () =>
        orThrow(await picker().GET('/api/v1/warehouse/sub-orders', { params: { query: { warehouseId: EAST, state: 'AWAITING_PICK' } } })),
      (page) => page.items.some((item) => item.id === ours.id),
    );
    const subOrder = waiting.items.find((item) => item.id === ours.id)!;
    expect(subOrder).toMatchObject({ orderId: order.id, fulfilmentType: 'SELF_OPERATED', receiver });
    expect(subOrder.lines).toEqual([{ lineId: ours.lines[0].lineId, skuId: TEA, skuName: 'Tea', quantity: 3 }]);

    const staff = picker();
    expect(orThrow(await staff.POST('/api/v1/warehouse/sub-orders/{id}/pick', byId(ours.id))).state).toBe('PICKING');
    const teaLine = ours.lines[0].lineId;
    const packed = orThrow(
      await staff.POST('/api/v1/warehouse/sub-orders/{id}/pack', {
        ...byId(ours.id),
        body: { parcels: [{ lines: [{ lineId: teaLine, quantity: 2 }] }, { lines: [{ lineId: teaLine, quantity: 1 }] }] },
      }),
    );
    expect(packed.parcels.map((parcel) => parcel.state)).toEqual(['PACKED', 'PACKED']);
    const first = orThrow(
      await staff.POST('/api/v1/warehouse/parcels/{id}/handover', {
        ...byId(packed.parcels[0].id),
        body: { carrierCode: 'sf-express', trackingNumber: `SF${run}1`.replace(/[^A-Za-z0-9]/g, '') },
      }),
    );
    expect(first.state).toBe('PARTIALLY_SHIPPED');
    await eventually(statusOf, (status) => status === 'PARTIALLY_SHIPPED');
    const shipped = orThrow(
      await staff.POST('/api/v1/warehouse/parcels/{id}/handover', {
        ...byId(packed.parcels[1].id),
        body: { carrierCode: 'sf-express', trackingNumber: `SF${run}2`.replace(/[^A-Za-z0-9]/g, '') },
      }),
    );
    expect(shipped.state).toBe('SHIPPED');
    expect(shipped.history.map((change) => [change.to, change.actor.id])).toEqual([
      ['AWAITING_PICK', null],
      ['PICKING', `picker-${run}`],
      ['PACKED', `picker-${run}`],
      ['PARTIALLY_SHIPPED', `picker-${run}`],
      ['SHIPPED', `picker-${run}`],
    ]);

    // The drop-ship merchant reports its parcel; our pick and pack do not apply to it.
    const merchant = as(`potter-staff-${run}`, 'warehouse', [POTTER]);
    // Staff of one warehouse do not see another's sub-orders.
    expect((await merchant.GET('/api/v1/warehouse/sub-orders/{id}', byId(ours.id))).response.status).toBe(404);
    await eventually(
      async () => (await merchant.GET('/api/v1/warehouse/sub-orders/{id}', byId(theirs.id))).response.status,
      (status) => status === 200,
    );
    const refused = await merchant.POST('/api/v1/warehouse/sub-orders/{id}/pick', byId(theirs.id));
    expect([refused.response.status, refused.error?.type]).toEqual([409, 'https://mallard.dev/problems/sub-order-step-refused']);
    const reported = orThrow(
      await merchant.POST('/api/v1/warehouse/sub-orders/{id}/shipments', {
        ...byId(theirs.id),
        body: {
          parcels: [
            {
              carrierCode: 'yto',
              trackingNumber: `YT${run}`.replace(/[^A-Za-z0-9]/g, ''),
              lines: [{ lineId: theirs.lines[0].lineId, quantity: 1 }],
            },
          ],
        },
      }),
    );
    expect(reported.state).toBe('SHIPPED');
    // Only now has every sub-order shipped; the list and the tabs say so too.
    await eventually(statusOf, (status) => status === 'SHIPPED');
    const mine = orThrow(await alice.GET('/api/v1/orders'));
    expect(mine.items.find((item) => item.id === order.id)).toMatchObject({
      status: 'SHIPPED',
      flags: { interception: 'NONE', refunded: 'NONE', exception: false },
    });
    expect(orThrow(await alice.GET('/api/v1/me/order-counts'))).toMatchObject({ SHIPPED: 1, PAID: 0, PENDING_PAYMENT: 0 });

    // Each parcel's tracking service reports it delivered, through the gateway's public webhook:
    // AfterShip, Kuaidi100 and EasyPost, each in its own format and signature. One of three
    // delivered is PARTIALLY_DELIVERED, never DELIVERED.
    const post = async (provider: string, headers: Record<string, string>, body: string) => {
      const answer = await fetchInContract(`${gateway.url}/api/v1/webhooks/carriers/${provider}`, { method: 'POST', headers, body });
      expect(answer.status).toBe(200);
    };
    const byAfterShip = async (trackingNumber: string) => {
      const raw = JSON.stringify(afterShipUpdate(trackingNumber, 'Delivered', new Date().toISOString()));
      await post(
        'aftership',
        { 'content-type': 'application/json', 'aftership-hmac-sha256': signAfterShipBody(AFTERSHIP_SECRET, raw) },
        raw,
      );
    };
    const byKuaidi100 = async (trackingNumber: string) => {
      const chinaNow = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
      const param = kuaidi100Push(trackingNumber, '3', chinaNow, '签收');
      await post(
        'kuaidi100',
        { 'content-type': 'application/x-www-form-urlencoded' },
        new URLSearchParams({ param, sign: signKuaidi100Param(param, KUAIDI100_SALT) }).toString(),
      );
    };
    const byEasyPost = async (trackingNumber: string) => {
      const raw = JSON.stringify(easyPostTrackerUpdated(trackingNumber, 'delivered', new Date().toISOString()));
      await post(
        'easypost',
        { 'content-type': 'application/json', [EASYPOST_SIGNATURE_HEADER]: signEasyPostBody(EASYPOST_SECRET, raw) },
        raw,
      );
    };
    const labels = [...shipped.parcels, ...reported.parcels].map((parcel) => parcel.trackingNumber!);
    await byAfterShip(labels[0]);
    await eventually(statusOf, (status) => status === 'PARTIALLY_DELIVERED');
    await byKuaidi100(labels[1]);
    await byEasyPost(labels[2]);
    await eventually(statusOf, (status) => status === 'DELIVERED');

    // Delivered: each sub-order's invoice was issued, made out to the billing details, and the
    // shopper downloads it as PDF, the figures and the Chinese title in it.
    const invoiced = await eventually(
      async () => orThrow(await alice.GET('/api/v1/orders/{id}', byId(order.id))),
      (answer) => answer.invoices?.length === 2,
    );
    const documents = orThrow(await alice.GET('/api/v1/orders/{id}/invoices', byId(order.id))).documents;
    expect(documents.map((document) => document.number).sort()).toEqual(invoiced.invoices!.map((summary) => summary.number).sort());
    expect(documents.reduce((sum, document) => sum + document.totalMinor, 0)).toBe(order.amounts.payable);
    const potters = documents.find((document) => document.merchantId === POTTER)!;
    expect(potters).toMatchObject({ kind: 'INVOICE', number: `${POTTER}-00000001`, billedTo: { title: BILLING.title } });
    const pdf = await fetchInContract(`${gateway.url}/api/v1/invoices/${potters.number}`, {
      headers: {
        authorization: `Bearer ${tokens.sign({ sub: `alice-${run}`, roles: ['shopper'], ttlSeconds: 600 })}`,
        accept: 'application/pdf',
      },
    });
    expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    const text = await new PDFParse({ data: new Uint8Array(await pdf.arrayBuffer()) }).getText().then((result) => result.text);
    expect(text).toContain(potters.number);
    expect(text).toContain(BILLING.title);
    expect(text).toContain(formatMinorUnits(potters.totalMinor, 'CNY', { separateThousands: true }));
    const stranger = await fetchInContract(`${gateway.url}/api/v1/invoices/${potters.number}`, {
      headers: {
        authorization: `Bearer ${tokens.sign({ sub: `mallory-${run}`, roles: ['shopper'], ttlSeconds: 600 })}`,
        accept: 'application/pdf',
      },
    });
    expect(stranger.status).toBe(404);
    // The shopper follows each sub-order and its parcels, with what the carrier said of each.
    const followed = orThrow(await alice.GET('/api/v1/orders/{id}', byId(order.id)));
    expect(followed.shipments!.map((shipment) => [shipment.subOrderId, shipment.state, shipment.parcels.length])).toEqual([
      [ours.id, 'SHIPPED', 2],
      [theirs.id, 'SHIPPED', 1],
    ]);
    const firstParcel = followed.shipments![0].parcels.find((candidate) => candidate.trackingNumber === labels[0])!;
    expect(firstParcel).toMatchObject({ state: 'DELIVERED', carrierCode: 'sf-express' });
    expect(firstParcel.tracking).toEqual([
      expect.objectContaining({ provider: 'aftership', state: 'DELIVERED', providerStatus: 'Delivered_001' }),
    ]);

    // The order completes when the after-sales window (7 days by default) after the last delivery is over.
    const [{ completes_at: completesAt }] = await queryDatabase<{ completes_at: Date }>(
      gateway.databaseName,
      'SELECT completes_at FROM order_view WHERE order_id = $1',
      [order.id],
    );
    expect(completesAt.getTime() - Date.now()).toBeGreaterThan(6 * 86_400_000);
    // Eight days pass: the deliveries move back in time, and the sweep finds the order due.
    await queryDatabase(
      gateway.databaseName,
      `UPDATE parcel_view SET delivered_at = delivered_at - interval '8 days' WHERE order_id = $1`,
      [order.id],
    );
    await queryDatabase(gateway.databaseName, `UPDATE order_view SET completes_at = completes_at - interval '8 days' WHERE order_id = $1`, [
      order.id,
    ]);
    await eventually(statusOf, (status) => status === 'COMPLETED');

    // Customer service reads a parcel; a shopper cannot reach the warehouse's screens.
    const parcel = orThrow(await as(`cs-${run}`, 'customer-service').GET('/api/v1/parcels/{id}', byId(packed.parcels[0].id)));
    expect(parcel).toMatchObject({ state: 'DELIVERED', carrierCode: 'sf-express', subOrderId: ours.id, orderId: order.id });
    expect((await alice.GET('/api/v1/warehouse/sub-orders/{id}', byId(ours.id))).response.status).toBe(403);
    expect((await alice.GET('/api/v1/parcels/{id}', byId(parcel.id))).response.status).toBe(403);
  });
});
