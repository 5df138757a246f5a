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
import type { AfterSalesView } from './after-sales-view.entity.js';
import type { OrderView } from './order-view.entity.js';
import type { ParcelView } from './parcel-view.entity.js';
import { isLiveParcel, isLiveSubOrder, openAfterSales, rollUpOrderStatus } from './shopper-status.js';
import { StatusChanges } from './status-changes.js';
import type { SubOrderView } from './sub-order-view.entity.js';

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

/** Every column of order_view by its OrderView property: the one place the plain SQL below maps them. */
const ORDER_VIEW_COLUMNS = {
  orderId: 'order_id',
  buyerId: 'buyer_id',
  placedAt: 'placed_at',
  ordersState: 'orders_state',
  stateReason: 'state_reason',
  currency: 'currency',
  payable: 'payable',
  itemCount: 'item_count',
  paidAmount: 'paid_amount',
  refundedAmount: 'refunded_amount',
  shopperStatus: 'shopper_status',
  interceptionRequested: 'interception_requested',
  interceptionFlag: 'interception_flag',
  refundedFlag: 'refunded_flag',
  exceptionFlag: 'exception_flag',
  afterSalesFlag: 'after_sales_flag',
  statusVersion: 'status_version',
  completesAt: 'completes_at',
  updatedAt: 'updated_at',
} as const satisfies Record<keyof OrderView, string>;

type OrderViewColumn = keyof typeof ORDER_VIEW_COLUMNS;

/** Money columns are bigint, which the driver hands back as strings (see MoneyColumn). */
const MONEY_COLUMNS: readonly OrderViewColumn[] = ['payable', 'paidAmount', 'refundedAmount'];

const RETURNED_ORDER_VIEW = Object.entries(ORDER_VIEW_COLUMNS)
  .map(([property, column]) => `${column} AS "${property}"`)
  .join(', ');

/**
 * The order's row, locked, as one event found it, and what the event changed in it so far: written
 * in one UPDATE when the event is done (flush).
 */
interface LockedOrder {
  readonly row: OrderView;
  /**
   * No sub-order, parcel or after-sales row of the order is in the read model: this event made the
   * order's row (every such row is written under that row's lock) and has written none of them yet.
   */
  childless: boolean;
  readonly changed: Set<OrderViewColumn>;
}

interface ChildrenRow {
  subOrders: { subOrderId: string; state: SubOrderView['state']; interceptionRefused: string | null; purchaseFailed: boolean }[];
  parcels: { subOrderId: string; state: ParcelView['state']; deliveredAt: string | null }[];
  afterSales: AfterSalesView['state'][];
}

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
    set(order, {
      buyerId: event.buyerId,
      currency: event.currency,
      payable: event.payableMinor,
      itemCount: event.lines.reduce((units, line) => units + line.quantity, 0),
      placedAt: new Date(event.placedAt),
    });
    await this.advance(manager, order, 'PLACED', null);
  }

  async orderMoved(manager: EntityManager, orderId: string, to: OrderState, reason: string | null): Promise<void> {
    const order = await this.lockOrder(manager, orderId);
    if (to === 'PAID' && order.row.payable !== null) set(order, { paidAmount: order.row.payable });
    await this.advance(manager, order, to, reason);
  }

  async orderSplit(manager: EntityManager, split: OrderSplitV2): Promise<void> {
    const order = await this.lockOrder(manager, split.orderId);
    // Version 0: what the split says; logistics' own reports (version 1 on) take over.
    await this.writeChildren(
      manager,
      order,
      `INSERT INTO sub_order_view (sub_order_id, order_id, state, version)
       SELECT sub_order_id, $2, 'AWAITING_PICK', 0 FROM unnest($1::uuid[]) AS s(sub_order_id)
       ON CONFLICT DO NOTHING`,
      [split.subOrders.map((subOrder) => subOrder.subOrderId), split.orderId],
    );
    await this.advance(manager, order, 'SPLIT', null);
  }

  async subOrderChanged(manager: EntityManager, event: SubOrderStateChangedV1): Promise<void> {
    const order = await this.lockOrder(manager, event.orderId);
    await this.writeChildren(
      manager,
      order,
      `INSERT INTO sub_order_view (sub_order_id, order_id, state, version) VALUES ($1, $2, $3, $4)
       ON CONFLICT (sub_order_id) DO UPDATE SET state = excluded.state, version = excluded.version
       WHERE sub_order_view.version < excluded.version`,
      [event.subOrderId, event.orderId, event.to, event.version],
    );
    await this.rollUp(manager, order);
  }

  async parcelChanged(manager: EntityManager, event: ParcelStateChangedV1): Promise<void> {
    const order = await this.lockOrder(manager, event.orderId);
    await this.writeChildren(
      manager,
      order,
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
    await this.writeChildren(
      manager,
      order,
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
    if (order.row.interceptionRequested) return;
    set(order, { interceptionRequested: true });
    await this.rollUp(manager, order);
  }

  async interceptionRefused(manager: EntityManager, event: SubOrderInterceptionRefusedV1): Promise<void> {
    const order = await this.lockOrder(manager, event.orderId);
    // Version 0 if the sub-order is not known yet: its state changes take over as they come.
    await this.writeChildren(
      manager,
      order,
      `INSERT INTO sub_order_view (sub_order_id, order_id, state, version, interception_refused) VALUES ($1, $2, $3, 0, $4)
       ON CONFLICT (sub_order_id) DO UPDATE SET interception_refused = excluded.interception_refused`,
      [event.subOrderId, event.orderId, event.state, event.reason],
    );
    await this.rollUp(manager, order);
  }

  async refundSucceeded(manager: EntityManager, event: RefundSucceededV1): Promise<void> {
    const order = await this.lockOrder(manager, event.orderId);
    // The sum's snapshot does not see the row its own statement inserts, hence the second term. It
    // sees every other refund: each is inserted under this order's lock, which is held by now.
    const [{ total }]: { total: string }[] = await manager.query(
      `WITH inserted AS (
         INSERT INTO refund_view (refund_id, order_id, amount) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING amount
       )
       SELECT (coalesce((SELECT sum(amount) FROM refund_view WHERE order_id = $2), 0)
             + coalesce((SELECT sum(amount) FROM inserted), 0))::bigint AS total`,
      [event.refundId, event.orderId, event.amountMinor],
    );
    set(order, { refundedAmount: Number(total) });
    await this.rollUp(manager, order);
  }

  /** Every step of an after-sales request carries the request as it now stands; the newest version wins. */
  async afterSalesRequestChanged(manager: EntityManager, event: AfterSalesRequestChangedV1): Promise<void> {
    const order = await this.lockOrder(manager, event.orderId);
    await this.writeChildren(
      manager,
      order,
      `INSERT INTO after_sales_view (request_id, order_id, state, type, version, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (request_id) DO UPDATE SET state = excluded.state, type = excluded.type, version = excluded.version,
         updated_at = excluded.updated_at
       WHERE after_sales_view.version < excluded.version`,
      [event.requestId, event.orderId, event.state, event.type, event.version, new Date(event.occurredAt)],
    );
    await this.rollUp(manager, order);
  }

  /**
   * Makes the order's row if it is missing, locks it and reads it, in one statement. DO UPDATE
   * rather than DO NOTHING and a SELECT ... FOR UPDATE: it returns the row in every case, even one
   * a concurrent transaction inserted after this statement's snapshot was taken (a SELECT would not
   * see it), and it takes the same lock as FOR UPDATE (setting the key column asks for the strongest
   * row lock), so the sweep's SKIP LOCKED and every other event of the order wait as before. The cost
   * is one more row version of an existing row per event (a HOT update: no indexed value changes).
   *
   * `xmax = 0` holds only for a row this statement inserted: an updated row keeps this transaction's
   * lock in it. Such a row is new to the read model, and so is everything else of the order, since
   * every sub-order, parcel and after-sales row is written after its order's row is locked here.
   */
  private async lockOrder(manager: EntityManager, orderId: string): Promise<LockedOrder> {
    const [found]: (Record<OrderViewColumn, unknown> & { created: boolean })[] = await manager.query(
      `INSERT INTO order_view (order_id) VALUES ($1) ON CONFLICT (order_id) DO UPDATE SET order_id = excluded.order_id
       RETURNING ${RETURNED_ORDER_VIEW}, xmax = 0 AS created`,
      [orderId],
    );
    const { created, ...columns } = found;
    for (const money of MONEY_COLUMNS) if (columns[money] !== null) columns[money] = Number(columns[money]);
    return { row: columns as unknown as OrderView, childless: created, changed: new Set() };
  }

  /** Writes what the event changed in the order's row, in one statement; nothing when it changed nothing. */
  private async flush(manager: EntityManager, order: LockedOrder): Promise<void> {
    if (order.changed.size === 0) return;
    const columns = [...order.changed];
    await manager.query(
      `UPDATE order_view SET ${columns.map((column, index) => `${ORDER_VIEW_COLUMNS[column]} = $${index + 2}`).join(', ')} WHERE order_id = $1`,
      [order.row.orderId, ...columns.map((column) => order.row[column])],
    );
    order.changed.clear();
  }

  private async advance(manager: EntityManager, order: LockedOrder, to: OrderState, reason: string | null): Promise<void> {
    const { ordersState } = order.row;
    if (ordersState === null || ORDERS_STATE_RANK[to] > ORDERS_STATE_RANK[ordersState]) {
      set(order, { ordersState: to, stateReason: reason });
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

  /** Writes a sub-order, parcel or after-sales row of a locked order: the roll-up must read them from now on. */
  private async writeChildren(manager: EntityManager, order: LockedOrder, sql: string, parameters: unknown[]): Promise<void> {
    await manager.query(sql, parameters);
    order.childless = false;
  }

  /** The order's sub-orders, parcels and after-sales requests as the read model has them, in one statement. */
  private async childrenOf(manager: EntityManager, order: LockedOrder): Promise<ChildrenRow> {
    if (order.childless) return { subOrders: [], parcels: [], afterSales: [] };
    const [children]: ChildrenRow[] = await manager.query(
      `SELECT
         (SELECT coalesce(json_agg(json_build_object('subOrderId', s.sub_order_id, 'state', s.state,
                   'interceptionRefused', s.interception_refused, 'purchaseFailed', s.purchase_failed)), '[]')
            FROM sub_order_view s WHERE s.order_id = $1) AS "subOrders",
         (SELECT coalesce(json_agg(json_build_object('subOrderId', p.sub_order_id, 'state', p.state, 'deliveredAt', p.delivered_at)), '[]')
            FROM parcel_view p WHERE p.order_id = $1) AS parcels,
         (SELECT coalesce(json_agg(a.state), '[]') FROM after_sales_view a WHERE a.order_id = $1) AS "afterSales"`,
      [order.row.orderId],
    );
    return children;
  }

  /**
   * The shopper's status again from what the read model now knows; its columns (and the version)
   * change only when it changed. Writes everything the event changed in the row.
   */
  private async rollUp(manager: EntityManager, order: LockedOrder): Promise<void> {
    const { row } = order;
    if (row.ordersState === null) return this.flush(manager, order);
    const { subOrders, parcels, afterSales } = await this.childrenOf(manager, order);
    const facts = subOrders.map((subOrder) => {
      const live = isLiveSubOrder({ state: subOrder.state, parcels: [] });
      return {
        state: subOrder.state,
        interception: subOrder.interceptionRefused ? ('REFUSED' as const) : null,
        purchaseFailed: subOrder.purchaseFailed,
        parcels: parcels
          .filter((parcel) => parcel.subOrderId === subOrder.subOrderId)
          // Packed, then its sub-order stopped: it never leaves the warehouse.
          .map((parcel) => ({
            state: parcel.state,
            voided: !live && NOT_HANDED_OVER.has(parcel.state),
            deliveredAt: parcel.deliveredAt === null ? null : new Date(parcel.deliveredAt),
          })),
      };
    });
    const completesAt = this.completionOf(facts);
    set(order, { completesAt });
    const { status, flags } = rollUpOrderStatus(
      {
        ordersState: row.ordersState,
        interceptionRequested: row.interceptionRequested,
        subOrders: facts,
        paidMinor: row.paidAmount,
        refundedMinor: row.refundedAmount,
        afterSalesOpen: openAfterSales(afterSales.map((state) => ({ state }))),
        completesAt,
      },
      new Date(),
    );
    const unchanged =
      row.shopperStatus === status &&
      row.interceptionFlag === flags.interception &&
      row.refundedFlag === flags.refunded &&
      row.exceptionFlag === flags.exception &&
      row.afterSalesFlag === flags.afterSales;
    if (unchanged) return this.flush(manager, order);
    set(order, {
      shopperStatus: status,
      interceptionFlag: flags.interception,
      refundedFlag: flags.refunded,
      exceptionFlag: flags.exception,
      afterSalesFlag: flags.afterSales,
      statusVersion: row.statusVersion + 1,
      updatedAt: new Date(),
    });
    await this.flush(manager, order);
    this.statusChanges.changed(manager, row.orderId);
  }
}

/** Changes the locked row in memory and notes the columns that really changed, for flush. */
function set(order: LockedOrder, values: Partial<OrderView>): void {
  const row = order.row as unknown as Record<OrderViewColumn, unknown>;
  for (const [property, value] of Object.entries(values) as [OrderViewColumn, unknown][]) {
    const was = row[property];
    const same = value instanceof Date && was instanceof Date ? value.getTime() === was.getTime() : value === was;
    if (same) continue;
    row[property] = value;
    order.changed.add(property);
  }
}
