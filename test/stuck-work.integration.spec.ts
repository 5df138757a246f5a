/**
 * stuck_work_items{kind} of each service on its real database: rows made stuck by hand (their
 * timestamps moved back) are counted once past their kind's bound and not before, rows in a final
 * state never are, and every count is served by the index meant for it. Payments also counts, once
 * committed, provider callbacks capturing other money than asked for. The kinds' bounds and docs
 * are unit-tested in stuck-work.spec.ts.
 */
import { randomUUID } from 'node:crypto';
import type { StuckWorkKind } from '@mallard/messaging';
import { withDatabase } from '@mallard/platform';
import { dropDatabase, infrastructure, queryDatabase, startTestService, type TestService, uniqueSuffix } from '@mallard/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AfterSalesConfig } from '../apps/after-sales/src/config/after-sales-config.js';
import { afterSalesStuckWork } from '../apps/after-sales/src/metrics/stuck-work.js';
import { afterSalesService } from '../apps/after-sales/src/service.js';
import type { InventoryConfig } from '../apps/inventory/src/config/inventory-config.js';
import { inventoryStuckWork } from '../apps/inventory/src/metrics/stuck-work.js';
import { inventoryService } from '../apps/inventory/src/service.js';
import type { LogisticsConfig } from '../apps/logistics/src/config/logistics-config.js';
import { logisticsStuckWork } from '../apps/logistics/src/metrics/stuck-work.js';
import { logisticsService } from '../apps/logistics/src/service.js';
import type { OrdersConfig } from '../apps/orders/src/config/orders-config.js';
import { ordersStuckWork } from '../apps/orders/src/metrics/stuck-work.js';
import { ordersService } from '../apps/orders/src/service.js';
import { catalogSku, orderRequest, placeOrder, seedCatalog } from '../apps/orders/src/testing/orders-test-kit.js';
import { paymentsStuckWork } from '../apps/payments/src/metrics/stuck-work.js';
import type { PaymentView } from '../apps/payments/src/payment/payment.view.js';
import {
  payRequest,
  placeOrder as placePayableOrder,
  postSandboxWebhook,
  sandboxWebhook,
  usePaymentsWithSandbox,
} from '../apps/payments/src/testing/payments-test-kit.js';

/** A metric's samples in Prometheus' text format, by their labels as written. */
function samples(text: string, name: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const cut = line.lastIndexOf(' ');
    found.set(line.slice(name.length, cut), Number(line.slice(cut + 1)));
  }
  return found;
}

/** One label's value in each sample of a metric scraped from `url`. */
async function byLabel(url: string, name: string, label: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Object.fromEntries([...samples(text, name)].map(([labels, value]) => [new RegExp(`${label}="([^"]*)"`).exec(labels)?.[1], value]));
}

const stuck = (service: TestService) => byLabel(service.url, 'stuck_work_items', 'kind');

/**
 * The plan of a kind's count with sequential scans priced out: the index it names serves the count
 * (without one, PostgreSQL falls back on a whole-table or whole-index scan of another).
 */
async function planOf(databaseName: string, kind: StuckWorkKind): Promise<string> {
  const client = new pg.Client({ connectionString: withDatabase(infrastructure().databaseUrl, databaseName) });
  await client.connect();
  try {
    await client.query('SET enable_seqscan = off');
    const sql = `EXPLAIN SELECT count(*) FROM (${kind.query.replaceAll('$1', String(kind.boundSeconds))} LIMIT 10000) AS items`;
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(sql);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  } finally {
    await client.end();
  }
}

async function expectIndexes(databaseName: string, kinds: StuckWorkKind[], indexes: Record<string, string>): Promise<void> {
  expect(kinds.map((kind) => kind.kind).sort()).toEqual(Object.keys(indexes).sort());
  for (const kind of kinds) {
    const plan = await planOf(databaseName, kind);
    expect(plan, kind.kind).toContain(indexes[kind.kind]);
    expect(plan, kind.kind).not.toContain('Seq Scan');
  }
}

describe('stuck work: orders', () => {
  let orders: TestService<OrdersConfig> | undefined;
  const TEA = `stuck-tea-${uniqueSuffix()}`;
  const sql = (text: string, params: unknown[]) => queryDatabase(orders!.databaseName, text, params);

  beforeAll(async () => {
    // Sweeps ten minutes apart: none runs during the test, and the unpaid bound becomes 20 minutes.
    orders = await startTestService(ordersService, { PAYMENT_WINDOW_SWEEP_MS: '600000' });
    await seedCatalog(orders, [catalogSku(TEA)]);
  });

  afterAll(async () => {
    await orders?.stop();
    if (orders) await dropDatabase(orders.databaseName);
  });

  it('counts unpaid orders two sweeps past their window, and paid orders not split after 10 minutes', async () => {
    expect(await stuck(orders!)).toEqual({ order_unpaid_past_window: 0, order_paid_not_split: 0 });
    const ids: string[] = [];
    for (let count = 0; count < 5; count += 1) {
      const response = await placeOrder(orders!, `stuck-buyer-${count}`, orderRequest([{ skuId: TEA, quantity: 1 }]));
      expect(response.status).toBe(201);
      ids.push(((await response.json()) as { id: string }).id);
    }
    const [overdue, late, paidLongAgo, paidJustNow, split] = ids;
    await sql(`UPDATE parent_order SET payment_due_at = now() - interval '25 minutes' WHERE id = $1`, [overdue]);
    // Past its window, but not by the two sweeps it is given yet.
    await sql(`UPDATE parent_order SET payment_due_at = now() - interval '15 minutes' WHERE id = $1`, [late]);
    await sql(`UPDATE parent_order SET state = 'PAID', paid_at = now() - interval '11 minutes' WHERE id = $1`, [paidLongAgo]);
    await sql(`UPDATE parent_order SET state = 'PAID', paid_at = now() - interval '9 minutes' WHERE id = $1`, [paidJustNow]);
    await sql(
      `UPDATE parent_order SET state = 'SPLIT', paid_at = now() - interval '1 day', payment_due_at = now() - interval '1 day' WHERE id = $1`,
      [split],
    );
    expect(await stuck(orders!)).toEqual({ order_unpaid_past_window: 1, order_paid_not_split: 1 });

    // Moved on: counted no more.
    await sql(`UPDATE parent_order SET state = 'CANCELLED' WHERE id = $1`, [overdue]);
    await sql(`UPDATE parent_order SET state = 'FAILED' WHERE id = $1`, [paidLongAgo]);
    expect(await stuck(orders!)).toEqual({ order_unpaid_past_window: 0, order_paid_not_split: 0 });
  });

  it('counts through the indexes meant for it', async () => {
    await expectIndexes(orders!.databaseName, ordersStuckWork(orders!.config), {
      order_unpaid_past_window: 'parent_order_unpaid_due',
      order_paid_not_split: 'parent_order_paid_since',
    });
  });
});

describe('stuck work and amount mismatches: payments', () => {
  const payments = usePaymentsWithSandbox();
  const sql = (text: string, params: unknown[]) => payments.sql(text, params);
  const mismatches = () => byLabel(payments.url, 'mallard_payment_amount_mismatch_total', 'mismatch');

  /** A payment of 1 500 waiting for the sandbox, on an order of its own. */
  async function pendingPayment(buyer: string): Promise<PaymentView> {
    const orderId = await placePayableOrder(payments.service, buyer, 1_500);
    const response = await payRequest(payments.url, orderId, buyer, [{ type: 'PROVIDER', provider: 'sandbox', amountMinor: 1_500 }]);
    expect(response.status).toBe(201);
    const payment = (await response.json()) as PaymentView;
    expect(payment.state).toBe('PENDING');
    return payment;
  }

  const insertRefund = (state: string, age: string) =>
    sql(
      `INSERT INTO refund (id, refund_key, key_space, request_hash, serial, order_id, amount_minor, currency, reason, source, state, created_at)
       VALUES ($1, $2, 'SYSTEM', 'h', $3, $4, 100, 'CNY', 'test', 'EVENT', $5, now() - $6::interval)`,
      [randomUUID(), randomUUID(), `R-${randomUUID()}`, randomUUID(), state, age],
    );

  it('counts payments waiting half an hour past their order’s window, and refunds not final after half an hour', async () => {
    expect(await stuck(payments.service)).toEqual({ payment_pending_past_window: 0, refund_not_final: 0 });
    const overdue = await pendingPayment('stuck-overdue');
    const recent = await pendingPayment('stuck-recent');
    await sql(`UPDATE payable_order SET payment_due_at = now() - interval '31 minutes' WHERE order_id = $1`, [overdue.orderId]);
    await sql(`UPDATE payable_order SET payment_due_at = now() - interval '29 minutes' WHERE order_id = $1`, [recent.orderId]);
    await insertRefund('PENDING', '31 minutes');
    await insertRefund('PENDING', '29 minutes');
    await insertRefund('SUCCEEDED', '2 days');
    expect(await stuck(payments.service)).toEqual({ payment_pending_past_window: 1, refund_not_final: 1 });

    await sql(`UPDATE payment SET state = 'CANCELLED' WHERE id = $1`, [overdue.id]);
    expect(await stuck(payments.service)).toEqual({ payment_pending_past_window: 0, refund_not_final: 1 });
  });

  it('counts a provider capture of other money than asked for once, by what differs, and leaves the payment pending', async () => {
    expect(await mismatches()).toEqual({ AMOUNT: 0, CURRENCY: 0 });
    const payment = await pendingPayment('stuck-mismatch');
    const short = sandboxWebhook('charge.succeeded', payment.serial, payment.providerRef!, 1_499);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const response = await postSandboxWebhook(payments.webhookUrl, short);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-mallard-webhook-outcome')).toBe(attempt === 0 ? 'AMOUNT_MISMATCH' : 'DUPLICATE');
    }
    expect(await mismatches()).toEqual({ AMOUNT: 1, CURRENCY: 0 });

    const dollars = sandboxWebhook('charge.succeeded', payment.serial, payment.providerRef!, 1_500);
    dollars.data.currency = 'USD';
    expect((await postSandboxWebhook(payments.webhookUrl, dollars)).status).toBe(200);
    expect(await mismatches()).toEqual({ AMOUNT: 1, CURRENCY: 1 });
    expect((await payments.paymentOf(payment.id)).state).toBe('PENDING');
  });

  it('counts through the indexes meant for it', async () => {
    await expectIndexes(payments.service.databaseName, paymentsStuckWork(payments.service.config), {
      payment_pending_past_window: 'payment_pending',
      refund_not_final: 'refund_pending',
    });
  });
});

describe('stuck work: inventory', () => {
  let inventory: TestService<InventoryConfig> | undefined;
  const sql = (text: string, params: unknown[]) => queryDatabase(inventory!.databaseName, text, params);
  const hold = (state: string, expiredAgo: string) =>
    sql(`INSERT INTO order_stock (order_id, state, expires_at) VALUES ($1, $2, now() - $3::interval)`, [randomUUID(), state, expiredAgo]);

  beforeAll(async () => {
    // An hour between sweeps: none runs during the test, and a lapsed hold gets two hours.
    inventory = await startTestService(inventoryService, { HOLD_SWEEP_INTERVAL_MS: '3600000' });
  });

  afterAll(async () => {
    await inventory?.stop();
    if (inventory) await dropDatabase(inventory.databaseName);
  });

  it('counts holds still held two sweeps after they expired', async () => {
    expect(await stuck(inventory!)).toEqual({ hold_past_expiry: 0 });
    await hold('HELD', '121 minutes');
    await hold('HELD', '119 minutes');
    await hold('EXPIRED', '1 day');
    expect(await stuck(inventory!)).toEqual({ hold_past_expiry: 1 });
  });

  it('counts through the indexes meant for it', async () => {
    await expectIndexes(inventory!.databaseName, inventoryStuckWork(inventory!.config), { hold_past_expiry: 'order_stock_expiry' });
  });
});

describe('stuck work: logistics', () => {
  let logistics: TestService<LogisticsConfig> | undefined;
  const sql = (text: string, params: unknown[]) => queryDatabase(logistics!.databaseName, text, params);
  const subOrder = async (state: string, arrivedAgo: string): Promise<string> => {
    const id = randomUUID();
    await sql(
      `INSERT INTO sub_order (id, order_id, buyer_id, position, warehouse_id, merchant_id, fulfilment_type, state, version, currency,
                              shipping_fee, paid_amount, receiver, paid_at, created_at)
       VALUES ($1, $2, 'stuck-buyer', 0, 'wh-1', 'mall', 'DROP_SHIP', $3, 1, 'CNY', 0, 100, '{}', now() - $4::interval, now() - $4::interval)`,
      [id, randomUUID(), state, arrivedAgo],
    );
    return id;
  };
  const interception = async (subOrderId: string, outcome: string, askedAgo: string) =>
    sql(`INSERT INTO sub_order_interception (sub_order_id, order_id, requested_at, outcome) VALUES ($1, $2, now() - $3::interval, $4)`, [
      subOrderId,
      randomUUID(),
      askedAgo,
      outcome,
    ]);

  beforeAll(async () => {
    logistics = await startTestService(logisticsService);
  });

  afterAll(async () => {
    await logistics?.stop();
    if (logistics) await dropDatabase(logistics.databaseName);
  });

  it('counts sub-orders not shipped 48 hours after they arrived, and interceptions unanswered after an hour', async () => {
    expect(await stuck(logistics!)).toEqual({ sub_order_not_shipped: 0, interception_unanswered: 0 });
    await subOrder('AWAITING_PICK', '49 hours');
    await subOrder('PARTIALLY_SHIPPED', '3 days');
    await subOrder('PACKED', '47 hours');
    await subOrder('SHIPPED', '5 days');
    await subOrder('CANCELLED', '5 days');
    await interception(await subOrder('INTERCEPTING', '5 days'), 'REQUESTED', '61 minutes');
    await interception(await subOrder('INTERCEPTING', '5 days'), 'REQUESTED', '59 minutes');
    await interception(await subOrder('INTERCEPTED', '5 days'), 'STOPPED', '5 days');
    expect(await stuck(logistics!)).toEqual({ sub_order_not_shipped: 2, interception_unanswered: 1 });
  });

  it('counts through the indexes meant for it', async () => {
    await expectIndexes(logistics!.databaseName, logisticsStuckWork(logistics!.config), {
      sub_order_not_shipped: 'sub_order_unshipped',
      interception_unanswered: 'sub_order_interception_requested',
    });
  });
});

describe('stuck work: after-sales', () => {
  let afterSales: TestService<AfterSalesConfig> | undefined;
  const request = (state: string, since: string) =>
    queryDatabase(
      afterSales!.databaseName,
      `INSERT INTO after_sales_request (id, order_id, buyer_id, merchant_id, type, reason, seller_at_fault, state, version, lines,
                                        state_changed_at, created_at, updated_at)
       VALUES ($1, $2, 'stuck-buyer', 'mall', 'REFUND_ONLY', 'NOT_AS_DESCRIBED', true, $3, 1, '[]',
               now() - $4::interval, now() - $4::interval, now() - $4::interval)`,
      [randomUUID(), randomUUID(), state, since],
    );

  beforeAll(async () => {
    afterSales = await startTestService(afterSalesService);
  });

  afterAll(async () => {
    await afterSales?.stop();
    if (afterSales) await dropDatabase(afterSales.databaseName);
  });

  it('counts requests undecided for 48 hours, and refunds unsettled for an hour', async () => {
    expect(await stuck(afterSales!)).toEqual({ after_sales_awaiting_decision: 0, after_sales_refund_not_settled: 0 });
    await request('REQUESTED', '49 hours');
    await request('REQUESTED', '47 hours');
    // Waiting for the shopper, not for customer service.
    await request('AWAITING_EVIDENCE', '5 days');
    await request('REFUNDING', '61 minutes');
    await request('REFUNDING', '59 minutes');
    await request('REFUNDED', '5 days');
    expect(await stuck(afterSales!)).toEqual({ after_sales_awaiting_decision: 1, after_sales_refund_not_settled: 1 });
  });

  it('counts through the indexes meant for it', async () => {
    await expectIndexes(afterSales!.databaseName, afterSalesStuckWork(afterSales!.config), {
      after_sales_awaiting_decision: 'after_sales_request_queue',
      after_sales_refund_not_settled: 'after_sales_request_queue',
    });
  });
});
