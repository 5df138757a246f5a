import type { OrderPaymentView } from '@mallard/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { OrderBilling } from '../billing/order-billing.entity.js';
import { Compensation } from '../compensation/compensation.entity.js';
import { type OrderSummaryView, type OrderView, toOrderView } from './order.view.js';
import { OrderLine } from './order-line.entity.js';
import { OrderStateChange } from './order-state-change.entity.js';
import { ParentOrder } from './parent-order.entity.js';
import { SubOrder } from './sub-order.entity.js';

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/** Reads of orders; writes go through the placement service and the saga. */
@Injectable()
export class OrderQueries {
  constructor(private readonly dataSource: DataSource) {}

  async view(orderId: string, manager: EntityManager = this.dataSource.manager): Promise<OrderView | undefined> {
    const order = await manager.findOne(ParentOrder, { where: { id: orderId } });
    if (!order) return undefined;
    const reads = [
      () => manager.find(OrderLine, { where: { orderId } }),
      () => manager.find(SubOrder, { where: { orderId } }),
      () => manager.find(OrderStateChange, { where: { orderId }, order: { id: 'ASC' } }),
      () => manager.find(Compensation, { where: { orderId }, order: { createdAt: 'ASC', id: 'ASC' } }),
      () => manager.findOne(OrderBilling, { where: { orderId } }),
    ] as const;
    // Inside a transaction there is one connection, which takes one query at a time.
    const [lines, subOrders, history, compensations, billing] = manager.queryRunner
      ? [await reads[0](), await reads[1](), await reads[2](), await reads[3](), await reads[4]()]
      : await Promise.all([reads[0](), reads[1](), reads[2](), reads[3](), reads[4]()]);
    return toOrderView(order, lines, subOrders, history, compensations, billing);
  }

  /**
   * What a payment needs of the order, in one statement: the gateway asks before every payment,
   * and the full view costs six reads and the ORM's hydration for these seven fields.
   */
  async paymentView(orderId: string): Promise<OrderPaymentView | undefined> {
    const [row]: {
      id: string;
      buyer_id: string;
      state: string;
      currency: string;
      payable: string;
      placed_at: Date;
      payment_due_at: Date;
    }[] = await this.dataSource.query(
      'SELECT id, buyer_id, state, currency, payable, placed_at, payment_due_at FROM parent_order WHERE id = $1',
      [orderId],
    );
    if (!row) return undefined;
    return {
      // As stored (lower case), as the full view has it, whatever case the caller wrote.
      id: row.id,
      buyerId: row.buyer_id,
      state: row.state,
      currency: row.currency,
      amounts: { payable: Number(row.payable) },
      placedAt: row.placed_at.toISOString(),
      paymentDueAt: row.payment_due_at.toISOString(),
    };
  }

  async listForBuyer(buyerId: string, page: number, pageSize: number): Promise<Page<OrderSummaryView>> {
    const [rows, total] = await Promise.all([
      this.dataSource.query(
        `SELECT o.id, o.state, o.state_reason, o.currency, o.payable, o.placed_at,
                (SELECT coalesce(sum(quantity), 0) FROM order_line l WHERE l.order_id = o.id)::int AS item_count
         FROM parent_order o WHERE o.buyer_id = $1
         ORDER BY o.placed_at DESC, o.id LIMIT $2 OFFSET $3`,
        [buyerId, pageSize, (page - 1) * pageSize],
      ) as Promise<
        { id: string; state: string; state_reason: string | null; currency: string; payable: string; placed_at: Date; item_count: number }[]
      >,
      this.dataSource.getRepository(ParentOrder).count({ where: { buyerId } }),
    ]);
    return {
      items: rows.map((row) => ({
        id: row.id,
        state: row.state,
        stateReason: row.state_reason,
        currency: row.currency,
        payable: Number(row.payable),
        itemCount: row.item_count,
        placedAt: row.placed_at.toISOString(),
      })),
      page,
      pageSize,
      total,
    };
  }
}
