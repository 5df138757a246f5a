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
    return new Map(
      rows
        .filter((row) => row.shopperStatus !== null)
        .map((row) => [
          row.orderId,
          {
            status: row.shopperStatus!,
            flags: { interception: row.interceptionFlag, refunded: row.refundedFlag, exception: row.exceptionFlag, afterSales: false },
          },
        ]),
    );
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

function statusFromOrdersAlone(state: OrderState): ShopperStatus {
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
