import { platformPurchaseFailed } from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import { PeriodicWorker, retryBackoffMs } from '@mallard/platform';
import { Injectable, Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import { LogisticsConfig } from '../config/logistics-config.js';
import { SubOrder } from '../sub-orders/sub-order.entity.js';
import { SubOrderLine } from '../sub-orders/sub-order-line.entity.js';
import { PlatformPurchaseClient, type PlatformPurchaseResult } from './platform-purchase.client.js';
import { PlatformPurchase } from './platform-purchase.entity.js';

/** Waits between attempts: 1, 2, 4 … minutes, at most an hour. */
const RETRY = { firstMs: 60_000, maxMs: 3_600_000 };

/**
 * Places each third-party platform purchase once its hold-back window is over
 * (PLATFORM_PURCHASE_DELAY_SECONDS after payment). One purchase per transaction, holding its
 * sub-order's lock, the lock an interception takes too: a cancel either comes first and the
 * purchase is dropped, or comes after and finds it placed (docs/logistics.md, "Interception").
 */
@Injectable()
export class PlatformPurchaseWorker extends PeriodicWorker {
  private readonly logger = new Logger(PlatformPurchaseWorker.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly client: PlatformPurchaseClient,
    private readonly config: LogisticsConfig,
    private readonly publisher: EventPublisher,
    metrics: Registry,
  ) {
    super(
      { name: 'platform-purchase', intervalMs: config.PLATFORM_PURCHASE_INTERVAL_MS, batchSize: config.PLATFORM_PURCHASE_BATCH_SIZE },
      { metrics },
    );
  }

  protected override describeRun(due: number): string {
    return `handled ${due} due platform purchase(s)`;
  }

  protected async runBatch(limit: number): Promise<number> {
    let handled = 0;
    while (handled < limit && !this.stopping && (await this.placeNext())) handled += 1;
    return handled;
  }

  private placeNext(): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      // The sub-order's lock first, as every change of a sub-order takes it (docs/logistics.md, "Locks").
      const [due]: { id: string }[] = await manager.query(
        `SELECT s.id FROM sub_order s JOIN platform_purchase p ON p.sub_order_id = s.id
          WHERE p.state = 'PENDING' AND p.due_at <= now()
          ORDER BY p.due_at LIMIT 1 FOR UPDATE OF s SKIP LOCKED`,
      );
      if (!due) return false;
      const subOrder = (await manager.findOne(SubOrder, { where: { id: due.id } }))!;
      const purchase = (await manager.findOne(PlatformPurchase, { where: { subOrderId: due.id } }))!;
      if (subOrder.state !== 'AWAITING_PICK') {
        await manager.update(PlatformPurchase, { subOrderId: due.id }, { state: 'DROPPED' });
        return true;
      }
      await this.record(manager, subOrder, purchase, await this.place(manager, subOrder));
      return true;
    });
  }

  private async place(manager: EntityManager, subOrder: SubOrder): Promise<PlatformPurchaseResult> {
    if (!this.client.configured) {
      this.logger.warn(`PLATFORM_API_URL is not set: buy sub-order ${subOrder.id} of order ${subOrder.orderId} on the platform by hand`);
      return { outcome: 'PLACED', platformRef: null };
    }
    const lines = await manager.find(SubOrderLine, { where: { subOrderId: subOrder.id }, order: { lineId: 'ASC' } });
    return this.client.place({
      purchaseRef: subOrder.id,
      orderId: subOrder.orderId,
      lines: lines.map((line) => ({ skuId: line.skuId, name: line.skuName, quantity: line.quantity })),
      receiver: subOrder.receiver,
      deliverySlot: subOrder.deliverySlot,
    });
  }

  private async record(
    manager: EntityManager,
    subOrder: SubOrder,
    purchase: PlatformPurchase,
    result: PlatformPurchaseResult,
  ): Promise<void> {
    const attempts = purchase.attempts + 1;
    if (result.outcome === 'PLACED') {
      await manager.update(
        PlatformPurchase,
        { subOrderId: purchase.subOrderId },
        { state: 'PLACED', attempts, platformRef: result.platformRef, placedAt: new Date(), lastError: null },
      );
      return;
    }
    const gaveUp = result.outcome === 'REFUSED' || attempts >= this.config.PLATFORM_PURCHASE_MAX_ATTEMPTS;
    if (gaveUp) {
      this.logger.error(`platform purchase of sub-order ${purchase.subOrderId} failed after ${attempts} attempt(s): ${result.error}`);
      await this.publisher.publish(manager, platformPurchaseFailed, {
        subject: subOrder.id,
        partitionKey: subOrder.orderId,
        data: { orderId: subOrder.orderId, subOrderId: subOrder.id, attempts, error: result.error, failedAt: new Date().toISOString() },
      });
    }
    await manager.update(
      PlatformPurchase,
      { subOrderId: purchase.subOrderId },
      {
        // A refusal is a definite "not placed"; a retry may only add doubt, never remove it.
        maybePlaced: result.outcome === 'RETRY' ? purchase.maybePlaced || result.maybePlaced : false,
        ...(gaveUp
          ? { state: 'FAILED' as const, attempts, lastError: result.error }
          : { attempts, lastError: result.error, dueAt: new Date(Date.now() + retryBackoffMs(attempts, RETRY)) }),
      },
    );
  }
}
