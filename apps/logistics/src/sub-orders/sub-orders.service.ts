import { type OrderSplitV2, type SubOrderActorKind, subOrderStateChanged } from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SubOrder } from './sub-order.entity.js';
import { SubOrderLine } from './sub-order-line.entity.js';
import { SubOrderStateChange } from './sub-order-state-change.entity.js';

/** Sub-orders from the moment orders splits a paid order. */
@Injectable()
export class SubOrdersService {
  constructor(private readonly publisher: EventPublisher) {}

  /**
   * Takes on the sub-orders of a split order, each AWAITING_PICK. A sub-order already known (the
   * same split delivered again past the inbox, or replayed) is left as it is: its first state
   * change is recorded once.
   */
  async takeOn(manager: EntityManager, split: OrderSplitV2): Promise<void> {
    const at = new Date();
    for (const part of split.subOrders) {
      const inserted: unknown[] = await manager
        .createQueryBuilder()
        .insert()
        .into(SubOrder)
        .values({
          id: part.subOrderId,
          orderId: split.orderId,
          buyerId: split.buyerId,
          position: part.position,
          warehouseId: part.warehouseId,
          merchantId: part.merchantId,
          fulfilmentType: part.fulfilmentType,
          state: 'AWAITING_PICK',
          version: 1,
          currency: split.currency,
          shippingFee: part.shippingFeeMinor,
          paidAmount: part.paidMinor,
          receiver: split.receiver,
          deliverySlot: split.deliverySlot ?? null,
          paidAt: new Date(split.paidAt),
        })
        .orIgnore()
        .returning('id')
        .execute()
        .then((result) => result.raw as unknown[]);
      if (inserted.length === 0) continue;
      await manager.insert(
        SubOrderLine,
        part.lines.map((line) => ({
          subOrderId: part.subOrderId,
          lineId: line.lineId,
          skuId: line.skuId,
          skuName: line.skuName,
          quantity: line.quantity,
          merchandise: line.merchandiseMinor,
          shippingFeeShare: line.shippingFeeShareMinor,
          paidAmount: line.paidAmountMinor,
        })),
      );
      await this.recordChange(manager, {
        orderId: split.orderId,
        subOrderId: part.subOrderId,
        warehouseId: part.warehouseId,
        merchantId: part.merchantId,
        fulfilmentType: part.fulfilmentType,
        from: null,
        to: 'AWAITING_PICK',
        version: 1,
        actor: { kind: 'SYSTEM', id: null },
        reason: 'ORDER_SPLIT',
        at,
      });
    }
  }

  /** The history row and the event of one change, in the transaction that made it. */
  private async recordChange(manager: EntityManager, change: SubOrderStateChangeFacts): Promise<void> {
    await manager.insert(SubOrderStateChange, {
      subOrderId: change.subOrderId,
      fromState: change.from,
      toState: change.to,
      actorKind: change.actor.kind,
      actorId: change.actor.id,
      reason: change.reason,
      at: change.at,
    });
    await this.publisher.publish(manager, subOrderStateChanged, {
      subject: change.subOrderId,
      partitionKey: change.orderId,
      data: {
        orderId: change.orderId,
        subOrderId: change.subOrderId,
        warehouseId: change.warehouseId,
        merchantId: change.merchantId,
        fulfilmentType: change.fulfilmentType,
        ...(change.from ? { from: change.from } : {}),
        to: change.to,
        version: change.version,
        actor: change.actor.id ? { kind: change.actor.kind, id: change.actor.id } : { kind: change.actor.kind },
        ...(change.reason ? { reason: change.reason } : {}),
        changedAt: change.at.toISOString(),
      },
    });
  }
}

interface SubOrderStateChangeFacts {
  orderId: string;
  subOrderId: string;
  warehouseId: string;
  merchantId: string;
  fulfilmentType: SubOrder['fulfilmentType'];
  from: SubOrder['state'] | null;
  to: SubOrder['state'];
  version: number;
  actor: { kind: SubOrderActorKind; id: string | null };
  reason: string | null;
  at: Date;
}
