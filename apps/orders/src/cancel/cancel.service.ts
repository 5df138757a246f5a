import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { orderProblems } from '../order/order.problems.js';
import { OrderQueries } from '../order/order.queries.js';
import type { OrderView } from '../order/order.view.js';
import { isUnpaid } from '../order/order-state.js';
import { OrderTransitions } from '../order/order-transitions.js';
import { OrderSaga } from '../saga/saga.service.js';
import { cancelProblems } from './cancel.problems.js';

/**
 * A shopper's cancel before payment: the order closes and its holds are released. Cancelling
 * twice answers with the cancelled order. After payment a cancel is an interception by the
 * warehouses, which this service does not do (yet): it is refused with 409.
 */
@Injectable()
export class CancelOrderService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: OrderTransitions,
    private readonly saga: OrderSaga,
    private readonly queries: OrderQueries,
  ) {}

  async cancel(orderId: string, buyerId: string | undefined): Promise<OrderView> {
    return this.dataSource.transaction(async (manager) => {
      const order = await this.transitions.lock(manager, orderId);
      if (!order || (buyerId !== undefined && order.buyerId !== buyerId)) throw orderProblems.notFound(orderId);
      if (order.state === 'CANCELLED') return (await this.queries.view(orderId, manager))!;
      if (!isUnpaid(order.state)) throw cancelProblems.alreadyPaid(orderId, order.state);
      const outcome = await this.saga.closeUnpaid(manager, orderId, 'CANCELLED_BY_SHOPPER', 'SHOPPER_CANCELLED', order);
      if (!outcome.applied) {
        // The row is locked above, so only a writer that ignored the lock gets here; say so rather than pretend.
        throw cancelProblems.changedConcurrently(
          orderId,
          outcome.reason === 'UNKNOWN_ORDER' ? 'it no longer exists' : `it is now ${outcome.state}`,
        );
      }
      return (await this.queries.view(orderId, manager))!;
    });
  }
}
