import { PeriodicWorker } from '@mallard/platform';
import { Injectable, Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { OrdersConfig } from '../config/orders-config.js';
import { UNPAID_STATES } from '../order/order-state.js';
import { ParentOrder } from '../order/parent-order.entity.js';
import { OrderSaga } from '../saga/saga.service.js';

/**
 * Closes unpaid orders whose payment window elapsed: every PAYMENT_WINDOW_SWEEP_MS,
 * PAYMENT_WINDOW_SWEEP_BATCH_SIZE orders per transaction. Several instances sweep side by side:
 * SKIP LOCKED hands each order to one of them, and the state machine makes a late sweep of an
 * order paid meanwhile a no-op.
 */
@Injectable()
export class PaymentWindowSweepWorker extends PeriodicWorker {
  private readonly logger = new Logger(PaymentWindowSweepWorker.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly saga: OrderSaga,
    config: OrdersConfig,
    metrics: Registry,
  ) {
    super(
      { name: 'payment-window-sweep', intervalMs: config.PAYMENT_WINDOW_SWEEP_MS, batchSize: config.PAYMENT_WINDOW_SWEEP_BATCH_SIZE },
      { metrics },
    );
  }

  protected override describeRun(due: number): string {
    return `swept ${due} unpaid order(s) past their payment window`;
  }

  /**
   * Closes up to `limit` due orders in one transaction. Returns how many it read, not how many
   * it closed: an order another writer moved first still counts, or a batch full of lost races
   * would look like the end of the backlog.
   */
  protected runBatch(limit: number): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const due = await manager
        .getRepository(ParentOrder)
        .createQueryBuilder('o')
        // The states as literals, not parameters: they must match the partial index
        // parent_order_unpaid_due, which a prepared statement's generic plan cannot prove.
        .where(`o.state IN (${UNPAID_STATES.map((state) => `'${state}'`).join(', ')})`)
        .andWhere('o.payment_due_at <= now()')
        .orderBy('o.payment_due_at')
        .limit(limit)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      for (const order of due) {
        const outcome = await this.saga.closeUnpaid(manager, order.id, 'PAYMENT_WINDOW_ELAPSED', 'PAYMENT_WINDOW_ELAPSED', order);
        // Another writer (a payment, a cancel) moved it first: its outcome stands, the sweep skips it.
        if (!outcome.applied && outcome.reason === 'LOST_RACE')
          this.logger.log(`order ${order.id} moved to ${outcome.state} before its payment window closed it`);
      }
      return due.length;
    });
  }
}
