/**
 * The warehouse's and the admins' side of the back-office console in a real browser (Debian's
 * chromium through playwright-core), against the gateway and every service on real Kafka and
 * PostgreSQL: our warehouse picks, packs and hands a parcel over and a drop-ship merchant reports
 * its own; returns are received (with a refund, without one for a reason) and inspected (passed,
 * failed); an admin reads the stock ledger and the flash-sale SKUs, and turns a poison event
 * around on the dead-letter desk: seen, its cause fixed, replayed and applied, another discarded.
 * Each step is clicked, and its result checked on the screen and through the API. The
 * screenshots in docs/operations.md are taken here.
 */
import { randomUUID } from 'node:crypto';
import { orThrow } from '@mallard/client';
import { restockRequested } from '@mallard/contracts';
import { dropDatabase, eventually, sendEvent, startTestService, type TestService, uniqueSuffix } from '@mallard/testing';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterSalesService } from '../apps/after-sales/src/service.js';
import { gatewayService } from '../apps/gateway/src/service.js';
import { inventoryService } from '../apps/inventory/src/service.js';
import { signAfterShipBody } from '../apps/logistics/src/providers/aftership/aftership-webhook.js';
import { logisticsService } from '../apps/logistics/src/service.js';
import { afterShipUpdate } from '../apps/logistics/src/testing/logistics-test-kit.js';
import { ordersService } from '../apps/orders/src/service.js';
import { paymentsService } from '../apps/payments/src/service.js';
import { contractCheckedClient, fetchInContract } from './api-contract.js';
import { launchChromium, shoot, signIn, tabsOf, tokenFor } from './console-browser.js';

const run = uniqueSuffix();
const AFTERSHIP_SECRET = `aftership-${run}-secret`;
const receiver = { name: 'Li Lei', phone: '+8613800000000', address: { country: 'CN', city: 'Hangzhou', street: '1 Lake Road' } };
const label = (prefix: string) => `${prefix}${run}`.replace(/[^A-Za-z0-9]/g, '').slice(0, 40);

describe('the console for the warehouse and admins', () => {
  const services: TestService[] = [];
  let gateway: TestService;
  let inventory: TestService;
  let browser: Browser;
  const byId = (id: string) => ({ params: { path: { id } } });
  const MALL = `mall-${run}`;
  const POTTER = `potter-${run}`;
  const EAST = `east-${run}`;
  const TEA = `tea-${run}`;
  const CUP = `cup-${run}`;
  const MOONCAKE = `mooncake-${run}`;
  const ALICE = `alice-${run}`;
  const BOB = `bob-${run}`;
  const ADMIN = `admin-${run}`;
  const PICKER = `picker-${run}`;
  const POTTER_STAFF = `potter-staff-${run}`;
  const api = (user: string, role: Parameters<typeof tokenFor>[1] = 'shopper', warehouses?: string[]) =>
    contractCheckedClient(gateway.url, tokenFor(user, role, warehouses));
  const admin = () => api(ADMIN, 'admin');
  const picker = () => api(PICKER, 'warehouse', [EAST]);
  const potter = () => api(POTTER_STAFF, 'warehouse', [POTTER]);

  /** What the first test ships and the second takes back. */
  const delivered = { orderId: '', ours: '', theirs: '', tea: '', cup: '' };

  beforeAll(async () => {
    browser = await launchChromium();
    const [inventoryService_, orders, payments, logistics, afterSales] = await Promise.all([
      startTestService(inventoryService, { STOCK_HOLD_TTL_SECONDS: '3600' }),
      startTestService(ordersService),
      startTestService(paymentsService),
      startTestService(logisticsService, { AFTERSHIP_WEBHOOK_SECRET: AFTERSHIP_SECRET }),
      startTestService(afterSalesService),
    ]);
    inventory = inventoryService_;
    gateway = await startTestService(gatewayService, {
      ORDERS_URL: orders.url,
      INVENTORY_URL: inventory.url,
      PAYMENTS_URL: payments.url,
      LOGISTICS_URL: logistics.url,
      AFTER_SALES_URL: afterSales.url,
      RATE_LIMIT_PER_MINUTE: '0',
    });
    services.push(gateway, afterSales, logistics, payments, orders, inventory);

    const staff = admin();
    orThrow(
      await staff.PUT('/api/v1/admin/merchants/{id}', {
        ...byId(MALL),
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
    const sku = { currency: 'CNY', onShelf: true } as const;
    for (const [skuId, body, warehouseId, units] of [
      [TEA, { ...sku, merchantId: MALL, name: 'Longjing tea', priceMinor: 5_000, fulfilmentType: 'SELF_OPERATED' }, EAST, 50],
      [CUP, { ...sku, merchantId: POTTER, name: 'Celadon cup', priceMinor: 4_500, fulfilmentType: 'DROP_SHIP' }, POTTER, 50],
      [
        MOONCAKE,
        {
          ...sku,
          merchantId: MALL,
          name: 'Mooncake gift box',
          priceMinor: 19_900,
          fulfilmentType: 'SELF_OPERATED',
          scarce: true,
          purchaseLimit: 2,
        },
        EAST,
        20,
      ],
    ] as const) {
      orThrow(await staff.PUT('/api/v1/admin/skus/{id}', { ...byId(skuId), body }));
      orThrow(
        await staff.POST('/api/v1/admin/stock/movements', {
          body: { skuId, warehouseId, kind: 'RECEIPT', quantity: units, reason: 'opening stock' },
        }),
      );
    }
    for (const buyerId of [ALICE, BOB]) {
      orThrow(await staff.POST('/api/v1/admin/points/grants', { body: { buyerId, points: 10_000_000, reason: 'welcome' } }));
    }
  });

  afterAll(async () => {
    await browser?.close();
    for (const service of services) {
      await service.stop();
      await dropDatabase(service.databaseName);
    }
  });

  /** A shopper's order, placed once the catalog reached orders, and paid in points unless `unpaid`. */
  async function order(buyerId: string, lines: { skuId: string; quantity: number }[], { unpaid = false } = {}) {
    const shopper = api(buyerId);
    const placed = await eventually(
      async () => shopper.POST('/api/v1/orders', { body: { lines, receiver, paymentMethod: 'POINTS' } }),
      (answer) => answer.response.status === 201,
    ).then(orThrow);
    if (!unpaid) {
      orThrow(
        await shopper.POST('/api/v1/orders/{id}/payments', {
          ...byId(placed.id),
          body: { tenders: [{ type: 'POINTS', points: placed.amounts.payable }] },
        }),
      );
    }
    return placed;
  }

  async function deliver(trackingNumber: string) {
    const raw = JSON.stringify(afterShipUpdate(trackingNumber, 'Delivered', new Date().toISOString()));
    const answer = await fetchInContract(`${gateway.url}/api/v1/webhooks/carriers/aftership`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'aftership-hmac-sha256': signAfterShipBody(AFTERSHIP_SECRET, raw) },
      body: raw,
    });
    expect(answer.status).toBe(200);
  }

  const card = (page: Page, testId: string, id: string) => page.getByTestId(testId).filter({ hasText: id });
  const fillLabel = async (form: Locator, carrierCode: string, trackingNumber: string) => {
    await form.getByLabel('Carrier').fill(carrierCode);
    await form.getByLabel('Tracking number').fill(trackingNumber);
  };

  it('ships from the Warehouse tab: our warehouse picks, packs and hands the parcel over; the drop-ship merchant reports its own', async () => {
    const placed = await order(ALICE, [
      { skuId: TEA, quantity: 2 },
      { skuId: CUP, quantity: 1 },
    ]);
    const split = await eventually(
      async () => orThrow(await api(ALICE).GET('/api/v1/orders/{id}', byId(placed.id))),
      (current) => current.state === 'SPLIT' && current.subOrders.length === 2,
      { timeoutMs: 30_000 },
    );
    const ours = split.subOrders.find((subOrder) => subOrder.warehouseId === EAST)!;
    const theirs = split.subOrders.find((subOrder) => subOrder.warehouseId === POTTER)!;
    Object.assign(delivered, {
      orderId: placed.id,
      ours: ours.id,
      theirs: theirs.id,
      tea: ours.lines.find((line) => line.skuId === TEA)!.lineId,
      cup: theirs.lines.find((line) => line.skuId === CUP)!.lineId,
    });
    await eventually(
      async () => (await picker().GET('/api/v1/warehouse/sub-orders/{id}', byId(ours.id))).response.status,
      (status) => status === 200,
    );

    const east = await signIn(browser, gateway.url, tokenFor(PICKER, 'warehouse', [EAST]));
    expect(await tabsOf(east.page)).toEqual(['Warehouse']);
    const ourCard = card(east.page, 'warehouse-sub-order', ours.id);
    await ourCard.getByRole('button', { name: 'Pick' }).click();
    await east.page.getByTestId('warehouse-empty').waitFor();
    await east.page.getByLabel('State').selectOption('PICKING');
    await ourCard.getByRole('button', { name: 'Pack in one parcel' }).click();
    await east.page.getByTestId('warehouse-empty').waitFor();
    await east.page.getByLabel('State').selectOption('PACKED');
    const handOver = ourCard.getByTestId('hand-over');
    const tracking = label('SF');
    await fillLabel(handOver, 'sf-express', tracking);
    await shoot(east.page, 'warehouse-ship');
    await handOver.getByRole('button', { name: 'Hand over' }).click();
    await east.page.getByTestId('warehouse-empty').waitFor();

    const shipped = orThrow(await picker().GET('/api/v1/warehouse/sub-orders/{id}', byId(ours.id)));
    expect(shipped.state).toBe('SHIPPED');
    expect(shipped.parcels).toHaveLength(1);
    expect(shipped.parcels[0]).toMatchObject({
      carrierCode: 'sf-express',
      trackingNumber: tracking,
      lines: [{ lineId: delivered.tea, quantity: 2 }],
    });
    expect(shipped.parcels[0].handedOverAt).not.toBeNull();
    expect(shipped.history.map((change) => [change.to, change.actor.id])).toEqual([
      ['AWAITING_PICK', null],
      ['PICKING', PICKER],
      ['PACKED', PICKER],
      ['SHIPPED', PICKER],
    ]);
    await east.page.getByLabel('State').selectOption('SHIPPED');
    await expect(ourCard.getByTestId('warehouse-parcel').textContent()).resolves.toContain(tracking);
    expect(east.errors).toEqual([]);

    // The drop-ship merchant neither picks nor packs: it says what it sent, under its own label.
    await eventually(
      async () => (await potter().GET('/api/v1/warehouse/sub-orders/{id}', byId(theirs.id))).response.status,
      (status) => status === 200,
    );
    const merchant = await signIn(browser, gateway.url, tokenFor(POTTER_STAFF, 'warehouse', [POTTER]));
    const theirCard = card(merchant.page, 'warehouse-sub-order', theirs.id);
    await theirCard.waitFor();
    expect(await theirCard.getByRole('button', { name: 'Pick' }).count()).toBe(0);
    const report = theirCard.getByTestId('report-shipment');
    await expect(report.textContent()).resolves.toContain('1 unit(s) not reported yet');
    const theirTracking = label('SFP');
    await fillLabel(report, 'sf-express', theirTracking);
    await report.getByRole('button', { name: 'Report shipment' }).click();
    await merchant.page.getByTestId('warehouse-empty').waitFor();
    const reported = orThrow(await potter().GET('/api/v1/warehouse/sub-orders/{id}', byId(theirs.id)));
    expect(reported.state).toBe('SHIPPED');
    expect(reported.parcels.map((parcel) => [parcel.carrierCode, parcel.trackingNumber, parcel.lines])).toEqual([
      ['sf-express', theirTracking, [expect.objectContaining({ lineId: delivered.cup, quantity: 1 })]],
    ]);
    expect(reported.history.at(-1)?.actor).toMatchObject({ kind: 'MERCHANT', id: POTTER_STAFF });
    expect(merchant.errors).toEqual([]);

    await deliver(tracking);
    await deliver(theirTracking);
    await eventually(
      async () => orThrow(await api(ALICE).GET('/api/v1/orders/{id}', byId(placed.id))).status,
      (status) => status === 'DELIVERED',
      { timeoutMs: 30_000 },
    );
  });

  it('receives returns in the Warehouse tab: with a refund and passed, failed, and without a refund for a reason', async () => {
    const alice = api(ALICE);
    /** A return, asked (retried under one key until after-sales has heard of the delivery), approved and sent back. */
    const sentBack = async (subOrderId: string, lineId: string, reason: 'DAMAGED' | 'CHANGED_MIND', trackingNumber: string) => {
      const key = randomUUID();
      const made = await eventually(
        async () =>
          alice.POST('/api/v1/orders/{id}/after-sales', {
            params: { path: { id: delivered.orderId }, header: { 'Idempotency-Key': key } },
            body: { type: 'RETURN_AND_REFUND', reason, lines: [{ subOrderId, lineId, quantity: 1 }] },
          }),
        (answer) => answer.response.status === 201,
      ).then(orThrow);
      orThrow(await api(`cs-${run}`, 'customer-service').POST('/api/v1/admin/after-sales/{id}/approve', { ...byId(made.id), body: {} }));
      orThrow(
        await alice.POST('/api/v1/after-sales/{id}/return-parcel', {
          ...byId(made.id),
          body: { carrierCode: 'sf-express', trackingNumber },
        }),
      );
      return made.id;
    };
    const damaged = await sentBack(delivered.ours, delivered.tea, 'DAMAGED', label('RA'));
    const unwanted = await sentBack(delivered.ours, delivered.tea, 'CHANGED_MIND', label('RB'));
    const emptyBox = await sentBack(delivered.theirs, delivered.cup, 'CHANGED_MIND', label('RC'));
    const request = async (id: string) => orThrow(await alice.GET('/api/v1/after-sales/{id}', byId(id)));

    const east = await signIn(browser, gateway.url, tokenFor(PICKER, 'warehouse', [EAST]));
    await east.page.getByRole('button', { name: 'Returns' }).click();
    await east.page.getByTestId('returns-total').waitFor();
    const listed = orThrow(await picker().GET('/api/v1/warehouse/after-sales', { params: { query: { warehouseId: EAST } } }));
    expect(listed.items.map((item) => [item.id, item.state])).toEqual([
      [damaged, 'RETURN_SHIPPED'],
      [unwanted, 'RETURN_SHIPPED'],
    ]);
    expect(await east.page.getByTestId('returns-total').textContent()).toBe('2 return(s)');
    expect(await east.page.getByTestId('returns-page').textContent()).toBe('page 1 of 1');
    expect(await east.page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    expect(await east.page.getByTestId('return-request').count()).toBe(2);
    await expect(card(east.page, 'return-request', damaged).getByTestId('return-parcel').textContent()).resolves.toContain(label('RA'));
    await shoot(east.page, 'warehouse-returns');

    // Received with its refund, then passed: the goods go back on the shelf and the refund follows.
    const first = card(east.page, 'return-request', damaged);
    await first.getByRole('button', { name: 'Receive', exact: true }).click();
    await east.page.getByTestId('return-outcome').filter({ hasText: 'is now RETURN_RECEIVED' }).waitFor();
    expect(await first.getByRole('button', { name: 'Passed' }).isDisabled()).toBe(true);
    await first.getByLabel('Inspection note').fill('Lid cracked as the shopper said; tea sealed');
    await first.getByRole('button', { name: 'Passed' }).click();
    await east.page.getByTestId('return-outcome').filter({ hasText: 'Inspection passed' }).waitFor();
    await expect(east.page.getByTestId('return-outcome').textContent()).resolves.toContain('is now REFUNDING');
    const refunded = await eventually(
      () => request(damaged),
      (current) => current.state === 'REFUNDED',
      { timeoutMs: 30_000 },
    );
    expect(refunded.returnParcel).toMatchObject({ inspectionPassed: true, inspectionNote: 'Lid cracked as the shopper said; tea sealed' });
    expect(refunded.refund?.refunded).toBeGreaterThan(0);
    expect(refunded.history.filter((step) => step.actor.kind === 'WAREHOUSE').map((step) => [step.to, step.actor.id])).toEqual([
      ['RETURN_RECEIVED', PICKER],
      ['REFUNDING', PICKER],
    ]);

    // A change of mind that comes back used fails inspection: closed, nothing refunded.
    const second = card(east.page, 'return-request', unwanted);
    await second.getByRole('button', { name: 'Receive', exact: true }).click();
    await second.getByLabel('Inspection note').waitFor();
    await second.getByLabel('Inspection note').fill('Seal broken, half the tea gone');
    await second.getByRole('button', { name: 'Failed' }).click();
    await east.page.getByTestId('return-outcome').filter({ hasText: 'Inspection failed' }).waitFor();
    await expect(east.page.getByTestId('return-outcome').textContent()).resolves.toContain('is now CLOSED');
    await east.page.getByTestId('returns-total').filter({ hasText: '0 return(s)' }).waitFor();
    expect(await request(unwanted)).toMatchObject({
      state: 'CLOSED',
      refund: null,
      returnParcel: { inspectionPassed: false, inspectionNote: 'Seal broken, half the tea gone' },
    });
    await east.page.getByLabel('Return state').selectOption('CLOSED');
    await expect(card(east.page, 'return-request', unwanted).getByTestId('return-parcel').textContent()).resolves.toContain(
      'inspection failed: Seal broken, half the tea gone',
    );
    expect(east.errors).toEqual([]);

    // The merchant's warehouse sees only its own return, and receives it without a refund, saying why;
    // once inspected, the request ends there.
    const refused = await potter().GET('/api/v1/warehouse/after-sales', { params: { query: { warehouseId: EAST } } });
    expect([refused.response.status, refused.error?.type]).toEqual([403, 'https://mallard.dev/problems/after-sales-warehouse-not-yours']);
    const merchant = await signIn(browser, gateway.url, tokenFor(POTTER_STAFF, 'warehouse', [POTTER]));
    await merchant.page.getByRole('button', { name: 'Returns' }).click();
    const third = card(merchant.page, 'return-request', emptyBox);
    await third.waitFor();
    expect(await merchant.page.getByTestId('return-request').count()).toBe(1);
    const withoutRefund = third.getByRole('button', { name: 'Receive without refund' });
    expect(await withoutRefund.isDisabled()).toBe(true);
    await third.getByLabel('Why no refund').fill('The merchant refunded the shopper by bank transfer');
    await withoutRefund.click();
    await merchant.page.getByTestId('return-outcome').filter({ hasText: 'Received without a refund' }).waitFor();
    await expect(merchant.page.getByTestId('return-outcome').textContent()).resolves.toContain('is now RETURN_RECEIVED');
    await third.getByLabel('Inspection note').fill('Cup intact');
    await third.getByRole('button', { name: 'Passed' }).click();
    await merchant.page.getByTestId('return-outcome').filter({ hasText: 'is now CLOSED' }).waitFor();
    const closed = await request(emptyBox);
    expect(closed).toMatchObject({ state: 'CLOSED', refund: null, returnParcel: { inspectionPassed: true, inspectionNote: 'Cup intact' } });
    expect(closed.returnParcel?.receivedAt).not.toBeNull();
    expect(closed.history.slice(-2)).toMatchObject([
      {
        to: 'RETURN_RECEIVED',
        actor: { kind: 'WAREHOUSE', id: POTTER_STAFF },
        note: expect.stringContaining('The merchant refunded the shopper by bank transfer'),
      },
      { to: 'CLOSED', actor: { kind: 'WAREHOUSE', id: POTTER_STAFF }, note: 'Cup intact' },
    ]);
    expect(merchant.errors).toEqual([]);
  });

  it('shows an admin the stock ledger of a SKU in a warehouse as the API lists it, returns and damaged goods included', async () => {
    const staff = admin();
    // The inspections reach inventory as events: the passed tea back on the shelf, the failed one booked as damaged.
    const movements = await eventually(
      async () => orThrow(await staff.GET('/api/v1/admin/stock/movements', { params: { query: { skuId: TEA, warehouseId: EAST } } })),
      (rows) => rows.some((row) => row.kind === 'RETURN') && rows.some((row) => row.kind === 'DAMAGED'),
      { timeoutMs: 30_000 },
    );
    expect(movements.map((row) => [row.kind, row.onHandDelta, row.heldDelta, row.damagedDelta])).toEqual([
      ['DAMAGED', 0, 0, 1],
      ['RETURN', 1, 0, 0],
      ['DEDUCTION', -2, -2, 0],
      ['HOLD', 0, 2, 0],
      ['RECEIPT', 50, 0, 0],
    ]);
    const stock = orThrow(await staff.GET('/api/v1/admin/skus/{id}/stock', byId(TEA)));

    const { page, errors } = await signIn(browser, gateway.url, tokenFor(ADMIN, 'admin'));
    expect(await tabsOf(page)).toEqual(['Orders', 'After-sales', 'Warehouse', 'Dead letters', 'Stock', 'Flash sales']);
    await page.getByRole('button', { name: 'Stock' }).click();
    await page.getByTestId('movements-count').waitFor();
    await page.getByLabel('SKU').fill(TEA);
    await page.getByLabel('Warehouse').fill(EAST);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByTestId('sku-levels').waitFor();
    await page
      .getByTestId('movements-count')
      .filter({ hasText: `${movements.length} movement(s)` })
      .waitFor();
    const rows = page.getByTestId('stock-movements').locator('tbody tr');
    expect(await rows.count()).toBe(movements.length);
    for (const [index, movement] of movements.entries()) {
      const cells = rows.nth(index).locator('td');
      expect(await cells.nth(0).textContent()).toBe(movement.id);
      expect(await cells.nth(4).textContent()).toBe(movement.kind);
      expect(await cells.nth(5).textContent()).toBe(
        movement.onHandDelta > 0 ? `+${movement.onHandDelta}` : movement.onHandDelta < 0 ? `\u2212${-movement.onHandDelta}` : '0',
      );
      expect(await cells.nth(9).textContent()).toBe(movement.reason ?? '');
    }
    const levels = page.getByTestId('sku-levels').locator('tbody tr');
    expect(await levels.last().locator('td').allTextContents()).toEqual([
      'All warehouses',
      String(stock.totals.onHand),
      String(stock.totals.held),
      String(stock.totals.available),
    ]);
    expect(stock.totals).toEqual({ onHand: 49, held: 0, available: 49 });
    await shoot(page, 'stock');
    expect(errors).toEqual([]);
  });

  it('shows an admin the flash-sale SKUs with their stock on hand, held, available and sold, as the API counts them', async () => {
    await order(ALICE, [{ skuId: MOONCAKE, quantity: 2 }]);
    await order(BOB, [{ skuId: MOONCAKE, quantity: 1 }], { unpaid: true });
    const staff = admin();
    const mooncakes = await eventually(
      async () => orThrow(await staff.GET('/api/v1/admin/flash-sale-skus')).items.find((item) => item.skuId === MOONCAKE),
      (item) => item?.sold === 2 && item.held === 1,
      { timeoutMs: 30_000 },
    );
    expect(mooncakes).toMatchObject({
      name: 'Mooncake gift box',
      priceMinor: 19_900,
      purchaseLimit: 2,
      onHand: 18,
      held: 1,
      available: 17,
      sold: 2,
      returned: 0,
      warehouses: [{ warehouseId: EAST, onHand: 18, held: 1, available: 17 }],
    });
    const listed = orThrow(await staff.GET('/api/v1/admin/flash-sale-skus'));
    expect(listed.items.map((item) => item.skuId)).not.toContain(TEA);

    const { page, errors } = await signIn(browser, gateway.url, tokenFor(ADMIN, 'admin'));
    await page.getByRole('button', { name: 'Flash sales' }).click();
    const row = page.getByTestId('flash-sale-skus').locator('tbody tr').filter({ hasText: MOONCAKE });
    await row.waitFor();
    for (const name of ['onHand', 'held', 'available', 'sold', 'returned'] as const) {
      expect(await row.getByTestId(`flash-${name}`).textContent(), name).toBe(String(mooncakes![name]));
    }
    await expect(row.textContent()).resolves.toContain('CNY 199.00');
    expect(await page.getByTestId('flash-sale-total').textContent()).toContain(`${listed.total} SKU(s) on flash sale`);
    await shoot(page, 'flash-sales');
    expect(errors).toEqual([]);
  });

  it('turns a poison event around on the dead-letter desk: seen, its cause fixed, replayed and applied; another discarded with who, when and why', async () => {
    const staff = admin();
    const group = inventory.config.KAFKA_CONSUMER_GROUP!;
    // Orders sends units back to warehouses the catalog does not have (yet): inventory cannot book them.
    const NORTH = `north-${run}`;
    const TYPO = `nrth-${run}`;
    const restock = (warehouseId: string, quantity: number) => {
      const orderId = randomUUID();
      return sendEvent(restockRequested, orderId, {
        orderId,
        restockId: `restock-${warehouseId}`,
        warehouseId,
        reason: 'PARCEL_RETURNED',
        lines: [{ skuId: TEA, quantity }],
      }).then((eventId) => ({ orderId, eventId }));
    };
    const poison = await restock(NORTH, 3);
    const mistake = await restock(TYPO, 1);
    // Only this test's letters: another in the group (a test before, a retry) must not change what is waited for.
    const ours = new Set<string | null>([poison.eventId, mistake.eventId]);
    const letters = await eventually(
      async () => {
        const answer = await staff.GET('/api/v1/admin/dead-letters/{group}', { params: { path: { group } } });
        return answer.response.status === 200 ? answer.data!.filter((letter) => ours.has(letter.eventId)) : [];
      },
      (found) => found.length === 2,
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const letterOf = (eventId: string) => letters.find((letter) => letter.eventId === eventId)!;
    expect(letterOf(poison.eventId)).toMatchObject({
      kind: 'handler-failed',
      status: 'PENDING',
      eventType: 'restock.requested',
      reason: expect.stringContaining(`the catalog has no warehouse ${NORTH}`),
    });

    const { page, errors } = await signIn(browser, gateway.url, tokenFor(ADMIN, 'admin'));
    await page.getByRole('button', { name: 'Dead letters' }).click();
    await page.getByTestId('dead-letter-groups').locator('tr').filter({ hasText: group }).getByRole('button', { name: 'Open' }).click();
    const desk = page.getByTestId('dead-letters');
    const rowOf = (id: string) => desk.locator('tbody tr').filter({ has: page.getByRole('cell', { name: id, exact: true }) });
    const poisonRow = rowOf(letterOf(poison.eventId).id);
    await poisonRow.waitFor();
    await expect(poisonRow.textContent()).resolves.toContain(`the catalog has no warehouse ${NORTH}`);
    await poisonRow.getByRole('button', { name: 'Show' }).click();
    await expect(page.getByTestId('dead-letter-body').textContent()).resolves.toContain(`"warehouseId": "${NORTH}"`);
    await shoot(page, 'dead-letter-poison');

    // The cause, fixed as an operator would: the warehouse is created in the catalog.
    orThrow(await staff.PUT('/api/v1/admin/warehouses/{id}', { ...byId(NORTH), body: { name: 'North', fulfilmentType: 'SELF_OPERATED' } }));
    expect(await poisonRow.getByRole('button', { name: 'Replay' }).isDisabled()).toBe(true);
    await desk.getByLabel('Why').fill(`warehouse ${NORTH} created in the catalog`);
    await poisonRow.getByRole('button', { name: 'Replay' }).click();
    await poisonRow.getByText('REPLAYED', { exact: true }).waitFor();
    await expect(poisonRow.getByTestId('dead-letter-action').textContent()).resolves.toContain(`replay by ${ADMIN}`);

    // Its effect: the units are booked into the new warehouse, once, and nothing is dead-lettered again.
    const booked = await eventually(
      async () => orThrow(await staff.GET('/api/v1/admin/stock/movements', { params: { query: { warehouseId: NORTH } } })),
      (rows) => rows.length > 0,
      { timeoutMs: 30_000 },
    );
    expect(booked).toMatchObject([{ kind: 'RETURN', skuId: TEA, onHandDelta: 3, orderId: poison.orderId, reason: 'PARCEL_RETURNED' }]);
    await page.getByRole('button', { name: 'Stock', exact: true }).click();
    // The tab first loads every warehouse's newest rows: filter only once that answer is shown.
    await page.getByTestId('movements-count').waitFor();
    await page.getByLabel('Warehouse').fill(NORTH);
    await page.getByRole('button', { name: 'Show' }).click();
    await page
      .getByTestId('movements-count')
      .filter({ hasText: /^\s*1 movement\(s\), newest first\s*$/ })
      .waitFor();
    const movementRows = page.getByTestId('stock-movements').locator('tbody tr');
    expect(await movementRows.count()).toBe(1);
    // Every cell but the time: #, SKU, warehouse, kind, on hand, held, damaged, order, reason.
    const cells = (await movementRows.first().locator('td').allTextContents()).map((text) => text.trim());
    expect([cells[0], ...cells.slice(2)]).toEqual([
      String(booked[0].id),
      TEA,
      NORTH,
      'RETURN',
      '+3',
      '0',
      '0',
      poison.orderId,
      'PARCEL_RETURNED',
    ]);

    // The other one named a warehouse by mistake: discarded, with who, when and why kept.
    await page.getByRole('button', { name: 'Dead letters' }).click();
    await page.getByTestId('dead-letter-groups').locator('tr').filter({ hasText: group }).getByRole('button', { name: 'Open' }).click();
    const mistakeRow = rowOf(letterOf(mistake.eventId).id);
    await mistakeRow.waitFor();
    const why = `${TYPO} is no warehouse of ours: a test record`;
    const before = Date.now();
    await desk.getByLabel('Why').fill(why);
    await mistakeRow.getByRole('button', { name: 'Discard' }).click();
    await mistakeRow.getByText('DISCARDED', { exact: true }).waitFor();
    await expect(mistakeRow.getByTestId('dead-letter-action').textContent()).resolves.toContain(`discard by ${ADMIN}`);
    await shoot(page, 'dead-letters-handled');

    const discarded = orThrow(
      await staff.GET('/api/v1/admin/dead-letters/{group}/{id}', { params: { path: { group, id: letterOf(mistake.eventId).id } } }),
    );
    expect(discarded).toMatchObject({ status: 'DISCARDED', history: [{ action: 'discard', by: ADMIN, why, forced: false }] });
    expect(Date.parse(discarded.history[0].at)).toBeGreaterThanOrEqual(before - 5_000);
    expect(Date.parse(discarded.history[0].at)).toBeLessThanOrEqual(Date.now());
    // Each of ours once, and the replayed one not dead-lettered again.
    const after = orThrow(await staff.GET('/api/v1/admin/dead-letters/{group}', { params: { path: { group } } }));
    expect(
      after
        .filter((letter) => ours.has(letter.eventId))
        .map((letter) => [letter.eventId, letter.status])
        .sort(),
    ).toEqual(
      [
        [poison.eventId, 'REPLAYED'],
        [mistake.eventId, 'DISCARDED'],
      ].sort(),
    );
    expect(orThrow(await staff.GET('/api/v1/admin/stock/movements', { params: { query: { warehouseId: TYPO } } }))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
