/**
 * The back-office console in a real browser (Debian's chromium through playwright-core), against
 * the gateway and the services behind it on real Kafka and PostgreSQL: customer service looks up
 * a paid order and its money trail, an admin opens the dead-letter desk, a shopper finds no staff
 * tab. The screenshots in README.md and docs/operations.md are taken here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { orThrow } from '@mallard/client';
import { formatMinorUnits } from '@mallard/money';
import { dropDatabase, eventually, startTestService, type TestService, uniqueSuffix } from '@mallard/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterSalesService } from '../apps/after-sales/src/service.js';
import { AccessTokens } from '../apps/gateway/src/auth/access-token.js';
import { DEV_JWT_SECRET } from '../apps/gateway/src/auth/jwt-secret.js';
import { CONSOLE_CSP } from '../apps/gateway/src/console/console.js';
import { gatewayService } from '../apps/gateway/src/service.js';
import { inventoryService } from '../apps/inventory/src/service.js';
import { logisticsService } from '../apps/logistics/src/service.js';
import { ordersService } from '../apps/orders/src/service.js';
import { paymentsService } from '../apps/payments/src/service.js';
import { contractCheckedClient } from './api-contract.js';

const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/screenshots');
const run = uniqueSuffix();
const tokens = new AccessTokens({ secret: DEV_JWT_SECRET, issuer: 'mallard' });
type Role = 'shopper' | 'admin' | 'warehouse' | 'customer-service';
const tokenFor = (user: string, role: Role, warehouses?: string[]) =>
  tokens.sign({ sub: user, roles: [role], ttlSeconds: 3600, ...(warehouses ? { warehouses } : {}) });
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
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
    const [inventory, orders, payments, logistics, afterSales] = await Promise.all([
      startTestService(inventoryService, { STOCK_HOLD_TTL_SECONDS: '3600' }),
      startTestService(ordersService),
      startTestService(paymentsService),
      startTestService(logisticsService),
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
  const signIn = async (token: string): Promise<{ page: Page; errors: string[] }> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${gateway.url}/console/`);
    await page.locator('textarea[name=token]').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    return { page, errors };
  };
  const tabs = (page: Page) => page.locator('header nav button').allTextContents();
  const shoot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `console-${name}.png`), fullPage: true });

  it('is served without a bearer, under a policy that allows only its own scripts; the API still asks for one', async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
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
    await shoot(page, 'after-sales');
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
    expect(await tabs(page)).toEqual(['Orders', 'After-sales', 'Warehouse', 'Dead letters']);
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
