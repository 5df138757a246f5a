import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { PlatformPurchase } from './platform-purchase.entity.js';

/** The held-back purchases of third-party platform sub-orders. */
@Injectable()
export class PlatformPurchases {
  /** The caller holds the sub-order's lock, which the purchase worker takes too. */
  of(manager: EntityManager, subOrderId: string): Promise<PlatformPurchase | null> {
    return manager.findOne(PlatformPurchase, { where: { subOrderId } });
  }

  /**
   * Whether the platform has, or may have, the purchase: placed, or an attempt that got no
   * definite answer. Only a purchase the platform surely lacks may be dropped.
   */
  mayHave(purchase: PlatformPurchase | null): boolean {
    return purchase !== null && (purchase.state === 'PLACED' || purchase.maybePlaced);
  }

  /** Not placed, and now never will be: the sub-order stopped first. The caller holds the sub-order's lock. */
  async drop(manager: EntityManager, subOrderId: string): Promise<void> {
    await manager.update(PlatformPurchase, { subOrderId, state: In(['PENDING', 'FAILED']), maybePlaced: false }, { state: 'DROPPED' });
  }
}
