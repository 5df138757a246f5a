import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GiftCardEntry } from '../ledgers/gift-card-entry.entity.js';
import { PointsEntry } from '../ledgers/points-entry.entity.js';
import { PayableOrder } from '../orders/payable-order.entity.js';
import { Payment } from '../payment/payment.entity.js';
import { toPaymentView } from '../payment/payment.view.js';
import { Tender } from '../payment/tender.entity.js';
import { PaymentLogEntry } from '../payment-log/payment-log-entry.entity.js';
import { Refund } from '../refunds/refund.entity.js';
import { toRefundView } from '../refunds/refund.view.js';
import { RefundPart } from '../refunds/refund-part.entity.js';
import { ReceivedProviderEvent } from '../webhooks/received-provider-event.entity.js';
import { moneyTrailProblems } from './money-trail.problems.js';

/** Everything payments knows about the money of one order, for staff. */
@Injectable()
export class MoneyTrailService {
  constructor(private readonly dataSource: DataSource) {}

  /** 404 when payments knows nothing of the order. */
  async of(orderId: string): Promise<Record<string, unknown>> {
    const manager = this.dataSource.manager;
    const [order, payments, refunds, giftCardEntries, pointsEntries] = await Promise.all([
      manager.findOneBy(PayableOrder, { orderId }),
      manager.find(Payment, { where: { orderId }, order: { createdAt: 'ASC' } }),
      manager.find(Refund, { where: { orderId }, order: { createdAt: 'ASC' } }),
      manager.find(GiftCardEntry, { where: { orderId }, order: { id: 'ASC' } }),
      manager.find(PointsEntry, { where: { orderId }, order: { id: 'ASC' } }),
    ]);
    if (!order && payments.length === 0 && refunds.length === 0) throw moneyTrailProblems.orderNotFound(orderId);
    const paymentIds = payments.map((payment) => payment.id);
    const [tenders, log, parts, providerEvents] = paymentIds.length
      ? await Promise.all([
          manager.createQueryBuilder(Tender, 't').where('t.payment_id IN (:...ids)', { ids: paymentIds }).getMany(),
          manager.find(PaymentLogEntry, { where: { orderId }, order: { id: 'ASC' } }),
          refunds.length
            ? manager
                .createQueryBuilder(RefundPart, 'p')
                .where('p.refund_id IN (:...ids)', { ids: refunds.map((r) => r.id) })
                .orderBy('p.id')
                .getMany()
            : [],
          manager
            .createQueryBuilder(ReceivedProviderEvent, 'e')
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
      refunds: refunds.map((refund) => toRefundView(refund, parts)),
      giftCardEntries,
      pointsEntries,
    };
  }
}
