import { randomUUID } from 'node:crypto';
import {
  type AfterSalesRefundRequestedV1,
  afterSalesClosed,
  afterSalesRefundRequested,
  newCloudEvent,
  type OrderCompensatedV1,
  type OrderPurchaseRecordedV1,
  type OrderSplitV2,
  orderCompensated,
  orderPlaced,
  orderPurchaseRecorded,
  orderSplitV2,
  parcelStateChanged,
  paymentSucceeded,
  type RefundRequestedV1,
  type RestockRequestedV1,
  refundRequested,
  restockRequested,
  type SkuUpsertedV1,
  type StockAllocationV1,
  skuUpserted,
  stockDeducted,
  stockReservationFailed,
  stockReserved,
  subOrderStateChanged,
  Topics,
} from '@mallard/contracts';
// These tests call orders directly: every fetch is signed like the gateway's calls (service token).
import {
  dropDatabase,
  eventually,
  serviceFetch as fetch,
  queryDatabase,
  type ReadRecord,
  readTopic,
  sendEvent,
  sendEvents,
  startTestService,
  type TestService,
  uniqueSuffix,
} from '@mallard/testing';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineSharesFollowSubOrders1764061000005 } from './migrations/1764061000005-line-shares-follow-sub-orders.js';
import type { OrderView } from './order/order.view.js';
import type { PricingTerms } from './order/parent-order.entity.js';
import { ordersService } from './service.js';
import {
  cancelOrder,
  catalogSku,
  orderRequest,
  orderView,
  payAndSplit as payAndSplitOrder,
  placeOrder,
  seedCatalog,
} from './testing/orders-test-kit.js';

const suffix = uniqueSuffix();
const sku = (name: string): string => `${name}-${suffix}`;
const TEA = sku('TEA');
const CUP = sku('CUP');
const RARE = sku('RARE');
const GONE = sku('GONE');
const PARCEL = sku('PARCEL');

const catalog: SkuUpsertedV1[] = [
  catalogSku(TEA, { name: 'Tea', priceMinor: 2500, taxRateBasisPoints: 900 }),
  catalogSku(CUP, {
    merchantId: 'potter',
    name: 'Cup',
    priceMinor: 4001,
    fulfilmentType: 'DROP_SHIP',
    stockPolicy: 'DEDUCT_ON_PAYMENT',
  }),
  catalogSku(RARE, { name: 'Rare', priceMinor: 10000, scarce: true, purchaseLimit: 3 }),
  catalogSku(GONE, { name: 'Gone', priceMinor: 100, onShelf: false }),
  catalogSku(PARCEL, { name: 'Parcel', priceMinor: 500 }),
];

describe('orders: placing and the order saga, on real Kafka and PostgreSQL', () => {
  let orders: TestService;

  const place = (buyer: string, body: object, key?: string) => placeOrder(orders, buyer, body, key);
  const view = (id: string): Promise<OrderView> => orderView(orders, id);
  const stateOf = (id: string) => view(id).then((o) => o.state);

  beforeAll(async () => {
    orders = await startTestService(ordersService, {
      PAYMENT_WINDOW_SECONDS: '3600',
      PAYMENT_WINDOW_SWEEP_MS: '200',
      SHIPPING_FEE_MINOR: '800',
      FREE_SHIPPING_FROM_MINOR: '20000',
    });
    await seedCatalog(orders, catalog);
  });

  const payAndSplit = (placed: OrderView, allocations: StockAllocationV1[]): Promise<OrderView> =>
    payAndSplitOrder(orders, placed, allocations);

  /** The order's events of one type on the orders topic, in the order they were published. */
  const publishedOf = (orderId: string, type: string, count: number): Promise<ReadRecord[]> =>
    readTopic(Topics.orders, count, 20_000, (record) => record.key === orderId && record.headers.ce_type === type);

  /** The sums after-sales checks before refunding from an order (indexOrder of its refund inputs): every figure adds up. */
  function expectPurchaseAddsUp(purchase: OrderPurchaseRecordedV1): void {
    const total = (values: number[]) => values.reduce((sum, value) => sum + value, 0);
    for (const line of purchase.lines) {
      const merchandise = line.unitPriceMinor * line.quantity - line.itemDiscountMinor - line.orderDiscountShareMinor;
      expect(line.paidAmountMinor, line.lineId).toBe(merchandise + line.shippingFeeShareMinor);
      const pieces = purchase.subOrders.flatMap((subOrder) => subOrder.pieces).filter((piece) => piece.lineId === line.lineId);
      expect(total(pieces.map((piece) => piece.quantity))).toBe(line.quantity);
      expect(total(pieces.map((piece) => piece.merchandiseMinor))).toBe(merchandise);
      expect(total(pieces.map((piece) => piece.shippingFeeShareMinor))).toBe(line.shippingFeeShareMinor);
    }
    for (const subOrder of purchase.subOrders) {
      expect(total(subOrder.pieces.map((piece) => piece.shippingFeeShareMinor))).toBe(subOrder.shippingFeeMinor);
    }
    expect(total(purchase.subOrders.map((subOrder) => subOrder.shippingFeeMinor))).toBe(purchase.shippingFeeMinor);
  }

  afterAll(async () => {
    await orders?.stop();
    if (orders) await dropDatabase(orders.databaseName);
  });

  it('prices an order to the cent and answers a retry with the same order', async () => {
    const promotion = await fetch(`${orders.url}/internal/promotions/spend-100-${suffix}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'THRESHOLD', thresholdMinor: 10000, discountMinor: 1000, active: true }),
    });
    expect(promotion.status).toBe(200);
    // The promotion book caches for two seconds.
    await new Promise((resolve) => setTimeout(resolve, 2_100));

    const key = randomUUID();
    const body = orderRequest([
      { skuId: TEA, quantity: 2 },
      { skuId: CUP, quantity: 2 },
    ]);
    const first = await place('buyer-price', body, key);
    expect(first.status).toBe(201);
    const placed = (await first.json()) as OrderView;
    expect(placed.state).toBe('PLACED');
    // 2×2500 + 2×4001 = 13002; spend 100.00 save 10.00; shipping 8.00 below 200.00.
    expect(placed.amounts.itemsTotal).toBe(13002);
    expect(placed.amounts.orderDiscount).toBe(1000);
    expect(placed.amounts.shippingFee).toBe(800);
    expect(placed.lines.reduce((sum, line) => sum + line.orderDiscountShare, 0)).toBe(placed.amounts.orderDiscount);
    expect(placed.lines.reduce((sum, line) => sum + line.paidAmount, 0)).toBe(placed.amounts.payable);
    expect(placed.amounts.payable).toBe(13002 - 1000 + 800);

    const retry = await place('buyer-price', body, key);
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as OrderView).id).toBe(placed.id);

    const reused = await place('buyer-price', orderRequest([{ skuId: TEA, quantity: 1 }]), key);
    expect(reused.status).toBe(422);
    expect(((await reused.json()) as { type: string }).type).toMatch(/idempotency-key-reused$/);

    const [event] = await readTopic(
      Topics.orders,
      1,
      20_000,
      (record) => record.key === placed.id && record.headers.ce_type === orderPlaced.type,
    );
    const data = JSON.parse(event.value!) as { payableMinor: number; lines: { stockPolicy: string }[] };
    expect(data.payableMinor).toBe(placed.amounts.payable);
    expect(data.lines.map((line) => line.stockPolicy).sort()).toEqual(['DEDUCT_ON_PAYMENT', 'RESERVE_ON_ORDER']);
  });

  it('answers the payment view of an order: the full view’s payment fields, only to its buyer', async () => {
    const placed = (await (await place('buyer-payment-view', orderRequest([{ skuId: TEA, quantity: 1 }]))).json()) as OrderView;
    const read = (query: string, buyer = 'buyer-payment-view') =>
      fetch(`${orders.url}/internal/orders/${placed.id}${query}`, { headers: { 'x-mallard-buyer': buyer } });
    const full = (await (await read('')).json()) as OrderView;
    const answer = await read('?view=payment');
    expect(answer.status).toBe(200);
    // The same fields as the full view (a gateway reading an orders that ignores `view` reads these too), and nothing else.
    expect(await answer.json()).toEqual({
      id: full.id,
      buyerId: full.buyerId,
      state: full.state,
      currency: full.currency,
      amounts: { payable: full.amounts.payable },
      placedAt: full.placedAt,
      paymentDueAt: full.paymentDueAt,
    });
    // An id written in upper case names the same order, and both views answer it as stored.
    const upper = await fetch(`${orders.url}/internal/orders/${placed.id.toUpperCase()}?view=payment`, {
      headers: { 'x-mallard-buyer': 'buyer-payment-view' },
    });
    expect(((await upper.json()) as { id: string }).id).toBe(full.id);
    expect((await read('?view=payment', 'someone-else')).status).toBe(404);
    const unknown = await fetch(`${orders.url}/internal/orders/${randomUUID()}?view=payment`);
    expect(unknown.status).toBe(404);
    const badView = await read('?view=everything');
    expect(badView.status).toBe(400);
    expect(badView.headers.get('content-type')).toContain('application/problem+json');
  });

  it('keeps each line’s tax rate as the catalog had it when the order was placed', async () => {
    const placed = (await (
      await place(
        'buyer-tax',
        orderRequest([
          { skuId: TEA, quantity: 1 },
          { skuId: PARCEL, quantity: 1 },
        ]),
      )
    ).json()) as OrderView;
    // Tea published with 9 %; the parcel published without a rate (an event from before rates were kept).
    expect(placed.lines.map((line) => [line.skuId, line.taxRateBasisPoints])).toEqual([
      [TEA, 900],
      [PARCEL, null],
    ]);
    // The catalog's rate changes later: the order keeps the one it was sold at.
    await sendEvent(skuUpserted, TEA, { ...catalog[0], taxRateBasisPoints: 1300, revision: 2 });
    await eventually(
      () => queryDatabase<{ rate: number }>(orders.databaseName, 'SELECT tax_rate_bp AS rate FROM catalog_sku WHERE id = $1', [TEA]),
      ([row]) => row.rate === 1300,
    );
    expect((await view(placed.id)).lines[0].taxRateBasisPoints).toBe(900);
  });

  it('refuses bad requests with problem+json and writes nothing', async () => {
    const cases: [object, number, RegExp][] = [
      [orderRequest([{ skuId: TEA, quantity: 0 }]), 400, /validation-failed/],
      [{ ...orderRequest([{ skuId: TEA, quantity: 1 }]), extra: true }, 400, /validation-failed/],
      [orderRequest([{ skuId: sku('NOPE'), quantity: 1 }]), 422, /unknown-sku/],
      [orderRequest([{ skuId: GONE, quantity: 1 }]), 422, /sku-off-shelf/],
      [
        orderRequest([
          { skuId: TEA, quantity: 1 },
          { skuId: TEA, quantity: 1 },
        ]),
        400,
        /duplicate-line/,
      ],
      [orderRequest([{ skuId: TEA, quantity: 1 }], { couponCode: 'NO-SUCH' }), 422, /coupon-not-found/],
    ];
    for (const [body, status, type] of cases) {
      const response = await place('buyer-bad', body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(((await response.json()) as { type: string }).type).toMatch(type);
    }
    const noKey = await fetch(`${orders.url}/internal/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-mallard-buyer': 'buyer-bad' },
      body: JSON.stringify(orderRequest([{ skuId: TEA, quantity: 1 }])),
    });
    expect(noKey.status).toBe(400);
    // A page whose offset PostgreSQL could not take is refused, not a 500.
    const farPage = await fetch(`${orders.url}/internal/orders?page=1e20`, { headers: { 'x-mallard-buyer': 'buyer-bad' } });
    expect(farPage.status).toBe(400);
    expect(farPage.headers.get('content-type')).toContain('application/problem+json');
    const [row] = await queryDatabase<{ n: number }>(
      orders.databaseName,
      `SELECT count(*)::int AS n FROM parent_order WHERE buyer_id = 'buyer-bad'`,
    );
    expect(row.n).toBe(0);
  });

  it('refuses out-of-range promotions and malformed ids when saved, and a stored bad rule never stops ordering', async () => {
    const put = (path: string, body: object) =>
      fetch(`${orders.url}/internal/${path}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refused: [string, object][] = [
      [`promotions/huge-${suffix}`, { kind: 'THRESHOLD', thresholdMinor: 100, discountMinor: 1e300, active: true }],
      [`promotions/huge-${suffix}`, { kind: 'THRESHOLD', thresholdMinor: 100, discountMinor: 1_000_000_000_001, active: true }],
      [`promotions/huge-${suffix}`, { kind: 'PERCENTAGE', basisPoints: 10_001, active: true }],
      [`promotions/huge-${suffix}`, { kind: 'PERCENTAGE', basisPoints: 100, capMinor: 2 ** 60, active: true }],
      [`promotions/huge-${suffix}`, { kind: 'ITEM_AMOUNT_OFF', skuId: 'a\u0000b', amountOffPerUnitMinor: 1, active: true }],
      [`promotions/bad%00id`, { kind: 'THRESHOLD', thresholdMinor: 100, discountMinor: 1, active: true }],
      [`promotions/bad%20id`, { kind: 'THRESHOLD', thresholdMinor: 100, discountMinor: 1, active: true }],
      [`coupons/bad%00code`, { kind: 'AMOUNT', amountMinor: 1, active: true }],
      [`coupons/HUGE-${suffix}`, { kind: 'AMOUNT', amountMinor: 1e300, active: true }],
      [`coupons/HUGE-${suffix}`, { kind: 'PERCENT', basisPoints: 50, minSpendMinor: -1, active: true }],
    ];
    for (const [path, body] of refused) {
      const response = await put(path, body);
      expect(response.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
    const [saved] = await queryDatabase<{ n: number }>(
      orders.databaseName,
      `SELECT count(*)::int AS n FROM promotion WHERE id LIKE 'huge-%' OR id LIKE 'bad%'`,
    );
    expect(saved.n).toBe(0);

    // A rule that slipped in before the bounds existed is left out of pricing, not applied to every order.
    await queryDatabase(orders.databaseName, `INSERT INTO promotion (id, rule, active) VALUES ($1, $2, true)`, [
      `legacy-${suffix}`,
      JSON.stringify({ id: `legacy-${suffix}`, kind: 'THRESHOLD', thresholdMinor: 1, discountMinor: 1e300 }),
    ]);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const placed = await place('buyer-legacy-promo', orderRequest([{ skuId: TEA, quantity: 1 }]));
      expect(placed.status).toBe(201);
      expect(((await placed.json()) as OrderView).amounts.orderDiscount).toBe(0);
    } finally {
      await queryDatabase(orders.databaseName, `DELETE FROM promotion WHERE id = $1`, [`legacy-${suffix}`]);
    }
  });

  it('never lets one shopper exceed a purchase limit, even in parallel', async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => place('buyer-limit', orderRequest([{ skuId: RARE, quantity: 1 }]))),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(3);
    expect(statuses.filter((status) => status === 422)).toHaveLength(7);

    // Cancelling one gives its unit back to the shopper's allowance.
    const mine = (await (await fetch(`${orders.url}/internal/orders`, { headers: { 'x-mallard-buyer': 'buyer-limit' } })).json()) as {
      items: { id: string }[];
      total: number;
    };
    expect(mine.total).toBe(3);
    const cancelled = await cancelOrder(orders, 'buyer-limit', mine.items[0].id);
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as OrderView).stateReason).toBe('SHOPPER_CANCELLED');
    expect((await place('buyer-limit', orderRequest([{ skuId: RARE, quantity: 1 }]))).status).toBe(201);
    expect((await place('buyer-limit', orderRequest([{ skuId: RARE, quantity: 1 }]))).status).toBe(422);
  });

  it('answers a retry with the placed order even after its coupon was withdrawn', async () => {
    const code = `WELCOME-${suffix}`;
    const putCoupon = (active: boolean) =>
      fetch(`${orders.url}/internal/coupons/${code}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'AMOUNT', amountMinor: 500, active }),
      });
    expect((await putCoupon(true)).status).toBe(200);
    const key = randomUUID();
    const body = orderRequest([{ skuId: TEA, quantity: 1 }], { couponCode: code });
    const first = await place('buyer-coupon', body, key);
    expect(first.status).toBe(201);
    const placed = (await first.json()) as OrderView;
    expect(placed.amounts.orderDiscount).toBeGreaterThanOrEqual(500);

    expect((await putCoupon(false)).status).toBe(200);
    expect((await place('buyer-coupon', body)).status).toBe(422);
    const retry = await place('buyer-coupon', body, key);
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as OrderView).id).toBe(placed.id);
  });

  it('gives back on cancel only what an order counted against a purchase limit', async () => {
    const LATER = sku('LATER');
    const unlimited: SkuUpsertedV1 = { ...catalog[0], skuId: LATER, name: 'Later limited', revision: 1 };
    await seedCatalog(orders, [unlimited]);
    const big = (await (await place('buyer-later', orderRequest([{ skuId: LATER, quantity: 5 }]))).json()) as OrderView;

    // A limit arrives after that order was placed: it counted nothing against it.
    await sendEvent(skuUpserted, LATER, { ...unlimited, purchaseLimit: 2, revision: 2 });
    await eventually(
      () =>
        queryDatabase<{ purchase_limit: number | null }>(orders.databaseName, 'SELECT purchase_limit FROM catalog_sku WHERE id = $1', [
          LATER,
        ]),
      ([row]) => row.purchase_limit === 2,
    );
    expect((await place('buyer-later', orderRequest([{ skuId: LATER, quantity: 2 }]))).status).toBe(201);
    const cancelled = await cancelOrder(orders, 'buyer-later', big.id);
    expect(cancelled.status).toBe(200);
    expect((await place('buyer-later', orderRequest([{ skuId: LATER, quantity: 1 }]))).status).toBe(422);
  });

  it('walks placed → stock held → paid → split, and shows the saga in the order', async () => {
    const response = await place(
      'buyer-saga',
      orderRequest([
        { skuId: TEA, quantity: 3 },
        { skuId: CUP, quantity: 1 },
      ]),
    );
    const placed = (await response.json()) as OrderView;
    const [tea, cup] = placed.lines;

    await sendEvent(stockReserved, placed.id, {
      orderId: placed.id,
      allocations: [
        { lineId: tea.id, skuId: TEA, warehouseId: 'WH-EAST', quantity: 2 },
        { lineId: tea.id, skuId: TEA, warehouseId: 'WH-WEST', quantity: 1 },
      ],
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const awaiting = await eventually(
      () => view(placed.id),
      (o) => o.state === 'AWAITING_PAYMENT',
    );
    // A hold that ends after the payment window leaves the window as it was.
    expect(awaiting.paymentDueAt).toBe(placed.paymentDueAt);

    await sendEvent(paymentSucceeded, placed.id, {
      orderId: placed.id,
      paymentId: `pay-${suffix}`,
      amountMinor: placed.amounts.payable,
      currency: 'CNY',
      succeededAt: new Date().toISOString(),
    });
    await eventually(
      () => stateOf(placed.id),
      (state) => state === 'PAID',
    );

    await sendEvent(stockDeducted, placed.id, {
      orderId: placed.id,
      allocations: [
        { lineId: tea.id, skuId: TEA, warehouseId: 'WH-EAST', quantity: 2 },
        { lineId: tea.id, skuId: TEA, warehouseId: 'WH-WEST', quantity: 1 },
        { lineId: cup.id, skuId: CUP, warehouseId: 'POTTER', quantity: 1 },
      ],
    });
    const split = await eventually(
      () => view(placed.id),
      (o) => o.state === 'SPLIT',
    );
    expect(split.subOrders.map((s) => [s.warehouseId, s.fulfilmentType])).toEqual([
      ['WH-EAST', 'SELF_OPERATED'],
      ['WH-WEST', 'SELF_OPERATED'],
      ['POTTER', 'DROP_SHIP'],
    ]);
    // Every cent the shopper paid is in exactly one piece of a sub-order, its shipping fee included.
    const pieces = split.subOrders.flatMap((s) => s.lines);
    expect(pieces.reduce((n, l) => n + l.paidAmount, 0)).toBe(split.amounts.payable);
    expect(split.subOrders[0].shippingFee).toBe(split.amounts.shippingFee);
    for (const subOrder of split.subOrders) {
      expect(subOrder.lines.reduce((n, l) => n + l.shippingFeeShare, 0)).toBe(subOrder.shippingFee);
    }
    // A line's figures are its pieces': the cup, in the last sub-order, no longer carries shipping.
    for (const line of split.lines) {
      const own = pieces.filter((piece) => piece.lineId === line.id);
      expect(line.paidAmount).toBe(own.reduce((n, l) => n + l.paidAmount, 0));
      expect(line.shippingFeeShare).toBe(own.reduce((n, l) => n + l.shippingFeeShare, 0));
    }
    expect(split.lines[1].shippingFeeShare).toBe(0);
    expect(split.history.map((h) => h.to)).toEqual(['PLACED', 'AWAITING_PAYMENT', 'PAID', 'SPLIT']);

    const [event] = await readTopic(
      Topics.orders,
      1,
      20_000,
      (record) => record.key === placed.id && record.headers.ce_type === orderSplitV2.type,
    );
    expect(event.headers.ce_dataversion).toBe('2');
    const data = JSON.parse(event.value!) as OrderSplitV2;
    expect(data).toMatchObject({ orderId: placed.id, receiver: placed.receiver, paidAt: split.paidAt });
    expect(data.subOrders.map((s) => [s.position, s.warehouseId, s.shippingFeeMinor, s.paidMinor])).toEqual(
      split.subOrders.map((s, position) => [position, s.warehouseId, s.shippingFee, s.lines.reduce((n, l) => n + l.paidAmount, 0)]),
    );
    expect(data.subOrders[2].lines[0]).toMatchObject({ skuId: CUP, skuName: placed.lines[1].name, shippingFeeShareMinor: 0 });

    // An order split by the previous release (pieces without their share, lines with the
    // placement's spread) is re-based by the migration to exactly these figures.
    await queryDatabase(
      orders.databaseName,
      `UPDATE sub_order SET lines = (SELECT jsonb_agg(jsonb_build_object('lineId', p->'lineId', 'skuId', p->'skuId', 'quantity', p->'quantity', 'paidAmount', p->'merchandise')) FROM jsonb_array_elements(lines) p) WHERE order_id = $1`,
      [placed.id],
    );
    for (const line of placed.lines) {
      await queryDatabase(orders.databaseName, 'UPDATE order_line SET shipping_fee_share = $2, paid_amount = $3 WHERE id = $1', [
        line.id,
        line.shippingFeeShare,
        line.paidAmount,
      ]);
    }
    expect((await view(placed.id)).lines.map((line) => line.paidAmount)).toEqual(placed.lines.map((line) => line.paidAmount));
    const runner = orders.app.get(DataSource).createQueryRunner();
    try {
      await new LineSharesFollowSubOrders1764061000005().up(runner);
    } finally {
      await runner.release();
    }
    const migrated = await view(placed.id);
    expect({ lines: migrated.lines, subOrders: migrated.subOrders }).toEqual({ lines: split.lines, subOrders: split.subOrders });
  });

  it('never marks an order paid by a payment of another amount or currency: records, logs and counts it', async () => {
    const placed = (await (await place('buyer-mismatch', orderRequest([{ skuId: TEA, quantity: 1 }]))).json()) as OrderView;
    await sendEvent(stockReserved, placed.id, {
      orderId: placed.id,
      allocations: [{ lineId: placed.lines[0].id, skuId: TEA, warehouseId: 'WH-EAST', quantity: 1 }],
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await eventually(
      () => stateOf(placed.id),
      (state) => state === 'AWAITING_PAYMENT',
    );
    const payable = placed.amounts.payable;
    const pay = (paymentId: string, amountMinor: number, currency: string) =>
      sendEvent(paymentSucceeded, placed.id, {
        orderId: placed.id,
        paymentId,
        amountMinor,
        currency,
        succeededAt: new Date().toISOString(),
      });

    await pay(`short-${suffix}`, payable - 1, 'CNY');
    await pay(`euro-${suffix}`, payable, 'EUR');
    const recorded = await eventually(
      () =>
        queryDatabase<{
          payment_id: string;
          expected_amount: string;
          received_amount: string;
          received_currency: string;
          mismatches: string[];
        }>(
          orders.databaseName,
          'SELECT payment_id, expected_amount, received_amount, received_currency, mismatches FROM payment_mismatch WHERE order_id = $1 ORDER BY recorded_at',
          [placed.id],
        ),
      (rows) => rows.length === 2,
    );
    expect(recorded).toEqual([
      {
        payment_id: `short-${suffix}`,
        expected_amount: String(payable),
        received_amount: String(payable - 1),
        received_currency: 'CNY',
        mismatches: ['AMOUNT'],
      },
      {
        payment_id: `euro-${suffix}`,
        expected_amount: String(payable),
        received_amount: String(payable),
        received_currency: 'EUR',
        mismatches: ['CURRENCY'],
      },
    ]);
    const stillUnpaid = await view(placed.id);
    expect(stillUnpaid.state).toBe('AWAITING_PAYMENT');
    expect(stillUnpaid.history.map((h) => h.to)).toEqual(['PLACED', 'AWAITING_PAYMENT']);
    const metrics = await (await fetch(`${orders.url}/metrics`)).text();
    expect(metrics).toMatch(/mallard_payment_amount_mismatch_total\{[^}]*mismatch="AMOUNT"[^}]*\} 1\b/);
    expect(metrics).toMatch(/mallard_payment_amount_mismatch_total\{[^}]*mismatch="CURRENCY"[^}]*\} 1\b/);

    // The exact payment still pays it.
    await pay(`exact-${suffix}`, payable, 'CNY');
    await eventually(
      () => stateOf(placed.id),
      (state) => state === 'PAID',
    );
  });

  it('counts a mismatched payment once when its batch is rolled back and applied again event by event, and not on a redelivery', async () => {
    const placed = (await (await place('buyer-mismatch-batch', orderRequest([{ skuId: TEA, quantity: 1 }]))).json()) as OrderView;
    await sendEvent(stockReserved, placed.id, {
      orderId: placed.id,
      allocations: [{ lineId: placed.lines[0].id, skuId: TEA, warehouseId: 'WH-EAST', quantity: 1 }],
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await eventually(
      () => stateOf(placed.id),
      (state) => state === 'AWAITING_PAYMENT',
    );
    /** The sum of a metric's samples that carry all the labels given. */
    const metric = async (name: string, labels: Record<string, string>) => {
      const text = await (await fetch(`${orders.url}/metrics`)).text();
      let sum = 0;
      for (const line of text.split('\n')) {
        if (!line.startsWith(`${name}{`)) continue;
        const labelled = line.slice(name.length, line.lastIndexOf(' '));
        if (Object.entries(labels).every(([label, value]) => labelled.includes(`${label}="${value}"`)))
          sum += Number(line.slice(line.lastIndexOf(' ') + 1));
      }
      return sum;
    };
    const amountMismatches = () => metric('mallard_payment_amount_mismatch_total', { mismatch: 'AMOUNT' });
    const duplicates = () => metric('events_consumed_total', { type: paymentSucceeded.type, outcome: 'duplicate' });
    const before = await amountMismatches();
    const short = (paymentId: string) =>
      newCloudEvent({
        type: paymentSucceeded.type,
        version: paymentSucceeded.version,
        source: 'mallard/test',
        subject: placed.id,
        data: {
          orderId: placed.id,
          paymentId,
          amountMinor: placed.amounts.payable - 1,
          currency: 'CNY',
          succeededAt: new Date().toISOString(),
        },
      });
    // The second payment's mismatch cannot be written, so the transaction the consumer applies
    // both in fails; it is rolled back whole and each event applied on its own: the first
    // again, the second failing until it is dead-lettered.
    const poison = `poison-${suffix}`;
    await queryDatabase(
      orders.databaseName,
      `CREATE OR REPLACE FUNCTION refuse_poison_mismatch() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN IF NEW.payment_id = '${poison}' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`,
    );
    await queryDatabase(
      orders.databaseName,
      'CREATE TRIGGER refuse_poison_mismatch BEFORE INSERT ON payment_mismatch FOR EACH ROW EXECUTE FUNCTION refuse_poison_mismatch()',
    );
    const first = short(`short-batch-${suffix}`);
    const refused = short(poison);
    try {
      // One produce request to one partition: the consumer fetches both in one batch.
      await sendEvents(paymentSucceeded.topic, [first, refused]);
      const group = orders.config.KAFKA_CONSUMER_GROUP!;
      await readTopic(`mallard.dlq.${group}`, 1, 30_000, (letter) => letter.headers.ce_id === refused.id);
    } finally {
      await queryDatabase(orders.databaseName, 'DROP TRIGGER refuse_poison_mismatch ON payment_mismatch');
    }
    const recorded = await queryDatabase<{ payment_id: string }>(
      orders.databaseName,
      'SELECT payment_id FROM payment_mismatch WHERE order_id = $1',
      [placed.id],
    );
    expect(recorded).toEqual([{ payment_id: `short-batch-${suffix}` }]);
    expect(await amountMismatches()).toBe(before + 1);

    // The first one delivered again, as after a crash before the offset commit: nothing more.
    const duplicatesBefore = await duplicates();
    await sendEvents(paymentSucceeded.topic, [first]);
    await eventually(duplicates, (count) => count === duplicatesBefore + 1);
    expect(await amountMismatches()).toBe(before + 1);
    expect((await view(placed.id)).state).toBe('AWAITING_PAYMENT');
  });

  it('makes an order due when its hold lapses, if that comes before the payment window (a scarce SKU)', async () => {
    const placed = (await (await place('buyer-scarce', orderRequest([{ skuId: RARE, quantity: 1 }]))).json()) as OrderView;
    const holdEnds = new Date(Date.now() + 900_000);
    await sendEvent(stockReserved, placed.id, {
      orderId: placed.id,
      allocations: [{ lineId: placed.lines[0].id, skuId: RARE, warehouseId: 'WH-EAST', quantity: 1 }],
      expiresAt: holdEnds.toISOString(),
    });
    const awaiting = await eventually(
      () => view(placed.id),
      (o) => o.state === 'AWAITING_PAYMENT',
    );
    expect(awaiting.paymentDueAt).toBe(holdEnds.toISOString());
    expect(Date.parse(placed.paymentDueAt)).toBeGreaterThan(holdEnds.getTime());
  });

  it('needs no payment for an order that costs nothing: held stock goes straight to paid', async () => {
    const freeShipping = await startTestService(ordersService, { SHIPPING_FEE_MINOR: '0' });
    try {
      const FREEBIE = sku('FREEBIE');
      await seedCatalog(freeShipping, [{ ...catalog[0], skuId: FREEBIE, name: 'Sample', priceMinor: 0 }]);
      const response = await placeOrder(freeShipping, 'buyer-free', orderRequest([{ skuId: FREEBIE, quantity: 1 }]));
      const placed = (await response.json()) as OrderView;
      expect(placed.amounts.payable).toBe(0);
      await sendEvent(stockReserved, placed.id, {
        orderId: placed.id,
        allocations: [{ lineId: placed.lines[0].id, skuId: FREEBIE, warehouseId: 'WH-EAST', quantity: 1 }],
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      const paid = await eventually(
        () => orderView(freeShipping, placed.id),
        (o) => o.state === 'PAID',
      );
      expect(paid.history.map((h) => [h.to, h.reason])).toEqual([
        ['PLACED', null],
        ['AWAITING_PAYMENT', null],
        ['PAID', 'NOTHING_TO_PAY'],
      ]);
    } finally {
      await freeShipping.stop();
      await dropDatabase(freeShipping.databaseName);
    }
  });

  it('closes the order when stock cannot be held', async () => {
    const placed = (await (await place('buyer-short', orderRequest([{ skuId: PARCEL, quantity: 5 }]))).json()) as OrderView;
    await sendEvent(stockReservationFailed, placed.id, {
      orderId: placed.id,
      shortages: [{ skuId: PARCEL, reason: 'INSUFFICIENT_STOCK', requested: 5, available: 2 }],
    });
    const closed = await eventually(
      () => view(placed.id),
      (o) => o.state === 'CANCELLED',
    );
    expect(closed.stateReason).toBe('STOCK_UNAVAILABLE');
  });

  it('closes an unpaid order when its payment window elapses, and refunds a payment that comes later', async () => {
    const shortWindow = await startTestService(ordersService, { PAYMENT_WINDOW_SECONDS: '1', PAYMENT_WINDOW_SWEEP_MS: '100' });
    try {
      await seedCatalog(shortWindow, [catalog.find((entry) => entry.skuId === PARCEL)!]);
      const response = await placeOrder(shortWindow, 'buyer-late', orderRequest([{ skuId: PARCEL, quantity: 1 }]));
      const placed = (await response.json()) as OrderView;
      const closed = await eventually(
        () => orderView(shortWindow, placed.id),
        (o) => o.state === 'CANCELLED',
        { timeoutMs: 10_000 },
      );
      expect(closed.stateReason).toBe('PAYMENT_WINDOW_ELAPSED');

      await sendEvent(paymentSucceeded, placed.id, {
        orderId: placed.id,
        paymentId: `late-${suffix}`,
        amountMinor: placed.amounts.payable,
        currency: 'CNY',
        succeededAt: new Date().toISOString(),
      });
      const [refund] = await readTopic(
        Topics.orders,
        1,
        20_000,
        (record) => record.key === placed.id && record.headers.ce_type === refundRequested.type,
      );
      expect(JSON.parse(refund.value!)).toMatchObject({
        orderId: placed.id,
        amountMinor: placed.amounts.payable,
        reason: 'PAID_AFTER_CLOSE',
      });
    } finally {
      await shortWindow.stop();
      await dropDatabase(shortWindow.databaseName);
    }
  });
  it('records with the split what each line and sub-order paid and the rules the order was priced with (order.purchase-recorded)', async () => {
    const put = (path: string, body: object) =>
      fetch(`${orders.url}/internal/${path}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const promotionId = `spend-110-${suffix}`;
    const code = `TERMS-${suffix}`;
    expect(
      (await put(`promotions/${promotionId}`, { kind: 'THRESHOLD', thresholdMinor: 11_000, discountMinor: 1_500, active: true })).status,
    ).toBe(200);
    expect((await put(`coupons/${code}`, { kind: 'AMOUNT', amountMinor: 500, minSpendMinor: 5_000, active: true })).status).toBe(200);
    try {
      const response = await place(
        'buyer-terms',
        orderRequest(
          [
            { skuId: TEA, quantity: 3 },
            { skuId: CUP, quantity: 1 },
          ],
          { couponCode: code },
        ),
      );
      expect(response.status).toBe(201);
      const placed = (await response.json()) as OrderView;
      // 3×2500 + 4001 = 11501: spend 110.00 save 15.00 (the best threshold), then the coupon's 5.00; shipping 8.00 below 200.00.
      expect(placed.amounts).toMatchObject({ itemsTotal: 11_501, orderDiscount: 2_000, shippingFee: 800, payable: 11_501 - 2_000 + 800 });
      const [tea, cup] = placed.lines;
      const split = await payAndSplit(placed, [
        { lineId: tea.id, skuId: TEA, warehouseId: 'WH-EAST', quantity: 2 },
        { lineId: tea.id, skuId: TEA, warehouseId: 'WH-WEST', quantity: 1 },
        { lineId: cup.id, skuId: CUP, warehouseId: 'POTTER', quantity: 1 },
      ]);

      const [splitRecord] = await publishedOf(placed.id, orderSplitV2.type, 1);
      const [record] = await publishedOf(placed.id, orderPurchaseRecorded.type, 1);
      // Published with the split, in its transaction: the next of the order's events on its partition.
      expect(record.partition).toBe(splitRecord.partition);
      expect(BigInt(record.offset)).toBeGreaterThan(BigInt(splitRecord.offset));
      expect(record.headers.ce_dataversion).toBe('1');
      const purchase = JSON.parse(record.value!) as OrderPurchaseRecordedV1;
      expect(purchase).toMatchObject({
        orderId: placed.id,
        buyerId: 'buyer-terms',
        currency: 'CNY',
        paidAt: split.paidAt,
        shippingFeeMinor: 800,
      });
      expectPurchaseAddsUp(purchase);
      expect(purchase.lines.reduce((sum, line) => sum + line.paidAmountMinor, 0)).toBe(placed.amounts.payable);
      expect(purchase.lines.reduce((sum, line) => sum + line.orderDiscountShareMinor, 0)).toBe(placed.amounts.orderDiscount);
      // The line figures are the order's after the split: the cup no longer carries shipping.
      expect(purchase.lines).toEqual(
        split.lines.map((line) => ({
          lineId: line.id,
          skuId: line.skuId,
          skuName: line.name,
          merchantId: line.merchantId,
          unitPriceMinor: line.unitPrice,
          quantity: line.quantity,
          itemDiscountMinor: line.itemDiscount,
          orderDiscountShareMinor: line.orderDiscountShare,
          shippingFeeShareMinor: line.shippingFeeShare,
          paidAmountMinor: line.paidAmount,
        })),
      );
      expect(purchase.lines[1]).toMatchObject({ skuName: 'Cup', merchantId: 'potter', shippingFeeShareMinor: 0 });
      expect(purchase.subOrders).toEqual(
        split.subOrders.map((subOrder) => ({
          subOrderId: subOrder.id,
          warehouseId: subOrder.warehouseId,
          merchantId: subOrder.merchantId,
          fulfilmentType: subOrder.fulfilmentType,
          shippingFeeMinor: subOrder.shippingFee,
          pieces: subOrder.lines.map((piece) => ({
            lineId: piece.lineId,
            quantity: piece.quantity,
            merchandiseMinor: piece.merchandise,
            shippingFeeShareMinor: piece.shippingFeeShare,
          })),
        })),
      );
      // The rules: every order promotion pricing was given (the one that applied among them), the coupon's, the shipping rule.
      const applied = placed.appliedDiscounts as { source: string; id: string }[];
      expect(applied.filter((discount) => discount.source === 'promotion').map((discount) => discount.id)).toEqual([promotionId]);
      expect(purchase.terms.orderPromotions).toContainEqual({
        id: promotionId,
        kind: 'THRESHOLD',
        thresholdMinor: 11_000,
        discountMinor: 1_500,
      });
      expect(purchase.terms.coupon).toEqual({ code, kind: 'AMOUNT', amountMinor: 500, minSpendMinor: 5_000 });
      expect(purchase.terms.shipping).toEqual({ flatFeeMinor: 800, freeFromMinor: 20_000 });
      // They were kept with the order when it was placed, not looked up at the split.
      const [stored] = await queryDatabase<{ pricing_terms: PricingTerms }>(
        orders.databaseName,
        'SELECT pricing_terms FROM parent_order WHERE id = $1',
        [placed.id],
      );
      expect(stored.pricing_terms).toEqual(purchase.terms);
    } finally {
      await put(`promotions/${promotionId}`, { kind: 'THRESHOLD', thresholdMinor: 11_000, discountMinor: 1_500, active: false });
    }
  });

  it('records an order placed before pricing terms were kept with no promotion, no coupon and the shipping rule of the settings', async () => {
    const placed = (await (await place('buyer-old-terms', orderRequest([{ skuId: PARCEL, quantity: 2 }]))).json()) as OrderView;
    await queryDatabase(orders.databaseName, 'UPDATE parent_order SET pricing_terms = NULL WHERE id = $1', [placed.id]);
    await payAndSplit(placed, [{ lineId: placed.lines[0].id, skuId: PARCEL, warehouseId: 'WH-EAST', quantity: 2 }]);
    const [record] = await publishedOf(placed.id, orderPurchaseRecorded.type, 1);
    const purchase = JSON.parse(record.value!) as OrderPurchaseRecordedV1;
    expect(purchase.terms).toEqual({ orderPromotions: [], shipping: { flatFeeMinor: 800, freeFromMinor: 20_000 } });
    expectPurchaseAddsUp(purchase);
  });

  it('publishes each compensation it writes (order.compensated): a refused parcel, its return, a stopped sub-order', async () => {
    const placed = (await (
      await place(
        'buyer-compensated',
        orderRequest([
          { skuId: TEA, quantity: 3 },
          { skuId: CUP, quantity: 1 },
        ]),
      )
    ).json()) as OrderView;
    const [tea, cup] = placed.lines;
    const split = await payAndSplit(placed, [
      { lineId: tea.id, skuId: TEA, warehouseId: 'WH-EAST', quantity: 3 },
      { lineId: cup.id, skuId: CUP, warehouseId: 'POTTER', quantity: 1 },
    ]);
    const [east, potter] = split.subOrders;
    expect([east.warehouseId, east.shippingFee, potter.warehouseId]).toEqual(['WH-EAST', 800, 'POTTER']);
    const parcelId = randomUUID();
    const parcel = (to: 'REJECTED' | 'RETURNED_TO_SENDER', version: number) =>
      sendEvent(parcelStateChanged, placed.id, {
        orderId: placed.id,
        subOrderId: east.id,
        parcelId,
        version,
        to,
        lines: [{ lineId: tea.id, skuId: TEA, quantity: 2 }],
        source: 'CARRIER',
        occurredAt: new Date().toISOString(),
      });
    await parcel('REJECTED', 2);
    await parcel('RETURNED_TO_SENDER', 3);
    await sendEvent(subOrderStateChanged, placed.id, {
      orderId: placed.id,
      subOrderId: potter.id,
      warehouseId: potter.warehouseId,
      merchantId: potter.merchantId,
      fulfilmentType: 'DROP_SHIP',
      from: 'INTERCEPTING',
      to: 'INTERCEPTED',
      version: 3,
      actor: { kind: 'MERCHANT', id: 'potter-staff' },
      changedAt: new Date().toISOString(),
    });

    const records = await publishedOf(placed.id, orderCompensated.type, 3);
    const events = records.map((record) => JSON.parse(record.value!) as OrderCompensatedV1);
    const rows = await queryDatabase<{ id: string; created_at: Date }>(
      orders.databaseName,
      'SELECT id, created_at FROM compensation WHERE order_id = $1',
      [placed.id],
    );
    const at = new Map(rows.map((row) => [row.id, row.created_at.toISOString()]));
    // Two tea units of three: their goods and, the first refusal in the sub-order that carries it, the whole fee.
    const teaPaid = east.lines[0].merchandise;
    const twoTeas = teaPaid - Math.floor(teaPaid / 3);
    expect(events).toEqual([
      {
        orderId: placed.id,
        compensationId: `PARCEL_REJECTED:${parcelId}`,
        kind: 'PARCEL_REJECTED',
        subOrderId: east.id,
        parcelId,
        lines: [{ lineId: tea.id, skuId: TEA, quantity: 2, amountMinor: twoTeas }],
        shippingFeeRefundedMinor: 800,
        refundMinor: twoTeas + 800,
        compensatedAt: at.get(`PARCEL_REJECTED:${parcelId}`),
      },
      {
        orderId: placed.id,
        compensationId: `PARCEL_RETURNED:${parcelId}`,
        kind: 'PARCEL_RETURNED',
        subOrderId: east.id,
        parcelId,
        // Back on the shelf; the refusal refunded them.
        lines: [{ lineId: tea.id, skuId: TEA, quantity: 2, amountMinor: 0 }],
        shippingFeeRefundedMinor: 0,
        refundMinor: 0,
        compensatedAt: at.get(`PARCEL_RETURNED:${parcelId}`),
      },
      {
        orderId: placed.id,
        compensationId: `SUB_ORDER_STOPPED:${potter.id}`,
        kind: 'SUB_ORDER_STOPPED',
        subOrderId: potter.id,
        lines: [{ lineId: cup.id, skuId: CUP, quantity: 1, amountMinor: potter.lines[0].paidAmount }],
        shippingFeeRefundedMinor: 0,
        refundMinor: potter.lines[0].paidAmount,
        compensatedAt: at.get(`SUB_ORDER_STOPPED:${potter.id}`),
      },
    ]);
    // The same as the order's compensations, and the refunds asked of payments.
    const compensated = await view(placed.id);
    expect(
      compensated.subOrders.flatMap((subOrder) => subOrder.compensations.map((c) => [c.kind, c.refundAmount, c.shippingFeeRefunded])),
    ).toEqual(events.map((event) => [event.kind, event.refundMinor, event.shippingFeeRefundedMinor]));
    const refunds = await publishedOf(placed.id, refundRequested.type, 2);
    expect(refunds.map((refund) => (JSON.parse(refund.value!) as { amountMinor: number }).amountMinor)).toEqual([
      twoTeas + 800,
      potter.lines[0].paidAmount,
    ]);
  });

  it('counts what after-sales refunded: a parcel returned afterwards refunds only the rest, and restocks all of it', async () => {
    const placed = (await (await place('buyer-after-sales', orderRequest([{ skuId: PARCEL, quantity: 2 }]))).json()) as OrderView;
    const [line] = placed.lines;
    const split = await payAndSplit(placed, [{ lineId: line.id, skuId: PARCEL, warehouseId: 'WH-EAST', quantity: 2 }]);
    const [subOrder] = split.subOrders;
    // 2 × 5.00 and the 8.00 fee, all of it in the one sub-order.
    expect([placed.amounts.payable, subOrder.shippingFee, subOrder.lines[0].merchandise]).toEqual([1_800, 800, 1_000]);

    // The parcel sat with the carrier too long: after-sales refunded one unit (not received) and its share of the fee.
    const requestId = randomUUID();
    const afterSalesRefund: AfterSalesRefundRequestedV1 = {
      orderId: placed.id,
      refundId: `after-sales:${requestId}`,
      requestId,
      amountMinor: 900,
      currency: placed.currency,
      lines: [
        {
          subOrderId: subOrder.id,
          lineId: line.id,
          skuId: PARCEL,
          quantity: 1,
          paidMinor: 500,
          clawbackMinor: 0,
          releasedMinor: 0,
          shippingMinor: 400,
          refundedMinor: 900,
        },
      ],
    };
    await sendEvent(afterSalesRefundRequested, placed.id, afterSalesRefund);
    const rowsOf = () =>
      queryDatabase<{ id: string; kind: string; refund_amount: string; shipping_fee_refunded: string; lines: unknown }>(
        orders.databaseName,
        'SELECT id, kind, refund_amount, shipping_fee_refunded, lines FROM compensation WHERE order_id = $1 ORDER BY created_at, id',
        [placed.id],
      );
    const afterSalesRowId = `AFTER_SALES_REFUND:${requestId}:${subOrder.id}`;
    const [afterSalesRow] = await eventually(rowsOf, (rows) => rows.length === 1);
    expect(afterSalesRow).toEqual({
      id: afterSalesRowId,
      kind: 'AFTER_SALES_REFUND',
      refund_amount: '900',
      shipping_fee_refunded: '400',
      lines: [
        {
          lineId: line.id,
          skuId: PARCEL,
          quantity: 1,
          amount: 500,
          refund: { clawbackMinor: 0, releasedMinor: 0, shippingMinor: 400, refundedMinor: 900 },
        },
      ],
    });

    // Then the carrier brings the parcel back, both units in it.
    const parcelId = randomUUID();
    await sendEvent(parcelStateChanged, placed.id, {
      orderId: placed.id,
      subOrderId: subOrder.id,
      parcelId,
      version: 5,
      from: 'IN_TRANSIT',
      to: 'RETURNED_TO_SENDER',
      lines: [{ lineId: line.id, skuId: PARCEL, quantity: 2 }],
      source: 'CARRIER',
      occurredAt: new Date().toISOString(),
    });
    // Orders refunds the other unit and what is left of the fee: with after-sales' 9.00, exactly what was paid.
    const [refund] = await publishedOf(placed.id, refundRequested.type, 1);
    expect(JSON.parse(refund.value!) as RefundRequestedV1).toEqual({
      orderId: placed.id,
      refundId: `${placed.id}:PARCEL_REJECTED:${parcelId}`,
      paymentId: `pay-${placed.id}`,
      amountMinor: 500 + 400,
      currency: placed.currency,
      reason: 'PARCEL_REJECTED',
      subOrderId: subOrder.id,
      parcelId,
    });
    // Both units are back on the shelf: the one after-sales refunded too, since a refund only restocks nothing.
    const [restock] = await publishedOf(placed.id, restockRequested.type, 1);
    expect(JSON.parse(restock.value!) as RestockRequestedV1).toEqual({
      orderId: placed.id,
      restockId: `${placed.id}:PARCEL_RETURNED:${parcelId}`,
      warehouseId: 'WH-EAST',
      reason: 'PARCEL_RETURNED',
      lines: [{ skuId: PARCEL, quantity: 2 }],
    });
    // After-sales knows its own refund: orders tells it only of its own two steps.
    const compensated = (await publishedOf(placed.id, orderCompensated.type, 2)).map(
      (record) => JSON.parse(record.value!) as OrderCompensatedV1,
    );
    expect(
      compensated.map((event) => [event.kind, event.lines.map((l) => l.quantity), event.refundMinor, event.shippingFeeRefundedMinor]),
    ).toEqual([
      ['PARCEL_REJECTED', [1], 900, 400],
      ['PARCEL_RETURNED', [2], 0, 0],
    ]);

    // The same refund delivered again, as a new envelope (so the inbox cannot be what stops it): still one row.
    const again = await sendEvent(afterSalesRefundRequested, placed.id, afterSalesRefund);
    await eventually(
      () => queryDatabase(orders.databaseName, 'SELECT 1 FROM inbox_message WHERE event_id = $1', [again]),
      (rows) => rows.length === 1,
    );
    expect((await rowsOf()).map((row) => row.id)).toEqual([afterSalesRowId, `PARCEL_REJECTED:${parcelId}`, `PARCEL_RETURNED:${parcelId}`]);
    // The order shows what orders gave back; after-sales shows its requests itself.
    const shown = await view(placed.id);
    expect(shown.subOrders[0].compensations.map((c) => [c.kind, c.refundAmount, c.shippingFeeRefunded, c.lines])).toEqual([
      ['PARCEL_REJECTED', 900, 400, [{ lineId: line.id, quantity: 1 }]],
      ['PARCEL_RETURNED', 0, 0, [{ lineId: line.id, quantity: 2 }]],
    ]);
  });

  it('stops counting an after-sales refund closed unpaid: a parcel refused afterwards refunds all of it', async () => {
    const placed = (await (await place('buyer-after-sales-unpaid', orderRequest([{ skuId: PARCEL, quantity: 2 }]))).json()) as OrderView;
    const [line] = placed.lines;
    const split = await payAndSplit(placed, [{ lineId: line.id, skuId: PARCEL, warehouseId: 'WH-EAST', quantity: 2 }]);
    const [subOrder] = split.subOrders;
    const requestId = randomUUID();
    const units = { subOrderId: subOrder.id, lineId: line.id, skuId: PARCEL, quantity: 1 };
    await sendEvent(afterSalesRefundRequested, placed.id, {
      orderId: placed.id,
      refundId: `after-sales:${requestId}`,
      requestId,
      amountMinor: 900,
      currency: placed.currency,
      lines: [{ ...units, paidMinor: 500, clawbackMinor: 0, releasedMinor: 0, shippingMinor: 400, refundedMinor: 900 }],
    });
    const rowsOf = () =>
      queryDatabase<{ id: string }>(orders.databaseName, 'SELECT id FROM compensation WHERE order_id = $1 ORDER BY created_at, id', [
        placed.id,
      ]);
    await eventually(rowsOf, (rows) => rows.length === 1);
    // Payments refused the refund and customer service closed the request: it was never paid.
    const step = {
      requestId,
      orderId: placed.id,
      buyerId: 'buyer-after-sales-unpaid',
      merchantId: subOrder.merchantId,
      type: 'REFUND_ONLY' as const,
      reason: 'NOT_RECEIVED' as const,
      sellerAtFault: true,
      lines: [units],
      actor: { kind: 'CUSTOMER_SERVICE' as const, id: 'cs-1' },
      note: 'payments refused the refund: the card is closed',
      occurredAt: new Date().toISOString(),
    };
    await sendEvent(afterSalesClosed, placed.id, { ...step, from: 'REFUNDING', state: 'CLOSED', version: 4 });
    await eventually(rowsOf, (rows) => rows.length === 0);
    const parcelId = randomUUID();
    await sendEvent(parcelStateChanged, placed.id, {
      orderId: placed.id,
      subOrderId: subOrder.id,
      parcelId,
      version: 4,
      from: 'OUT_FOR_DELIVERY',
      to: 'REJECTED',
      lines: [{ lineId: line.id, skuId: PARCEL, quantity: 2 }],
      source: 'CARRIER',
      occurredAt: new Date().toISOString(),
    });
    const [refund] = await publishedOf(placed.id, refundRequested.type, 1);
    expect(JSON.parse(refund.value!) as RefundRequestedV1).toMatchObject({
      amountMinor: placed.amounts.payable,
      reason: 'PARCEL_REJECTED',
      parcelId,
    });
  });
});
