import { randomUUID } from 'node:crypto';
import {
  type AfterSalesRefundRequestedV1,
  afterSalesRefundRequested,
  type CreditNoteIssuedV1,
  creditNoteIssued,
  type InvoiceIssuedV1,
  type InvoiceListResponse,
  type InvoiceResponse,
  type IssuedInvoicesResponse,
  invoiceIssued,
  parcelStateChanged,
  type RefundRequestedV1,
  refundRequested,
  refundSucceeded,
  type SkuUpsertedV1,
  subOrderStateChanged,
  Topics,
} from '@mallard/contracts';
import {
  dropDatabase,
  eventually,
  PublishedEvents,
  queryDatabase,
  sendEvent,
  serviceFetch,
  startTestService,
  type TestService,
  uniqueSuffix,
} from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../order/order.view.js';
import { ordersService } from '../service.js';
import { catalogSku, changeBilling, orderRequest, payAndSplit, placeOrder, seedCatalog } from '../testing/orders-test-kit.js';

const suffix = uniqueSuffix();
/** Merchants of this run only, so their number sequences start at 1 here. */
const TEAHOUSE = `teahouse-${suffix}`;
const POTTER = `potter-${suffix}`;
const BAKERY = `bakery-${suffix}`;
const ISSUER = `mall-operator-${suffix}`;
const TEA = `TEA-${suffix}`;
const CUP = `CUP-${suffix}`;
const BREAD = `BREAD-${suffix}`;

const catalog: SkuUpsertedV1[] = [
  catalogSku(TEA, { merchantId: TEAHOUSE, name: 'Longjing tea', priceMinor: 2599, taxRateBasisPoints: 900 }),
  catalogSku(CUP, { merchantId: POTTER, name: 'Celadon cup', priceMinor: 4001, taxRateBasisPoints: 1300, fulfilmentType: 'DROP_SHIP' }),
  catalogSku(BREAD, { merchantId: BAKERY, name: 'Bread', priceMinor: 333, taxRateBasisPoints: 600 }),
];

const COMPANY = { type: 'COMPANY', title: 'Longjing Teahouse Co., Ltd.', taxId: '91350100M000100Y43', email: 'invoices@longjing.example' };

describe('orders: invoices and credit notes, on real Kafka and PostgreSQL', () => {
  let orders: TestService;
  let published: PublishedEvents;
  const buyer = (name: string) => `${name}-${suffix}`;

  beforeAll(async () => {
    orders = await startTestService(ordersService, {
      SHIPPING_FEE_MINOR: '800',
      FREE_SHIPPING_FROM_MINOR: '0',
      SHIPPING_FEE_SPLIT: 'SPREAD_EVENLY',
      // The bakery invoices through the mall operator; the others issue their own.
      INVOICE_ISSUERS: JSON.stringify({ [BAKERY]: ISSUER }),
    });
    published = await PublishedEvents.collect([Topics.orders], 'orders');
    await seedCatalog(orders, catalog);
  });

  afterAll(async () => {
    await orders?.stop();
    await published?.stop();
    if (orders) await dropDatabase(orders.databaseName);
  });

  const call = (path: string, init: RequestInit & { buyer?: string; actor?: string } = {}) =>
    serviceFetch(`${orders.url}${path}`, {
      ...init,
      headers: {
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(init.buyer ? { 'x-mallard-buyer': init.buyer } : {}),
        ...(init.actor ? { 'x-mallard-actor': init.actor } : {}),
      },
    });
  const documentsOf = async (orderId: string, buyerId?: string): Promise<InvoiceResponse[]> => {
    const response = await call(`/internal/orders/${orderId}/invoices`, { buyer: buyerId });
    expect(response.status).toBe(200);
    return ((await response.json()) as InvoiceListResponse).documents;
  };
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const paidOf = (subOrder: OrderView['subOrders'][number]) => sum(subOrder.lines.map((line) => line.paidAmount));
  /** The order's books: what its invoices less its credit notes come to. */
  const net = (documents: InvoiceResponse[]) => sum(documents.map((document) => document.totalMinor));

  /** Places an order of `lines` for `buyerId` with company billing, pays it, splits it by SKU's merchant warehouse. */
  async function splitOrder(
    buyerId: string,
    lines: { skuId: string; quantity: number }[],
    billing: object | null = COMPANY,
  ): Promise<OrderView> {
    const response = await placeOrder(orders, buyerId, orderRequest(lines, billing ? { billing } : {}));
    expect(response.status).toBe(201);
    const placed = (await response.json()) as OrderView;
    return payAndSplit(
      orders,
      placed,
      placed.lines.map((line) => ({ lineId: line.id, skuId: line.skuId, warehouseId: `WH-${line.merchantId}`, quantity: line.quantity })),
    );
  }

  it('issues one invoice per sub-order on the shopper’s request, each its sub-order’s paid amount, and locks the billing details', async () => {
    const shopper = buyer('asks');
    const order = await splitOrder(shopper, [
      { skuId: TEA, quantity: 3 },
      { skuId: CUP, quantity: 1 },
    ]);
    expect(order.subOrders).toHaveLength(2);

    const asked = await call(`/internal/orders/${order.id}/invoices`, { method: 'POST', buyer: shopper });
    expect(asked.status).toBe(201);
    const answer = (await asked.json()) as IssuedInvoicesResponse;
    expect(answer.issued.map((document) => document.kind)).toEqual(['INVOICE', 'INVOICE']);

    const documents = await documentsOf(order.id, shopper);
    for (const subOrder of order.subOrders) {
      const invoice = documents.find((document) => document.subOrderId === subOrder.id)!;
      expect(invoice.number).toBe(`${subOrder.merchantId}-00000001`);
      expect(invoice.totalMinor).toBe(paidOf(subOrder));
      expect(sum(invoice.lines.map((line) => line.paidMinor))).toBe(paidOf(subOrder));
      expect(sum(invoice.lines.map((line) => line.taxMinor))).toBe(invoice.taxMinor);
      expect(invoice.billedTo).toEqual({ ...COMPANY, country: 'CN' });
    }
    expect(net(documents)).toBe(order.amounts.payable);

    // Asking again issues nothing; the details no longer change; another shopper sees nothing.
    const again = await call(`/internal/orders/${order.id}/invoices`, { method: 'POST', buyer: shopper });
    expect(again.status).toBe(200);
    expect(((await again.json()) as IssuedInvoicesResponse).issued).toEqual([]);
    const change = await changeBilling(orders, shopper, order.id, { ...COMPANY, title: 'Another Co.' });
    expect(change.status).toBe(409);
    expect(await change.json()).toMatchObject({ reason: 'INVOICE_ISSUED' });
    expect((await call(`/internal/orders/${order.id}/invoices`, { buyer: buyer('stranger') })).status).toBe(404);
    expect((await call(`/internal/invoices/${documents[0].number}`, { buyer: buyer('stranger') })).status).toBe(404);
    const own = await call(`/internal/invoices/${documents[0].number}`, { buyer: shopper });
    expect(await own.json()).toEqual(documents[0]);

    const events = await published.waitFor<InvoiceIssuedV1>(invoiceIssued, order.id, 2);
    expect(events.map((event) => event.data.email)).toEqual([COMPANY.email, COMPANY.email]);
  });

  it('refuses invoices for an order without billing details or not paid, with the reason', async () => {
    const shopper = buyer('no-billing');
    const order = await splitOrder(shopper, [{ skuId: TEA, quantity: 1 }], null);
    const refused = await call(`/internal/orders/${order.id}/invoices`, { method: 'POST', buyer: shopper });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ reason: 'BILLING_DETAILS_MISSING' });

    const unpaid = (await (
      await placeOrder(orders, shopper, orderRequest([{ skuId: TEA, quantity: 1 }], { billing: COMPANY }))
    ).json()) as OrderView;
    const notPaid = await call(`/internal/orders/${unpaid.id}/invoices`, { method: 'POST', buyer: shopper });
    expect(notPaid.status).toBe(409);
    expect(await notPaid.json()).toMatchObject({ reason: 'NOT_PAID' });
    expect(await documentsOf(unpaid.id)).toEqual([]);
  });

  it('issues a sub-order’s invoice once all its parcels are delivered, and credits a refused parcel’s refund on it', async () => {
    const shopper = buyer('delivered');
    const order = await splitOrder(shopper, [{ skuId: TEA, quantity: 3 }]);
    const [subOrder] = order.subOrders;
    const [line] = order.lines;
    const parcel = (parcelId: string, to: 'DELIVERED' | 'REJECTED', quantity: number) =>
      sendEvent(parcelStateChanged, order.id, {
        orderId: order.id,
        subOrderId: subOrder.id,
        parcelId,
        version: 2,
        to,
        lines: [{ lineId: line.id, skuId: TEA, quantity }],
        source: 'CARRIER',
        occurredAt: new Date().toISOString(),
      });
    const [first, second] = [randomUUID(), randomUUID()];
    await parcel(first, 'DELIVERED', 2);
    // One unit is still on its way: no invoice yet. Its refusal settles the sub-order.
    await parcel(second, 'REJECTED', 1);
    const [invoice] = await eventually(
      () => documentsOf(order.id),
      (documents) => documents.length === 1,
    );
    expect(invoice).toMatchObject({ kind: 'INVOICE', totalMinor: paidOf(subOrder) });

    // The refusal's refund: orders asked payments for it, payments made it.
    const [request] = await published.waitFor<RefundRequestedV1>(refundRequested, order.id);
    await sendEvent(refundSucceeded, order.id, {
      orderId: order.id,
      refundId: request.data.refundId,
      paymentId: `pay-${order.id}`,
      amountMinor: request.data.amountMinor,
      currency: order.currency,
      reason: 'PARCEL_REJECTED',
      parts: [{ tender: 'PROVIDER', amountMinor: request.data.amountMinor, provider: 'sandbox' }],
      succeededAt: new Date().toISOString(),
    });
    const documents = await eventually(
      () => documentsOf(order.id),
      (found) => found.length === 2,
    );
    const note = documents[1];
    expect(note).toMatchObject({ kind: 'CREDIT_NOTE', corrects: invoice.number, reason: 'REFUND', refundId: request.data.refundId });
    expect(note.totalMinor).toBe(-request.data.amountMinor);
    expect(note.creditLines.map((creditLine) => creditLine.quantity)).toEqual([1]);
    expect(net(documents)).toBe(order.amounts.payable - request.data.amountMinor);
    const [event] = await published.waitFor<CreditNoteIssuedV1>(creditNoteIssued, order.id);
    expect(event.data).toMatchObject({ number: note.number, corrects: invoice.number, totalMinor: note.totalMinor });
  });

  it('credits an after-sales refund whichever of its breakdown and payments’ news arrives first, clawback included', async () => {
    const shopper = buyer('after-sales');
    const order = await splitOrder(shopper, [{ skuId: TEA, quantity: 2 }]);
    const [subOrder] = order.subOrders;
    const [line] = order.lines;
    await call(`/internal/orders/${order.id}/invoices`, { method: 'POST', buyer: shopper });
    const requestId = randomUUID();
    const refund: AfterSalesRefundRequestedV1 = {
      orderId: order.id,
      refundId: `after-sales:${requestId}`,
      requestId,
      amountMinor: 2_300,
      currency: order.currency,
      lines: [
        {
          subOrderId: subOrder.id,
          lineId: line.id,
          skuId: TEA,
          quantity: 1,
          paidMinor: 2_599,
          clawbackMinor: 299,
          releasedMinor: 0,
          shippingMinor: 0,
          refundedMinor: 2_300,
        },
      ],
    };
    // Payments' news first: nothing to credit until the breakdown is known.
    await sendEvent(refundSucceeded, order.id, {
      orderId: order.id,
      refundId: refund.refundId,
      paymentId: `pay-${order.id}`,
      amountMinor: refund.amountMinor,
      currency: order.currency,
      reason: 'AFTER_SALES',
      parts: [{ tender: 'PROVIDER', amountMinor: refund.amountMinor, provider: 'sandbox' }],
      succeededAt: new Date().toISOString(),
    });
    await eventually(
      () =>
        queryDatabase<{ n: number }>(orders.databaseName, 'SELECT count(*)::int AS n FROM settled_refund WHERE order_id = $1', [order.id]),
      ([row]) => row.n === 1,
    );
    expect(await documentsOf(order.id)).toHaveLength(1);
    await sendEvent(afterSalesRefundRequested, order.id, refund);
    const documents = await eventually(
      () => documentsOf(order.id),
      (found) => found.length === 2,
    );
    expect(documents[1].creditLines).toEqual([
      expect.objectContaining({ lineId: line.id, quantity: 1, paidMinor: 2_599, clawbackMinor: 299, amountMinor: -2_300 }),
    ]);
    expect(net(documents)).toBe(order.amounts.payable - refund.amountMinor);
  });

  it('credits an after-sales refund whose breakdown came first once payments made it, once however often the news comes', async () => {
    const shopper = buyer('breakdown-first');
    const order = await splitOrder(shopper, [{ skuId: TEA, quantity: 2 }]);
    const [subOrder] = order.subOrders;
    const [line] = order.lines;
    await call(`/internal/orders/${order.id}/invoices`, { method: 'POST', buyer: shopper });
    const requestId = randomUUID();
    const refundId = `after-sales:${requestId}`;
    await sendEvent(afterSalesRefundRequested, order.id, {
      orderId: order.id,
      refundId,
      requestId,
      amountMinor: 2_599,
      currency: order.currency,
      lines: [
        {
          subOrderId: subOrder.id,
          lineId: line.id,
          skuId: TEA,
          quantity: 1,
          paidMinor: 2_599,
          clawbackMinor: 0,
          releasedMinor: 0,
          shippingMinor: 0,
          refundedMinor: 2_599,
        },
      ],
    });
    await eventually(
      () =>
        queryDatabase<{ n: number }>(orders.databaseName, 'SELECT count(*)::int AS n FROM compensation WHERE order_id = $1', [order.id]),
      ([row]) => row.n === 1,
    );
    // Asked for, not made yet: no credit note.
    expect(await documentsOf(order.id)).toHaveLength(1);
    const succeeded = {
      orderId: order.id,
      refundId,
      paymentId: `pay-${order.id}`,
      amountMinor: 2_599,
      currency: order.currency,
      reason: 'AFTER_SALES',
      parts: [{ tender: 'PROVIDER' as const, amountMinor: 2_599, provider: 'sandbox' }],
      succeededAt: new Date().toISOString(),
    };
    // Payments' news twice, as two events (a redelivery under a new id), then a staff refund of
    // one cent on the same key: once its note is there, both came through before it.
    await sendEvent(refundSucceeded, order.id, succeeded);
    await sendEvent(refundSucceeded, order.id, succeeded);
    await sendEvent(refundSucceeded, order.id, { ...succeeded, refundId: `marker-${requestId}`, amountMinor: 1, reason: 'goodwill' });
    const documents = await eventually(
      () => documentsOf(order.id),
      (found) => found.some((document) => document.refundId === `marker-${requestId}`),
    );
    expect(documents.filter((document) => document.refundId === refundId)).toHaveLength(1);
    expect(documents.map((document) => document.kind)).toEqual(['INVOICE', 'CREDIT_NOTE', 'CREDIT_NOTE']);
    expect(net(documents)).toBe(order.amounts.payable - 2_599 - 1);
  });

  it('spreads a staff refund over the sub-orders’ lines; a refund before the invoice is credited when it is issued', async () => {
    const shopper = buyer('staff-refund');
    const order = await splitOrder(shopper, [
      { skuId: TEA, quantity: 1 },
      { skuId: CUP, quantity: 2 },
    ]);
    await sendEvent(refundSucceeded, order.id, {
      orderId: order.id,
      refundId: `goodwill-${order.id}`,
      paymentId: `pay-${order.id}`,
      amountMinor: 1_001,
      currency: order.currency,
      reason: 'late delivery',
      parts: [{ tender: 'PROVIDER', amountMinor: 1_001, provider: 'sandbox' }],
      succeededAt: new Date().toISOString(),
    });
    await eventually(
      () =>
        queryDatabase<{ n: number }>(orders.databaseName, 'SELECT count(*)::int AS n FROM settled_refund WHERE order_id = $1', [order.id]),
      ([row]) => row.n === 1,
    );
    const issued = await call(`/internal/admin/orders/${order.id}/invoices`, { method: 'POST', actor: 'cs-7' });
    expect(issued.status).toBe(201);
    const documents = await documentsOf(order.id);
    expect(documents.filter((document) => document.kind === 'INVOICE')).toHaveLength(2);
    const notes = documents.filter((document) => document.kind === 'CREDIT_NOTE');
    expect(notes.length).toBeGreaterThanOrEqual(1);
    expect(sum(notes.map((note) => note.totalMinor))).toBe(-1_001);
    expect(net(documents)).toBe(order.amounts.payable - 1_001);
  });

  it('does not invoice a sub-order stopped whole, and reissues an invoice with new details through a credit note', async () => {
    const shopper = buyer('reissue');
    const order = await splitOrder(shopper, [
      { skuId: TEA, quantity: 1 },
      { skuId: CUP, quantity: 1 },
    ]);
    const potter = order.subOrders.find((subOrder) => subOrder.merchantId === POTTER)!;
    await sendEvent(subOrderStateChanged, order.id, {
      orderId: order.id,
      subOrderId: potter.id,
      warehouseId: potter.warehouseId,
      merchantId: POTTER,
      fulfilmentType: 'DROP_SHIP',
      from: 'INTERCEPTING',
      to: 'INTERCEPTED',
      version: 3,
      actor: { kind: 'MERCHANT' },
      changedAt: new Date().toISOString(),
    });
    await eventually(
      () =>
        queryDatabase<{ n: number }>(orders.databaseName, 'SELECT count(*)::int AS n FROM compensation WHERE sub_order_id = $1', [
          potter.id,
        ]),
      ([row]) => row.n === 1,
    );
    const asked = (await (
      await call(`/internal/orders/${order.id}/invoices`, { method: 'POST', buyer: shopper })
    ).json()) as IssuedInvoicesResponse;
    expect(asked.issued.map((document) => document.merchantId)).toEqual([TEAHOUSE]);
    const [invoice] = asked.issued;

    const renamed = { ...COMPANY, title: 'Longjing Tea Group Co., Ltd.' };
    const reissued = await call(`/internal/admin/invoices/${invoice.number}/reissue`, {
      method: 'POST',
      actor: 'cs-7',
      body: JSON.stringify({ billing: renamed }),
    });
    expect(reissued.status).toBe(201);
    const documents = await documentsOf(order.id);
    const [old, replacement, voided] = documents.sort((a, b) => a.number.localeCompare(b.number));
    expect(old.replacedBy).toBe(replacement.number);
    expect(replacement).toMatchObject({ kind: 'INVOICE', totalMinor: invoice.totalMinor, billedTo: { title: renamed.title } });
    expect(voided).toMatchObject({ kind: 'CREDIT_NOTE', reason: 'REISSUE', corrects: old.number, totalMinor: -invoice.totalMinor });
    expect(net(documents)).toBe(invoice.totalMinor);
    const again = await call(`/internal/admin/invoices/${invoice.number}/reissue`, { method: 'POST', actor: 'cs-7', body: '{}' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ replacedBy: replacement.number });

    // A refund after the reissue is credited on the invoice in force, in the same issuer's sequence.
    await sendEvent(refundSucceeded, order.id, {
      orderId: order.id,
      refundId: `goodwill-${order.id}`,
      paymentId: `pay-${order.id}`,
      amountMinor: 500,
      currency: order.currency,
      reason: 'goodwill',
      parts: [{ tender: 'PROVIDER', amountMinor: 500, provider: 'sandbox' }],
      succeededAt: new Date().toISOString(),
    });
    const after = await eventually(
      () => documentsOf(order.id),
      (found) => found.length === 4,
    );
    const goodwill = after.find((document) => document.refundId === `goodwill-${order.id}`)!;
    expect(goodwill).toMatchObject({ kind: 'CREDIT_NOTE', corrects: replacement.number, totalMinor: -500, issuerId: TEAHOUSE });
    expect(net(after)).toBe(invoice.totalMinor - 500);
  });

  it('numbers invoices without a gap or a repeat under parallel issuance, per issuer', async () => {
    const shoppers = Array.from({ length: 8 }, (_, index) => buyer(`parallel-${index}`));
    const split = await Promise.all(shoppers.map((shopper) => splitOrder(shopper, [{ skuId: BREAD, quantity: 1 }])));
    const answers = await Promise.all(
      split.map((order, index) => call(`/internal/orders/${order.id}/invoices`, { method: 'POST', buyer: shoppers[index] })),
    );
    expect(answers.map((answer) => answer.status)).toEqual(split.map(() => 201));
    const rows = await queryDatabase<{ number: string; sequence: string }>(
      orders.databaseName,
      'SELECT number, sequence FROM invoice_document WHERE issuer_id = $1 ORDER BY sequence',
      [ISSUER],
    );
    expect(rows.map((row) => Number(row.sequence))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rows.map((row) => row.number)).toEqual(rows.map((row) => `${ISSUER}-${row.sequence.padStart(8, '0')}`));
  });
});
