import { type InterceptionRefusalReason, type OrderInterceptionRequestedV1, subOrderInterceptionRefused } from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PlatformPurchases } from '../platform-purchases/platform-purchases.service.js';
import type { SubOrder } from '../sub-orders/sub-order.entity.js';
import { type SubOrderActor, SubOrdersService } from '../sub-orders/sub-orders.service.js';
import { decideInterception } from './interception-decision.js';
import { type InterceptionOutcome, SubOrderInterception } from './sub-order-interception.entity.js';

const SYSTEM: SubOrderActor = { kind: 'SYSTEM', id: null };

/** What became of a merchant's answer: `refused` when the sub-order was not waiting for one. */
export type MerchantAnswerOutcome = 'applied' | 'already-applied' | 'refused';

/**
 * A shopper's cancel after payment, sub-order by sub-order (docs/logistics.md, "Interception"): each
 * is asked once, and stops at once, waits for its merchant, or is refused with the reason. Every
 * stop is a sub-order state change (CANCELLED or INTERCEPTED), which orders compensates: refund and
 * restock. Sub-orders are locked in id order, the same for every request.
 */
@Injectable()
export class InterceptionService {
  constructor(
    private readonly subOrders: SubOrdersService,
    private readonly purchases: PlatformPurchases,
    private readonly publisher: EventPublisher,
  ) {}

  async requested(manager: EntityManager, request: OrderInterceptionRequestedV1): Promise<void> {
    const ids: { id: string }[] = await manager.query('SELECT id FROM sub_order WHERE order_id = $1 ORDER BY id', [request.orderId]);
    for (const { id } of ids) {
      const subOrder = (await this.subOrders.lock(manager, id))!;
      const asked = await manager
        .createQueryBuilder()
        .insert()
        .into(SubOrderInterception)
        .values({ subOrderId: id, orderId: request.orderId, requestedAt: new Date(request.requestedAt), outcome: 'REQUESTED' })
        .orIgnore()
        .returning('sub_order_id')
        .execute();
      // Asked before (the same request again): its outcome stands.
      if ((asked.raw as unknown[]).length === 0) continue;
      await this.decide(manager, subOrder);
    }
  }

  /**
   * A drop-ship merchant's answer to the request to stop: stopped (INTERCEPTED) or already shipped
   * (back to AWAITING_PICK, so that it reports the shipment). The caller holds the sub-order's lock.
   */
  async merchantAnswered(
    manager: EntityManager,
    subOrder: SubOrder,
    stopped: boolean,
    actor: SubOrderActor,
  ): Promise<MerchantAnswerOutcome> {
    const interception = await manager.findOne(SubOrderInterception, { where: { subOrderId: subOrder.id } });
    if (interception && interception.outcome !== 'REQUESTED') {
      return interception.outcome === (stopped ? 'STOPPED' : 'REFUSED') ? 'already-applied' : 'refused';
    }
    if (subOrder.state !== 'INTERCEPTING') return 'refused';
    if (stopped) {
      await this.subOrders.move(manager, subOrder, 'INTERCEPTED', actor, 'STOPPED_BY_MERCHANT');
      await this.settle(manager, subOrder.id, 'STOPPED', null);
    } else {
      await this.subOrders.move(manager, subOrder, 'AWAITING_PICK', actor, 'MERCHANT_SHIPPED');
      await this.refuse(manager, subOrder, 'MERCHANT_SHIPPED');
    }
    return 'applied';
  }

  private async decide(manager: EntityManager, subOrder: SubOrder): Promise<void> {
    const purchase = subOrder.fulfilmentType === 'THIRD_PARTY_PLATFORM' ? await this.purchases.of(manager, subOrder.id) : null;
    const decision = decideInterception({
      fulfilmentType: subOrder.fulfilmentType,
      state: subOrder.state,
      purchasedFromPlatform: this.purchases.mayHave(purchase),
    });
    switch (decision.action) {
      case 'CANCEL':
        await this.purchases.drop(manager, subOrder.id);
        await this.subOrders.move(manager, subOrder, 'CANCELLED', SYSTEM, 'SHOPPER_CANCELLED_IN_PURCHASE_WINDOW');
        return this.settle(manager, subOrder.id, 'STOPPED', null);
      case 'STOP':
        await this.subOrders.move(manager, subOrder, 'INTERCEPTING', SYSTEM, 'SHOPPER_CANCELLED');
        // Nothing of it is with a carrier: the warehouse simply does not send it; packed parcels stay in.
        await this.subOrders.move(manager, subOrder, 'INTERCEPTED', SYSTEM, 'STOPPED_BEFORE_HANDOVER');
        return this.settle(manager, subOrder.id, 'STOPPED', null);
      case 'ASK_MERCHANT':
        await this.subOrders.move(manager, subOrder, 'INTERCEPTING', SYSTEM, 'SHOPPER_CANCELLED');
        return;
      case 'REFUSE':
        return this.refuse(manager, subOrder, decision.reason);
      case 'NOTHING':
        return this.settle(manager, subOrder.id, subOrder.state === 'INTERCEPTING' ? 'REQUESTED' : 'STOPPED', null);
    }
  }

  private async refuse(manager: EntityManager, subOrder: SubOrder, reason: InterceptionRefusalReason): Promise<void> {
    await this.settle(manager, subOrder.id, 'REFUSED', reason);
    await this.publisher.publish(manager, subOrderInterceptionRefused, {
      subject: subOrder.id,
      partitionKey: subOrder.orderId,
      data: { orderId: subOrder.orderId, subOrderId: subOrder.id, state: subOrder.state, reason, refusedAt: new Date().toISOString() },
    });
  }

  private async settle(manager: EntityManager, subOrderId: string, outcome: InterceptionOutcome, reason: string | null): Promise<void> {
    await manager.update(SubOrderInterception, { subOrderId }, { outcome, reason, decidedAt: outcome === 'REQUESTED' ? null : new Date() });
  }
}
