import { type OrderSplitV2, type SubOrderActorKind, type SubOrderState, subOrderStateChanged } from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import { StateTable } from '@mallard/platform';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LogisticsConfig } from '../config/logistics-config.js';
import { PlatformPurchases } from '../platform-purchases/platform-purchases.service.js';
import { SubOrder } from './sub-order.entity.js';
import { SubOrderLine } from './sub-order-line.entity.js';
import { allowedFor, SUB_ORDER } from './sub-order-machine.js';
import { SubOrderStateChange } from './sub-order-state-change.entity.js';

export interface SubOrderActor {
  kind: SubOrderActorKind;
  id: string | null;
}

export type SubOrderMoveOutcome =
  | { outcome: 'moved' }
  | { outcome: 'already-there' }
  /** Not a move its state and fulfilment type allow (the caller's 409). */
  | { outcome: 'refused' };

const SUB_ORDER_TABLE = new StateTable<SubOrderState, { id: string }>(SUB_ORDER, { table: 'sub_order' });

/** Sub-orders from the moment orders splits a paid order. */
@Injectable()
export class SubOrdersService {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly purchases: PlatformPurchases,
    private readonly config: LogisticsConfig,
  ) {}

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
      if (part.fulfilmentType === 'THIRD_PARTY_PLATFORM') {
        // Held back so that a cancel soon after payment costs nothing (docs/domain.md §4).
        const dueAt = new Date(new Date(split.paidAt).getTime() + this.config.PLATFORM_PURCHASE_DELAY_SECONDS * 1000);
        await this.purchases.holdBack(manager, part.subOrderId, dueAt);
      }
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

  /** The sub-order, locked for the caller's transaction: the first lock of every change (docs/logistics.md, "Locks"). */
  lock(manager: EntityManager, id: string): Promise<SubOrder | null> {
    return manager.findOne(SubOrder, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  linesOf(manager: EntityManager, subOrderId: string): Promise<SubOrderLine[]> {
    return manager.find(SubOrderLine, { where: { subOrderId }, order: { lineId: 'ASC' } });
  }

  /**
   * Moves a sub-order the caller locked, if its state and fulfilment type allow it: a
   * compare-and-set on the state read, its version up by one, the history row and the event.
   */
  async move(
    manager: EntityManager,
    subOrder: SubOrder,
    to: SubOrderState,
    actor: SubOrderActor,
    reason: string | null,
  ): Promise<SubOrderMoveOutcome> {
    if (subOrder.state === to) return { outcome: 'already-there' };
    if (!allowedFor(subOrder.fulfilmentType, subOrder.state, to)) return { outcome: 'refused' };
    const from = subOrder.state;
    const at = new Date();
    const written = await SUB_ORDER_TABLE.transition(manager, {
      id: subOrder.id,
      from,
      to,
      set: { version: subOrder.version + 1, updated_at: at },
    });
    // The caller holds the row lock, so nobody else can have moved it meanwhile.
    if (written.outcome !== 'moved') throw new Error(`sub-order ${subOrder.id}: ${from} → ${to} was not written (${written.outcome})`);
    subOrder.state = to;
    subOrder.version += 1;
    await this.recordChange(manager, {
      orderId: subOrder.orderId,
      subOrderId: subOrder.id,
      warehouseId: subOrder.warehouseId,
      merchantId: subOrder.merchantId,
      fulfilmentType: subOrder.fulfilmentType,
      from,
      to,
      version: subOrder.version,
      actor,
      reason,
      at,
    });
    return { outcome: 'moved' };
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
