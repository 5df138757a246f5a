import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OrdersConfig } from '../config/orders-config.js';
import { ParentOrder } from '../order/parent-order.entity.js';
import { OrderSaga } from '../saga/saga.service.js';

const BATCH = 100;

/**
 * Closes unpaid orders whose payment window elapsed. Several instances sweep side by side:
 * SKIP LOCKED hands each order to one of them, and the state machine makes a late sweep of an
 * order paid meanwhile a no-op.
 */
@Injectable()
export class PaymentWindowSweepWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PaymentWindowSweepWorker.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly saga: OrderSaga,
    private readonly config: OrdersConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn(`payment window sweep failed: ${(error as Error).message}`))
        .finally(() => (this.running = undefined));
    }, this.config.PAYMENT_WINDOW_SWEEP_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Closes one batch; returns how many orders it closed. */
  async sweep(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const due = await manager
        .getRepository(ParentOrder)
        .createQueryBuilder('o')
        .where(`o.state IN ('PLACED', 'AWAITING_PAYMENT')`)
        .andWhere('o.payment_due_at <= now()')
        .orderBy('o.payment_due_at')
        .limit(BATCH)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      let closed = 0;
      for (const order of due) {
        const outcome = await this.saga.closeUnpaid(manager, order.id, 'PAYMENT_WINDOW_ELAPSED', 'PAYMENT_WINDOW_ELAPSED', order);
        if (outcome.applied) closed += 1;
        // Another writer (a payment, a cancel) moved it first: its outcome stands, the sweep skips it.
        else if (outcome.reason === 'LOST_RACE')
          this.logger.log(`order ${order.id} moved to ${outcome.state} before its payment window closed it`);
      }
      return closed;
    });
  }
}
