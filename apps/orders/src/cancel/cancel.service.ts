import { orderInterceptionRequested } from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { orderProblems } from '../order/order.problems.js';
import { OrderQueries } from '../order/order.queries.js';
import type { OrderView } from '../order/order.view.js';
import { isUnpaid } from '../order/order-state.js';
import { OrderTransitions } from '../order/order-transitions.js';
import { OrderSaga } from '../saga/saga.service.js';
import { cancelProblems } from './cancel.problems.js';

/** What a cancel did: `CLOSED` an unpaid order, or asked logistics to stop a paid one (`INTERCEPTION_REQUESTED`). */
export interface CancelOutcome {
  outcome: 'CLOSED' | 'INTERCEPTION_REQUESTED';
  order: OrderView;
}

/** Paid orders a shopper can still ask to stop: the sub-orders exist, or are about to. */
const INTERCEPTABLE_STATES = new Set(['PAID', 'SPLIT']);

/**
 * A shopper's cancel. Before payment the order closes and its holds are released. After payment
 * it is an interception (docs/domain.md §7): the request is kept on the order and, once the order
 * is split, sent to logistics, which stops what it still can; orders then refunds and restocks
 * each stopped sub-order (compensation/). Cancelling twice answers the same.
 */
@Injectable()
export class CancelOrderService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: OrderTransitions,
    private readonly saga: OrderSaga,
    private readonly queries: OrderQueries,
    private readonly publisher: EventPublisher,
  ) {}

  async cancel(orderId: string, buyerId: string | undefined): Promise<CancelOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const order = await this.transitions.lock(manager, orderId);
      if (!order || (buyerId !== undefined && order.buyerId !== buyerId)) throw orderProblems.notFound(orderId);
      if (order.state === 'CANCELLED') return { outcome: 'CLOSED', order: (await this.queries.view(orderId, manager))! };
      if (INTERCEPTABLE_STATES.has(order.state)) {
        if (!order.interceptionRequestedAt) {
          const requestedAt = new Date();
          await manager.query('UPDATE parent_order SET interception_requested_at = $2 WHERE id = $1', [orderId, requestedAt]);
          // A paid order not split yet has no sub-orders to stop: the split sends the request (saga).
          if (order.state === 'SPLIT') {
            await this.publisher.publish(manager, orderInterceptionRequested, {
              subject: orderId,
              data: { orderId, buyerId: order.buyerId, requestedAt: requestedAt.toISOString() },
            });
          }
        }
        return { outcome: 'INTERCEPTION_REQUESTED', order: (await this.queries.view(orderId, manager))! };
      }
      if (!isUnpaid(order.state)) throw cancelProblems.alreadyPaid(orderId, order.state);
      const outcome = await this.saga.closeUnpaid(manager, orderId, 'CANCELLED_BY_SHOPPER', 'SHOPPER_CANCELLED', order);
      if (!outcome.applied) {
        // The row is locked above, so only a writer that ignored the lock gets here; say so rather than pretend.
        throw cancelProblems.changedConcurrently(
          orderId,
          outcome.reason === 'UNKNOWN_ORDER' ? 'it no longer exists' : `it is now ${outcome.state}`,
        );
      }
      return { outcome: 'CLOSED', order: (await this.queries.view(orderId, manager))! };
    });
  }
}
