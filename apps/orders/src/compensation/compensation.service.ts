import {
  type AfterSalesRefundRequestedV1,
  type AfterSalesRequestChangedV1,
  orderCompensated,
  type ParcelStateChangedV1,
  type RefundReason,
  type RestockReason,
  refundRequested,
  restockRequested,
  type SubOrderStateChangedV1,
} from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OrderTransitions } from '../order/order-transitions.js';
import type { ParentOrder } from '../order/parent-order.entity.js';
import { SubOrder } from '../order/sub-order.entity.js';
import { Compensation, type CompensationKind } from './compensation.entity.js';
import {
  afterSalesGivenBack,
  type CompensatedLine,
  type CompensationAmounts,
  givenBeyondPaid,
  parcelAmounts,
  returnedParcelUnits,
  stoppedSubOrderAmounts,
} from './compensation-amounts.js';

/** Sub-order states in which logistics gave up on it before anything left: all of it comes back. */
const STOPPED_STATES = new Set(['INTERCEPTED', 'CANCELLED']);
/** A parcel the shopper refused or that is going back: its goods are refunded once, whichever of these comes first. */
const GIVEN_UP_PARCEL_STATES = new Set(['REJECTED', 'RETURNING', 'RETURNED_TO_SENDER']);

/**
 * The saga's compensations after the split (docs/domain.md §5 and §7): a sub-order logistics stopped
 * is refunded in full and its units go back on the shelf; a parcel the shopper refused is refunded
 * (goods, and the fee its sub-order carried, once), and its units go back once it is returned to us.
 * What after-sales refunded (a refund only for a parcel that never arrived, say) is recorded too and
 * counts as given back, so none of these refunds it again.
 * Locks: the parent order first, as every step of the saga.
 */
@Injectable()
export class CompensationService {
  private readonly logger = new Logger(CompensationService.name);

  constructor(
    private readonly transitions: OrderTransitions,
    private readonly publisher: EventPublisher,
  ) {}

  async subOrderChanged(manager: EntityManager, event: SubOrderStateChangedV1): Promise<void> {
    if (!STOPPED_STATES.has(event.to)) return;
    const context = await this.load(manager, event.orderId, event.subOrderId);
    if (!context) return;
    const amounts = stoppedSubOrderAmounts(context.subOrder.lines, context.subOrder.shippingFee, context.earlier);
    await this.compensate(manager, context, { kind: 'SUB_ORDER_STOPPED', causeId: event.subOrderId, parcelId: null }, amounts, {
      refund: 'SUB_ORDER_STOPPED',
      restock: 'SUB_ORDER_STOPPED',
    });
  }

  async parcelChanged(manager: EntityManager, event: ParcelStateChangedV1): Promise<void> {
    if (!GIVEN_UP_PARCEL_STATES.has(event.to)) return;
    const context = await this.load(manager, event.orderId, event.subOrderId);
    if (!context) return;
    const rejectedId = compensationId('PARCEL_REJECTED', event.parcelId);
    if (!context.earlier.some((row) => row.id === rejectedId)) {
      const amounts = parcelAmounts(context.subOrder.lines, context.subOrder.shippingFee, context.earlier, event.lines);
      const row = await this.compensate(
        manager,
        context,
        { kind: 'PARCEL_REJECTED', causeId: event.parcelId, parcelId: event.parcelId },
        amounts,
        { refund: 'PARCEL_REJECTED', restock: null },
      );
      if (row) context.earlier.push(row);
    }
    if (event.to !== 'RETURNED_TO_SENDER') return;
    // Back with us: its units go back on the shelf, those after-sales refunded as well as the
    // refusal's (a refund only brings nothing back of its own); no money moves again.
    await this.compensate(
      manager,
      context,
      { kind: 'PARCEL_RETURNED', causeId: event.parcelId, parcelId: event.parcelId },
      { lines: returnedParcelUnits(context.subOrder.lines, context.earlier, event.lines), shippingFee: 0, total: 0 },
      { refund: null, restock: 'PARCEL_RETURNED' },
    );
  }

  /**
   * After-sales refunded units (and maybe a fee) of the order: one AFTER_SALES_REFUND row per
   * sub-order, which refunds, restocks and publishes nothing (after-sales paid it and knows it),
   * but which the refunds above count as given back. Under the order's lock, like them, so a
   * refusal and this refund of one order are recorded one after the other.
   */
  async afterSalesRefundRequested(manager: EntityManager, event: AfterSalesRefundRequestedV1): Promise<void> {
    const order = await this.transitions.lock(manager, event.orderId);
    if (!order) {
      this.logger.warn(`after-sales refund ${event.refundId} of unknown order ${event.orderId} ignored`);
      return;
    }
    const subOrders = await manager.find(SubOrder, { where: { orderId: order.id } });
    for (const [subOrderId, given] of afterSalesGivenBack(event.lines)) {
      const subOrder = subOrders.find((candidate) => candidate.id === subOrderId);
      if (!subOrder) {
        this.logger.warn(`after-sales refund ${event.refundId}: sub-order ${subOrderId} is not in order ${order.id}, ignored`);
        continue;
      }
      const row: Compensation = {
        id: compensationId('AFTER_SALES_REFUND', `${event.requestId}:${subOrderId}`),
        orderId: order.id,
        subOrderId,
        parcelId: null,
        kind: 'AFTER_SALES_REFUND',
        refundAmount: given.refunded,
        shippingFeeRefunded: given.shippingFee,
        lines: given.lines,
        createdAt: new Date(),
      };
      if (!(await this.insert(manager, row))) continue;
      // After-sales counts orders' refunds before it refunds; only a refusal it had not heard of yet
      // when it calculated can overlap this one. The money is out twice: say so loudly.
      const earlier = await manager.find(Compensation, { where: { subOrderId } });
      const twice = givenBeyondPaid(subOrder.lines, subOrder.shippingFee, earlier);
      if (twice.lines.length > 0 || twice.shippingFee > 0) {
        this.logger.error(
          `order ${order.id} sub-order ${subOrderId}: after-sales refund ${event.refundId} and orders' compensations gave back ` +
            `more than was paid (units ${JSON.stringify(twice.lines)}, shipping fee ${twice.shippingFee}): settle by hand`,
        );
      }
    }
  }

  /**
   * A request closed while REFUNDING was closed because payments refused its refund: it was never
   * paid, after-sales no longer counts it, and neither does orders from now on.
   */
  async afterSalesClosed(manager: EntityManager, event: AfterSalesRequestChangedV1): Promise<void> {
    if (event.from !== 'REFUNDING') return;
    if (!(await this.transitions.lock(manager, event.orderId))) return;
    const deleted = await manager
      .createQueryBuilder()
      .delete()
      .from(Compensation)
      .where('order_id = :orderId AND kind = :kind AND id LIKE :prefix', {
        orderId: event.orderId,
        kind: 'AFTER_SALES_REFUND',
        prefix: `${compensationId('AFTER_SALES_REFUND', event.requestId)}:%`,
      })
      .execute();
    if (deleted.affected)
      this.logger.log(`after-sales request ${event.requestId} closed unpaid: its refund no longer counts as given back`);
  }

  private async load(manager: EntityManager, orderId: string, subOrderId: string): Promise<CompensationContext | null> {
    const order = await this.transitions.lock(manager, orderId);
    const subOrder = order ? await manager.findOne(SubOrder, { where: { id: subOrderId, orderId } }) : null;
    if (!order || !subOrder) {
      // Logistics events of orders this database never had (another environment, a purged test order).
      this.logger.warn(`compensation for unknown sub-order ${subOrderId} of order ${orderId} ignored`);
      return null;
    }
    const earlier = await manager.find(Compensation, { where: { subOrderId }, order: { createdAt: 'ASC' } });
    return { order, subOrder, earlier };
  }

  /** Records the compensation once; its refund and restock requests go out with it, in the same transaction. */
  private async compensate(
    manager: EntityManager,
    { order, subOrder }: CompensationContext,
    cause: { kind: CompensationKind; causeId: string; parcelId: string | null },
    amounts: CompensationAmounts,
    reasons: { refund: RefundReason | null; restock: RestockReason | null },
  ): Promise<Compensation | null> {
    const id = compensationId(cause.kind, cause.causeId);
    const row: Compensation = {
      id,
      orderId: order.id,
      subOrderId: subOrder.id,
      parcelId: cause.parcelId,
      kind: cause.kind,
      refundAmount: reasons.refund ? amounts.total : 0,
      shippingFeeRefunded: reasons.refund ? amounts.shippingFee : 0,
      lines: amounts.lines,
      createdAt: new Date(),
    };
    if (!(await this.insert(manager, row))) return null;
    // A row without units gives nothing back: they all went back with earlier compensations, the
    // fee with the first of them, and after-sales has those. A fee without units cannot arise that
    // way; should it, the contract (one line at least) refuses it loudly rather than after-sales
    // never learning of a refunded fee.
    if (row.lines.length > 0 || row.refundAmount > 0) {
      await this.publisher.publish(manager, orderCompensated, {
        subject: order.id,
        data: {
          orderId: order.id,
          compensationId: id,
          kind: cause.kind,
          subOrderId: subOrder.id,
          ...(cause.parcelId ? { parcelId: cause.parcelId } : {}),
          lines: row.lines.map((line) => ({ lineId: line.lineId, skuId: line.skuId, quantity: line.quantity, amountMinor: line.amount })),
          shippingFeeRefundedMinor: row.shippingFeeRefunded,
          refundMinor: row.refundAmount,
          compensatedAt: row.createdAt.toISOString(),
        },
      });
    }
    if (reasons.refund && amounts.total > 0) {
      await this.publisher.publish(manager, refundRequested, {
        subject: order.id,
        data: {
          orderId: order.id,
          refundId: `${order.id}:${id}`,
          ...(order.paymentId ? { paymentId: order.paymentId } : {}),
          amountMinor: amounts.total,
          currency: order.currency,
          reason: reasons.refund,
          subOrderId: subOrder.id,
          ...(cause.parcelId ? { parcelId: cause.parcelId } : {}),
        },
      });
    }
    const restock = restockLines(amounts.lines);
    if (reasons.restock && restock.length > 0) {
      await this.publisher.publish(manager, restockRequested, {
        subject: order.id,
        data: {
          orderId: order.id,
          restockId: `${order.id}:${id}`,
          warehouseId: subOrder.warehouseId,
          reason: reasons.restock,
          lines: restock,
        },
      });
    }
    return row;
  }

  /** Inserts the row unless its cause was compensated before (a redelivered event); says whether it did. */
  private async insert(manager: EntityManager, row: Compensation): Promise<boolean> {
    const inserted = await manager.createQueryBuilder().insert().into(Compensation).values(row).orIgnore().returning('id').execute();
    return (inserted.raw as unknown[]).length > 0;
  }
}

interface CompensationContext {
  order: ParentOrder;
  subOrder: SubOrder;
  earlier: Compensation[];
}

const compensationId = (kind: CompensationKind, causeId: string): string => `${kind}:${causeId}`;

/** One line per SKU: a SKU can be on two lines of an order. */
function restockLines(lines: readonly CompensatedLine[]): { skuId: string; quantity: number }[] {
  const bySku = new Map<string, number>();
  for (const line of lines) bySku.set(line.skuId, (bySku.get(line.skuId) ?? 0) + line.quantity);
  return [...bySku].filter(([, quantity]) => quantity > 0).map(([skuId, quantity]) => ({ skuId, quantity }));
}
