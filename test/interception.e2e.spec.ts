/**
 * What a shopper's cancel after payment and a refused parcel do to money and stock, through the
 * gateway: gateway + inventory + orders + payments + logistics on real Kafka and PostgreSQL. Every
 * call goes through libs/client and every answer is held to docs/openapi.json.
 */
import { orThrow } from '@mallard/client';
import { type OrderCompensatedV1, orderCompensated, Topics } from '@mallard/contracts';
import { dropDatabase, eventually, readTopic, startTestService, type TestService, uniqueSuffix } from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokens } from '../apps/gateway/src/auth/access-token.js';
import { DEV_JWT_SECRET } from '../apps/gateway/src/auth/jwt-secret.js';
import { gatewayService } from '../apps/gateway/src/service.js';
import { inventoryService } from '../apps/inventory/src/service.js';
import { signKuaidi100Param } from '../apps/logistics/src/providers/kuaidi100/kuaidi100-webhook.js';
import { logisticsService } from '../apps/logistics/src/service.js';
import { kuaidi100Push } from '../apps/logistics/src/testing/logistics-test-kit.js';
import { ordersService } from '../apps/orders/src/service.js';
import { paymentsService } from '../apps/payments/src/service.js';
import { contractCheckedClient, fetchInContract } from './api-contract.js';

const run = uniqueSuffix();
const KUAIDI100_SALT = `kuaidi100-${run}-salt`;
const SHIPPING_FEE = 800;
const OPENING_STOCK = 50;
const tokens = new AccessTokens({ secret: DEV_JWT_SECRET, issuer: 'mallard' });
type Role = 'shopper' | 'admin' | 'warehouse';
const receiver = { name: 'Han Meimei', phone: '+8613900000000', address: { country: 'CN', city: 'Suzhou', street: '2 Canal Street' } };

/** Kuaidi100 writes China time without an offset; a minute ahead of now keeps each report newer than the handover. */
function chinaTime(minutesAhead: number): string {
  const at = new Date(Date.now() + minutesAhead * 60_000 + 8 * 3_600_000);
  return at.toISOString().slice(0, 19).replace('T', ' ');
}

describe('interception and refused parcels through the gateway', () => {
  const services: TestService[] = [];
  let gateway: TestService;
  const as = (user: string, role: Role = 'shopper', warehouses?: string[]) =>
    contractCheckedClient(gateway.url, tokens.sign({ sub: user, roles: [role], ttlSeconds: 3600, ...(warehouses ? { warehouses } : {}) }));
  const admin = () => as(`admin-${run}`, 'admin');
  const byId = (id: string) => ({ params: { path: { id } } });
  const EAST = `east-${run}`;
  const POTTER = `potter-${run}`;
  const SILKROAD = `silkroad-${run}`;
  const TEA = `tea-${run}`;
  const CUP = `cup-${run}`;
  const SILK = `silk-${run}`;
  const picker = () => as(`picker-${run}`, 'warehouse', [EAST]);
  const merchant = () => as(`potter-staff-${run}`, 'warehouse', [POTTER]);

  beforeAll(async () => {
    const inventory = await startTestService(inventoryService, { STOCK_HOLD_TTL_SECONDS: '3600' });
    // Shipping is never free here, so that the first sub-order carries a fee to refund.
    const orders = await startTestService(ordersService, { SHIPPING_FEE_MINOR: String(SHIPPING_FEE), FREE_SHIPPING_FROM_MINOR: '0' });
    const payments = await startTestService(paymentsService);
    const logistics = await startTestService(logisticsService, { KUAIDI100_SALT, PLATFORM_PURCHASE_DELAY_SECONDS: '3600' });
    gateway = await startTestService(gatewayService, {
      ORDERS_URL: orders.url,
      INVENTORY_URL: inventory.url,
      PAYMENTS_URL: payments.url,
      LOGISTICS_URL: logistics.url,
      RATE_LIMIT_PER_MINUTE: '0',
    });
    services.push(gateway, logistics, payments, orders, inventory);

    const staff = admin();
    const merchants: [string, string, 'RESERVE_ON_ORDER' | 'DEDUCT_ON_PAYMENT'][] = [
      [`mall-${run}`, 'The Mall', 'RESERVE_ON_ORDER'],
      [POTTER, 'Potter', 'DEDUCT_ON_PAYMENT'],
      [SILKROAD, 'Silk Road marketplace', 'DEDUCT_ON_PAYMENT'],
    ];
    for (const [id, name, defaultStockPolicy] of merchants) {
      orThrow(await staff.PUT('/api/v1/admin/merchants/{id}', { ...byId(id), body: { name, defaultStockPolicy } }));
    }
    orThrow(await staff.PUT('/api/v1/admin/warehouses/{id}', { ...byId(EAST), body: { name: 'East', fulfilmentType: 'SELF_OPERATED' } }));
    orThrow(
      await staff.PUT('/api/v1/admin/warehouses/{id}', {
        ...byId(POTTER),
        body: { name: 'Potter workshop', merchantId: POTTER, fulfilmentType: 'DROP_SHIP' },
      }),
    );
    orThrow(
      await staff.PUT('/api/v1/admin/warehouses/{id}', {
        ...byId(SILKROAD),
        body: { name: 'Silk Road', merchantId: SILKROAD, fulfilmentType: 'THIRD_PARTY_PLATFORM' },
      }),
    );
    const skus = [
      [TEA, `mall-${run}`, 'Tea', 3000, 'SELF_OPERATED', EAST],
      [CUP, POTTER, 'Cup', 4500, 'DROP_SHIP', POTTER],
      [SILK, SILKROAD, 'Silk scarf', 2000, 'THIRD_PARTY_PLATFORM', SILKROAD],
    ] as const;
    for (const [skuId, merchantId, name, priceMinor, fulfilmentType, warehouseId] of skus) {
      orThrow(
        await staff.PUT('/api/v1/admin/skus/{id}', {
          ...byId(skuId),
          body: { currency: 'CNY', onShelf: true, merchantId, name, priceMinor, fulfilmentType },
        }),
      );
      orThrow(
        await staff.POST('/api/v1/admin/stock/movements', {
          body: { skuId, warehouseId, kind: 'RECEIPT', quantity: OPENING_STOCK, reason: 'opening stock' },
        }),
      );
    }
    for (const buyer of ['alice', 'bob']) {
      orThrow(
        await staff.POST('/api/v1/admin/points/grants', { body: { buyerId: `${buyer}-${run}`, points: 1_000_000, reason: 'welcome' } }),
      );
    }
  });

  afterAll(async () => {
    for (const service of services) {
      await service.stop();
      await dropDatabase(service.databaseName);
    }
  });

  /** Places and pays (in points) an order, and answers it once it is split. */
  async function paidAndSplit(buyer: string, lines: { skuId: string; quantity: number }[]) {
    const shopper = as(buyer);
    const order = await eventually(
      async () => shopper.POST('/api/v1/orders', { body: { lines, receiver, paymentMethod: 'POINTS' } }),
      (answer) => answer.response.status === 201,
    ).then(orThrow);
    orThrow(
      await shopper.POST('/api/v1/orders/{id}/payments', {
        ...byId(order.id),
        body: { tenders: [{ type: 'POINTS', points: order.amounts.payable }] },
      }),
    );
    return eventually(
      async () => orThrow(await shopper.GET('/api/v1/orders/{id}', byId(order.id))),
      (current) => current.state === 'SPLIT',
      { timeoutMs: 30_000 },
    );
  }

  const onHand = async (skuId: string) => orThrow(await admin().GET('/api/v1/admin/skus/{id}/stock', byId(skuId))).totals;
  const refundsOf = async (orderId: string) =>
    orThrow(await admin().GET('/api/v1/admin/orders/{id}/money-trail', byId(orderId))).refunds.filter(
      (refund) => refund.state === 'SUCCEEDED',
    );
  const subOrderState = async (id: string) => orThrow(await admin().GET('/api/v1/warehouse/sub-orders/{id}', byId(id))).state;
  /** What orders told the others it gave back for the order (order.compensated), in the order it did. */
  const compensationsPublished = async (orderId: string, count: number) =>
    (
      await readTopic(Topics.orders, count, 20_000, (record) => record.key === orderId && record.headers.ce_type === orderCompensated.type)
    ).map((record) => JSON.parse(record.value!) as OrderCompensatedV1);

  it('stops what has not left: a platform purchase in its window, a packed parcel, a merchant who agrees; all refunded and restocked', async () => {
    const alice = as(`alice-${run}`);
    const order = await paidAndSplit(`alice-${run}`, [
      { skuId: TEA, quantity: 2 },
      { skuId: CUP, quantity: 1 },
      { skuId: SILK, quantity: 1 },
    ]);
    expect(order.amounts.shippingFee).toBe(SHIPPING_FEE);
    const tea = order.subOrders.find((subOrder) => subOrder.warehouseId === EAST)!;
    const cup = order.subOrders.find((subOrder) => subOrder.warehouseId === POTTER)!;
    const silk = order.subOrders.find((subOrder) => subOrder.warehouseId === SILKROAD)!;
    // Our warehouse has already packed its part.
    await eventually(
      async () => (await picker().POST('/api/v1/warehouse/sub-orders/{id}/pick', byId(tea.id))).response.status,
      (status) => status === 200,
    );
    orThrow(
      await picker().POST('/api/v1/warehouse/sub-orders/{id}/pack', {
        ...byId(tea.id),
        body: { parcels: [{ lines: [{ lineId: tea.lines[0].lineId, quantity: 2 }] }] },
      }),
    );
    await eventually(
      () => subOrderState(silk.id),
      (state) => state === 'AWAITING_PICK',
    );
    await eventually(
      () => subOrderState(cup.id),
      (state) => state === 'AWAITING_PICK',
    );

    const cancel = await alice.POST('/api/v1/orders/{id}/cancel', byId(order.id));
    expect(cancel.response.status).toBe(202);
    expect(cancel.data?.interceptionRequestedAt).toEqual(expect.any(String));

    // The platform purchase was never placed and our parcel never left: both stop at once; the merchant is asked.
    await eventually(
      () => subOrderState(silk.id),
      (state) => state === 'CANCELLED',
    );
    await eventually(
      () => subOrderState(tea.id),
      (state) => state === 'INTERCEPTED',
    );
    await eventually(
      () => subOrderState(cup.id),
      (state) => state === 'INTERCEPTING',
    );
    const asking = await eventually(
      async () => orThrow(await alice.GET('/api/v1/orders/{id}', byId(order.id))),
      (current) => current.flags.interception === 'IN_PROGRESS' && current.flags.refunded === 'PARTIAL',
    );
    expect(asking.status).toBe('PAID');

    // The merchant stops it; the same answer again changes nothing, the other answer is refused.
    const stopped = orThrow(
      await merchant().POST('/api/v1/warehouse/sub-orders/{id}/interception', { ...byId(cup.id), body: { stopped: true } }),
    );
    expect(stopped.state).toBe('INTERCEPTED');
    expect(stopped.history.at(-1)).toMatchObject({ to: 'INTERCEPTED', actor: { kind: 'MERCHANT', id: `potter-staff-${run}` } });
    expect(
      (await merchant().POST('/api/v1/warehouse/sub-orders/{id}/interception', { ...byId(cup.id), body: { stopped: true } })).response
        .status,
    ).toBe(200);
    const contradicted = await merchant().POST('/api/v1/warehouse/sub-orders/{id}/interception', {
      ...byId(cup.id),
      body: { stopped: false },
    });
    expect([contradicted.response.status, contradicted.error?.type]).toEqual([409, 'https://mallard.dev/problems/sub-order-step-refused']);

    const cancelled = await eventually(
      async () => orThrow(await alice.GET('/api/v1/orders/{id}', byId(order.id))),
      (current) => current.status === 'CANCELLED' && current.flags.refunded === 'FULL',
      { timeoutMs: 30_000 },
    );
    expect(cancelled.flags.interception).toBe('STOPPED');
    // Per sub-order, the shopper sees what stopped.
    expect(cancelled.shipments!.map((shipment) => [shipment.subOrderId, shipment.state, shipment.interception?.outcome])).toEqual(
      expect.arrayContaining([
        [tea.id, 'INTERCEPTED', 'STOPPED'],
        [cup.id, 'INTERCEPTED', 'STOPPED'],
        [silk.id, 'CANCELLED', 'STOPPED'],
      ]),
    );
    // One refund per stopped sub-order, each what it paid; the first carried the shipping fee.
    const refunds = await eventually(
      () => refundsOf(order.id),
      (found) => found.length === 3,
    );
    const paidBy = (subOrder: typeof tea) => subOrder.lines.reduce((sum, line) => sum + line.paidAmount, 0);
    expect(refunds.map((refund) => [refund.reason, refund.amountMinor]).sort()).toEqual(
      [
        ['SUB_ORDER_STOPPED', paidBy(tea)],
        ['SUB_ORDER_STOPPED', paidBy(cup)],
        ['SUB_ORDER_STOPPED', paidBy(silk)],
      ].sort(),
    );
    expect(paidBy(tea)).toBe(2 * 3000 + SHIPPING_FEE);
    // And per sub-order, what was given back for it.
    expect(
      cancelled.subOrders.map((subOrder) => subOrder.compensations.map((c) => [c.kind, c.refundAmount, c.shippingFeeRefunded])),
    ).toEqual([tea, cup, silk].map((subOrder) => [['SUB_ORDER_STOPPED', paidBy(subOrder), subOrder.shippingFee]]));
    // Each stop is published too, with every unit and what it paid for its goods, for after-sales to count as given back.
    const published = await compensationsPublished(order.id, 3);
    expect(published.map((event) => event.subOrderId).sort()).toEqual([tea.id, cup.id, silk.id].sort());
    for (const subOrder of [tea, cup, silk]) {
      expect(published.find((event) => event.subOrderId === subOrder.id)).toMatchObject({
        orderId: order.id,
        compensationId: `SUB_ORDER_STOPPED:${subOrder.id}`,
        kind: 'SUB_ORDER_STOPPED',
        lines: subOrder.lines.map((line) => ({
          lineId: line.lineId,
          skuId: line.skuId,
          quantity: line.quantity,
          amountMinor: line.merchandise,
        })),
        shippingFeeRefundedMinor: subOrder.shippingFee,
        refundMinor: paidBy(subOrder),
      });
    }
    expect(refunds.reduce((sum, refund) => sum + refund.amountMinor, 0)).toBe(order.amounts.payable);
    expect(orThrow(await alice.GET('/api/v1/me/points')).balance).toBe(1_000_000);
    // Every unit is back on the shelf.
    for (const skuId of [TEA, CUP, SILK]) {
      await eventually(
        () => onHand(skuId),
        (totals) => totals.onHand === OPENING_STOCK && totals.available === OPENING_STOCK,
      );
    }
    // Cancelling again answers the same and refunds nothing more.
    expect((await alice.POST('/api/v1/orders/{id}/cancel', byId(order.id))).response.status).toBe(202);
    expect(await refundsOf(order.id)).toHaveLength(3);
  });

  it('refuses to stop what a carrier has; a refused parcel is refunded with the fee exactly when its sub-order carried it', async () => {
    const bob = as(`bob-${run}`);
    const order = await paidAndSplit(`bob-${run}`, [
      { skuId: TEA, quantity: 2 },
      { skuId: CUP, quantity: 1 },
    ]);
    const tea = order.subOrders.find((subOrder) => subOrder.warehouseId === EAST)!;
    const cup = order.subOrders.find((subOrder) => subOrder.warehouseId === POTTER)!;
    expect([tea.shippingFee, cup.shippingFee]).toEqual([SHIPPING_FEE, 0]);
    await eventually(
      async () => (await picker().POST('/api/v1/warehouse/sub-orders/{id}/pick', byId(tea.id))).response.status,
      (status) => status === 200,
    );
    const packed = orThrow(
      await picker().POST('/api/v1/warehouse/sub-orders/{id}/pack', {
        ...byId(tea.id),
        body: { parcels: [{ lines: [{ lineId: tea.lines[0].lineId, quantity: 2 }] }] },
      }),
    );
    const teaLabel = `SF${run}`.replace(/[^A-Za-z0-9]/g, '');
    const cupLabel = `YT${run}`.replace(/[^A-Za-z0-9]/g, '');
    orThrow(
      await picker().POST('/api/v1/warehouse/parcels/{id}/handover', {
        ...byId(packed.parcels[0].id),
        body: { carrierCode: 'sf-express', trackingNumber: teaLabel },
      }),
    );
    await eventually(
      async () => (await merchant().GET('/api/v1/warehouse/sub-orders/{id}', byId(cup.id))).response.status,
      (status) => status === 200,
    );
    orThrow(
      await merchant().POST('/api/v1/warehouse/sub-orders/{id}/shipments', {
        ...byId(cup.id),
        body: { parcels: [{ carrierCode: 'yto', trackingNumber: cupLabel, lines: [{ lineId: cup.lines[0].lineId, quantity: 1 }] }] },
      }),
    );
    const statusOf = async () => orThrow(await bob.GET('/api/v1/orders/{id}', byId(order.id)));
    await eventually(statusOf, (current) => current.status === 'SHIPPED');

    // Everything is with a carrier: nothing stops, and after-sales is the way.
    expect((await bob.POST('/api/v1/orders/{id}/cancel', byId(order.id))).response.status).toBe(202);
    const refused = await eventually(statusOf, (current) => current.flags.interception === 'REFUSED');
    expect(refused).toMatchObject({ status: 'SHIPPED', flags: { refunded: 'NONE' } });
    // Each sub-order says why: it had already left. After-sales is the way from here.
    expect(refused.shipments!.map((shipment) => shipment.interception)).toEqual([
      { outcome: 'REFUSED', reason: 'ALREADY_SHIPPED' },
      { outcome: 'REFUSED', reason: 'ALREADY_SHIPPED' },
    ]);
    expect([await subOrderState(tea.id), await subOrderState(cup.id)]).toEqual(['SHIPPED', 'SHIPPED']);

    const kuaidi100 = async (label: string, state: string, minutesAhead: number, status: string) => {
      const param = kuaidi100Push(label, state, chinaTime(minutesAhead), status);
      const answer = await fetchInContract(`${gateway.url}/api/v1/webhooks/carriers/kuaidi100`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ param, sign: signKuaidi100Param(param, KUAIDI100_SALT) }).toString(),
      });
      expect(answer.status).toBe(200);
    };
    // The shopper refuses the merchant's parcel: its goods come back, no fee (its sub-order carried none).
    await kuaidi100(cupLabel, '14', 1, '拒签');
    await eventually(
      () => refundsOf(order.id),
      (found) => found.length === 1,
    ).then((found) => expect(found.map((refund) => [refund.reason, refund.amountMinor])).toEqual([['PARCEL_REJECTED', 4500]]));
    await eventually(statusOf, (current) => current.flags.refunded === 'PARTIAL');
    // Then ours: its goods and the shipping fee its sub-order carried. Nothing is coming any more.
    await kuaidi100(teaLabel, '14', 1, '拒签');
    const refunds = await eventually(
      () => refundsOf(order.id),
      (found) => found.length === 2,
    );
    expect(refunds.map((refund) => refund.amountMinor).sort((a, b) => a - b)).toEqual([4500, 2 * 3000 + SHIPPING_FEE]);
    expect(refunds.reduce((sum, refund) => sum + refund.amountMinor, 0)).toBe(order.amounts.payable);
    const closed = await eventually(statusOf, (current) => current.status === 'CLOSED' && current.flags.refunded === 'FULL');
    expect(closed.subOrders.map((subOrder) => subOrder.compensations.map((c) => [c.kind, c.refundAmount, c.shippingFeeRefunded]))).toEqual([
      [['PARCEL_REJECTED', 2 * 3000 + SHIPPING_FEE, SHIPPING_FEE]],
      [['PARCEL_REJECTED', 4500, 0]],
    ]);

    // The tea parcel comes back to the warehouse: its units go back on the shelf, and no money moves again.
    const before = await onHand(TEA);
    await kuaidi100(teaLabel, '4', 2, '退签');
    await eventually(
      () => onHand(TEA),
      (totals) => totals.onHand === before.onHand + 2,
    );
    expect(await refundsOf(order.id)).toHaveLength(2);
    // Orders published each compensation as it wrote it: the two refusals, then the return (restocked, refunding nothing).
    const teaParcel = packed.parcels[0].id;
    expect(
      (await compensationsPublished(order.id, 3)).map((event) => [
        event.compensationId,
        event.subOrderId,
        event.lines.map((line) => [line.lineId, line.quantity, line.amountMinor]),
        event.shippingFeeRefundedMinor,
        event.refundMinor,
      ]),
    ).toEqual([
      [expect.stringMatching(/^PARCEL_REJECTED:/), cup.id, [[cup.lines[0].lineId, 1, 4500]], 0, 4500],
      [`PARCEL_REJECTED:${teaParcel}`, tea.id, [[tea.lines[0].lineId, 2, 2 * 3000]], SHIPPING_FEE, 2 * 3000 + SHIPPING_FEE],
      [`PARCEL_RETURNED:${teaParcel}`, tea.id, [[tea.lines[0].lineId, 2, 0]], 0, 0],
    ]);
  });
});
