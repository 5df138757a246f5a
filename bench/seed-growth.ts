/**
 * Growth seeding for the benchmark (docs/benchmarks.md, "Growth"): the suite's databases as after
 * a year of trade, so that `npm run bench` can be run again on top of them.
 *
 *   npm run bench:seed -- --orders 1000000 --skus 100000       # the growth check's size
 *   npm run bench:seed -- --orders 20000 --skus 2000           # a quick look
 *
 * What it writes, straight into each service's own database (named as the launcher names them,
 * on the server the running suite uses: bench-kit's serviceDatabaseUrl), with set-based SQL
 * (generate_series), one transaction per service and batch of orders:
 *
 * - a merchant `growth-mall`, 8 self-operated warehouses and `--skus` SKUs `growth-sku-<n>` on the
 *   shelf, each stocked in one warehouse with its opening receipt, in inventory; the copies of
 *   them that orders and after-sales keep from inventory's events;
 * - `--orders` past orders `md5('growth-order:<i>')` of 1 to 3 lines from one warehouse, from
 *   `--orders`/10 shoppers, placed over the year up to 30 days ago, each in the state a completed
 *   order ends in: in orders SPLIT with its lines, one sub-order, its history and its delivered
 *   parcel; in inventory the hold and deduction of its stock (DEDUCTED), levels lowered to match
 *   the ledger; in payments its payable copy and a payment in loyalty points (the buyer's points
 *   granted once, the balance following every debit); in logistics its sub-order SHIPPED and one
 *   parcel DELIVERED with their lines and histories; in after-sales its purchase record and
 *   parcel; in the gateway's read model COMPLETED.
 *
 * Not written: what the services purge after a while (inbox rows, idempotency keys), carriers'
 * checkpoints, invoices (issued on request), events (nothing is published: the suite learns
 * nothing new). Each batch is skipped when its orders are already in that database, so a second
 * run with the same options changes nothing and a run cut short carries on where it stopped; a
 * run with other --orders or --batch over an earlier seed refuses. The suite must have started
 * once (its migrations made the tables).
 */
import 'reflect-metadata';
import { SERVICES, type ServiceName } from '@mallard/contracts';
import pg from 'pg';
import { GatewayConfig } from '../apps/gateway/src/config/gateway-config.js';
import { OrdersConfig, shippingRuleOf } from '../apps/orders/src/config/orders-config.js';
import { serviceDatabaseUrl } from './bench-kit.js';

interface Options {
  orders: number;
  skus: number;
  batch: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { orders: 1_000_000, skus: 100_000, batch: 50_000 };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    const value = Number(argv[++index]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${arg} takes a whole number above 0`);
    if (arg === '--orders') options.orders = value;
    else if (arg === '--skus') options.skus = value;
    else if (arg === '--batch') options.batch = value;
    else throw new Error(`unknown argument ${arg} (--orders, --skus, --batch)`);
  }
  if (options.skus < 200) throw new Error('--skus: at least 200 (each warehouse needs enough SKUs for 3 distinct lines)');
  return options;
}

/** Warehouses of the growth merchant; SKU n is stocked in warehouse n mod WAREHOUSES. */
const WAREHOUSES = 8;
/** Each SKU's opening stock: far more than a year of orders takes from it. */
const OPENING_STOCK = 1_000_000;
/** Each shopper's points grant: more than all their orders cost. */
const POINTS_GRANT = 1_000_000_000_000;
/** The year of orders ends this long before today. */
const DAYS_BEFORE_NOW = 30;
const YEAR_SECONDS = 365 * 86_400;

/** What the settings' defaults make of each order (the services' own config classes). */
const orders = new OrdersConfig();
const PRICING_TERMS = JSON.stringify({ orderPromotions: [], shipping: shippingRuleOf(orders) });
const PAYMENT_WINDOW_SECONDS = orders.PAYMENT_WINDOW_SECONDS;
const AFTER_SALES_WINDOW_DAYS = new GatewayConfig().AFTER_SALES_WINDOW_DAYS;

/** SKU n's price in minor units: 100.00–299.99, so every order passes the free-shipping threshold. */
const priceOf = (n: string): string => `(10000 + (${n}::bigint * 7919) % 20000)`;
/**
 * A UUID made from `text` (an SQL expression): md5's hex with the version and variant nibbles of a
 * version 4 UUID, so the API's UUID checks take it, and the same text gives the same id everywhere.
 */
const uuidOf = (text: string): string => `overlay(overlay(md5(${text}) placing '4' from 13) placing '8' from 17)::uuid`;
const isoText = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

interface Plan extends Options {
  buyers: number;
  /** SKUs per warehouse: an order's lines are SKUs of its warehouse. */
  skusPerWarehouse: number;
  /** The last order's placement time; order i is (orders − i) steps before it. */
  anchor: string;
}

function planOf(options: Options): Plan {
  const today = new Date();
  today.setUTCHours(0, 0, 0, 0);
  return {
    ...options,
    buyers: Math.max(1, Math.floor(options.orders / 10)),
    skusPerWarehouse: Math.floor(options.skus / WAREHOUSES),
    anchor: new Date(today.getTime() - DAYS_BEFORE_NOW * 86_400_000).toISOString(),
  };
}

/**
 * The orders first..last and their lines, as temporary tables of the batch's transaction: every
 * database computes them alike from the order number, so the rows of one order agree across the
 * services without the seed carrying anything from one database to another.
 */
function batchTables(plan: Plan, first: number, last: number): string[] {
  const step = YEAR_SECONDS / plan.orders;
  return [
    `CREATE TEMP TABLE seed_line ON COMMIT DROP AS
       SELECT i, p AS position, ${uuidOf("'growth-line:' || i || ':' || p")} AS line_id,
              'growth-sku-' || n AS sku_id, 'Growth item ' || n AS sku_name,
              1 + (i + p) % 2 AS quantity, ${priceOf('n')} AS unit_price, ${priceOf('n')} * (1 + (i + p) % 2) AS amount
         FROM generate_series(${first}, ${last}) AS i
        CROSS JOIN LATERAL generate_series(0, i % 3) AS p
        CROSS JOIN LATERAL (SELECT i % ${WAREHOUSES} + ${WAREHOUSES} * ((i::bigint * 2654435761 + 7 * p) % ${plan.skusPerWarehouse}) AS n) AS sku`,
    `CREATE TEMP TABLE seed ON COMMIT DROP AS
       SELECT *,
              placed_at + interval '0.2 seconds' AS held_at,
              placed_at + interval '${PAYMENT_WINDOW_SECONDS} seconds' AS payment_due_at,
              placed_at + interval '1 minute' AS paid_at,
              placed_at + interval '1 minute 0.5 seconds' AS split_at,
              placed_at + interval '2 hours 1 minute' AS picking_at,
              placed_at + interval '3 hours 1 minute' AS packed_at,
              placed_at + interval '4 hours 1 minute' AS shipped_at,
              placed_at + interval '10 hours 1 minute' AS in_transit_at,
              placed_at + interval '30 hours 1 minute' AS out_for_delivery_at,
              placed_at + interval '34 hours 1 minute' AS delivered_at,
              placed_at + interval '34 hours 1 minute' + interval '${AFTER_SALES_WINDOW_DAYS} days' AS completes_at
         FROM (SELECT i,
                      ${uuidOf("'growth-order:' || i")} AS order_id,
                      ${uuidOf("'growth-sub-order:' || i")} AS sub_order_id,
                      ${uuidOf("'growth-parcel:' || i")} AS parcel_id,
                      ${uuidOf("'growth-payment:' || i")} AS payment_id,
                      'growth-buyer-' || i % ${plan.buyers} AS buyer_id,
                      'growth-wh-' || i % ${WAREHOUSES} AS warehouse_id,
                      'SFG' || lpad(i::text, 12, '0') AS tracking_number,
                      jsonb_build_object('name', 'Growth Shopper', 'phone', '+8613800000000',
                        'address', jsonb_build_object('country', 'CN', 'city', 'Hangzhou', 'street', i || ' Growth Road')) AS receiver,
                      payable, item_count,
                      '${plan.anchor}'::timestamptz - (${plan.orders} - i) * interval '${step} seconds' AS placed_at
                 FROM (SELECT i, sum(amount) AS payable, sum(quantity) AS item_count FROM seed_line GROUP BY i) AS totals) AS ordered`,
    'ANALYZE seed_line',
    'ANALYZE seed',
  ];
}

interface Target {
  service: ServiceName;
  /** The tables this seed writes, analysed and vacuumed at the end. */
  tables: string[];
  /** Writes the catalog (idempotent: ON CONFLICT DO NOTHING). */
  catalog: (plan: Plan) => string[];
  /** A row only order $1 (its number) has in this database: there when its batch was written. */
  has: string;
  /** Writes the batch's orders from the tables `seed` and `seed_line`. */
  batch: (plan: Plan) => string[];
  /** Checks of the seeded rows, each a query of one number: how many are wrong (0 when all is well). */
  checks: (plan: Plan) => { name: string; sql: string }[];
}

const catalogSkus = (plan: Plan): string => `SELECT 'growth-sku-' || n AS id, 'Growth item ' || n AS name, ${priceOf('n')} AS price,
    'growth-wh-' || n % ${WAREHOUSES} AS warehouse_id FROM generate_series(0, ${plan.skus - 1}) AS n`;

const TARGETS: Target[] = [
  {
    service: 'orders',
    tables: ['catalog_sku', 'parent_order', 'order_line', 'sub_order', 'order_state_change', 'delivered_parcel'],
    catalog: (plan) => [
      `INSERT INTO catalog_sku (id, merchant_id, name, price_minor, currency, on_shelf, fulfilment_type, stock_policy, scarce, purchase_limit, tax_rate_bp, revision)
       SELECT id, 'growth-mall', name, price, 'CNY', true, 'SELF_OPERATED', 'RESERVE_ON_ORDER', false, NULL, 1300, 1 FROM (${catalogSkus(plan)}) AS sku
       ON CONFLICT (id) DO NOTHING`,
    ],
    has: `SELECT 1 FROM parent_order WHERE id = ${uuidOf("'growth-order:' || $1::bigint")}`,
    batch: () => [
      `INSERT INTO parent_order (id, buyer_id, state, state_reason, currency, receiver, delivery_slot, payment_method, coupon_code,
         items_total, item_discount, order_discount, shipping_fee, payable, applied_discounts, pricing_terms, placed_at, payment_due_at,
         paid_at, payment_id, updated_at, interception_requested_at)
       SELECT order_id, buyer_id, 'SPLIT', NULL, 'CNY', receiver, NULL, 'ONLINE', NULL, payable, 0, 0, 0, payable, '[]', '${PRICING_TERMS}',
              placed_at, payment_due_at, paid_at, payment_id::text, split_at, NULL
         FROM seed ORDER BY i`,
      `INSERT INTO order_line (id, order_id, position, sku_id, sku_name, merchant_id, fulfilment_type, stock_policy, quantity, unit_price,
         line_amount, item_discount, order_discount_share, shipping_fee_share, paid_amount, allocations, limit_counted, tax_rate_bp)
       SELECT l.line_id, s.order_id, l.position, l.sku_id, l.sku_name, 'growth-mall', 'SELF_OPERATED', 'RESERVE_ON_ORDER', l.quantity, l.unit_price,
              l.amount, 0, 0, 0, l.amount, jsonb_build_array(jsonb_build_object('quantity', l.quantity, 'warehouseId', s.warehouse_id)), 0, 1300
         FROM seed_line l JOIN seed s USING (i) ORDER BY l.i, l.position`,
      `INSERT INTO sub_order (id, order_id, position, warehouse_id, merchant_id, fulfilment_type, shipping_fee, lines)
       SELECT s.sub_order_id, s.order_id, 0, s.warehouse_id, 'growth-mall', 'SELF_OPERATED', 0, l.lines
         FROM seed s JOIN (SELECT i, jsonb_agg(jsonb_build_object('lineId', line_id, 'skuId', sku_id, 'quantity', quantity, 'merchandise', amount,
                                 'shippingFeeShare', 0, 'paidAmount', amount) ORDER BY position) AS lines
                             FROM seed_line GROUP BY i) AS l USING (i)
        ORDER BY s.i`,
      `INSERT INTO order_state_change (order_id, from_state, to_state, reason, at)
       SELECT order_id, from_state, to_state, NULL, at FROM seed
        CROSS JOIN LATERAL (VALUES (1, NULL, 'PLACED', placed_at), (2, 'PLACED', 'AWAITING_PAYMENT', held_at),
                                   (3, 'AWAITING_PAYMENT', 'PAID', paid_at), (4, 'PAID', 'SPLIT', split_at)) AS change(step, from_state, to_state, at)
        ORDER BY i, step`,
      `INSERT INTO delivered_parcel (parcel_id, order_id, sub_order_id, lines, delivered_at)
       SELECT s.parcel_id, s.order_id, s.sub_order_id, l.lines, s.delivered_at
         FROM seed s JOIN (SELECT i, jsonb_agg(jsonb_build_object('lineId', line_id, 'quantity', quantity) ORDER BY position) AS lines
                             FROM seed_line GROUP BY i) AS l USING (i)`,
    ],
    checks: (plan) => [
      {
        name: 'orders whose lines do not add up to what was paid',
        sql: `SELECT count(*) FROM parent_order o JOIN (SELECT order_id, sum(paid_amount) AS paid FROM order_line GROUP BY 1) l ON l.order_id = o.id
               WHERE o.buyer_id LIKE 'growth-buyer-%' AND o.payable <> l.paid`,
      },
      {
        name: 'seeded orders missing',
        sql: `SELECT ${plan.orders} - count(*) FROM parent_order WHERE buyer_id LIKE 'growth-buyer-%'`,
      },
    ],
  },
  {
    service: 'inventory',
    tables: ['merchant', 'warehouse', 'sku', 'stock_level', 'stock_movement', 'order_stock'],
    catalog: (plan) => [
      `INSERT INTO merchant (id, name, default_stock_policy) VALUES ('growth-mall', 'Growth mall', 'RESERVE_ON_ORDER') ON CONFLICT (id) DO NOTHING`,
      `INSERT INTO warehouse (id, name, fulfilment_type)
       SELECT 'growth-wh-' || k, 'Growth warehouse ' || k, 'SELF_OPERATED' FROM generate_series(0, ${WAREHOUSES - 1}) AS k
       ON CONFLICT (id) DO NOTHING`,
      `INSERT INTO sku (id, merchant_id, name, price_minor, currency, on_shelf, fulfilment_type, stock_policy, scarce, purchase_limit, revision, tax_rate_basis_points)
       SELECT id, 'growth-mall', name, price, 'CNY', true, 'SELF_OPERATED', 'RESERVE_ON_ORDER', false, NULL, 1, 1300 FROM (${catalogSkus(plan)}) AS sku
       ON CONFLICT (id) DO NOTHING`,
      // The level and its opening receipt together: a level is only ever new with its receipt.
      `WITH opened AS (
         INSERT INTO stock_level (sku_id, warehouse_id, on_hand, held)
         SELECT id, warehouse_id, ${OPENING_STOCK}, 0 FROM (${catalogSkus(plan)}) AS sku
         ON CONFLICT (sku_id, warehouse_id) DO NOTHING
         RETURNING sku_id, warehouse_id)
       INSERT INTO stock_movement (sku_id, warehouse_id, kind, on_hand_delta, held_delta, order_id, reason, request_key, created_at)
       SELECT sku_id, warehouse_id, 'RECEIPT', ${OPENING_STOCK}, 0, NULL, 'growth opening stock', 'growth-opening:' || sku_id,
              '${plan.anchor}'::timestamptz - interval '400 days'
         FROM opened ORDER BY sku_id`,
    ],
    has: `SELECT 1 FROM order_stock WHERE order_id = ${uuidOf("'growth-order:' || $1::bigint")}`,
    batch: () => [
      `INSERT INTO order_stock (order_id, state, expires_at, allocations, shortages, created_at, updated_at)
       SELECT s.order_id, 'DEDUCTED', s.payment_due_at, l.allocations, NULL, s.placed_at, s.paid_at
         FROM seed s JOIN (SELECT i, jsonb_agg(jsonb_build_object('lineId', line_id, 'skuId', sku_id, 'quantity', quantity,
                                 'warehouseId', 'growth-wh-' || i % ${WAREHOUSES}) ORDER BY position) AS allocations
                             FROM seed_line GROUP BY i) AS l USING (i)
        ORDER BY s.i`,
      `INSERT INTO stock_movement (sku_id, warehouse_id, kind, on_hand_delta, held_delta, order_id, reason, created_at)
       SELECT l.sku_id, s.warehouse_id, move.kind, move.on_hand_delta, move.held_delta, s.order_id, move.reason, move.at
         FROM seed_line l JOIN seed s USING (i)
        CROSS JOIN LATERAL (VALUES ('HOLD', 0, l.quantity, 'ORDER_PLACED', s.placed_at),
                                   ('DEDUCTION', -l.quantity, -l.quantity, 'ORDER_PAID', s.paid_at)) AS move(kind, on_hand_delta, held_delta, reason, at)
        ORDER BY move.at, l.position`,
      `UPDATE stock_level AS level SET on_hand = level.on_hand - taken.units
         FROM (SELECT l.sku_id, s.warehouse_id, sum(l.quantity) AS units FROM seed_line l JOIN seed s USING (i) GROUP BY 1, 2) AS taken
        WHERE level.sku_id = taken.sku_id AND level.warehouse_id = taken.warehouse_id`,
    ],
    checks: (plan) => [
      {
        name: 'growth stock levels that differ from their ledger',
        sql: `SELECT count(*) FROM stock_level l
                LEFT JOIN (SELECT sku_id, warehouse_id, sum(on_hand_delta) AS on_hand, sum(held_delta) AS held FROM stock_movement
                            WHERE sku_id LIKE 'growth-sku-%' GROUP BY 1, 2) m USING (sku_id, warehouse_id)
               WHERE l.sku_id LIKE 'growth-sku-%' AND (l.on_hand <> coalesce(m.on_hand, 0) OR l.held <> coalesce(m.held, 0))`,
      },
      { name: 'growth SKUs missing', sql: `SELECT ${plan.skus} - count(*) FROM stock_level WHERE sku_id LIKE 'growth-sku-%'` },
    ],
  },
  {
    service: 'payments',
    tables: ['payable_order', 'payment', 'tender', 'payment_log', 'points_account', 'points_entry'],
    catalog: () => [],
    has: `SELECT 1 FROM payable_order WHERE order_id = ${uuidOf("'growth-order:' || $1::bigint")}`,
    batch: (plan) => [
      `INSERT INTO payable_order (order_id, buyer_id, currency, payable_minor, state, close_reason, placed_at, payment_due_at, updated_at)
       SELECT order_id, buyer_id, 'CNY', payable, 'OPEN', NULL, placed_at, payment_due_at, held_at FROM seed ORDER BY i`,
      `INSERT INTO payment (id, serial, order_id, buyer_id, currency, amount_minor, state, provider, provider_ref, client_action, refunded_minor,
         created_at, updated_at, succeeded_at)
       SELECT payment_id, 'P' || to_char(paid_at AT TIME ZONE 'UTC', 'YYYYMMDD') || lpad(nextval('txn_serial_seq')::text, 10, '0'),
              order_id, buyer_id, 'CNY', payable, 'SUCCEEDED', NULL, NULL, NULL, 0, paid_at, paid_at, paid_at
         FROM seed ORDER BY i`,
      `INSERT INTO tender (payment_id, position, type, amount_minor, gift_card_code, points, provider, state, refunded_minor, refunded_points, captured_at)
       SELECT payment_id, 0, 'POINTS', payable, NULL, payable, NULL, 'CAPTURED', 0, 0, paid_at FROM seed ORDER BY i`,
      `INSERT INTO payment_log (payment_id, order_id, from_state, to_state, reason, detail, at)
       SELECT payment_id, order_id, change.from_state, change.to_state, change.reason, change.detail, paid_at FROM seed
        CROSS JOIN LATERAL (VALUES
          (1, NULL, 'CREATED', 'created', jsonb_build_object('tenders', jsonb_build_array(jsonb_build_object('type', 'POINTS', 'amountMinor', payable)),
                                                             'idempotencyKey', ${uuidOf("'growth-pay:' || i")})),
          (2, 'CREATED', 'SUCCEEDED', 'paid by gift cards and points', NULL)) AS change(step, from_state, to_state, reason, detail)
        ORDER BY i, step`,
      // A shopper's points are granted before their first order: the account and its grant together.
      `WITH granted AS (
         INSERT INTO points_account (buyer_id, balance, updated_at)
         SELECT DISTINCT buyer_id, ${POINTS_GRANT}, '${plan.anchor}'::timestamptz - interval '400 days' FROM seed
         ON CONFLICT (buyer_id) DO NOTHING
         RETURNING buyer_id, balance, updated_at)
       INSERT INTO points_entry (buyer_id, kind, delta_points, balance_after, grant_id, reason, at)
       SELECT buyer_id, 'GRANT', balance, balance, 'growth-grant:' || buyer_id, 'growth seed', updated_at FROM granted ORDER BY buyer_id`,
      `INSERT INTO points_entry (buyer_id, kind, delta_points, balance_after, order_id, payment_id, reason, at)
       SELECT s.buyer_id, 'DEBIT', -s.payable, a.balance - sum(s.payable) OVER (PARTITION BY s.buyer_id ORDER BY s.i),
              s.order_id, s.payment_id, 'payment ' || p.serial, s.paid_at
         FROM seed s JOIN points_account a USING (buyer_id) JOIN payment p ON p.id = s.payment_id
        ORDER BY s.i`,
      `UPDATE points_account AS account SET balance = account.balance - spent.points, updated_at = spent.at
         FROM (SELECT buyer_id, sum(payable) AS points, max(paid_at) AS at FROM seed GROUP BY 1) AS spent
        WHERE account.buyer_id = spent.buyer_id`,
    ],
    checks: (plan) => [
      {
        name: 'growth shoppers whose points balance differs from their ledger',
        sql: `SELECT count(*) FROM points_account a JOIN (SELECT buyer_id, sum(delta_points) AS total FROM points_entry
                                                           WHERE buyer_id LIKE 'growth-buyer-%' GROUP BY 1) e USING (buyer_id)
               WHERE a.balance <> e.total`,
      },
      {
        name: 'seeded orders without exactly their payment',
        sql: `SELECT ${plan.orders} - count(*) FROM payable_order o JOIN payment p USING (order_id)
               WHERE o.buyer_id LIKE 'growth-buyer-%' AND p.amount_minor = o.payable_minor AND p.state = 'SUCCEEDED'`,
      },
    ],
  },
  {
    service: 'logistics',
    tables: ['sub_order', 'sub_order_line', 'sub_order_state_change', 'parcel', 'parcel_line', 'parcel_state_change'],
    catalog: () => [],
    has: `SELECT 1 FROM sub_order WHERE id = ${uuidOf("'growth-sub-order:' || $1::bigint")}`,
    batch: () => [
      `INSERT INTO sub_order (id, order_id, buyer_id, position, warehouse_id, merchant_id, fulfilment_type, state, version, currency, shipping_fee,
         paid_amount, receiver, delivery_slot, paid_at, created_at, updated_at, replacement_for)
       SELECT sub_order_id, order_id, buyer_id, 0, warehouse_id, 'growth-mall', 'SELF_OPERATED', 'SHIPPED', 4, 'CNY', 0,
              payable, receiver, NULL, paid_at, split_at, shipped_at, NULL
         FROM seed ORDER BY i`,
      `INSERT INTO sub_order_line (sub_order_id, line_id, sku_id, sku_name, quantity, merchandise, shipping_fee_share, paid_amount)
       SELECT s.sub_order_id, l.line_id, l.sku_id, l.sku_name, l.quantity, l.amount, 0, l.amount
         FROM seed_line l JOIN seed s USING (i) ORDER BY l.i, l.position`,
      `INSERT INTO sub_order_state_change (sub_order_id, from_state, to_state, actor_kind, actor_id, reason, at)
       SELECT sub_order_id, change.from_state, change.to_state, change.actor_kind, change.actor_id, change.reason, change.at FROM seed
        CROSS JOIN LATERAL (VALUES (1, NULL, 'AWAITING_PICK', 'SYSTEM', NULL, 'ORDER_SPLIT', split_at),
                                   (2, 'AWAITING_PICK', 'PICKING', 'STAFF', 'growth-picker', NULL, picking_at),
                                   (3, 'PICKING', 'PACKED', 'STAFF', 'growth-picker', NULL, packed_at),
                                   (4, 'PACKED', 'SHIPPED', 'STAFF', 'growth-picker', NULL, shipped_at))
                         AS change(step, from_state, to_state, actor_kind, actor_id, reason, at)
        ORDER BY i, step`,
      `INSERT INTO parcel (id, sub_order_id, order_id, state, state_at, version, carrier_code, tracking_number, source, handed_over_at, created_at)
       SELECT parcel_id, sub_order_id, order_id, 'DELIVERED', delivered_at, 5, 'sf-express', tracking_number, 'STAFF', shipped_at, packed_at
         FROM seed ORDER BY i`,
      `INSERT INTO parcel_line (parcel_id, line_id, sku_id, quantity)
       SELECT s.parcel_id, l.line_id, l.sku_id, l.quantity FROM seed_line l JOIN seed s USING (i) ORDER BY l.i, l.position`,
      `INSERT INTO parcel_state_change (parcel_id, from_state, to_state, source, occurred_at, recorded_at)
       SELECT parcel_id, change.from_state, change.to_state, change.source, change.at, change.at FROM seed
        CROSS JOIN LATERAL (VALUES (1, NULL, 'PACKED', 'STAFF', packed_at), (2, 'PACKED', 'PICKED_UP', 'STAFF', shipped_at),
                                   (3, 'PICKED_UP', 'IN_TRANSIT', 'CARRIER', in_transit_at),
                                   (4, 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'CARRIER', out_for_delivery_at),
                                   (5, 'OUT_FOR_DELIVERY', 'DELIVERED', 'CARRIER', delivered_at)) AS change(step, from_state, to_state, source, at)
        ORDER BY i, step`,
    ],
    checks: (plan) => [
      {
        name: 'seeded sub-orders without their delivered parcel',
        sql: `SELECT ${plan.orders} - count(*) FROM sub_order s JOIN parcel p ON p.sub_order_id = s.id
               WHERE s.merchant_id = 'growth-mall' AND s.state = 'SHIPPED' AND p.state = 'DELIVERED'`,
      },
    ],
  },
  {
    service: 'after-sales',
    tables: ['merchant', 'sku', 'purchase', 'parcel'],
    catalog: (plan) => [
      `INSERT INTO merchant (id, name, customer_service, changed_at)
       VALUES ('growth-mall', 'Growth mall', NULL, '${plan.anchor}'::timestamptz - interval '400 days') ON CONFLICT (id) DO NOTHING`,
      `INSERT INTO sku (id, merchant_id, name, price, currency, on_shelf, revision)
       SELECT id, 'growth-mall', name, price, 'CNY', true, 1 FROM (${catalogSkus(plan)}) AS sku ON CONFLICT (id) DO NOTHING`,
    ],
    has: `SELECT 1 FROM purchase WHERE order_id = ${uuidOf("'growth-order:' || $1::bigint")}`,
    batch: () => [
      `INSERT INTO purchase (order_id, buyer_id, currency, record, recorded_at)
       SELECT s.order_id, s.buyer_id, 'CNY',
              jsonb_build_object('orderId', s.order_id, 'buyerId', s.buyer_id, 'currency', 'CNY', 'paidAt', ${isoText('s.paid_at')},
                'shippingFeeMinor', 0, 'terms', '${PRICING_TERMS}'::jsonb, 'lines', l.lines,
                'subOrders', jsonb_build_array(jsonb_build_object('subOrderId', s.sub_order_id, 'warehouseId', s.warehouse_id,
                  'merchantId', 'growth-mall', 'fulfilmentType', 'SELF_OPERATED', 'shippingFeeMinor', 0, 'pieces', l.pieces))),
              s.split_at
         FROM seed s JOIN (SELECT i,
                                  jsonb_agg(jsonb_build_object('lineId', line_id, 'skuId', sku_id, 'skuName', sku_name, 'merchantId', 'growth-mall',
                                    'quantity', quantity, 'unitPriceMinor', unit_price, 'paidAmountMinor', amount, 'itemDiscountMinor', 0,
                                    'orderDiscountShareMinor', 0, 'shippingFeeShareMinor', 0) ORDER BY position) AS lines,
                                  jsonb_agg(jsonb_build_object('lineId', line_id, 'quantity', quantity, 'merchandiseMinor', amount,
                                    'shippingFeeShareMinor', 0) ORDER BY position) AS pieces
                             FROM seed_line GROUP BY i) AS l USING (i)
        ORDER BY s.i`,
      `INSERT INTO parcel (id, order_id, sub_order_id, state, version, lines, handed_over_at, delivered_at)
       SELECT s.parcel_id, s.order_id, s.sub_order_id, 'DELIVERED', 5, l.lines, s.shipped_at, s.delivered_at
         FROM seed s JOIN (SELECT i, jsonb_agg(jsonb_build_object('lineId', line_id, 'skuId', sku_id, 'quantity', quantity) ORDER BY position) AS lines
                             FROM seed_line GROUP BY i) AS l USING (i)`,
    ],
    checks: (plan) => [
      { name: 'seeded purchases missing', sql: `SELECT ${plan.orders} - count(*) FROM purchase WHERE buyer_id LIKE 'growth-buyer-%'` },
    ],
  },
  {
    service: 'gateway',
    tables: ['order_view', 'sub_order_view', 'parcel_view'],
    catalog: () => [],
    has: `SELECT 1 FROM order_view WHERE order_id = ${uuidOf("'growth-order:' || $1::bigint")}`,
    batch: () => [
      `INSERT INTO order_view (order_id, buyer_id, placed_at, orders_state, state_reason, payable, paid_amount, refunded_amount, shopper_status,
         interception_flag, refunded_flag, exception_flag, status_version, updated_at, currency, item_count, interception_requested, completes_at,
         after_sales_flag)
       SELECT order_id, buyer_id, placed_at, 'SPLIT', NULL, payable, payable, 0, 'COMPLETED', 'NONE', 'NONE', false, 7, completes_at, 'CNY',
              item_count, false, completes_at, false
         FROM seed ORDER BY i`,
      `INSERT INTO sub_order_view (sub_order_id, order_id, state, version, interception_refused, purchase_failed)
       SELECT sub_order_id, order_id, 'SHIPPED', 4, NULL, false FROM seed ORDER BY i`,
      `INSERT INTO parcel_view (parcel_id, order_id, sub_order_id, state, version, delivered_at)
       SELECT parcel_id, order_id, sub_order_id, 'DELIVERED', 5, delivered_at FROM seed ORDER BY i`,
    ],
    checks: (plan) => [
      {
        name: 'seeded orders missing from the read model',
        sql: `SELECT ${plan.orders} - count(*) FROM order_view WHERE buyer_id LIKE 'growth-buyer-%' AND shopper_status = 'COMPLETED'`,
      },
    ],
  },
];

/** One service's database: its catalog, then each batch not yet written, then vacuum, analyse and the checks. */
async function seedService(target: Target, plan: Plan, log: (message: string) => void): Promise<number> {
  const client = new pg.Client({ connectionString: serviceDatabaseUrl(target.service) });
  await client.connect();
  try {
    const missing = await client.query<{ table: string }>('SELECT t AS table FROM unnest($1::text[]) AS t WHERE to_regclass(t) IS NULL', [
      target.tables,
    ]);
    if (missing.rows.length > 0) {
      throw new Error(
        `${SERVICES[target.service].database} has no ${missing.rows.map((row) => row.table).join(', ')}: start the suite once (npm start) so that its migrations run`,
      );
    }
    // A crash loses at most the last batches, which a second run writes again; nothing waits on fsync meanwhile.
    await client.query('SET synchronous_commit = off');
    await client.query("SET work_mem = '128MB'");
    const started = performance.now();
    await client.query('BEGIN');
    for (const sql of target.catalog(plan)) await client.query(sql);
    await client.query('COMMIT');
    let written = 0;
    for (let first = 1; first <= plan.orders; first += plan.batch) {
      const last = Math.min(plan.orders, first + plan.batch - 1);
      const [firstIn, lastIn] = [
        (await client.query(target.has, [first])).rows.length > 0,
        (await client.query(target.has, [last])).rows.length > 0,
      ];
      if (firstIn && lastIn) continue;
      if (firstIn || lastIn) {
        throw new Error(
          `${SERVICES[target.service].database} holds part of orders ${first}–${last}: seeded before with other --orders or --batch; seed again with those, or into fresh databases`,
        );
      }
      await client.query('BEGIN');
      for (const sql of [...batchTables(plan, first, last), ...target.batch(plan)]) await client.query(sql);
      await client.query('COMMIT');
      written += last - first + 1;
      log(`${target.service}: orders ${first}–${last} written (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
    for (const table of target.tables) await client.query(`VACUUM (ANALYZE) ${table}`);
    let failures = 0;
    for (const check of target.checks(plan)) {
      const count = Number((await client.query<{ count: string }>(`SELECT (${check.sql}) AS count`)).rows[0].count);
      if (count !== 0) {
        failures += 1;
        log(`${target.service}: CHECK FAILED: ${check.name}: ${count}`);
      }
    }
    log(
      `${target.service}: ${written === 0 ? 'nothing to write (seeded already)' : `${written} orders written`}, vacuumed, analysed and checked in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    return failures;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const plan = planOf(parseOptions(process.argv.slice(2)));
  const log = (message: string): void => console.log(`[seed] ${message}`);
  log(
    `${plan.orders} past orders from ${plan.buyers} shoppers and ${plan.skus} SKUs in ${WAREHOUSES} warehouses, placed over the year to ${plan.anchor.slice(0, 10)}, batches of ${plan.batch}`,
  );
  const started = performance.now();
  // Two databases at a time: one per core, each a single server process doing set-based inserts.
  const queue = [...TARGETS];
  let failures = 0;
  await Promise.all(
    Array.from({ length: 2 }, async () => {
      for (let target = queue.shift(); target; target = queue.shift()) {
        try {
          failures += await seedService(target, plan, log);
        } catch (error) {
          // Each database is whole batches or none: the others go on.
          failures += 1;
          log(`${target.service}: FAILED: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }),
  );
  log(
    `done in ${((performance.now() - started) / 1000).toFixed(0)} s${failures > 0 ? `; ${failures} check(s) or database(s) FAILED` : '; every check passed'}`,
  );
  if (failures > 0) process.exitCode = 1;
}

await main();
