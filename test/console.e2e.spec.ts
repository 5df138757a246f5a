/**
 * The back-office console in a real browser (Debian's chromium through playwright-core), against
 * the gateway and the services behind it on real Kafka and PostgreSQL: customer service looks up
 * a paid order and its money trail, finds a delivered one by its buyer and by its parcel's
 * tracking number, follows its timeline and tracking, refunds part of it, and decides two
 * after-sales requests; an admin opens the dead-letter desk, a shopper finds no staff tab. Each
 * step is clicked, and its outcome read back through the API as well as on screen. The
 * screenshots in README.md and docs/operations.md are taken here.
 */
import path from 'node:path';
import { orThrow } from '@mallard/client';
import { formatMinorUnits } from '@mallard/money';
import { dropDatabase, eventually, startTestService, type TestService, uniqueSuffix } from '@mallard/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyPng } from '../apps/after-sales/src/evidence/evidence-samples.js';
import { afterSalesService } from '../apps/after-sales/src/service.js';
import { CONSOLE_CSP } from '../apps/gateway/src/console/console.js';
import { gatewayService } from '../apps/gateway/src/service.js';
import { inventoryService } from '../apps/inventory/src/service.js';
import { signAfterShipBody } from '../apps/logistics/src/providers/aftership/aftership-webhook.js';
import { logisticsService } from '../apps/logistics/src/service.js';
import { afterShipUpdate } from '../apps/logistics/src/testing/logistics-test-kit.js';
import { ordersService } from '../apps/orders/src/service.js';
import { paymentsService } from '../apps/payments/src/service.js';
import { contractCheckedClient, fetchInContract } from './api-contract.js';
import { launchChromium, SCREENSHOTS, shoot, signIn as signInAt, tabsOf as tabs, tokenFor } from './console-browser.js';

const run = uniqueSuffix();
const AFTERSHIP_SECRET = `aftership-${run}-secret`;
const receiver = { name: 'Li Lei', phone: '+8613800000000', address: { country: 'CN', city: 'Hangzhou', street: '1 Lake Road' } };
/** As the console shows an amount: the currency, then the figure with thousands separated. */
const shown = (minor: number, currency: string) => `${currency} ${formatMinorUnits(minor, currency, { separateThousands: true })}`;

describe('the back-office console', () => {
  const services: TestService[] = [];
  let gateway: TestService;
  let browser: Browser;
  let orderId: string;
  const byId = (id: string) => ({ params: { path: { id } } });
  const EAST = `east-${run}`;
  const TEA = `tea-${run}`;
  const SHOPPER = `alice-${run}`;
  const NO_ORDER = '00000000-0000-4000-8000-000000000000';

  beforeAll(async () => {
    // Launched first: a machine without chromium fails here, in seconds, not after the services start.
    browser = await launchChromium();
    const [inventory, orders, payments, logistics, afterSales] = await Promise.all([
      startTestService(inventoryService, { STOCK_HOLD_TTL_SECONDS: '3600' }),
      startTestService(ordersService),
      startTestService(paymentsService),
      startTestService(logisticsService, { AFTERSHIP_WEBHOOK_SECRET: AFTERSHIP_SECRET }),
      startTestService(afterSalesService),
    ]);
    gateway = await startTestService(gatewayService, {
      ORDERS_URL: orders.url,
      INVENTORY_URL: inventory.url,
      PAYMENTS_URL: payments.url,
      LOGISTICS_URL: logistics.url,
      AFTER_SALES_URL: afterSales.url,
      RATE_LIMIT_PER_MINUTE: '0',
    });
    services.push(gateway, afterSales, logistics, payments, orders, inventory);

    const staff = contractCheckedClient(gateway.url, tokenFor(`admin-${run}`, 'admin'));
    const mall = `mall-${run}`;
    orThrow(
      await staff.PUT('/api/v1/admin/merchants/{id}', {
        ...byId(mall),
        body: { name: 'The Mall', defaultStockPolicy: 'RESERVE_ON_ORDER' },
      }),
    );
    orThrow(await staff.PUT('/api/v1/admin/warehouses/{id}', { ...byId(EAST), body: { name: 'East', fulfilmentType: 'SELF_OPERATED' } }));
    orThrow(
      await staff.PUT('/api/v1/admin/skus/{id}', {
        ...byId(TEA),
        body: {
          currency: 'CNY',
          onShelf: true,
          merchantId: mall,
          name: 'Longjing tea',
          priceMinor: 128_800,
          fulfilmentType: 'SELF_OPERATED',
        },
      }),
    );
    orThrow(
      await staff.POST('/api/v1/admin/stock/movements', {
        body: { skuId: TEA, warehouseId: EAST, kind: 'RECEIPT', quantity: 50, reason: 'opening stock' },
      }),
    );
    orThrow(await staff.POST('/api/v1/admin/points/grants', { body: { buyerId: SHOPPER, points: 1_000_000, reason: 'welcome' } }));

    const alice = contractCheckedClient(gateway.url, tokenFor(SHOPPER, 'shopper'));
    // The catalog reaches orders through events: place once it prices the SKU.
    const order = await eventually(
      async () => alice.POST('/api/v1/orders', { body: { lines: [{ skuId: TEA, quantity: 2 }], receiver, paymentMethod: 'POINTS' } }),
      (answer) => answer.response.status === 201,
    ).then(orThrow);
    orderId = order.id;
    orThrow(
      await alice.POST('/api/v1/orders/{id}/payments', {
        ...byId(order.id),
        body: { tenders: [{ type: 'POINTS', points: order.amounts.payable }] },
      }),
    );
    await eventually(
      async () => orThrow(await alice.GET('/api/v1/orders/{id}', byId(order.id))),
      (current) => current.status === 'PAID' && current.subOrders.length > 0 && (current.shipments?.length ?? 0) > 0,
      { timeoutMs: 30_000 },
    );
  });

  afterAll(async () => {
    await browser?.close();
    for (const service of services) {
      await service.stop();
      await dropDatabase(service.databaseName);
    }
  });

  /** A fresh tab signed in with `token`, failing the test on any script error or refused resource. */
  const signIn = (token: string): Promise<{ page: Page; errors: string[] }> => signInAt(browser, gateway.url, token);

  it('is served without a bearer, under a policy that allows only its own scripts; the API still asks for one', async () => {
    const page = await fetch(`${gateway.url}/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("script-src 'self';");
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    const hooks = await fetch(`${gateway.url}/console/vendor/hooks.mjs`);
    expect(hooks.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await hooks.text()).toContain('from"./preact.mjs"');
    expect((await fetch(`${gateway.url}/console`, { redirect: 'manual' })).headers.get('location')).toBe('/console/');
    expect((await fetch(`${gateway.url}/console/nothing.js`)).status).toBe(404);
    expect((await fetch(`${gateway.url}/api/v1/orders/${orderId}`)).status).toBe(401);
  });

  it('lets customer service look an order up: status, lines, amounts and the money trail, as the API gives them', async () => {
    const token = tokenFor(`cs-${run}`, 'customer-service');
    const api = contractCheckedClient(gateway.url, token);
    const order = orThrow(await api.GET('/api/v1/orders/{id}', byId(orderId)));
    const trail = orThrow(await api.GET('/api/v1/admin/orders/{id}/money-trail', byId(orderId)));

    const { page, errors } = await signIn(token);
    expect(await tabs(page)).toEqual(['Orders', 'After-sales']);
    await page.getByLabel('Order id').fill(orderId);
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByTestId('money-trail').waitFor();

    expect(await page.getByTestId('order-status').textContent()).toBe(order.status);
    const lines = page.getByTestId('order-lines');
    for (const line of order.lines) {
      const row = lines.locator('tr', { hasText: line.skuId });
      await expect(row.textContent()).resolves.toContain(line.name);
      expect(await row.locator('td').nth(2).textContent()).toBe(String(line.quantity));
      await expect(row.textContent()).resolves.toContain(shown(line.unitPrice, order.currency));
    }
    expect(await page.getByTestId('order-payable').textContent()).toBe(shown(order.amounts.payable, order.currency));
    expect(await page.getByTestId('trail-payable').textContent()).toBe(shown(trail.order!.payableMinor!, order.currency));
    const payments = await page.getByTestId('trail-payments').textContent();
    for (const payment of trail.payments) {
      expect(payments).toContain(payment.serial);
      expect(payments).toContain(shown(payment.amountMinor, payment.currency));
      expect(payments).toContain(payment.state);
    }
    const ledger = await page.getByTestId('trail-ledger').textContent();
    for (const entry of trail.pointsEntries) expect(ledger).toContain(`${entry.deltaPoints > 0 ? '+' : ''}${entry.deltaPoints} points`);
    expect(await page.getByTestId('sub-order').count()).toBe(order.subOrders.length);
    await shoot(page, 'order');

    expect(errors).toEqual([]);

    // An id of no order: the API's problem, its title and detail, in the page.
    const refused = await fetch(`${gateway.url}/api/v1/orders/${NO_ORDER}`, { headers: { authorization: `Bearer ${token}` } });
    const problem = (await refused.json()) as { title: string; detail?: string };
    await page.getByLabel('Order id').fill(NO_ORDER);
    await page.getByRole('button', { name: 'Look up' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.locator('strong').textContent()).toBe(problem.title);
    if (problem.detail) await expect(alert.textContent()).resolves.toContain(problem.detail);
    await expect(alert.textContent()).resolves.toContain(`(${refused.status})`);
    await shoot(page, 'problem');

    await page.getByRole('button', { name: 'After-sales' }).click();
    await page.getByTestId('after-sales-total').waitFor();
    const queue = orThrow(await api.GET('/api/v1/admin/after-sales'));
    expect(await page.getByTestId('after-sales-total').textContent()).toBe(`${queue.total} request(s)`);
  });

  it('lets warehouse staff pick a sub-order and pack it', async () => {
    const token = tokenFor(`picker-${run}`, 'warehouse', [EAST]);
    const api = contractCheckedClient(gateway.url, token);
    const subOrderId = orThrow(await api.GET('/api/v1/warehouse/sub-orders', { params: { query: { warehouseId: EAST } } })).items.find(
      (item) => item.orderId === orderId,
    )!.id;
    const { page, errors } = await signIn(token);
    expect(await tabs(page)).toEqual(['Warehouse']);
    const card = page.getByTestId('warehouse-sub-order').filter({ hasText: subOrderId });
    await card.waitFor();
    await expect(card.textContent()).resolves.toContain('Longjing tea');
    await shoot(page, 'warehouse');
    await card.getByRole('button', { name: 'Pick' }).click();
    await page.getByTestId('warehouse-empty').waitFor();
    await page.getByLabel('State').selectOption('PICKING');
    await card.getByRole('button', { name: 'Pack in one parcel' }).click();
    await page.getByTestId('warehouse-empty').waitFor();
    const packed = orThrow(await api.GET('/api/v1/warehouse/sub-orders/{id}', byId(subOrderId)));
    expect(packed.state).toBe('PACKED');
    expect(packed.parcels.map((parcel) => parcel.lines.reduce((sum, line) => sum + line.quantity, 0))).toEqual([2]);
    expect(errors).toEqual([]);
  });

  it('shows an admin the dead-letter desk', async () => {
    const token = tokenFor(`admin-${run}`, 'admin');
    const groups = orThrow(await contractCheckedClient(gateway.url, token).GET('/api/v1/admin/dead-letters'));
    const { page, errors } = await signIn(token);
    expect(await tabs(page)).toEqual(['Orders', 'After-sales', 'Warehouse', 'Dead letters', 'Stock', 'Flash sales']);
    await page.getByRole('button', { name: 'Dead letters' }).click();
    const desk = page.getByTestId('dead-letter-groups');
    await desk.waitFor();
    // Other suites on the same broker add and drop groups: this suite's own services have theirs.
    const ours = groups
      .map((group) => group.consumerGroup)
      .filter((group) => services.some((s) => s.config.KAFKA_CONSUMER_GROUP === group));
    expect(ours).toContain(gateway.config.KAFKA_CONSUMER_GROUP);
    for (const group of ours) await expect(desk.textContent()).resolves.toContain(group);
    await shoot(page, 'dead-letters');
    expect(errors).toEqual([]);
  });

  it('shows a shopper no staff tab, and the API refuses them the staff routes', async () => {
    const token = tokenFor(SHOPPER, 'shopper');
    const { page, errors } = await signIn(token);
    expect(await tabs(page)).toEqual([]);
    expect(await page.getByTestId('no-tabs').textContent()).toContain('shopper');
    const refused = await contractCheckedClient(gateway.url, token).GET('/api/v1/admin/orders/{id}/money-trail', byId(orderId));
    expect(refused.response.status).toBe(403);
    expect(errors).toEqual([]);
  });

  describe('for customer service, a delivered order', () => {
    const WEST = `west-${run}`;
    const CUP = `cup-${run}`;
    const CS = `cs-${run}`;
    const TRACKING = `SF${run}`.replace(/[^A-Za-z0-9]/g, '').slice(0, 30);
    const NOTE = 'The photos show no chip: keep the cup or send it back for a refund';
    let delivered: string;
    /** The request to approve (damaged, with a photo) and the one to reject (changed mind). */
    let damaged: string;
    let changedMind: string;
    const desk = () => contractCheckedClient(gateway.url, tokenFor(CS, 'customer-service'));
    /** What the page logs about an answer it shows as a problem, which is no fault of the page. */
    const unexpected = (errors: string[]) => errors.filter((error) => !/the server responded with a status of 4\d\d/.test(error));

    // Two cups from their own warehouse, so the warehouse tab's test keeps its queue to itself.
    beforeAll(async () => {
      const staff = contractCheckedClient(gateway.url, tokenFor(`admin-${run}`, 'admin'));
      orThrow(await staff.PUT('/api/v1/admin/warehouses/{id}', { ...byId(WEST), body: { name: 'West', fulfilmentType: 'SELF_OPERATED' } }));
      orThrow(
        await staff.PUT('/api/v1/admin/skus/{id}', {
          ...byId(CUP),
          body: {
            currency: 'CNY',
            onShelf: true,
            merchantId: `mall-${run}`,
            name: 'Celadon cup',
            priceMinor: 4_500,
            fulfilmentType: 'SELF_OPERATED',
          },
        }),
      );
      orThrow(
        await staff.POST('/api/v1/admin/stock/movements', {
          body: { skuId: CUP, warehouseId: WEST, kind: 'RECEIPT', quantity: 20, reason: 'opening stock' },
        }),
      );
      const alice = contractCheckedClient(gateway.url, tokenFor(SHOPPER, 'shopper'));
      const order = await eventually(
        async () => alice.POST('/api/v1/orders', { body: { lines: [{ skuId: CUP, quantity: 2 }], receiver, paymentMethod: 'POINTS' } }),
        (answer) => answer.response.status === 201,
      ).then(orThrow);
      delivered = order.id;
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
      const subOrder = split.subOrders[0];

      // The warehouse ships it in one parcel through its API, as test/fulfilment.e2e.spec.ts does.
      const picker = contractCheckedClient(gateway.url, tokenFor(`picker-${run}`, 'warehouse', [WEST]));
      await eventually(
        async () => (await picker.GET('/api/v1/warehouse/sub-orders/{id}', byId(subOrder.id))).response.status,
        (status) => status === 200,
      );
      orThrow(await picker.POST('/api/v1/warehouse/sub-orders/{id}/pick', byId(subOrder.id)));
      const packed = orThrow(
        await picker.POST('/api/v1/warehouse/sub-orders/{id}/pack', {
          ...byId(subOrder.id),
          body: { parcels: [{ lines: subOrder.lines.map(({ lineId, quantity }) => ({ lineId, quantity })) }] },
        }),
      );
      orThrow(
        await picker.POST('/api/v1/warehouse/parcels/{id}/handover', {
          ...byId(packed.parcels[0].id),
          body: { carrierCode: 'sf-express', trackingNumber: TRACKING },
        }),
      );
      // The carrier reports it on its way, then delivered, through the gateway's public webhook.
      for (const tag of ['InTransit', 'Delivered']) {
        const raw = JSON.stringify(afterShipUpdate(TRACKING, tag, new Date().toISOString()));
        const answer = await fetchInContract(`${gateway.url}/api/v1/webhooks/carriers/aftership`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'aftership-hmac-sha256': signAfterShipBody(AFTERSHIP_SECRET, raw) },
          body: raw,
        });
        expect(answer.status).toBe(200);
      }
      await eventually(
        async () => orThrow(await alice.GET('/api/v1/orders/{id}', byId(order.id))).status,
        (status) => status === 'DELIVERED',
        { timeoutMs: 30_000 },
      );

      // One cup each: a refund for a chipped one, with a photo; a return of the other.
      const unit = { subOrderId: subOrder.id, lineId: subOrder.lines[0].lineId, quantity: 1 };
      const ask = (body: Record<string, unknown>) => {
        const key = crypto.randomUUID();
        // Retried under one key until after-sales has heard of the delivery.
        return eventually(
          async () =>
            alice.POST('/api/v1/orders/{id}/after-sales', {
              params: { path: { id: order.id }, header: { 'Idempotency-Key': key } },
              body: body as never,
            }),
          (answer) => answer.response.status === 201,
        ).then(orThrow);
      };
      damaged = (await ask({ type: 'REFUND_ONLY', reason: 'DAMAGED', description: 'The glaze is chipped', lines: [unit] })).id;
      const form = new FormData();
      form.append('files', new Blob([new Uint8Array(tinyPng())], { type: 'image/png' }), 'chip.png');
      const uploaded = await fetchInContract(`${gateway.url}/api/v1/after-sales/${damaged}/evidence`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokenFor(SHOPPER, 'shopper')}` },
        body: form,
      });
      expect(uploaded.status).toBe(200);
      changedMind = (await ask({ type: 'RETURN_AND_REFUND', reason: 'CHANGED_MIND', lines: [unit] })).id;
    });

    /** Opens the order in the Orders tab by its id. */
    const openOrder = async (page: Page, id: string) => {
      await page.getByLabel('Find by').selectOption('order');
      await page.getByLabel('Order id').fill(id);
      await page.getByRole('button', { name: 'Look up' }).click();
      await page.getByTestId('order-timeline').waitFor();
    };

    it('finds the order by its buyer and by its parcel’s tracking number, with its saga timeline and the parcel’s tracking history', async () => {
      const api = desk();
      const { page, errors } = await signIn(tokenFor(CS, 'customer-service'));
      const results = page.getByTestId('order-results');
      const listed = () =>
        results.locator('[data-order-id]').evaluateAll((buttons) => buttons.map((button) => button.getAttribute('data-order-id')));

      await page.getByLabel('Find by').selectOption('buyer');
      await page.getByLabel('Buyer id').fill(SHOPPER);
      await page.getByRole('button', { name: 'Look up' }).click();
      await results.getByText('of buyer').waitFor();
      const byBuyer = orThrow(await api.GET('/api/v1/admin/orders', { params: { query: { buyerId: SHOPPER } } }));
      expect(byBuyer.items.map((item) => item.id)).toEqual([delivered, orderId]);
      expect(await listed()).toEqual(byBuyer.items.map((item) => item.id));
      await expect(results.locator('h3').textContent()).resolves.toContain(`${byBuyer.total} order(s) of buyer ${SHOPPER}`);
      for (const item of byBuyer.items) {
        const row = await results.locator('tr', { hasText: item.id }).textContent();
        expect(row).toContain(item.status);
        expect(row).toContain(shown(item.payable, item.currency));
      }
      await shoot(page, 'order-search');

      await page.getByLabel('Find by').selectOption('tracking');
      await page.getByLabel('Tracking number').fill(TRACKING);
      await page.getByRole('button', { name: 'Look up' }).click();
      await results.getByText('with tracking number').waitFor();
      const byTracking = orThrow(await api.GET('/api/v1/admin/orders', { params: { query: { trackingNumber: TRACKING } } }));
      expect(byTracking.items.map((item) => [item.id, item.buyerId])).toEqual([[delivered, SHOPPER]]);
      expect(await listed()).toEqual([delivered]);
      await results.getByRole('button', { name: delivered }).click();
      const timeline = page.getByTestId('order-timeline');
      await timeline.waitFor();

      const order = orThrow(await api.GET('/api/v1/orders/{id}', byId(delivered)));
      const trail = orThrow(await api.GET('/api/v1/admin/orders/{id}/money-trail', byId(delivered)));
      const requests = orThrow(await api.GET('/api/v1/orders/{id}/after-sales', byId(delivered))).items;
      const entries = await timeline.locator('li').allTextContents();
      const has = (text: string) =>
        expect(
          entries.some((entry) => entry.includes(text)),
          text,
        ).toBe(true);
      for (const change of order.history) has(`Order ${change.from ?? 'new'} → ${change.to}`);
      for (const payment of trail.payments)
        for (const change of payment.log) has(`Payment ${payment.serial} ${change.from ?? 'new'} → ${change.to}`);
      const parcel = order.shipments![0].parcels[0];
      expect([parcel.trackingNumber, parcel.state, parcel.tracking.map((point) => point.state)]).toEqual([
        TRACKING,
        'DELIVERED',
        ['IN_TRANSIT', 'DELIVERED'],
      ]);
      has(`Parcel ${TRACKING} handed to sf-express`);
      for (const point of parcel.tracking) has(`Parcel ${TRACKING} ${point.state}: ${point.message}`);
      expect(requests.map((request) => request.id).sort()).toEqual([damaged, changedMind].sort());
      for (const request of requests)
        for (const step of request.history) has(`After-sales ${request.type} ${step.from ?? 'new'} → ${step.to}`);
      // Nothing else, oldest first.
      const stepCount = (lists: { length: number }[]) => lists.reduce((sum, list) => sum + list.length, 0);
      expect(entries).toHaveLength(
        order.history.length +
          stepCount(trail.payments.map((payment) => payment.log)) +
          1 +
          parcel.tracking.length +
          stepCount(requests.map((request) => request.history)),
      );
      const times = await timeline
        .locator('time')
        .evaluateAll((stamps) => stamps.map((stamp) => Date.parse(stamp.getAttribute('datetime')!)));
      expect(times).toEqual([...times].sort((a, b) => a - b));

      const shownParcel = page.getByTestId('parcel').filter({ hasText: TRACKING });
      await expect(shownParcel.textContent()).resolves.toContain(`${TRACKING} with sf-express`);
      const checkpoints = shownParcel.getByTestId('parcel-tracking').locator('tbody tr');
      expect(await checkpoints.count()).toBe(parcel.tracking.length);
      for (const [index, point] of parcel.tracking.entries()) {
        const row = await checkpoints.nth(index).textContent();
        expect(row).toContain(point.state);
        expect(row).toContain(point.message);
      }
      await shoot(page, 'order-timeline');
      expect(errors).toEqual([]);
    });

    it('issues a staff refund from the order, then lists it with its state beside the money trail’s rows; a refund payments refuses shows why', async () => {
      const api = desk();
      const { page, errors } = await signIn(tokenFor(CS, 'customer-service'));
      await openOrder(page, delivered);
      const refunds = page.getByTestId('refunds');
      const before = orThrow(await api.GET('/api/v1/admin/orders/{id}/money-trail', byId(delivered))).refunds;
      const reason = `goodwill for the wait ${run}`;

      // What is not an amount never reaches the API.
      await refunds.getByLabel('Amount (CNY)').fill('12,34');
      await refunds.getByLabel('Reason').fill(reason);
      await refunds.getByRole('button', { name: 'Review refund' }).click();
      await expect(refunds.getByRole('alert').textContent()).resolves.toContain('Not an amount');
      await refunds.getByLabel('Amount (CNY)').fill('12.34');
      await refunds.getByRole('button', { name: 'Review refund' }).click();
      await expect(refunds.getByTestId('refund-review').textContent()).resolves.toContain(`Refund ${shown(1234, 'CNY')} to ${SHOPPER}`);
      await refunds.getByRole('button', { name: 'Confirm refund' }).click();
      await refunds.getByTestId('refund-list').getByText(reason).waitFor();

      const trail = orThrow(await api.GET('/api/v1/admin/orders/{id}/money-trail', byId(delivered)));
      expect(trail.refunds).toHaveLength(before.length + 1);
      const refund = trail.refunds.find((candidate) => candidate.reason === reason)!;
      expect(refund).toMatchObject({ amountMinor: 1234, currency: 'CNY', source: 'STAFF', requestedBy: CS, state: 'SUCCEEDED' });
      const row = await refunds.getByTestId('refund-list').locator('tr', { hasText: refund.serial }).textContent();
      for (const text of [refund.state, shown(1234, 'CNY'), `STAFF by ${CS}`]) expect(row).toContain(text);
      // The money trail: the payment's refunded total, the points given back, the timeline's entry.
      const payments = await page.getByTestId('trail-payments').textContent();
      expect(payments).toContain(shown(trail.payments[0].refundedMinor, 'CNY'));
      expect(trail.payments[0].refundedMinor).toBeGreaterThanOrEqual(1234);
      const given = trail.pointsEntries.filter((entry) => entry.refundId === refund.id);
      expect(given.length).toBeGreaterThan(0);
      const ledger = await page.getByTestId('trail-ledger').textContent();
      for (const entry of given) expect(ledger).toContain(`+${entry.deltaPoints} points`);
      await expect(page.getByTestId('order-timeline').textContent()).resolves.toContain(
        `Refund ${refund.serial} of ${shown(1234, 'CNY')} asked`,
      );
      await refunds.screenshot({ path: path.join(SCREENSHOTS, 'console-refund.png') });
      expect(errors).toEqual([]);

      // More than is left: payments refuses it, the page says why, nothing is refunded.
      const tooMuch = { amountMinor: 10_000_000, reason: 'more than was paid' };
      const refused = await api.POST('/api/v1/admin/orders/{id}/refunds', {
        ...byId(delivered),
        body: { refundId: `probe-${run}`, ...tooMuch },
      });
      expect(refused.response.status).toBe(422);
      await refunds.getByLabel('Amount (CNY)').fill('100000');
      await refunds.getByLabel('Reason').fill(tooMuch.reason);
      await refunds.getByRole('button', { name: 'Review refund' }).click();
      await refunds.getByRole('button', { name: 'Confirm refund' }).click();
      const alert = refunds.getByRole('alert');
      await alert.waitFor();
      expect(await alert.locator('strong').textContent()).toBe(refused.error!.title);
      await expect(alert.textContent()).resolves.toContain('(422)');
      expect(orThrow(await api.GET('/api/v1/admin/orders/{id}/money-trail', byId(delivered))).refunds).toHaveLength(before.length + 1);
      expect(unexpected(errors)).toEqual([]);
    });

    it('shows each request’s evidence, rejects one with a note and approves the other, by clicking', async () => {
      const api = desk();
      const { page, errors } = await signIn(tokenFor(CS, 'customer-service'));
      await page.getByRole('button', { name: 'After-sales' }).click();
      const cardOf = (id: string) => page.locator(`[data-request-id="${id}"]`);
      await cardOf(damaged).waitFor();
      await cardOf(changedMind).waitFor();

      // The photo, fetched with the bearer its link needs and shown from memory under the page's policy.
      const photo = cardOf(damaged).getByTestId('evidence').locator('img');
      await photo.waitFor();
      const width = await eventually(
        // An <img> in the page; the tests are compiled without the DOM's types.
        () =>
          photo.evaluate((image) => {
            const { complete, naturalWidth } = image as unknown as { complete: boolean; naturalWidth: number };
            return complete ? naturalWidth : 0;
          }),
        (pixels) => pixels > 0,
      );
      expect(width).toBe(2);
      expect(await photo.getAttribute('src')).toMatch(/^blob:/);
      await expect(cardOf(changedMind).textContent()).resolves.toContain('No evidence.');
      await shoot(page, 'after-sales');

      // Rejecting needs a note: the API's refusal shows on the card, and nothing changes.
      const noNote = await api.POST('/api/v1/admin/after-sales/{id}/reject', { ...byId(changedMind), body: {} as never });
      expect(noNote.response.status).toBe(400);
      await cardOf(changedMind).getByRole('button', { name: 'Reject' }).click();
      const refusal = cardOf(changedMind).getByRole('alert');
      await refusal.waitFor();
      expect(await refusal.locator('strong').textContent()).toBe(noNote.error!.title);
      expect(orThrow(await api.GET('/api/v1/after-sales/{id}', byId(changedMind))).state).toBe('REQUESTED');

      await cardOf(changedMind).getByLabel('Note to the shopper').fill(NOTE);
      await cardOf(changedMind).getByRole('button', { name: 'Reject' }).click();
      const decided = page.getByTestId('after-sales-decided');
      await decided.filter({ hasText: changedMind }).waitFor();
      await expect(decided.textContent()).resolves.toMatch(/^Rejected the RETURN_AND_REFUND request .*REJECTED$/s);
      const rejected = orThrow(await api.GET('/api/v1/after-sales/{id}', byId(changedMind)));
      expect(rejected.state).toBe('REJECTED');
      expect(rejected.history.at(-1)).toMatchObject({ to: 'REJECTED', note: NOTE, actor: { kind: 'CUSTOMER_SERVICE', id: CS } });
      // Decided, it leaves the queue of requests waiting for a decision.
      await eventually(
        () => cardOf(changedMind).count(),
        (count) => count === 0,
      );

      await cardOf(damaged).getByRole('button', { name: 'Approve' }).click();
      await decided.filter({ hasText: damaged }).waitFor();
      const approvedAs = (await decided.locator('.badge').textContent())!;
      const approved = await eventually(
        async () => orThrow(await api.GET('/api/v1/after-sales/{id}', byId(damaged))),
        (request) => request.state === 'REFUNDED',
        { timeoutMs: 30_000 },
      );
      expect(approved.history.find((step) => step.to === 'APPROVED')?.actor).toEqual({ kind: 'CUSTOMER_SERVICE', id: CS });
      expect(approved.history.map((step) => step.to)).toContain(approvedAs);
      expect(await decided.textContent()).toContain('Approved the REFUND_ONLY request');
      await eventually(
        () => cardOf(damaged).count(),
        (count) => count === 0,
      );

      // Each where its state puts it, on screen as in the API.
      await page.getByLabel('State').selectOption('REJECTED');
      await cardOf(changedMind).waitFor();
      await expect(cardOf(changedMind).textContent()).resolves.toContain(NOTE);
      expect(await cardOf(changedMind).locator('h4 .badge').textContent()).toBe('REJECTED');
      await page.getByLabel('State').selectOption('REFUNDED');
      await cardOf(damaged).waitFor();
      expect(await cardOf(damaged).locator('h4 .badge').textContent()).toBe('REFUNDED');
      expect(unexpected(errors)).toEqual([]);
    });
  });

  it('refuses a token that is not one, before any call', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 600 } });
    const page = await context.newPage();
    await page.goto(`${gateway.url}/console/`);
    await page.locator('textarea[name=token]').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('Cannot sign in');
    await shoot(page, 'sign-in');
  });
});
