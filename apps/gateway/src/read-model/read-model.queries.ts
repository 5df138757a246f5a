import { type OrderState, SHOPPER_ORDER_STATUSES, type ShopperOrderStatus } from '@mallard/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { OrderView } from './order-view.entity.js';
import { rollUpOrderStatus, type ShopperStatus } from './shopper-status.js';

/** What the gateway's routes read of the read model. */
@Injectable()
export class ReadModelQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** The shopper's status of each order the read model has rolled up; orders it has not heard of yet are absent. */
  async statusesOf(orderIds: readonly string[]): Promise<Map<string, ShopperStatus>> {
    if (orderIds.length === 0) return new Map();
    const rows = await this.dataSource.manager.find(OrderView, { where: { orderId: In([...orderIds]) } });
    return new Map(rows.filter((row) => row.shopperStatus !== null).map((row) => [row.orderId, shopperStatusOf(row)]));
  }

  /**
   * One page of a buyer's orders in one shopper status, newest first, as the read model has them
   * (index order_view_buyer_status_placed), with how many there are over all pages. Orders the
   * read model has not heard of yet are not in it. `currency` and `itemCount` are null on rows
   * written before the read model kept them.
   */
  async pageByStatus(
    buyerId: string,
    status: ShopperOrderStatus,
    page: number,
    pageSize: number,
  ): Promise<{ items: OrderListEntry[]; total: number }> {
    const where = { buyerId, shopperStatus: status };
    const [rows, total] = await Promise.all([
      this.dataSource.manager.find(OrderView, {
        where,
        order: { placedAt: 'DESC', orderId: 'ASC' },
        skip: (page - 1) * pageSize,
        take: pageSize,
      }),
      this.dataSource.manager.count(OrderView, { where }),
    ]);
    // A row with a buyer had its order.placed, and one with a status has orders' state.
    const items = rows.map((row) => ({
      id: row.orderId,
      ...shopperStatusOf(row),
      state: row.ordersState!,
      stateReason: row.stateReason,
      currency: row.currency,
      payable: row.payable ?? 0,
      itemCount: row.itemCount,
      placedAt: row.placedAt!.toISOString(),
    }));
    return { items, total };
  }

  /**
   * Where each order stands for its live status streams: its status, flags and status version,
   * and the read model's generation (the newest rebuild). Orders the read model has not rolled up
   * yet are absent.
   */
  async streamPositionsOf(orderIds: readonly string[]): Promise<{ generation: number; orders: Map<string, StatusAtVersion> }> {
    const rows: (Pick<
      OrderView,
      'orderId' | 'shopperStatus' | 'interceptionFlag' | 'refundedFlag' | 'exceptionFlag' | 'afterSalesFlag' | 'statusVersion'
    > & {
      generation: number;
    })[] = await this.dataSource.query(
      `SELECT g.generation, o.order_id AS "orderId", o.shopper_status AS "shopperStatus", o.interception_flag AS "interceptionFlag",
              o.refunded_flag AS "refundedFlag", o.exception_flag AS "exceptionFlag", o.after_sales_flag AS "afterSalesFlag",
              o.status_version AS "statusVersion"
       FROM (SELECT coalesce(max(generation), 0) AS generation FROM read_model_rebuild) g
       LEFT JOIN order_view o ON o.order_id = ANY($1::uuid[]) AND o.shopper_status IS NOT NULL`,
      [orderIds],
    );
    const orders = new Map<string, StatusAtVersion>();
    for (const row of rows) {
      if (row.orderId !== null) orders.set(row.orderId, { ...shopperStatusOf(row), version: row.statusVersion });
    }
    return { generation: rows[0]?.generation ?? 0, orders };
  }

  /**
   * Orders as orders answered them, with the shopper's status and flags. An order the read model
   * has not rolled up yet (placed a moment ago) gets the status its own state gives, which is all
   * there is to know before sub-orders exist.
   */
  async withStatus<T extends { id: string; state: OrderState }>(orders: readonly T[]): Promise<(T & ShopperStatus)[]> {
    const known = await this.statusesOf(orders.map((order) => order.id));
    return orders.map((order) => ({ ...order, ...(known.get(order.id) ?? statusFromOrdersAlone(order.state)) }));
  }

  /** How many of a shopper's orders are in each status, as the tabs of a mall app show them (every status, zeros too). */
  async countsFor(buyerId: string): Promise<Record<ShopperOrderStatus, number>> {
    const rows: { status: ShopperOrderStatus; n: number }[] = await this.dataSource.query(
      `SELECT shopper_status AS status, count(*)::int AS n FROM order_view
       WHERE buyer_id = $1 AND shopper_status IS NOT NULL GROUP BY shopper_status`,
      [buyerId],
    );
    const counts = Object.fromEntries(SHOPPER_ORDER_STATUSES.map((status) => [status, 0])) as Record<ShopperOrderStatus, number>;
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }
}

/** One order of "My orders" as the read model has it; currency and units are null on rows older than those columns. */
export interface OrderListEntry extends ShopperStatus {
  id: string;
  state: OrderState;
  stateReason: string | null;
  currency: string | null;
  payable: number;
  itemCount: number | null;
  placedAt: string;
}

/** A shopper status with the version of the read model's row it was read from. */
export interface StatusAtVersion extends ShopperStatus {
  version: number;
}

function shopperStatusOf(
  row: Pick<OrderView, 'shopperStatus' | 'interceptionFlag' | 'refundedFlag' | 'exceptionFlag' | 'afterSalesFlag'>,
): ShopperStatus {
  return {
    status: row.shopperStatus!,
    flags: {
      interception: row.interceptionFlag,
      refunded: row.refundedFlag,
      exception: row.exceptionFlag,
      afterSales: row.afterSalesFlag,
    },
  };
}

/** The status of an order the read model has not rolled up yet: what its own state says, which is all there is before sub-orders. */
export function statusFromOrdersAlone(state: OrderState): ShopperStatus {
  return rollUpOrderStatus(
    {
      ordersState: state,
      interceptionRequested: false,
      subOrders: [],
      paidMinor: 0,
      refundedMinor: 0,
      afterSalesOpen: 0,
      completesAt: null,
    },
    new Date(),
  );
}
