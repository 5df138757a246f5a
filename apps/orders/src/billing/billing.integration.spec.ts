import { randomUUID } from 'node:crypto';
import { type OrderBillingChangedV1, orderBillingChanged, orderPlaced, type SkuUpsertedV1, Topics } from '@mallard/contracts';
import {
  dropDatabase,
  eventually,
  PublishedEvents,
  queryDatabase,
  startTestService,
  type TestService,
  uniqueSuffix,
} from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../order/order.view.js';
import { ordersService } from '../service.js';
import { cancelOrder, catalogSku, changeBilling, orderRequest, orderView, placeOrder, seedCatalog } from '../testing/orders-test-kit.js';
import type { BillingView } from './billing.view.js';

const suffix = uniqueSuffix();
const TEA = `TEA-${suffix}`;
const catalog: SkuUpsertedV1[] = [catalogSku(TEA, { name: 'Tea', priceMinor: 2500 })];

/** The standard's own example of a Unified Social Credit Code, and the same with its check character mistyped. */
const USCC = '91350100M000100Y43';
const USCC_TYPO = '91350100M000100Y44';
const COMPANY = { type: 'COMPANY', title: 'Longjing Teahouse Co., Ltd.', taxId: USCC, email: 'invoices@longjing.example' };
const PERSON = { type: 'PERSONAL', title: 'Han Meimei', email: 'han@example.com' };

interface BillingRow {
  type: string;
  title: string;
  tax_id: string | null;
  country: string;
  email: string;
  version: number;
  locked_at: Date | null;
}

describe('orders: billing details, on real Kafka and PostgreSQL', () => {
  let orders: TestService;
  let published: PublishedEvents;

  const buyer = (name: string) => `${name}-${suffix}`;
  const lines = [{ skuId: TEA, quantity: 1 }];
  const billingRows = (orderId: string) =>
    queryDatabase<BillingRow>(orders.databaseName, 'SELECT * FROM order_billing WHERE order_id = $1', [orderId]);
  const problemOf = async (response: Response) => ({ status: response.status, ...((await response.json()) as Record<string, unknown>) });

  async function placed(buyerId: string, extra: object = {}, key?: string): Promise<OrderView> {
    const response = await placeOrder(orders, buyerId, orderRequest(lines, extra), key);
    expect(response.status).toBe(201);
    return (await response.json()) as OrderView;
  }

  beforeAll(async () => {
    // Germany only: the setting replaces the defaults, so the United States is refused here.
    orders = await startTestService(ordersService, { TAX_ID_FORMATS: JSON.stringify({ DE: 'DE[0-9]{9}' }) });
    // After the service, which creates the topics.
    published = await PublishedEvents.collect([Topics.orders], 'orders');
    await seedCatalog(orders, catalog);
  });

  afterAll(async () => {
    await orders?.stop();
    await published?.stop();
    if (orders) await dropDatabase(orders.databaseName);
  });

  it('places an order without billing details as before, and one with them in their own row, shown on the order', async () => {
    const plain = await placed(buyer('plain'));
    expect(plain.billing).toBeNull();
    expect(await billingRows(plain.id)).toEqual([]);
    expect((await orderView(orders, plain.id)).billing).toBeNull();

    const company = await placed(buyer('company'), { billing: COMPANY });
    const expected = { ...COMPANY, country: 'CN', version: 1 };
    expect(company.billing).toMatchObject(expected);
    expect((await orderView(orders, company.id)).billing).toEqual(company.billing);
    expect(await billingRows(company.id)).toMatchObject([
      { type: 'COMPANY', title: COMPANY.title, tax_id: USCC, country: 'CN', email: COMPANY.email, version: 1, locked_at: null },
    ]);
    // Apart from the receiver: the order's own row is as it was.
    const [order] = await queryDatabase<{ receiver: unknown }>(orders.databaseName, 'SELECT receiver FROM parent_order WHERE id = $1', [
      company.id,
    ]);
    expect(order.receiver).toEqual(company.receiver);

    const person = await placed(buyer('person'), { billing: PERSON });
    expect(person.billing).toMatchObject({ ...PERSON, taxId: null, country: 'CN', version: 1 });
    // A German VAT number passes the configured format; a person with no tax id needs no format.
    const german = await placed(buyer('german'), { billing: { ...COMPANY, country: 'DE', taxId: 'DE123456789' } });
    expect(german.billing).toMatchObject({ country: 'DE', taxId: 'DE123456789' });
    const french = await placed(buyer('french'), { billing: { ...PERSON, country: 'FR' } });
    expect(french.billing).toMatchObject({ country: 'FR', taxId: null });
  });

  it('refuses a tax id its country’s rule does not pass with 422, and writes nothing, so the key stays free', async () => {
    const buyerId = buyer('typo');
    const key = randomUUID();
    const cases = [
      { billing: { ...COMPANY, taxId: USCC_TYPO }, country: 'CN', reason: 'CHECK_CHARACTER' },
      { billing: { ...COMPANY, taxId: 'DE123456789' }, country: 'CN', reason: 'FORMAT' },
      { billing: { ...COMPANY, country: 'DE', taxId: 'DE12345678' }, country: 'DE', reason: 'FORMAT' },
      { billing: { ...COMPANY, country: 'US', taxId: '12-3456789' }, country: 'US', reason: 'COUNTRY_NOT_SUPPORTED' },
      { billing: { ...PERSON, country: 'FR', taxId: 'FR12345678901' }, country: 'FR', reason: 'COUNTRY_NOT_SUPPORTED' },
    ];
    for (const { billing, country, reason } of cases) {
      const response = await placeOrder(orders, buyerId, orderRequest(lines, { billing }), key);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(await problemOf(response)).toMatchObject({
        status: 422,
        type: 'https://mallard.dev/problems/tax-id-invalid',
        country,
        reason,
      });
    }
    const written = await queryDatabase<{ orders: number; keys: number; billing: number }>(
      orders.databaseName,
      `SELECT (SELECT count(*)::int FROM parent_order WHERE buyer_id = $1) AS orders,
              (SELECT count(*)::int FROM idempotent_request WHERE requester = $1) AS keys,
              (SELECT count(*)::int FROM order_billing b JOIN parent_order o ON o.id = b.order_id WHERE o.buyer_id = $1) AS billing`,
      [buyerId],
    );
    expect(written).toEqual([{ orders: 0, keys: 0, billing: 0 }]);
    // The refused attempts took no key: the corrected request places the order under it.
    const corrected = await placeOrder(orders, buyerId, orderRequest(lines, { billing: COMPANY }), key);
    expect(corrected.status).toBe(201);
  });

  it('answers a retry with the order it placed, billing included, and a retry with other billing details as another body', async () => {
    const buyerId = buyer('retry');
    const key = randomUUID();
    const first = await placed(buyerId, { billing: COMPANY }, key);
    const retry = await placeOrder(orders, buyerId, orderRequest(lines, { billing: COMPANY }), key);
    expect(retry.status).toBe(200);
    expect((await retry.json()) as OrderView).toMatchObject({ id: first.id, billing: first.billing });

    const otherBilling = await placeOrder(orders, buyerId, orderRequest(lines, { billing: { ...COMPANY, title: 'Another Co.' } }), key);
    expect(await problemOf(otherBilling)).toMatchObject({ status: 422, type: 'https://mallard.dev/problems/idempotency-key-reused' });
    const withoutBilling = await placeOrder(orders, buyerId, orderRequest(lines), key);
    expect(await problemOf(withoutBilling)).toMatchObject({ status: 422, type: 'https://mallard.dev/problems/idempotency-key-reused' });
    expect(await queryDatabase(orders.databaseName, 'SELECT 1 FROM parent_order WHERE buyer_id = $1', [buyerId])).toHaveLength(1);
  });

  it('lets the owner change them: a new version, on the order, published; the same details again change nothing', async () => {
    const buyerId = buyer('changer');
    const order = await placed(buyerId, { billing: PERSON });
    const change = async (billing: object) => {
      const response = await changeBilling(orders, buyerId, order.id, billing);
      expect(response.status).toBe(200);
      return (await response.json()) as BillingView;
    };

    const changed = await change(COMPANY);
    expect(changed).toMatchObject({ ...COMPANY, country: 'CN', version: 2 });
    expect((await orderView(orders, order.id)).billing).toEqual(changed);
    expect(await change(COMPANY)).toEqual(changed);
    const german = await change({ ...COMPANY, country: 'DE', taxId: 'DE123456789' });
    expect(german).toMatchObject({ country: 'DE', taxId: 'DE123456789', version: 3 });
    expect(await billingRows(order.id)).toMatchObject([{ country: 'DE', tax_id: 'DE123456789', version: 3 }]);

    // Two changes, two events: the repeat published nothing.
    const events = await published.waitFor<OrderBillingChangedV1>(orderBillingChanged, order.id, 2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(published.of(orderBillingChanged, order.id)).toHaveLength(2);
    expect(events.map((event) => event.data)).toEqual([
      { orderId: order.id, buyerId, version: 2, ...COMPANY, country: 'CN', changedAt: changed.updatedAt },
      { orderId: order.id, buyerId, version: 3, ...COMPANY, country: 'DE', taxId: 'DE123456789', changedAt: german.updatedAt },
    ]);
    expect(events.every((event) => event.partitionkey === order.id)).toBe(true);
  });

  it('sets them on an order placed without, as version 1', async () => {
    const buyerId = buyer('later');
    const order = await placed(buyerId);
    const response = await changeBilling(orders, buyerId, order.id, PERSON);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ...PERSON, taxId: null, country: 'CN', version: 1 });
    const [event] = await published.waitFor<OrderBillingChangedV1>(orderBillingChanged, order.id, 1);
    expect(event.data).toMatchObject({ version: 1, type: 'PERSONAL', taxId: null });
  });

  it('refuses a bad tax id, another shopper and an unknown order, changing nothing', async () => {
    const buyerId = buyer('guarded');
    const order = await placed(buyerId, { billing: COMPANY });
    expect(await problemOf(await changeBilling(orders, buyerId, order.id, { ...COMPANY, taxId: USCC_TYPO }))).toMatchObject({
      status: 422,
      type: 'https://mallard.dev/problems/tax-id-invalid',
      reason: 'CHECK_CHARACTER',
    });
    expect(await problemOf(await changeBilling(orders, buyer('someone-else'), order.id, PERSON))).toMatchObject({
      status: 404,
      type: 'https://mallard.dev/problems/order-not-found',
    });
    expect(await problemOf(await changeBilling(orders, buyerId, randomUUID(), PERSON))).toMatchObject({ status: 404 });
    expect(await problemOf(await changeBilling(orders, buyerId, order.id, { ...COMPANY, taxId: undefined }))).toMatchObject({
      status: 400,
      type: 'https://mallard.dev/problems/validation-failed',
    });
    expect(await billingRows(order.id)).toMatchObject([{ tax_id: USCC, version: 1 }]);
  });

  it('refuses a change once the order is cancelled, or once the details are locked by an invoice', async () => {
    const buyerId = buyer('closed');
    const cancelled = await placed(buyerId, { billing: COMPANY });
    expect((await cancelOrder(orders, buyerId, cancelled.id)).status).toBe(200);
    expect(await problemOf(await changeBilling(orders, buyerId, cancelled.id, PERSON))).toMatchObject({
      status: 409,
      type: 'https://mallard.dev/problems/billing-not-changeable',
      orderId: cancelled.id,
      reason: 'ORDER_CANCELLED',
    });

    // Invoices do not exist yet; the first one will set locked_at under the order's row lock.
    const invoiced = await placed(buyerId, { billing: COMPANY });
    await queryDatabase(orders.databaseName, 'UPDATE order_billing SET locked_at = now() WHERE order_id = $1', [invoiced.id]);
    expect(await problemOf(await changeBilling(orders, buyerId, invoiced.id, PERSON))).toMatchObject({
      status: 409,
      reason: 'INVOICE_ISSUED',
    });
    expect(await billingRows(invoiced.id)).toMatchObject([{ type: 'COMPANY', version: 1 }]);
  });

  it('applies parallel changes of one order one after the other: every one a version of its own', async () => {
    const buyerId = buyer('racer');
    const order = await placed(buyerId, { billing: PERSON });
    const titles = Array.from({ length: 8 }, (_, i) => `Company ${i}`);
    const answers = await Promise.all(titles.map((title) => changeBilling(orders, buyerId, order.id, { ...COMPANY, title })));
    expect(answers.map((answer) => answer.status)).toEqual(titles.map(() => 200));
    const versions = (await Promise.all(answers.map((answer) => answer.json() as Promise<BillingView>))).map((view) => view.version);
    expect(versions.sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    const [row] = await billingRows(order.id);
    expect(row.version).toBe(9);
    const events = await published.waitFor<OrderBillingChangedV1>(orderBillingChanged, order.id, 8);
    // The newest event holds what the row holds.
    expect(events.find((event) => event.data.version === 9)?.data.title).toBe(row.title);
  });

  it('publishes order.placed as before for orders with billing details', async () => {
    const order = await placed(buyer('event'), { billing: COMPANY });
    const [event] = await eventually(
      async () => published.of(orderPlaced, order.id),
      (events) => events.length === 1,
    );
    expect(Object.keys(event.data as object)).not.toContain('billing');
  });
});
