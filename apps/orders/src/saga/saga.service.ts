import {
  newId,
  type OrderCancelReason,
  type OrderPaidV1,
  orderCancelled,
  orderFailed,
  orderInterceptionRequested,
  orderPaid,
  orderPurchaseRecorded,
  orderSplitV2,
  type PaymentSucceededV1,
  type RefundReason,
  refundRequested,
  type StockAllocationV1,
} from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import { type AlsoWrite, afterCommit } from '@mallard/platform';
import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OrdersConfig, shippingRuleOf } from '../config/orders-config.js';
import { OrdersMetrics } from '../metrics/orders-metrics.js';
import { OrderLine } from '../order/order-line.entity.js';
import { isUnpaid, type OrderTrigger } from '../order/order-state.js';
import { OrderTransitionLostRace, OrderTransitions, type TransitionOutcome } from '../order/order-transitions.js';
import type { ParentOrder, PricingTerms } from '../order/parent-order.entity.js';
import { SubOrder } from '../order/sub-order.entity.js';
import { purchaseRecord } from '../split/purchase-record.js';
import { splitOrder } from '../split/split-order.js';
import { type PaymentMismatch, paymentMismatches } from './payment-match.js';

export type CloseOutcome = TransitionOutcome | { applied: false; reason: 'UNKNOWN_ORDER' };

/** In a saga step a lost compare-and-set fails the step, so its event is retried on the state that won. */
function retryIfLost(orderId: string, trigger: OrderTrigger, outcome: CloseOutcome): void {
  if (!outcome.applied && outcome.reason === 'LOST_RACE') throw new OrderTransitionLostRace(orderId, trigger, outcome.state);
}

/**
 * The order saga: each step reacts to another service's event, moves the order through its
 * state machine and publishes what the next service needs, all in the transaction of the
 * event being handled. Its state is the order's state (plus order_state_change), so it
 * resumes after any restart from wherever the last committed step left it.
 */
@Injectable()
export class OrderSaga {
  private readonly logger = new Logger(OrderSaga.name);

  constructor(
    private readonly transitions: OrderTransitions,
    private readonly publisher: EventPublisher,
    private readonly config: OrdersConfig,
    private readonly metrics: OrdersMetrics,
  ) {}

  async stockReserved(manager: EntityManager, orderId: string, allocations: StockAllocationV1[], holdExpiresAt: Date): Promise<void> {
    const order = await this.transitions.lock(manager, orderId);
    if (!order) return this.unknownOrder('stock.reserved', orderId);
    // Holds of scarce SKUs lapse long before the payment window (and the order with them): the
    // shopper is shown, and payments is handed, the deadline that really applies.
    const changes = allocations.length > 0 && holdExpiresAt < order.paymentDueAt ? { paymentDueAt: holdExpiresAt } : {};
    // A reservation that lands after the order closed is released by inventory on order.cancelled.
    if (!(await this.transitions.applyOrRetry(manager, order, 'STOCK_RESERVED', null, changes, allocationsWrite(allocations)))) return;
    // Discounts can bring an order to nothing to pay: there is no payment to wait for.
    if (order.payable === 0) await this.markPaid(manager, order, `free:${orderId}`, new Date(), 'NOTHING_TO_PAY');
  }

  async stockUnavailable(manager: EntityManager, orderId: string): Promise<void> {
    retryIfLost(orderId, 'STOCK_UNAVAILABLE', await this.closeUnpaid(manager, orderId, 'STOCK_UNAVAILABLE', 'STOCK_UNAVAILABLE'));
  }

  async holdExpired(manager: EntityManager, orderId: string): Promise<void> {
    retryIfLost(orderId, 'HOLD_EXPIRED', await this.closeUnpaid(manager, orderId, 'HOLD_EXPIRED', 'HOLD_EXPIRED'));
  }

  /**
   * Closes an unpaid order and tells inventory to let go of anything it holds for it. The
   * outcome says whether this call closed it: only the caller whose compare-and-set won
   * publishes order.cancelled and gives back purchase limits, so both happen exactly once.
   */
  async closeUnpaid(
    manager: EntityManager,
    orderId: string,
    trigger: Extract<OrderTrigger, 'STOCK_UNAVAILABLE' | 'HOLD_EXPIRED' | 'CANCELLED_BY_SHOPPER' | 'PAYMENT_WINDOW_ELAPSED'>,
    reason: OrderCancelReason,
    lockedOrder?: ParentOrder,
  ): Promise<CloseOutcome> {
    const order = lockedOrder ?? (await this.transitions.lock(manager, orderId));
    if (!order) {
      this.unknownOrder(trigger, orderId);
      return { applied: false, reason: 'UNKNOWN_ORDER' };
    }
    const outcome = await this.transitions.apply(manager, order, trigger, reason);
    if (!outcome.applied) return outcome;
    await this.transitions.releasePurchaseLimits(manager, order);
    await this.publisher.publish(manager, orderCancelled, {
      subject: orderId,
      data: { orderId, reason, cancelledAt: order.updatedAt.toISOString() },
    });
    return outcome;
  }

  async paymentSucceeded(manager: EntityManager, payment: PaymentSucceededV1, eventId: string): Promise<void> {
    const order = await this.transitions.lock(manager, payment.orderId);
    if (!order) return this.unknownOrder('payment.succeeded', payment.orderId);
    if (order.paymentId === payment.paymentId) return;
    if (!isUnpaid(order.state)) {
      // Paid after it was closed, or paid twice: the money goes straight back, as it was paid.
      const reason: RefundReason = order.state === 'CANCELLED' ? 'PAID_AFTER_CLOSE' : 'ORDER_CANCELLED_AFTER_PAYMENT';
      await this.requestRefund(manager, order, payment.amountMinor, reason, payment.paymentId, payment.currency);
      return;
    }
    const mismatches = paymentMismatches(order, payment);
    if (mismatches.length > 0) return this.recordPaymentMismatch(manager, order, payment, eventId, mismatches);
    await this.markPaid(manager, order, payment.paymentId, new Date(payment.succeededAt), null);
  }

  /**
   * A payment that does not pay its order exactly never makes the order PAID: it is kept in
   * payment_mismatch (once per event), logged at error level and counted, for staff to settle.
   * The order stays unpaid, so the shopper can still pay it properly or it closes as unpaid.
   */
  private async recordPaymentMismatch(
    manager: EntityManager,
    order: ParentOrder,
    payment: PaymentSucceededV1,
    eventId: string,
    mismatches: PaymentMismatch[],
  ): Promise<void> {
    const recorded: unknown[] = await manager.query(
      `INSERT INTO payment_mismatch (event_id, order_id, payment_id, order_state, expected_amount, expected_currency, received_amount, received_currency, mismatches)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (event_id) DO NOTHING RETURNING 1`,
      [eventId, order.id, payment.paymentId, order.state, order.payable, order.currency, payment.amountMinor, payment.currency, mismatches],
    );
    // Counted when the row is new and its transaction commits: a consumer batch that fails is
    // rolled back and applied again event by event, which would otherwise count it twice.
    if (recorded.length > 0) {
      afterCommit(manager, () => {
        for (const mismatch of mismatches) this.metrics.paymentAmountMismatch.inc({ mismatch });
      });
    }
    this.logger.error(
      `payment ${payment.paymentId} (event ${eventId}) paid ${payment.amountMinor} ${payment.currency} for order ${order.id}, ` +
        `which costs ${order.payable} ${order.currency}: order not marked paid (${mismatches.join(', ')} mismatch)`,
    );
  }

  private async markPaid(
    manager: EntityManager,
    order: ParentOrder,
    paymentId: string,
    paidAt: Date,
    reason: string | null,
  ): Promise<void> {
    if (!(await this.transitions.applyOrRetry(manager, order, 'PAYMENT_SUCCEEDED', reason, { paidAt, paymentId }))) return;
    const lines: OrderPaidV1['lines'] = await manager.query(
      `SELECT id AS "lineId", sku_id AS "skuId", stock_policy AS "stockPolicy", quantity FROM order_line WHERE order_id = $1 ORDER BY position`,
      [order.id],
    );
    await this.publisher.publish(manager, orderPaid, { subject: order.id, data: { orderId: order.id, paymentId, lines } });
  }

  async stockDeducted(manager: EntityManager, orderId: string, allocations: StockAllocationV1[]): Promise<void> {
    const order = await this.transitions.lock(manager, orderId);
    if (!order) return this.unknownOrder('stock.deducted', orderId);
    if (!(await this.transitions.applyOrRetry(manager, order, 'STOCK_DEDUCTED', null, {}, allocationsWrite(allocations)))) return;
    const lines = await manager.find(OrderLine, { where: { orderId }, order: { position: 'ASC' } });
    const plan = splitOrder(
      lines.map((line) => ({ ...line, lineId: line.id })),
      order.shippingFee,
      this.config.SHIPPING_FEE_SPLIT,
    );
    // From the split on, each line's shipping share and paid amount are its sub-orders' (docs/domain.md §4).
    await manager.query(
      `UPDATE order_line AS l SET shipping_fee_share = s.share, paid_amount = s.paid
       FROM unnest($1::uuid[], $2::bigint[], $3::bigint[]) AS s(id, share, paid) WHERE l.id = s.id`,
      [[...plan.lines.keys()], [...plan.lines.values()].map((l) => l.shippingFeeShare), [...plan.lines.values()].map((l) => l.paidAmount)],
    );
    const skuNames = new Map(lines.map((line) => [line.id, line.skuName]));
    const subOrders = plan.subOrders.map((subOrder, position) => ({ ...subOrder, id: newId(), position }));
    await manager.insert(
      SubOrder,
      subOrders.map(({ id, position, warehouseId, merchantId, fulfilmentType, shippingFee, lines: subLines }) => ({
        id,
        orderId,
        position,
        warehouseId,
        merchantId,
        fulfilmentType,
        shippingFee,
        lines: subLines,
      })),
    );
    await this.publisher.publish(manager, orderSplitV2, {
      subject: orderId,
      data: {
        orderId,
        buyerId: order.buyerId,
        currency: order.currency,
        paidAt: (order.paidAt ?? order.updatedAt).toISOString(),
        receiver: order.receiver,
        ...(order.deliverySlot ? { deliverySlot: order.deliverySlot } : {}),
        subOrders: subOrders.map((subOrder) => ({
          subOrderId: subOrder.id,
          position: subOrder.position,
          warehouseId: subOrder.warehouseId,
          merchantId: subOrder.merchantId,
          fulfilmentType: subOrder.fulfilmentType,
          shippingFeeMinor: subOrder.shippingFee,
          paidMinor: subOrder.lines.reduce((sum, line) => sum + line.paidAmount, 0),
          lines: subOrder.lines.map((line) => ({
            lineId: line.lineId,
            skuId: line.skuId,
            skuName: skuNames.get(line.lineId) ?? line.skuId,
            quantity: line.quantity,
            merchandiseMinor: line.merchandise,
            shippingFeeShareMinor: line.shippingFeeShare,
            paidAmountMinor: line.paidAmount,
          })),
        })),
      },
    });
    // What after-sales refunds from: the lines' figures as the split left them and the rules they were priced with.
    await this.publisher.publish(manager, orderPurchaseRecorded, {
      subject: orderId,
      data: purchaseRecord({
        orderId,
        buyerId: order.buyerId,
        currency: order.currency,
        paidAt: order.paidAt ?? order.updatedAt,
        lines,
        plan: { lines: plan.lines, subOrders },
        terms: await this.pricingTerms(manager, orderId),
      }),
    });
    // The shopper cancelled between payment and split: the sub-orders exist now, so they can be asked to stop.
    if (order.interceptionRequestedAt) {
      await this.publisher.publish(manager, orderInterceptionRequested, {
        subject: orderId,
        data: { orderId, buyerId: order.buyerId, requestedAt: order.interceptionRequestedAt.toISOString() },
      });
    }
  }

  /**
   * The rules the order was priced with. Orders placed before they were kept (migration
   * 1764061000007) have none: they are recorded with no order promotion and no coupon, and with
   * the shipping rule of today's settings. Re-amortisation on a return then claws back no
   * promotion or coupon benefit for them, since it cannot know what they were: the returned
   * units get back what they paid. The shipping rule may not be the one of their purchase, which
   * costs nothing: a lost free-shipping threshold is never withheld (docs/domain.md §8).
   */
  private async pricingTerms(manager: EntityManager, orderId: string): Promise<PricingTerms> {
    const [row]: { pricing_terms: PricingTerms | null }[] = await manager.query('SELECT pricing_terms FROM parent_order WHERE id = $1', [
      orderId,
    ]);
    return row?.pricing_terms ?? { orderPromotions: [], shipping: shippingRuleOf(this.config) };
  }

  /** Stock ran out after the money was taken: the order fails and the money goes back. */
  async stockDeductionFailed(manager: EntityManager, orderId: string): Promise<void> {
    const order = await this.transitions.lock(manager, orderId);
    if (!order) return this.unknownOrder('stock.deduction-failed', orderId);
    if (!(await this.transitions.applyOrRetry(manager, order, 'STOCK_DEDUCTION_FAILED', 'STOCK_UNAVAILABLE_AFTER_PAYMENT'))) return;
    await this.transitions.releasePurchaseLimits(manager, order);
    await this.publisher.publish(manager, orderFailed, {
      subject: orderId,
      data: { orderId, reason: 'STOCK_UNAVAILABLE_AFTER_PAYMENT', failedAt: order.updatedAt.toISOString() },
    });
    await this.requestRefund(manager, order, order.payable, 'STOCK_UNAVAILABLE_AFTER_PAYMENT', order.paymentId ?? undefined);
  }

  private async requestRefund(
    manager: EntityManager,
    order: ParentOrder,
    amountMinor: number,
    reason: RefundReason,
    paymentId?: string,
    currency: string = order.currency,
  ): Promise<void> {
    if (amountMinor <= 0) return;
    await this.publisher.publish(manager, refundRequested, {
      subject: order.id,
      data: {
        orderId: order.id,
        // Derived, not random: the same cause always asks for the same refund.
        refundId: `${order.id}:${reason}:${paymentId ?? 'order'}`,
        ...(paymentId ? { paymentId } : {}),
        amountMinor,
        currency,
        reason,
      },
    });
  }

  private unknownOrder(step: string, orderId: string): void {
    // Events of orders this database never had (another environment, a purged test order).
    this.logger.warn(`${step} for unknown order ${orderId} ignored`);
  }
}

/** Each line gets the list of its warehouses, written with the move that records them (one statement for all lines). */
function allocationsWrite(allocations: StockAllocationV1[]): AlsoWrite | undefined {
  if (allocations.length === 0) return undefined;
  return (bind) =>
    `UPDATE order_line l SET allocations = a.allocations
     FROM moved, (SELECT line_id, jsonb_agg(jsonb_build_object('warehouseId', warehouse_id, 'quantity', quantity) ORDER BY warehouse_id) AS allocations
                  FROM unnest(${bind(allocations.map((a) => a.lineId))}::text[], ${bind(allocations.map((a) => a.warehouseId))}::text[],
                              ${bind(allocations.map((a) => a.quantity))}::int[]) AS x(line_id, warehouse_id, quantity) GROUP BY line_id) a
     WHERE l.order_id = moved.id AND l.id::text = a.line_id`;
}
