import {
  type OrderSplitV2,
  type ReplacementStockDeductedV1,
  type SubOrderActorKind,
  type SubOrderState,
  subOrderStateChanged,
} from '@mallard/contracts';
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

/** Sub-orders from the moment orders splits a paid order, and the replacements of exchanges. */
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
      await this.insert(
        manager,
        {
          id: part.subOrderId,
          orderId: split.orderId,
          buyerId: split.buyerId,
          position: part.position,
          warehouseId: part.warehouseId,
          merchantId: part.merchantId,
          fulfilmentType: part.fulfilmentType,
          currency: split.currency,
          shippingFee: part.shippingFeeMinor,
          paidAmount: part.paidMinor,
          receiver: split.receiver,
          deliverySlot: split.deliverySlot ?? null,
          paidAt: new Date(split.paidAt),
          replacementFor: null,
        },
        part.lines.map((line) => ({
          lineId: line.lineId,
          skuId: line.skuId,
          skuName: line.skuName,
          quantity: line.quantity,
          merchandise: line.merchandiseMinor,
          shippingFeeShare: line.shippingFeeShareMinor,
          paidAmount: line.paidAmountMinor,
        })),
        { reason: 'ORDER_SPLIT', at },
      );
    }
  }

  /**
   * Takes on the replacement of an exchange (inventory deducted it from one warehouse) as one more
   * sub-order of its order, AWAITING_PICK, which then ships like any other. Nothing was paid for
   * it: fee, paid amount and every line's figures are 0 (orders does not know it either, so a
   * refused parcel of it refunds nothing). It goes to the receiver, in the delivery slot, of the
   * order's first sub-order (the split gives all of them the order's), its "paid at" is now (a
   * platform purchase is held back from then), and it is taken on once: by its id, and by its
   * request (`replacement_for` is unique).
   */
  async takeOnReplacement(manager: EntityManager, replacement: ReplacementStockDeductedV1): Promise<void> {
    const at = new Date();
    const sibling = await manager.findOne(SubOrder, { where: { orderId: replacement.orderId }, order: { position: 'ASC' } });
    if (!sibling) {
      // An exchange follows a delivery, so the order's split reached logistics long before. If it
      // did not, there is no receiver to send to: failing lets the event be retried and, if the
      // split still is not here, dead-lettered for someone to look at, instead of losing it.
      throw new Error(
        `replacement ${replacement.replacementSubOrderId}: order ${replacement.orderId} has no sub-order here to take the receiver from`,
      );
    }
    const [{ next }]: { next: number }[] = await manager.query(
      'SELECT coalesce(max(position), -1) + 1 AS next FROM sub_order WHERE order_id = $1',
      [replacement.orderId],
    );
    await this.insert(
      manager,
      {
        id: replacement.replacementSubOrderId,
        orderId: replacement.orderId,
        buyerId: sibling.buyerId,
        position: next,
        warehouseId: replacement.warehouseId,
        merchantId: replacement.merchantId,
        fulfilmentType: replacement.fulfilmentType,
        currency: sibling.currency,
        shippingFee: 0,
        paidAmount: 0,
        receiver: sibling.receiver,
        deliverySlot: sibling.deliverySlot,
        paidAt: at,
        replacementFor: replacement.requestId,
      },
      replacement.lines.map((line) => ({
        lineId: line.lineId,
        skuId: line.skuId,
        skuName: line.skuName,
        quantity: line.quantity,
        merchandise: 0,
        shippingFeeShare: 0,
        paidAmount: 0,
      })),
      { reason: 'EXCHANGE_REPLACEMENT', at },
    );
  }

  /**
   * The one way a sub-order comes to logistics: inserted AWAITING_PICK unless its id (or its
   * replaced request) is known already, its lines, a platform purchase held back, and the first
   * state change recorded and published.
   */
  private async insert(
    manager: EntityManager,
    subOrder: NewSubOrder,
    lines: readonly Omit<SubOrderLine, 'subOrderId'>[],
    change: { reason: string; at: Date },
  ): Promise<void> {
    const inserted: unknown[] = await manager
      .createQueryBuilder()
      .insert()
      .into(SubOrder)
      .values({ ...subOrder, state: 'AWAITING_PICK', version: 1 })
      .orIgnore()
      .returning('id')
      .execute()
      .then((result) => result.raw as unknown[]);
    if (inserted.length === 0) return;
    await manager.insert(
      SubOrderLine,
      lines.map((line) => ({ ...line, subOrderId: subOrder.id })),
    );
    if (subOrder.fulfilmentType === 'THIRD_PARTY_PLATFORM') {
      // Held back so that a cancel soon after payment costs nothing (docs/domain.md §4).
      const dueAt = new Date(subOrder.paidAt.getTime() + this.config.PLATFORM_PURCHASE_DELAY_SECONDS * 1000);
      await this.purchases.holdBack(manager, subOrder.id, dueAt);
    }
    await this.recordChange(manager, {
      orderId: subOrder.orderId,
      subOrderId: subOrder.id,
      warehouseId: subOrder.warehouseId,
      merchantId: subOrder.merchantId,
      fulfilmentType: subOrder.fulfilmentType,
      from: null,
      to: 'AWAITING_PICK',
      version: 1,
      actor: { kind: 'SYSTEM', id: null },
      reason: change.reason,
      at: change.at,
    });
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

/** What a new sub-order is made of; its state and version are the first ones. */
type NewSubOrder = Omit<SubOrder, 'state' | 'version' | 'createdAt' | 'updatedAt'>;

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
