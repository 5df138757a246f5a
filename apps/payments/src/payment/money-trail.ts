import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GiftCardEntry, PointsEntry } from '../ledgers/ledger.entities.js';
import { PayableOrder } from '../orders/payable-order.entity.js';
import { Refund, RefundPartRow } from '../refunds/refund.entities.js';
import { ProviderEventRecord } from '../webhooks/provider-event.entity.js';
import { Payment, PaymentLogEntry, Tender } from './payment.entities.js';
import { toPaymentView } from './payment.view.js';

/** Everything payments knows about the money of one order, for staff. */
@Injectable()
export class MoneyTrail {
  constructor(private readonly dataSource: DataSource) {}

  async of(orderId: string): Promise<Record<string, unknown> | null> {
    const manager = this.dataSource.manager;
    const [order, payments, refunds, giftCardEntries, pointsEntries] = await Promise.all([
      manager.findOneBy(PayableOrder, { orderId }),
      manager.find(Payment, { where: { orderId }, order: { createdAt: 'ASC' } }),
      manager.find(Refund, { where: { orderId }, order: { createdAt: 'ASC' } }),
      manager.find(GiftCardEntry, { where: { orderId }, order: { id: 'ASC' } }),
      manager.find(PointsEntry, { where: { orderId }, order: { id: 'ASC' } }),
    ]);
    if (!order && payments.length === 0 && refunds.length === 0) return null;
    const paymentIds = payments.map((payment) => payment.id);
    const [tenders, log, parts, providerEvents] = paymentIds.length
      ? await Promise.all([
          manager.createQueryBuilder(Tender, 't').where('t.payment_id IN (:...ids)', { ids: paymentIds }).getMany(),
          manager.find(PaymentLogEntry, { where: { orderId }, order: { id: 'ASC' } }),
          refunds.length
            ? manager
                .createQueryBuilder(RefundPartRow, 'p')
                .where('p.refund_id IN (:...ids)', { ids: refunds.map((r) => r.id) })
                .orderBy('p.id')
                .getMany()
            : [],
          manager
            .createQueryBuilder(ProviderEventRecord, 'e')
            .where('e.payment_id IN (:...ids)', { ids: paymentIds })
            .orderBy('e.received_at')
            .getMany(),
        ])
      : [[], [], [], []];
    return {
      orderId,
      order,
      payments: payments.map((payment) => ({
        ...toPaymentView(
          payment,
          tenders.filter((tender) => tender.paymentId === payment.id),
        ),
        log: log
          .filter((entry) => entry.paymentId === payment.id)
          .map(({ fromState, toState, reason, detail, at }) => ({ from: fromState, to: toState, reason, detail, at })),
        providerEvents: providerEvents.filter((event) => event.paymentId === payment.id),
      })),
      refunds: refunds.map((refund) => ({
        id: refund.id,
        refundId: refund.refundKey,
        serial: refund.serial,
        paymentId: refund.paymentId,
        amountMinor: refund.amountMinor,
        currency: refund.currency,
        reason: refund.reason,
        source: refund.source,
        state: refund.state,
        failure: refund.failure,
        requestedBy: refund.requestedBy,
        createdAt: refund.createdAt,
        completedAt: refund.completedAt,
        parts: parts
          .filter((part) => part.refundId === refund.id)
          .map(({ type, amountMinor, points, provider, providerRef, state, attempts, lastError, completedAt }) => ({
            type,
            amountMinor,
            points,
            provider,
            providerRef,
            state,
            attempts,
            lastError,
            completedAt,
          })),
      })),
      giftCardEntries,
      pointsEntries,
    };
  }
}
