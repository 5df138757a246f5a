import { randomUUID } from 'node:crypto';
import {
  type AfterSalesRefundRequestedV1,
  afterSalesRefundRequested,
  type CloudEvent,
  newCloudEvent,
  type RefundFailedV1,
  type RefundSucceededV1,
  refundFailed,
  refundSucceeded,
  Topics,
} from '@mallard/contracts';
// These tests call payments directly: every fetch is signed like the gateway's calls (service token).
import { eventually, serviceFetch as fetch, PublishedEvents, sendEvents } from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentView } from '../payment/payment.view.js';
import { issueGiftCard, payRequest, placeOrder, usePaymentsWithSandbox } from '../testing/payments-test-kit.js';

/** after-sales.refund-requested as after-sales' outbox relay would send it: refundId `after-sales:<requestId>`, keyed by order. */
function afterSalesRefund(orderId: string, requestId: string, amountMinor: number): CloudEvent<AfterSalesRefundRequestedV1> {
  return newCloudEvent({
    type: afterSalesRefundRequested.type,
    version: afterSalesRefundRequested.version,
    source: 'mallard/after-sales',
    subject: orderId,
    data: {
      orderId,
      refundId: `after-sales:${requestId}`,
      requestId,
      amountMinor,
      currency: 'CNY',
      lines: [
        {
          subOrderId: randomUUID(),
          lineId: randomUUID(),
          skuId: 'SKU-PAY',
          quantity: 1,
          paidMinor: amountMinor,
          clawbackMinor: 0,
          releasedMinor: 0,
          shippingMinor: 0,
          refundedMinor: amountMinor,
        },
      ],
    },
  });
}

describe('payments gives after-sales refunds back along the original route (real Kafka and PostgreSQL)', () => {
  const payments = usePaymentsWithSandbox();
  const { sql, paymentOf } = payments;
  let published: PublishedEvents;

  beforeAll(async () => {
    published = await PublishedEvents.collect([Topics.payments], 'payments');
  });
  afterAll(async () => {
    await published?.stop();
  });

  it('refunds a request once under its refundId, however often it is asked, and refuses more than is left with refund.failed', async () => {
    // Paid 2 200: 1 200 by the sandbox provider, 1 000 by gift card.
    const orderId = await placeOrder(payments.service, 'buyer-after-sales', 2_200);
    const card = await issueGiftCard(payments.url, 1_000);
    const pending = (await (
      await payRequest(payments.url, orderId, 'buyer-after-sales', [
        { type: 'GIFT_CARD', code: card, amountMinor: 1_000 },
        { type: 'PROVIDER', provider: 'sandbox', amountMinor: 1_200 },
      ])
    ).json()) as PaymentView;
    await fetch(`${payments.url}/internal/sandbox/charges/${pending.providerRef}/succeed`, { method: 'POST' });
    await eventually(
      () => paymentOf(pending.id),
      (payment) => payment.state === 'SUCCEEDED',
    );

    // 1 500 back: the provider's 1 200 first (REFUND_ORDER), then 300 of the gift card.
    const requestId = randomUUID();
    const request = afterSalesRefund(orderId, requestId, 1_500);
    await sendEvents(Topics.afterSales, [request]);
    const [succeeded] = await published.waitFor<RefundSucceededV1>(refundSucceeded, orderId, 1);
    expect(succeeded.data).toMatchObject({
      orderId,
      refundId: `after-sales:${requestId}`,
      paymentId: pending.id,
      amountMinor: 1_500,
      currency: 'CNY',
      reason: 'AFTER_SALES',
      parts: [
        { tender: 'PROVIDER', amountMinor: 1_200, provider: 'sandbox' },
        { tender: 'GIFT_CARD', amountMinor: 300 },
      ],
    });
    expect(await paymentOf(pending.id)).toMatchObject({ state: 'PARTIALLY_REFUNDED', refundedMinor: 1_500 });

    // The same event redelivered (same id), and after-sales asking again (a new event, the same refundId).
    await sendEvents(Topics.afterSales, [request, { ...request, id: randomUUID(), time: new Date().toISOString() }]);
    // Then more than is left (700 is): refused whole, under its own refundId.
    const greedyId = randomUUID();
    await sendEvents(Topics.afterSales, [afterSalesRefund(orderId, greedyId, 800)]);
    const [failed] = await published.waitFor<RefundFailedV1>(refundFailed, orderId, 1);
    expect(failed.data).toMatchObject({
      orderId,
      refundId: `after-sales:${greedyId}`,
      amountMinor: 800,
      currency: 'CNY',
      reason: 'EXCEEDS_REFUNDABLE',
      refundedMinor: 0,
    });

    // One partition per order, handled in order: by the refusal, both repeats were handled, and they made nothing.
    const refunds = await sql<{ refund_key: string; key_space: string; state: string; amount_minor: string; reason: string }>(
      'SELECT refund_key, key_space, state, amount_minor, reason FROM refund WHERE order_id = $1 ORDER BY created_at',
      [orderId],
    );
    expect(refunds.map((row) => [row.refund_key, row.key_space, row.state, Number(row.amount_minor), row.reason])).toEqual([
      [`after-sales:${requestId}`, 'SYSTEM', 'SUCCEEDED', 1_500, 'AFTER_SALES'],
      [`after-sales:${greedyId}`, 'SYSTEM', 'REJECTED', 800, 'AFTER_SALES'],
    ]);
    expect(await paymentOf(pending.id)).toMatchObject({ state: 'PARTIALLY_REFUNDED', refundedMinor: 1_500 });
    const balance = (await (await fetch(`${payments.url}/internal/gift-cards/${card}`)).json()) as { balanceMinor: number };
    expect(balance.balanceMinor).toBe(300);
    const sandboxRefunds = await sql<{ amount_minor: string }>(
      'SELECT r.amount_minor FROM sandbox_refund r JOIN sandbox_charge c USING (intent_id) WHERE c.payment_serial = $1',
      [pending.serial],
    );
    expect(sandboxRefunds.map((row) => Number(row.amount_minor))).toEqual([1_200]);
    expect(published.of(refundSucceeded, orderId)).toHaveLength(1);
  });
});
