import { randomUUID } from 'node:crypto';
import {
  type AfterSalesRequestResponse,
  afterSalesRefundRequested,
  afterSalesReturnShipped,
  exchangeRequested,
  merchantUpserted,
  orderCompensated,
  orderPurchaseRecorded,
  parcelStateChanged,
  refundSucceeded,
  replacementRestockRequested,
  replacementStockUnavailable,
  returnInspected,
  returnParcelStateChanged,
  skuUpserted,
  subOrderStateChanged,
  Topics,
} from '@mallard/contracts';
import type { PricingInput } from '@mallard/pricing';
import {
  callService,
  dropDatabase,
  eventually,
  queryDatabase,
  readTopic,
  sendEvent,
  serviceFetch,
  startTestService,
  type TestService,
} from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegExifSegment, pngExifChunk, tinyJpeg, tinyPng } from './evidence/evidence-samples.js';
import { afterSalesService } from './service.js';
import { parcelChanged, purchaseRecordedOf, wire } from './testing/after-sales-test-kit.js';
import { oneSubOrder } from './testing/purchased-orders.js';

/*
 * The cart of these tests: 2 × tea at 50.00 and 1 × cup at 30.00, "spend 120.00 save 20.00", a flat
 * 10.00 shipping fee, one sub-order. Priced (docs/domain.md §2): the 20.00 spread by amount gives
 * tea 15.38 and cup 4.62, so the goods paid 84.62 and 25.38; the fee spread by those gives tea 7.69
 * and cup 2.31. Paid: tea 92.31, cup 27.69, 120.00 in all.
 */
const CART: PricingInput = {
  currency: 'CNY',
  lines: [
    { lineId: 'tea', skuId: 'tea', unitPriceMinor: 5000, quantity: 2 },
    { lineId: 'cup', skuId: 'cup', unitPriceMinor: 3000, quantity: 1 },
  ],
  itemPromotions: [],
  orderPromotions: [{ id: 'spend-120-save-20', kind: 'THRESHOLD', thresholdMinor: 12_000, discountMinor: 2_000 }],
  shipping: { flatFeeMinor: 1_000 },
};

describe('after-sales on real Kafka and PostgreSQL: requests, the desk, returns and refunds', () => {
  let afterSales: TestService;

  beforeAll(async () => {
    // A refund only of at most 35.00 is approved without customer service.
    afterSales = await startTestService(afterSalesService, {
      AUTO_APPROVE_REFUND_ONLY_UNDER_MINOR: '3500',
      EVIDENCE_MAX_FILE_BYTES: String(2 * 1024 * 1024),
      AFTER_SALES_WINDOW_DAYS: '7',
    });
  });

  afterAll(async () => {
    await afterSales?.stop();
    if (afterSales) await dropDatabase(afterSales.databaseName);
  });

  /** An order recorded at its split, with every unit delivered in one parcel `deliveredDaysAgo` days ago. */
  async function deliveredOrder(options: { buyerId?: string; deliveredDaysAgo?: number; merchantId?: string; warehouseId?: string } = {}) {
    const record = purchaseRecordedOf(CART, oneSubOrder(CART), {
      buyerId: options.buyerId ?? 'alice',
      merchantId: options.merchantId,
      warehouseId: options.warehouseId,
    });
    await sendEvent(orderPurchaseRecorded, record.orderId, wire(record));
    const subOrderId = record.subOrderIdOf('S1');
    const parcel = parcelChanged(
      record,
      subOrderId,
      [
        { lineId: record.lineIdOf('tea'), quantity: 2 },
        { lineId: record.lineIdOf('cup'), quantity: 1 },
      ],
      'DELIVERED',
      { occurredAt: new Date(Date.now() - (options.deliveredDaysAgo ?? 1) * 24 * 3600 * 1000) },
    );
    await sendEvent(parcelStateChanged, record.orderId, parcel);
    await eventually(
      () => queryDatabase(afterSales.databaseName, 'SELECT 1 FROM parcel WHERE id = $1 AND state = $2', [parcel.parcelId, 'DELIVERED']),
      (rows) => rows.length === 1,
    );
    return { record, subOrderId, tea: record.lineIdOf('tea'), cup: record.lineIdOf('cup') };
  }

  /** An order whose tea shipped from `teaFrom` and whose cup from `cupFrom`, in two sub-orders, every unit delivered yesterday. */
  async function deliveredFrom(teaFrom: string, cupFrom: string) {
    const record = purchaseRecordedOf(CART, [
      { subOrderId: 'S1', lines: [{ lineId: 'tea', quantity: 2 }] },
      { subOrderId: 'S2', lines: [{ lineId: 'cup', quantity: 1 }] },
    ]);
    record.subOrders[0].warehouseId = teaFrom;
    record.subOrders[1].warehouseId = cupFrom;
    await sendEvent(orderPurchaseRecorded, record.orderId, wire(record));
    const yesterday = { occurredAt: new Date(Date.now() - 24 * 3600 * 1000) };
    const tea = record.lineIdOf('tea');
    const cup = record.lineIdOf('cup');
    const parcels = [
      parcelChanged(record, record.subOrderIdOf('S1'), [{ lineId: tea, quantity: 2 }], 'DELIVERED', yesterday),
      parcelChanged(record, record.subOrderIdOf('S2'), [{ lineId: cup, quantity: 1 }], 'DELIVERED', yesterday),
    ];
    for (const parcel of parcels) await sendEvent(parcelStateChanged, record.orderId, parcel);
    await eventually(
      () =>
        queryDatabase(afterSales.databaseName, 'SELECT 1 FROM parcel WHERE id = ANY($1) AND state = $2', [
          parcels.map((parcel) => parcel.parcelId),
          'DELIVERED',
        ]),
      (rows) => rows.length === 2,
    );
    return { record, tea, cup, teaFrom: record.subOrderIdOf('S1'), cupFrom: record.subOrderIdOf('S2') };
  }

  const ask = (orderId: string, buyerId: string, body: unknown, key: string = randomUUID()) =>
    callService(afterSales.url, 'POST', `/internal/orders/${orderId}/after-sales`, body, {
      'x-mallard-buyer': buyerId,
      'idempotency-key': key,
    });
  const CS = { 'x-mallard-roles': 'customer-service' };
  const staff = (path: string, body: unknown = {}) =>
    callService(afterSales.url, 'POST', `/internal${path}`, body, { 'x-mallard-actor': 'cs-7', ...CS });

  /** The shopper sends the goods back, and the warehouse receives them. */
  async function sendBackAndReceive(requestId: string) {
    const sent = await callService(
      afterSales.url,
      'POST',
      `/internal/after-sales/${requestId}/return-parcel`,
      { carrierCode: 'sf-express', trackingNumber: `SF${requestId.slice(-8)}` },
      { 'x-mallard-buyer': 'alice' },
    );
    expect(sent.body.state).toBe('RETURN_SHIPPED');
    expect((await staff(`/warehouse/after-sales/${requestId}/receive`, {})).body.state).toBe('RETURN_RECEIVED');
  }

  async function refundAsked(requestId: string) {
    const [record] = await readTopic(
      Topics.afterSales,
      1,
      20_000,
      (candidate) => candidate.headers.ce_type === afterSalesRefundRequested.type && JSON.parse(candidate.value!).requestId === requestId,
    );
    return JSON.parse(record.value!);
  }

  it('approves a small refund only by rule, asks payments for it to the cent, and ends REFUNDED on its answer', async () => {
    const { record, subOrderId, tea } = await deliveredOrder();
    await sendEvent(merchantUpserted, 'the-mall', {
      merchantId: 'the-mall',
      name: 'The Mall',
      customerService: { phone: '+86 571 0000 0000', hours: 'Mon–Fri 09:00–18:00', chatUrl: 'https://chat.example.com/the-mall' },
      changedAt: new Date().toISOString(),
    });
    await eventually(
      () => queryDatabase(afterSales.databaseName, "SELECT 1 FROM merchant WHERE id = 'the-mall'"),
      (rows) => rows.length === 1,
    );

    const made = await ask(record.orderId, 'alice', {
      type: 'REFUND_ONLY',
      reason: 'DAMAGED',
      lines: [{ subOrderId, lineId: tea, quantity: 1 }],
    });
    expect(made.status).toBe(201);
    // One tea paid 42.31 for its goods (84.62 spread over 2). Kept: a tea and the cup, 80.00 priced alone,
    // under the 120.00 threshold, against 67.69 they paid: 12.31 of benefit lost, withheld. The seller
    // is at fault, so the tea's share of the fee comes back: 3.85 (7.69 over 2, the odd cent first).
    expect(made.body).toMatchObject({
      state: 'REFUNDING',
      sellerAtFault: true,
      returnShipping: null,
      contact: { merchantId: 'the-mall', name: 'The Mall', phone: '+86 571 0000 0000', chatUrl: 'https://chat.example.com/the-mall' },
      refund: {
        paid: 4231,
        clawback: 1231,
        released: 0,
        shipping: 385,
        refunded: 3385,
        lines: [{ subOrderId, lineId: tea, skuId: 'tea', quantity: 1, paid: 4231, clawback: 1231, shipping: 385, refunded: 3385 }],
      },
    });
    expect(made.body.history).toEqual([
      expect.objectContaining({ from: null, to: 'REQUESTED', actor: { kind: 'SHOPPER', id: 'alice' }, automatic: false }),
      expect.objectContaining({ from: 'REQUESTED', to: 'APPROVED', actor: { kind: 'SYSTEM', id: null }, automatic: true }),
      expect.objectContaining({ from: 'APPROVED', to: 'REFUNDING' }),
    ]);
    expect(made.body.history[1].note).toContain('3385');

    const asked = await refundAsked(made.body.id);
    expect(asked).toMatchObject({ orderId: record.orderId, refundId: `after-sales:${made.body.id}`, amountMinor: 3385, currency: 'CNY' });

    await sendEvent(refundSucceeded, record.orderId, {
      orderId: record.orderId,
      refundId: asked.refundId,
      paymentId: randomUUID(),
      amountMinor: 3385,
      currency: 'CNY',
      reason: 'AFTER_SALES',
      parts: [{ tender: 'PROVIDER', amountMinor: 3385, provider: 'sandbox' }],
      succeededAt: new Date().toISOString(),
    });
    const done = await eventually(
      () => callService(afterSales.url, 'GET', `/internal/after-sales/${made.body.id}`, undefined, { 'x-mallard-buyer': 'alice' }),
      (answer) => answer.body.state === 'REFUNDED',
    );
    expect(done.body.refund.refundedAt).not.toBeNull();
  });

  it('returns part of a "spend X save Y" order with the lost benefit clawed back, then the rest, refunding exactly what was paid', async () => {
    const { record, subOrderId, tea, cup } = await deliveredOrder();
    const cupBack = await ask(record.orderId, 'alice', {
      type: 'RETURN_AND_REFUND',
      reason: 'CHANGED_MIND',
      lines: [{ subOrderId, lineId: cup, quantity: 1 }],
    });
    expect(cupBack.status).toBe(201);
    expect(cupBack.body).toMatchObject({ state: 'REQUESTED', sellerAtFault: false, returnShipping: { payer: 'SHOPPER' }, refund: null });

    const queue = await callService(
      afterSales.url,
      'GET',
      '/internal/admin/after-sales?type=RETURN_AND_REFUND&merchantId=the-mall',
      undefined,
      CS,
    );
    expect(queue.body.items.map((item: { id: string }) => item.id)).toContain(cupBack.body.id);

    expect((await staff(`/admin/after-sales/${cupBack.body.id}/approve`, { note: 'ok' })).body.state).toBe('APPROVED');
    const shipped = await callService(
      afterSales.url,
      'POST',
      `/internal/after-sales/${cupBack.body.id}/return-parcel`,
      { carrierCode: 'sf-express', trackingNumber: 'SF1000000001' },
      { 'x-mallard-buyer': 'alice' },
    );
    expect(shipped.body).toMatchObject({
      state: 'RETURN_SHIPPED',
      returnParcel: { carrierCode: 'sf-express', trackingNumber: 'SF1000000001' },
    });
    expect((await staff(`/warehouse/after-sales/${cupBack.body.id}/receive`, {})).body.state).toBe('RETURN_RECEIVED');
    const inspected = await staff(`/warehouse/after-sales/${cupBack.body.id}/inspection`, { passed: true, note: 'sealed' });
    // The cup paid 25.38 for its goods. Kept: the two teas, 100.00, under the threshold, against the
    // 84.62 they paid: 15.38 withheld. A change of mind with a tea still kept: the fee stays.
    expect(inspected.body).toMatchObject({
      state: 'REFUNDING',
      returnParcel: { inspectionPassed: true, inspectionNote: 'sealed' },
      refund: { paid: 2538, clawback: 1538, released: 0, shipping: 0, refunded: 1000 },
    });
    expect((await refundAsked(cupBack.body.id)).amountMinor).toBe(1000);
    const [restock] = await readTopic(
      Topics.afterSales,
      1,
      20_000,
      (candidate) => candidate.headers.ce_type === returnInspected.type && JSON.parse(candidate.value!).requestId === cupBack.body.id,
    );
    expect(JSON.parse(restock.value!)).toMatchObject({
      condition: 'SELLABLE',
      warehouseId: 'wh-east',
      lines: [{ skuId: 'cup', quantity: 1 }],
    });

    const teaBack = await ask(record.orderId, 'alice', {
      type: 'RETURN_AND_REFUND',
      reason: 'CHANGED_MIND',
      lines: [{ subOrderId, lineId: tea, quantity: 2 }],
    });
    await staff(`/admin/after-sales/${teaBack.body.id}/approve`);
    await sendBackAndReceive(teaBack.body.id);
    const last = await staff(`/warehouse/after-sales/${teaBack.body.id}/inspection`, { passed: true, note: 'sealed' });
    // Everything is back: the teas' 84.62, the 15.38 withheld before, and the whole fee, 10.00.
    expect(last.body.refund).toMatchObject({ paid: 8462, clawback: 0, released: 1538, shipping: 1000, refunded: 11_000 });
    expect(1000 + last.body.refund.refunded).toBe(12_000);
  });

  it('rejects with the reason, freeing the units for another request', async () => {
    const { record, subOrderId, tea } = await deliveredOrder();
    const lines = [{ subOrderId, lineId: tea, quantity: 2 }];
    const first = await ask(record.orderId, 'alice', { type: 'RETURN_AND_REFUND', reason: 'QUALITY_PROBLEM', lines });
    expect(first.body.returnShipping).toMatchObject({ payer: 'MERCHANT' });
    expect((await ask(record.orderId, 'alice', { type: 'RETURN_AND_REFUND', reason: 'QUALITY_PROBLEM', lines })).body).toMatchObject({
      type: expect.stringContaining('after-sales-not-eligible'),
      reason: 'QUANTITY_EXCEEDS',
      available: 0,
    });

    const rejected = await staff(`/admin/after-sales/${first.body.id}/reject`, { note: 'the photo shows no fault' });
    expect(rejected.body).toMatchObject({ state: 'REJECTED', refund: null });
    expect(rejected.body.history.at(-1)).toMatchObject({
      to: 'REJECTED',
      note: 'the photo shows no fault',
      actor: { kind: 'CUSTOMER_SERVICE', id: 'cs-7' },
    });
    expect((await staff(`/admin/after-sales/${first.body.id}/approve`)).status).toBe(409);
    expect((await ask(record.orderId, 'alice', { type: 'RETURN_AND_REFUND', reason: 'QUALITY_PROBLEM', lines })).status).toBe(201);
  });

  it('asks for more evidence; refuses what was not delivered, is late, belongs to another shopper, or has no key; replays a retry', async () => {
    const { record, subOrderId, tea } = await deliveredOrder();
    const request = { type: 'RETURN_AND_REFUND', reason: 'DAMAGED', lines: [{ subOrderId, lineId: tea, quantity: 1 }] };
    const key = randomUUID();
    const made = await ask(record.orderId, 'alice', request, key);
    const again = await ask(record.orderId, 'alice', request, key);
    expect([made.status, again.status]).toEqual([201, 200]);
    expect(again.body.id).toBe(made.body.id);
    expect((await ask(record.orderId, 'alice', { ...request, reason: 'WRONG_ITEM' }, key)).status).toBe(422);
    const waiting = await staff(`/admin/after-sales/${made.body.id}/request-evidence`, { note: 'a photo of the damage, please' });
    expect(waiting.body.state).toBe('AWAITING_EVIDENCE');

    expect((await ask(record.orderId, 'bob', request)).status).toBe(404);
    expect(
      (await callService(afterSales.url, 'GET', `/internal/after-sales/${made.body.id}`, undefined, { 'x-mallard-buyer': 'bob' })).status,
    ).toBe(404);
    const noKey = await callService(afterSales.url, 'POST', `/internal/orders/${record.orderId}/after-sales`, request, {
      'x-mallard-buyer': 'alice',
    });
    expect(noKey.status).toBe(400);
    const stray = await ask(record.orderId, 'alice', { ...request, lines: [{ ...request.lines[0], replacementSkuId: 'tea' }] });
    expect(stray.body).toMatchObject({ status: 422, reason: 'NOT_AN_EXCHANGE' });

    const late = await deliveredOrder({ deliveredDaysAgo: 8 });
    const lateAnswer = await ask(late.record.orderId, 'alice', {
      type: 'REFUND_ONLY',
      reason: 'DAMAGED',
      lines: [{ subOrderId: late.subOrderId, lineId: late.tea, quantity: 1 }],
    });
    expect(lateAnswer.status).toBe(422);
    expect(lateAnswer.body.reason).toBe('OUTSIDE_WINDOW');

    const undelivered = purchaseRecordedOf(CART, oneSubOrder(CART));
    await sendEvent(orderPurchaseRecorded, undelivered.orderId, wire(undelivered));
    const moving = parcelChanged(
      undelivered,
      undelivered.subOrderIdOf('S1'),
      [{ lineId: undelivered.lineIdOf('cup'), quantity: 1 }],
      'IN_TRANSIT',
    );
    await sendEvent(parcelStateChanged, undelivered.orderId, moving);
    await eventually(
      () => queryDatabase(afterSales.databaseName, 'SELECT 1 FROM parcel WHERE id = $1', [moving.parcelId]),
      (rows) => rows.length === 1,
    );
    const cup = { subOrderId: undelivered.subOrderIdOf('S1'), lineId: undelivered.lineIdOf('cup'), quantity: 1 };
    expect((await ask(undelivered.orderId, 'alice', { type: 'REFUND_ONLY', reason: 'DAMAGED', lines: [cup] })).body.reason).toBe(
      'NOT_DELIVERED',
    );
    expect((await ask(undelivered.orderId, 'alice', { type: 'REFUND_ONLY', reason: 'NOT_RECEIVED', lines: [cup] })).body.reason).toBe(
      'TOO_EARLY_FOR_NOT_RECEIVED',
    );
  });

  it('counts what orders gave back on its own: a refused parcel’s units are not claimable and their refund is not paid twice', async () => {
    const record = purchaseRecordedOf(CART, oneSubOrder(CART));
    await sendEvent(orderPurchaseRecorded, record.orderId, wire(record));
    const subOrderId = record.subOrderIdOf('S1');
    const tea = record.lineIdOf('tea');
    const cup = record.lineIdOf('cup');
    // The cup's parcel was refused at the door: orders refunded its 25.38 (no fee: the teas stay).
    await sendEvent(orderCompensated, record.orderId, {
      orderId: record.orderId,
      compensationId: `PARCEL_REJECTED:${randomUUID()}`,
      kind: 'PARCEL_REJECTED',
      subOrderId,
      lines: [{ lineId: cup, skuId: 'cup', quantity: 1, amountMinor: 2538 }],
      shippingFeeRefundedMinor: 0,
      refundMinor: 2538,
      compensatedAt: new Date().toISOString(),
    });
    const parcel = parcelChanged(record, subOrderId, [{ lineId: tea, quantity: 2 }], 'DELIVERED');
    await sendEvent(parcelStateChanged, record.orderId, parcel);
    await eventually(
      () => queryDatabase(afterSales.databaseName, 'SELECT 1 FROM parcel WHERE id = $1', [parcel.parcelId]),
      (rows) => rows.length === 1,
    );
    const teas = await ask(record.orderId, 'alice', {
      type: 'RETURN_AND_REFUND',
      reason: 'CHANGED_MIND',
      lines: [{ subOrderId, lineId: tea, quantity: 2 }],
    });
    await staff(`/admin/after-sales/${teas.body.id}/approve`);
    await sendBackAndReceive(teas.body.id);
    const refunded = await staff(`/warehouse/after-sales/${teas.body.id}/inspection`, { passed: true, note: 'fine' });
    // Everything is back; the cup's 25.38 came back with orders: the teas' 84.62 and the fee, 10.00.
    expect(refunded.body.refund).toMatchObject({ paid: 8462, clawback: 0, released: 0, shipping: 1000, refunded: 9462 });
  });

  it('takes photos as evidence, location stripped, shown back only to the owner and customer service, and brings the request back from AWAITING_EVIDENCE', async () => {
    const { record, subOrderId, cup } = await deliveredOrder();
    const made = await ask(record.orderId, 'alice', {
      type: 'RETURN_AND_REFUND',
      reason: 'DAMAGED',
      lines: [{ subOrderId, lineId: cup, quantity: 1 }],
    });
    await staff(`/admin/after-sales/${made.body.id}/request-evidence`, { note: 'a photo, please' });

    const upload = (buyerId: string, files: { name: string; bytes: Buffer; type: string }[]) => {
      const form = new FormData();
      for (const file of files) form.append('files', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
      return serviceFetch(`${afterSales.url}/internal/after-sales/${made.body.id}/evidence`, {
        method: 'POST',
        headers: { 'x-mallard-buyer': buyerId },
        body: form,
      });
    };
    const gps = jpegExifSegment();
    const jpeg = tinyJpeg({ metadata: [gps] });
    const png = tinyPng({ metadata: [pngExifChunk()] });
    expect((await upload('bob', [{ name: 'lid.jpg', bytes: jpeg, type: 'image/jpeg' }])).status).toBe(404);
    const notAPhoto = await upload('alice', [{ name: 'lid.jpg', bytes: Buffer.from('just some text, honestly'), type: 'image/jpeg' }]);
    expect(notAPhoto.status).toBe(415);
    // Files of more than the 1 MiB a JSON body may have are fine up to the evidence limit (2 MiB here).
    const big = tinyJpeg({ trailer: Buffer.alloc(1_500_000, 7) });
    const oversize = await upload('alice', [
      { name: 'huge.jpg', bytes: tinyJpeg({ trailer: Buffer.alloc(3_000_000, 7) }), type: 'image/jpeg' },
    ]);
    expect(oversize.status).toBe(413);
    expect(((await oversize.json()) as { type: string }).type).toContain('evidence-too-large');
    // A body cut short inside a file is the client's malformed body: 400, nothing kept.
    const cutShort = await serviceFetch(`${afterSales.url}/internal/after-sales/${made.body.id}/evidence`, {
      method: 'POST',
      headers: { 'x-mallard-buyer': 'alice', 'content-type': 'multipart/form-data; boundary=x' },
      body: Buffer.concat([
        Buffer.from('--x\r\nContent-Disposition: form-data; name="files"; filename="a.jpg"\r\n\r\n'),
        jpeg.subarray(0, 20),
      ]),
    });
    expect(cutShort.status).toBe(400);
    expect(((await cutShort.json()) as { type: string }).type).toContain('/bad-request');
    const textOnly = await serviceFetch(`${afterSales.url}/internal/after-sales/${made.body.id}/evidence`, {
      method: 'POST',
      headers: { 'x-mallard-buyer': 'alice', 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x\r\ncontent-disposition: form-data; name="note"\r\n\r\nhello\r\n--x--\r\n',
    });
    expect(textOnly.status).toBe(400);
    expect(((await textOnly.json()) as { detail: string }).detail).toBe('an evidence upload takes files only, no text fields');

    const added = await upload('alice', [
      { name: 'lid.jpg', bytes: jpeg, type: 'image/jpeg' },
      { name: 'box.png', bytes: png, type: 'image/png' },
      { name: 'big.jpg', bytes: big, type: 'image/jpeg' },
    ]);
    expect(added.status).toBe(200);
    const view = (await added.json()) as AfterSalesRequestResponse;
    expect(view.state).toBe('REQUESTED');
    expect(view.history.at(-1)).toMatchObject({ from: 'AWAITING_EVIDENCE', to: 'REQUESTED', actor: { kind: 'SHOPPER', id: 'alice' } });
    expect(view.evidence.map((file) => file.contentType)).toEqual(['image/jpeg', 'image/png', 'image/jpeg']);
    // More evidence while it waits for a decision is a step of its own, with who added it.
    const more = await upload('alice', [{ name: 'side.png', bytes: tinyPng(), type: 'image/png' }]);
    expect(more.status).toBe(200);
    const withMore = (await more.json()) as AfterSalesRequestResponse;
    expect(withMore.history.at(-1)).toMatchObject({ from: 'REQUESTED', to: 'REQUESTED', note: '1 file(s) added', actor: { id: 'alice' } });
    expect(withMore.evidence).toHaveLength(4);

    const internal = (url: string) => `${afterSales.url}${url.replace('/api/v1/', '/internal/')}`;
    const served = await serviceFetch(internal(view.evidence[0].url), { headers: { 'x-mallard-buyer': 'alice' } });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(bytes.includes(gps.subarray(10, 40))).toBe(false);
    expect(jpeg.includes(gps.subarray(10, 40))).toBe(true);
    expect((await serviceFetch(internal(view.evidence[0].url), { headers: { 'x-mallard-buyer': 'bob' } })).status).toBe(403);

    const staffView = await callService(afterSales.url, 'GET', `/internal/after-sales/${made.body.id}`, undefined, CS);
    expect((await serviceFetch(internal(staffView.body.evidence[1].url), { headers: CS })).status).toBe(200);
    // Without a buyer and without a staff role, nothing is shown.
    expect((await serviceFetch(internal(staffView.body.evidence[1].url))).status).toBe(404);
    expect((await callService(afterSales.url, 'GET', `/internal/after-sales/${made.body.id}`)).status).toBe(404);
  });

  it('exchanges: refuses a variant at another price, ships a replacement once the goods are back, and refunds when none is in stock', async () => {
    const sku = (skuId: string, priceMinor: number) =>
      sendEvent(skuUpserted, skuId, {
        skuId,
        merchantId: 'the-mall',
        name: skuId,
        priceMinor,
        currency: 'CNY',
        onShelf: true,
        fulfilmentType: 'SELF_OPERATED',
        stockPolicy: 'RESERVE_ON_ORDER',
        scarce: false,
        // Inventory publishes the rate in force since rates were kept: the reader takes it in its stride.
        taxRateBasisPoints: 1_300,
        revision: 1,
      });
    await sku('tea-gold', 6800);
    await sku('tea-green', 5000);
    await eventually(
      () => queryDatabase(afterSales.databaseName, "SELECT 1 FROM sku WHERE id IN ('tea-gold', 'tea-green')"),
      (rows) => rows.length === 2,
    );
    const { record, subOrderId, tea } = await deliveredOrder();
    const exchange = (replacementSkuId: string) => ({
      type: 'EXCHANGE',
      reason: 'WRONG_ITEM',
      lines: [{ subOrderId, lineId: tea, quantity: 1, replacementSkuId }],
    });
    const dearer = await ask(record.orderId, 'alice', exchange('tea-gold'));
    expect(dearer.status).toBe(422);
    expect(dearer.body).toMatchObject({ reason: 'PRICE_DIFFERS', skuId: 'tea-gold', priceMinor: 6800, paidUnitPriceMinor: 5000 });

    const made = await ask(record.orderId, 'alice', exchange('tea-green'));
    expect(made.body).toMatchObject({
      state: 'REQUESTED',
      returnShipping: { payer: 'MERCHANT' },
      lines: [{ replacementSkuId: 'tea-green' }],
    });
    await staff(`/admin/after-sales/${made.body.id}/approve`);
    await sendBackAndReceive(made.body.id);
    const inspected = await staff(`/warehouse/after-sales/${made.body.id}/inspection`, { passed: true, note: 'as sold' });
    expect(inspected.body).toMatchObject({ state: 'EXCHANGING', refund: null, replacementSubOrderId: expect.any(String) });
    const [asked] = await readTopic(
      Topics.afterSales,
      1,
      20_000,
      (candidate) => candidate.headers.ce_type === exchangeRequested.type && JSON.parse(candidate.value!).requestId === made.body.id,
    );
    expect(JSON.parse(asked.value!)).toMatchObject({
      replacementSubOrderId: inspected.body.replacementSubOrderId,
      merchantId: 'the-mall',
      lines: [{ lineId: tea, skuId: 'tea-green', quantity: 1 }],
    });
    await sendEvent(subOrderStateChanged, record.orderId, {
      orderId: record.orderId,
      subOrderId: inspected.body.replacementSubOrderId,
      warehouseId: 'wh-east',
      merchantId: 'the-mall',
      fulfilmentType: 'SELF_OPERATED',
      from: 'PACKED',
      to: 'SHIPPED',
      version: 4,
      actor: { kind: 'STAFF', id: 'picker-1' },
      changedAt: new Date().toISOString(),
    });
    const exchanged = await eventually(
      () => callService(afterSales.url, 'GET', `/internal/after-sales/${made.body.id}`, undefined, CS),
      (answer) => answer.body.state === 'EXCHANGED',
    );
    expect(exchanged.body.refund).toBeNull();
    // The replacement's parcel comes back to the warehouse without reaching the shopper: its units are restocked there.
    const returned = { ...parcelChanged(record, inspected.body.replacementSubOrderId, [], 'RETURNED_TO_SENDER') };
    returned.lines = [{ lineId: tea, skuId: 'tea-green', quantity: 1 }];
    await sendEvent(parcelStateChanged, record.orderId, returned);
    const restockAsked = async (restockId: string) => {
      const [asked] = await readTopic(
        Topics.afterSales,
        1,
        20_000,
        (candidate) =>
          candidate.headers.ce_type === replacementRestockRequested.type && JSON.parse(candidate.value!).restockId === restockId,
      );
      return JSON.parse(asked.value!);
    };
    expect(await restockAsked(`replacement:${returned.parcelId}`)).toEqual({
      orderId: record.orderId,
      restockId: `replacement:${returned.parcelId}`,
      warehouseId: 'wh-east',
      reason: 'PARCEL_RETURNED',
      lines: [{ skuId: 'tea-green', quantity: 1 }],
    });

    // The other tea's replacement is stopped before it leaves: refunded, and the whole replacement restocked.
    const second = await ask(record.orderId, 'alice', exchange('tea-green'));
    await staff(`/admin/after-sales/${second.body.id}/approve`);
    await sendBackAndReceive(second.body.id);
    const secondReplacement = (await staff(`/warehouse/after-sales/${second.body.id}/inspection`, { passed: true, note: 'as sold' })).body
      .replacementSubOrderId;
    await sendEvent(subOrderStateChanged, record.orderId, {
      orderId: record.orderId,
      subOrderId: secondReplacement,
      warehouseId: 'wh-west',
      merchantId: 'the-mall',
      fulfilmentType: 'SELF_OPERATED',
      from: 'INTERCEPTING',
      to: 'INTERCEPTED',
      version: 3,
      actor: { kind: 'SYSTEM' },
      changedAt: new Date().toISOString(),
    });
    expect(await restockAsked(`replacement:${secondReplacement}`)).toMatchObject({
      warehouseId: 'wh-west',
      reason: 'SUB_ORDER_STOPPED',
      lines: [{ skuId: 'tea-green', quantity: 1 }],
    });
    await eventually(
      () => callService(afterSales.url, 'GET', `/internal/after-sales/${second.body.id}`, undefined, CS),
      (answer) => answer.body.state === 'REFUNDING',
    );

    const cupExchange = await ask(record.orderId, 'alice', {
      type: 'EXCHANGE',
      reason: 'DAMAGED',
      lines: [{ subOrderId, lineId: record.lineIdOf('cup'), quantity: 1 }],
    });
    await staff(`/admin/after-sales/${cupExchange.body.id}/approve`);
    await sendBackAndReceive(cupExchange.body.id);
    const waiting = await staff(`/warehouse/after-sales/${cupExchange.body.id}/inspection`, { passed: false, note: 'cracked' });
    await sendEvent(replacementStockUnavailable, record.orderId, {
      orderId: record.orderId,
      requestId: cupExchange.body.id,
      replacementSubOrderId: waiting.body.replacementSubOrderId,
      skuIds: ['cup'],
      failedAt: new Date().toISOString(),
    });
    const refunding = await eventually(
      () => callService(afterSales.url, 'GET', `/internal/after-sales/${cupExchange.body.id}`, undefined, CS),
      (answer) => answer.body.state === 'REFUNDING',
    );
    // The cup, seller at fault: its goods' 25.38, less nothing (the kept tea and the exchanged tea
    // count as kept: one tea came back only to be replaced), plus its share of the fee, 2.31.
    expect(refunding.body.refund).toMatchObject({ paid: 2538, shipping: 231 });
  });

  it('closes a change of mind that failed inspection without a refund, and keeps warehouse staff to their warehouses', async () => {
    const { record, subOrderId, cup } = await deliveredOrder();
    const made = await ask(record.orderId, 'alice', {
      type: 'RETURN_AND_REFUND',
      reason: 'CHANGED_MIND',
      lines: [{ subOrderId, lineId: cup, quantity: 1 }],
    });
    await staff(`/admin/after-sales/${made.body.id}/approve`);
    expect((await staff(`/warehouse/after-sales/${made.body.id}/receive`, {})).status).toBe(409);
    await callService(
      afterSales.url,
      'POST',
      `/internal/after-sales/${made.body.id}/return-parcel`,
      { carrierCode: 'sf-express', trackingNumber: 'SF2000000002' },
      { 'x-mallard-buyer': 'alice' },
    );
    const elsewhere = { 'x-mallard-actor': 'picker-9', 'x-mallard-warehouses': 'wh-west' };
    expect(
      (await callService(afterSales.url, 'POST', `/internal/warehouse/after-sales/${made.body.id}/receive`, {}, elsewhere)).status,
    ).toBe(404);
    const east = { 'x-mallard-actor': 'picker-1', 'x-mallard-warehouses': 'wh-east' };
    expect(
      (await callService(afterSales.url, 'POST', `/internal/warehouse/after-sales/${made.body.id}/receive`, {}, east)).body.state,
    ).toBe('RETURN_RECEIVED');
    const failed = await callService(
      afterSales.url,
      'POST',
      `/internal/warehouse/after-sales/${made.body.id}/inspection`,
      { passed: false, note: 'handle glued back on' },
      east,
    );
    expect(failed.body).toMatchObject({ state: 'CLOSED', refund: null, returnParcel: { inspectionPassed: false } });
    expect(failed.body.history.at(-1).note).toContain('handle glued back on');
    const [booked] = await readTopic(
      Topics.afterSales,
      1,
      20_000,
      (candidate) => candidate.headers.ce_type === returnInspected.type && JSON.parse(candidate.value!).requestId === made.body.id,
    );
    expect(JSON.parse(booked.value!)).toMatchObject({ condition: 'DAMAGED', lines: [{ skuId: 'cup', quantity: 1 }] });
  });

  it('counts a return once when the warehouse receives its goods, by type; a second receipt is refused and counts nothing', async () => {
    const received = async (type: string) => {
      const text = await (await serviceFetch(`${afterSales.url}/metrics`)).text();
      const line = text
        .split('\n')
        .find((candidate) => candidate.startsWith('after_sales_returns_received_total{') && candidate.includes(`type="${type}"`));
      if (!line) throw new Error(`after_sales_returns_received_total{type="${type}"} is not on /metrics`);
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    const before = { returned: await received('RETURN_AND_REFUND'), exchanged: await received('EXCHANGE') };
    const { record, subOrderId, cup } = await deliveredOrder();
    const made = await ask(record.orderId, 'alice', {
      type: 'RETURN_AND_REFUND',
      reason: 'CHANGED_MIND',
      lines: [{ subOrderId, lineId: cup, quantity: 1 }],
    });
    await staff(`/admin/after-sales/${made.body.id}/approve`);
    // Approved is not back yet, and neither is sent back.
    expect((await staff(`/warehouse/after-sales/${made.body.id}/receive`, {})).status).toBe(409);
    await sendBackAndReceive(made.body.id);
    expect(await received('RETURN_AND_REFUND')).toBe(before.returned + 1);
    // The same click again.
    expect((await staff(`/warehouse/after-sales/${made.body.id}/receive`, {})).status).toBe(409);
    expect({ returned: await received('RETURN_AND_REFUND'), exchanged: await received('EXCHANGE') }).toEqual({
      returned: before.returned + 1,
      exchanged: before.exchanged,
    });
  });

  it('lists the returns coming back to a warehouse: those it has work with, or one state from APPROVED on, never a refund only, only to staff who may act on them, in the warehouse’s view', async () => {
    const north = `wh-north-${randomUUID().slice(0, 8)}`;
    const south = `wh-south-${randomUUID().slice(0, 8)}`;
    const here = await deliveredOrder({ warehouseId: north });
    const there = await deliveredOrder({ warehouseId: south });
    const returnOf = async (order: typeof here, lineId: string, type = 'RETURN_AND_REFUND') => {
      const made = await ask(order.record.orderId, 'alice', {
        type,
        reason: 'CHANGED_MIND',
        lines: [{ subOrderId: order.subOrderId, lineId, quantity: 1 }],
      });
      expect(made.status).toBe(201);
      return made.body.id as string;
    };
    const approved = await returnOf(here, here.tea);
    await staff(`/admin/after-sales/${approved}/approve`);
    const shipped = await returnOf(here, here.cup);
    await staff(`/admin/after-sales/${shipped}/approve`);
    const sent = await callService(
      afterSales.url,
      'POST',
      `/internal/after-sales/${shipped}/return-parcel`,
      { carrierCode: 'sf-express', trackingNumber: 'SF4000000004' },
      { 'x-mallard-buyer': 'alice' },
    );
    expect(sent.body.state).toBe('RETURN_SHIPPED');
    const refundOnly = await returnOf(here, here.tea, 'REFUND_ONLY');
    const undecided = await returnOf(there, there.tea);
    const elsewhere = await returnOf(there, there.cup);
    await staff(`/admin/after-sales/${elsewhere}/approve`);

    const list = async (query: string, warehouses?: string) =>
      callService(
        afterSales.url,
        'GET',
        `/internal/warehouse/after-sales?${query}`,
        undefined,
        warehouses === undefined ? {} : { 'x-mallard-warehouses': warehouses },
      );
    const ids = (answer: { body: { items: { id: string }[] } }) => answer.body.items.map((item) => item.id);

    // Oldest change first: the approved return, then the one on its way; the other warehouse's are not there.
    const open = await list(`warehouseId=${north}`, `${north},wh-east`);
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ page: 1, pageSize: 50, total: 2 });
    expect(ids(open)).toEqual([approved, shipped]);
    expect(open.body.items[1]).toMatchObject({
      state: 'RETURN_SHIPPED',
      returnParcel: { trackingNumber: 'SF4000000004', receivedAt: null },
    });
    expect(ids(await list(`warehouseId=${north}&state=RETURN_SHIPPED`))).toEqual([shipped]);
    expect(ids(await list(`warehouseId=${north}&pageSize=1&page=2`))).toEqual([shipped]);
    expect(ids(await list(`warehouseId=${south}`))).toEqual([elsewhere]);
    // Before approval, or rejected, a request sends nothing back and is none of the warehouse's: not listed, and not asked for.
    for (const early of ['REQUESTED', 'AWAITING_EVIDENCE', 'REJECTED']) {
      for (const warehouses of [south, undefined]) {
        const asked = await list(`warehouseId=${south}&state=${early}`, warehouses);
        expect([asked.status, asked.body.type]).toEqual([400, 'https://mallard.dev/problems/validation-failed']);
      }
    }
    expect((await callService(afterSales.url, 'GET', `/internal/after-sales/${undecided}`, undefined, CS)).body.state).toBe('REQUESTED');
    // A refund only sends nothing back, whatever its state.
    await staff(`/admin/after-sales/${refundOnly}/approve`);
    const refundOnlyState = (await callService(afterSales.url, 'GET', `/internal/after-sales/${refundOnly}`, undefined, CS)).body.state;
    expect(['REFUNDING', 'REFUNDED']).toContain(refundOnlyState);
    const refundOnlyListed = await list(`warehouseId=${north}&state=${refundOnlyState}`);
    expect(refundOnlyListed.status).toBe(200);
    expect(ids(refundOnlyListed)).not.toContain(refundOnly);

    // Received, it waits for its inspection and stays on the list; inspected, it leaves it.
    const east = { 'x-mallard-actor': 'picker-1', 'x-mallard-warehouses': north };
    await callService(afterSales.url, 'POST', `/internal/warehouse/after-sales/${shipped}/receive`, {}, east);
    expect((await list(`warehouseId=${north}`)).body.items.map((item: { state: string }) => item.state)).toEqual([
      'APPROVED',
      'RETURN_RECEIVED',
    ]);
    await callService(
      afterSales.url,
      'POST',
      `/internal/warehouse/after-sales/${shipped}/inspection`,
      { passed: false, note: 'worn' },
      east,
    );
    expect(ids(await list(`warehouseId=${north}`))).toEqual([approved]);
    expect(ids(await list(`warehouseId=${north}&state=CLOSED`))).toEqual([shipped]);

    // A return of units from both warehouses: no step of one warehouse's staff takes it (each would
    // answer 404), so neither lists it; a token naming both, or an admin, sees it under either.
    const split = await deliveredFrom(north, south);
    const spanning = await ask(split.record.orderId, 'alice', {
      type: 'RETURN_AND_REFUND',
      reason: 'DAMAGED',
      description: 'Both arrived in pieces, alice says',
      lines: [
        { subOrderId: split.teaFrom, lineId: split.tea, quantity: 1 },
        { subOrderId: split.cupFrom, lineId: split.cup, quantity: 1 },
      ],
    });
    expect(spanning.status).toBe(201);
    await staff(`/admin/after-sales/${spanning.body.id}/approve`, { note: 'customer service only: photos match' });
    expect(ids(await list(`warehouseId=${north}`, north))).toEqual([approved]);
    expect(ids(await list(`warehouseId=${south}`, south))).toEqual([elsewhere]);
    const pickup = { carrierCode: 'sf-express', trackingNumber: 'SF4000000044', pickupAt: '2026-12-05T09:00:00Z' };
    const book = (warehouses: string) =>
      callService(afterSales.url, 'POST', `/internal/warehouse/after-sales/${spanning.body.id}/pickup`, pickup, {
        'x-mallard-actor': 'picker-1',
        'x-mallard-warehouses': warehouses,
      });
    expect((await book(north)).status).toBe(404);
    expect((await book(south)).status).toBe(404);
    const both = await list(`warehouseId=${north}`, `${south},${north}`);
    expect(ids(both)).toEqual([approved, spanning.body.id]);
    expect(ids(await list(`warehouseId=${south}`, `${north},${south}`))).toEqual([elsewhere, spanning.body.id]);
    expect(ids(await list(`warehouseId=${south}`))).toEqual([elsewhere, spanning.body.id]);
    expect((await book(`${north},${south}`)).body.state).toBe('RETURN_SHIPPED');

    // The warehouse's view: the units and the parcel, not the buyer, their words and evidence,
    // customer service's notes, the history or the refund.
    const [, theirs] = both.body.items;
    expect(Object.keys(theirs).sort()).toEqual([
      'ageSeconds',
      'createdAt',
      'id',
      'lines',
      'merchantId',
      'orderId',
      'reason',
      'returnParcel',
      'sellerAtFault',
      'state',
      'type',
      'updatedAt',
    ]);
    expect(theirs).toMatchObject({
      type: 'RETURN_AND_REFUND',
      reason: 'DAMAGED',
      sellerAtFault: true,
      state: 'APPROVED',
      returnParcel: null,
    });
    expect(theirs.lines.map((line: { subOrderId: string }) => line.subOrderId).sort()).toEqual([split.teaFrom, split.cupFrom].sort());
    const shown = JSON.stringify((await list(`warehouseId=${south}`)).body);
    for (const hidden of ['alice', 'in pieces', 'photos match', '"buyerId"', '"description"', '"evidence"', '"history"', '"refund"']) {
      expect(shown).not.toContain(hidden);
    }
    expect(shown).toContain('SF4000000044');

    const refused = await list(`warehouseId=${north}`, south);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ type: 'https://mallard.dev/problems/after-sales-warehouse-not-yours', warehouseId: north });
    expect((await list(`warehouseId=${north}`, '')).status).toBe(403);
    expect((await list('state=APPROVED')).status).toBe(400);
    expect((await list(`warehouseId=${north}&state=LOST`)).status).toBe(400);
  });

  it('takes a pickup the merchant booked as the return parcel, and shows where the carrier has it, newest report winning', async () => {
    const { record, subOrderId, tea } = await deliveredOrder();
    const made = await ask(record.orderId, 'alice', {
      type: 'RETURN_AND_REFUND',
      reason: 'DAMAGED',
      lines: [{ subOrderId, lineId: tea, quantity: 1 }],
    });
    const east = { 'x-mallard-actor': 'picker-1', 'x-mallard-warehouses': 'wh-east' };
    const pickup = { carrierCode: 'sf-express', trackingNumber: 'SF3000000003', pickupAt: '2026-12-05T09:00:00Z' };
    const book = (headers: Record<string, string>) =>
      callService(afterSales.url, 'POST', `/internal/warehouse/after-sales/${made.body.id}/pickup`, pickup, headers);
    // Not before customer service approved it, and not for another warehouse's staff.
    expect((await book(east)).status).toBe(409);
    await staff(`/admin/after-sales/${made.body.id}/approve`);
    expect((await book({ 'x-mallard-actor': 'picker-9', 'x-mallard-warehouses': 'wh-west' })).status).toBe(404);
    const booked = await book(east);
    expect(booked.status).toBe(200);
    expect(booked.body).toMatchObject({
      state: 'RETURN_SHIPPED',
      returnParcel: { ...pickup, pickupAt: '2026-12-05T09:00:00.000Z', bookedBy: 'MERCHANT', trackingState: null },
    });
    expect(booked.body.history.at(-1)).toMatchObject({ to: 'RETURN_SHIPPED', actor: { kind: 'WAREHOUSE', id: 'picker-1' } });
    // The shopper cannot send another parcel for it now.
    expect(
      (
        await callService(
          afterSales.url,
          'POST',
          `/internal/after-sales/${made.body.id}/return-parcel`,
          { carrierCode: 'yto', trackingNumber: 'YT100000000' },
          { 'x-mallard-buyer': 'alice' },
        )
      ).status,
    ).toBe(409);
    const [shipped] = await readTopic(
      Topics.afterSales,
      1,
      20_000,
      (candidate) => candidate.headers.ce_type === afterSalesReturnShipped.type && JSON.parse(candidate.value!).requestId === made.body.id,
    );
    expect(JSON.parse(shipped.value!).returnParcel).toEqual({
      carrierCode: 'sf-express',
      trackingNumber: 'SF3000000003',
      bookedBy: 'MERCHANT',
      pickupAt: '2026-12-05T09:00:00.000Z',
    });

    const tracking = (version: number, to: 'IN_TRANSIT' | 'DELIVERED', trackingNumber = 'SF3000000003') => ({
      orderId: record.orderId,
      requestId: made.body.id,
      returnParcelId: randomUUID(),
      version,
      to,
      carrierCode: 'sf-express',
      trackingNumber,
      occurredAt: `2026-12-05T1${version}:00:00.000Z`,
    });
    const seen = async (state: string) =>
      eventually(
        () => callService(afterSales.url, 'GET', `/internal/after-sales/${made.body.id}`, undefined, CS),
        (answer) => answer.body.returnParcel?.trackingState === state,
      );
    await sendEvent(returnParcelStateChanged, record.orderId, tracking(2, 'DELIVERED'));
    const delivered = await seen('DELIVERED');
    expect(delivered.body.returnParcel.trackingStateAt).toBe('2026-12-05T12:00:00.000Z');
    // An older version, and a newer one about another tracking number, are handled and change nothing.
    const ignored = [
      await sendEvent(returnParcelStateChanged, record.orderId, tracking(1, 'IN_TRANSIT')),
      await sendEvent(returnParcelStateChanged, record.orderId, tracking(3, 'IN_TRANSIT', 'SF9999999999')),
    ];
    await eventually(
      () => queryDatabase(afterSales.databaseName, 'SELECT 1 FROM inbox_message WHERE event_id = ANY($1)', [ignored]),
      (rows) => rows.length === 2,
    );
    const still = await callService(afterSales.url, 'GET', `/internal/after-sales/${made.body.id}`, undefined, CS);
    expect(still.body).toMatchObject({
      state: 'RETURN_SHIPPED',
      returnParcel: { trackingState: 'DELIVERED', trackingStateAt: '2026-12-05T12:00:00.000Z' },
    });
  });
});
