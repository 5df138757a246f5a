import type {
  AfterSalesRequestChangedV1,
  OrderInterceptionRequestedV1,
  OrderSplitV2,
  OrderState,
  ParcelState,
  ParcelStateChangedV1,
  PlatformPurchaseFailedV1,
  RefundSucceededV1,
  SubOrderInterceptionRefusedV1,
  SubOrderStateChangedV1,
} from '@mallard/contracts';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { GatewayConfig } from '../config/gateway-config.js';
import { AfterSalesView } from './after-sales-view.entity.js';
import { OrderView } from './order-view.entity.js';
import { ParcelView } from './parcel-view.entity.js';
import { isLiveParcel, isLiveSubOrder, openAfterSales, rollUpOrderStatus } from './shopper-status.js';
import { StatusChanges } from './status-changes.js';
import { SubOrderView } from './sub-order-view.entity.js';

/** Orders' own states only move forward; an older event arriving late never moves one back. */
const ORDERS_STATE_RANK: Readonly<Record<OrderState, number>> = {
  PLACED: 0,
  AWAITING_PAYMENT: 1,
  PAID: 2,
  SPLIT: 3,
  CANCELLED: 4,
  FAILED: 4,
};

/** Parcel states before a carrier has the parcel. */
const NOT_HANDED_OVER: ReadonlySet<ParcelState> = new Set(['PACKED', 'LABEL_CREATED']);

/**
 * Keeps the read model from the events of orders, payments, logistics and after-sales. Each event
 * runs in the transaction of its inbox row. Events about one order come from several topics in any
 * order, so every change locks the order's row first (made empty if the order is not known
 * yet: the one lock order of the read model), writes only what is newer than what it has
 * (orders' state by rank, sub-orders, parcels and after-sales requests by version), and rolls the
 * shopper's status up again.
 */
@Injectable()
export class ReadModelService {
  constructor(
    private readonly statusChanges: StatusChanges,
    private readonly config: GatewayConfig,
  ) {}

  async orderPlaced(
    manager: EntityManager,
    event: {
      orderId: string;
      buyerId: string;
      currency: string;
      payableMinor: number;
      lines: readonly { quantity: number }[];
      placedAt: string;
    },
  ): Promise<void> {
    const order = await this.lockOrder(manager, event.orderId);
    const placed = {
      buyerId: event.buyerId,
      currency: event.currency,
      payable: event.payableMinor,
      itemCount: event.lines.reduce((units, line) => units + line.quantity, 0),
      placedAt: new Date(event.placedAt),
    };
    await manager.update(OrderView, { orderId: event.orderId }, placed);
    Object.assign(order, placed);
    await this.advance(manager, order, 'PLACED', null);
  }

  async orderMoved(manager: EntityManager, orderId: string, to: OrderState, reason: string | null): Promise<void> {
    const order = await this.lockOrder(manager, orderId);
    if (to === 'PAID' && order.payable !== null) {
      await manager.update(OrderView, { orderId }, { paidAmount: order.payable });
      order.paidAmount = order.payable;
    }
    await this.advance(manager, order, to, reason);
  }

  async orderSplit(manager: EntityManager, split: OrderSplitV2): Promise<void> {
    const order = await this.lockOrder(manager, split.orderId);
    // Version 0: what the split says; logistics' own reports (version 1 on) take over.
    await manager
      .createQueryBuilder()
      .insert()
      .into(SubOrderView)
      .values(
        split.subOrders.map((subOrder) => ({
          subOrderId: subOrder.subOrderId,
          orderId: split.orderId,
          state: 'AWAITING_PICK' as const,
          version: 0,
        })),
      )
      .orIgnore()
      .execute();
    await this.advance(manager, order, 'SPLIT', null);
  }

  async subOrderChanged(manager: EntityManager, event: SubOrderStateChangedV1): Promise<void> {
    const order = await this.lockOrder(manager, event.orderId);
    await manager.query(
      `INSERT INTO sub_order_view (sub_order_id, order_id, state, version) VALUES ($1, $2, $3, $4)
       ON CONFLICT (sub_order_id) DO UPDATE SET state = excluded.state, version = excluded.version
       WHERE sub_order_view.version < excluded.version`,
      [event.subOrderId, event.orderId, event.to, event.version],
    );
    await this.rollUp(manager, order);
  }

  async parcelChanged(manager: EntityManager, event: ParcelStateChangedV1): Promise<void> {
    const order = await this.lockOrder(manager, event.orderId);
    await manager.query(
      `INSERT INTO parcel_view (parcel_id, order_id, sub_order_id, state, version, delivered_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (parcel_id) DO UPDATE SET state = excluded.state, version = excluded.version, delivered_at = excluded.delivered_at
       WHERE parcel_view.version < excluded.version`,
      [
        event.parcelId,
        event.orderId,
        event.subOrderId,
        event.to,
        event.version,
        event.to === 'DELIVERED' ? new Date(event.occurredAt) : null,
      ],
    );
    await this.rollUp(manager, order);
  }

  async purchaseFailed(manager: EntityManager, event: PlatformPurchaseFailedV1): Promise<void> {
    const order = await this.lockOrder(manager, event.orderId);
    await manager.query(
      `INSERT INTO sub_order_view (sub_order_id, order_id, state, version, purchase_failed) VALUES ($1, $2, 'AWAITING_PICK', 0, true)
       ON CONFLICT (sub_order_id) DO UPDATE SET purchase_failed = true`,
      [event.subOrderId, event.orderId],
    );
    await this.rollUp(manager, order);
  }

  /** Rolls a locked order up again as of now: a delivered order whose after-sales window is over completes. */
  async reRoll(manager: EntityManager, orderId: string): Promise<void> {
    await this.rollUp(manager, await this.lockOrder(manager, orderId));
  }

  async interceptionRequested(manager: EntityManager, event: OrderInterceptionRequestedV1): Promise<void> {
    const order = await this.lockOrder(manager, event.orderId);
    if (order.interceptionRequested) return;
    await manager.update(OrderView, { orderId: event.orderId }, { interceptionRequested: true });
    order.interceptionRequested = true;
    await this.rollUp(manager, order);
  }

  async interceptionRefused(manager: EntityManager, event: SubOrderInterceptionRefusedV1): Promise<void> {
    const order = await this.lockOrder(manager, event.orderId);
    // Version 0 if the sub-order is not known yet: its state changes take over as they come.
    await manager.query(
      `INSERT INTO sub_order_view (sub_order_id, order_id, state, version, interception_refused) VALUES ($1, $2, $3, 0, $4)
       ON CONFLICT (sub_order_id) DO UPDATE SET interception_refused = excluded.interception_refused`,
      [event.subOrderId, event.orderId, event.state, event.reason],
    );
    await this.rollUp(manager, order);
  }

  async refundSucceeded(manager: EntityManager, event: RefundSucceededV1): Promise<void> {
    const order = await this.lockOrder(manager, event.orderId);
    await manager.query('INSERT INTO refund_view (refund_id, order_id, amount) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      event.refundId,
      event.orderId,
      event.amountMinor,
    ]);
    const [{ total }] = await manager.query('SELECT coalesce(sum(amount), 0)::bigint AS total FROM refund_view WHERE order_id = $1', [
      event.orderId,
    ]);
    order.refundedAmount = Number(total);
    await manager.update(OrderView, { orderId: event.orderId }, { refundedAmount: order.refundedAmount });
    await this.rollUp(manager, order);
  }

  /** Every step of an after-sales request carries the request as it now stands; the newest version wins. */
  async afterSalesRequestChanged(manager: EntityManager, event: AfterSalesRequestChangedV1): Promise<void> {
    const order = await this.lockOrder(manager, event.orderId);
    await manager.query(
      `INSERT INTO after_sales_view (request_id, order_id, state, type, version, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (request_id) DO UPDATE SET state = excluded.state, type = excluded.type, version = excluded.version,
         updated_at = excluded.updated_at
       WHERE after_sales_view.version < excluded.version`,
      [event.requestId, event.orderId, event.state, event.type, event.version, new Date(event.occurredAt)],
    );
    await this.rollUp(manager, order);
  }

  private async lockOrder(manager: EntityManager, orderId: string): Promise<OrderView> {
    await manager.query('INSERT INTO order_view (order_id) VALUES ($1) ON CONFLICT DO NOTHING', [orderId]);
    return manager.findOneOrFail(OrderView, { where: { orderId }, lock: { mode: 'pessimistic_write' } });
  }

  private async advance(manager: EntityManager, order: OrderView, to: OrderState, reason: string | null): Promise<void> {
    if (order.ordersState === null || ORDERS_STATE_RANK[to] > ORDERS_STATE_RANK[order.ordersState]) {
      await manager.update(OrderView, { orderId: order.orderId }, { ordersState: to, stateReason: reason });
      order.ordersState = to;
      order.stateReason = reason;
    }
    await this.rollUp(manager, order);
  }

  /**
   * The last delivery of the live parcels plus the after-sales window, once every live parcel of a
   * live sub-order is delivered; null before (the roll-up also asks that every live sub-order shipped).
   */
  private completionOf(
    subOrders: readonly {
      state: SubOrderView['state'];
      parcels: { state: ParcelView['state']; voided: boolean; deliveredAt: Date | null }[];
    }[],
  ): Date | null {
    const live = subOrders
      .filter((subOrder) => isLiveSubOrder({ state: subOrder.state, parcels: [] }))
      .flatMap((subOrder) => subOrder.parcels);
    const awaited = live.filter((parcel) => isLiveParcel(parcel));
    if (awaited.length === 0 || awaited.some((parcel) => parcel.state !== 'DELIVERED' || !parcel.deliveredAt)) return null;
    const lastDelivery = Math.max(...awaited.map((parcel) => parcel.deliveredAt!.getTime()));
    return new Date(lastDelivery + Math.round(this.config.AFTER_SALES_WINDOW_DAYS * 86_400_000));
  }

  /** The shopper's status again from what the read model now knows; written (and versioned) only when it changed. */
  private async rollUp(manager: EntityManager, order: OrderView): Promise<void> {
    if (order.ordersState === null) return;
    const subOrders = await manager.find(SubOrderView, { where: { orderId: order.orderId } });
    const parcels = await manager.find(ParcelView, { where: { orderId: order.orderId } });
    const afterSales = await manager.find(AfterSalesView, { select: { state: true }, where: { orderId: order.orderId } });
    const facts = subOrders.map((subOrder) => {
      const live = isLiveSubOrder({ state: subOrder.state, parcels: [] });
      return {
        state: subOrder.state,
        interception: subOrder.interceptionRefused ? ('REFUSED' as const) : null,
        purchaseFailed: subOrder.purchaseFailed,
        parcels: parcels
          .filter((parcel) => parcel.subOrderId === subOrder.subOrderId)
          // Packed, then its sub-order stopped: it never leaves the warehouse.
          .map((parcel) => ({ state: parcel.state, voided: !live && NOT_HANDED_OVER.has(parcel.state), deliveredAt: parcel.deliveredAt })),
      };
    });
    const completesAt = this.completionOf(facts);
    if (completesAt?.getTime() !== order.completesAt?.getTime()) {
      await manager.update(OrderView, { orderId: order.orderId }, { completesAt });
      order.completesAt = completesAt;
    }
    const { status, flags } = rollUpOrderStatus(
      {
        ordersState: order.ordersState,
        interceptionRequested: order.interceptionRequested,
        subOrders: facts,
        paidMinor: order.paidAmount,
        refundedMinor: order.refundedAmount,
        afterSalesOpen: openAfterSales(afterSales),
        completesAt,
      },
      new Date(),
    );
    const unchanged =
      order.shopperStatus === status &&
      order.interceptionFlag === flags.interception &&
      order.refundedFlag === flags.refunded &&
      order.exceptionFlag === flags.exception &&
      order.afterSalesFlag === flags.afterSales;
    if (unchanged) return;
    await manager.update(
      OrderView,
      { orderId: order.orderId },
      {
        shopperStatus: status,
        interceptionFlag: flags.interception,
        refundedFlag: flags.refunded,
        exceptionFlag: flags.exception,
        afterSalesFlag: flags.afterSales,
        statusVersion: order.statusVersion + 1,
        updatedAt: new Date(),
      },
    );
    Object.assign(order, {
      shopperStatus: status,
      interceptionFlag: flags.interception,
      refundedFlag: flags.refunded,
      exceptionFlag: flags.exception,
      afterSalesFlag: flags.afterSales,
      statusVersion: order.statusVersion + 1,
    });
    this.statusChanges.changed(manager, order.orderId);
  }
}
