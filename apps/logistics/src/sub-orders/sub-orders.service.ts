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
    private readonly config: LogisticsConfig,
  ) {}

  /**
   * Takes on the sub-orders of a split order, each AWAITING_PICK. A sub-order already known (the
   * same split delivered again past the inbox, or replayed) is left as it is: its first state
   * change is recorded once.
   */
  async takeOn(manager: EntityManager, split: OrderSplitV2): Promise<void> {
    await this.insert(
      manager,
      {
        orderId: split.orderId,
        buyerId: split.buyerId,
        currency: split.currency,
        receiver: split.receiver,
        deliverySlot: split.deliverySlot ?? null,
        paidAt: new Date(split.paidAt),
        replacementFor: null,
      },
      split.subOrders.map((part) => ({
        id: part.subOrderId,
        position: part.position,
        warehouseId: part.warehouseId,
        merchantId: part.merchantId,
        fulfilmentType: part.fulfilmentType,
        shippingFee: part.shippingFeeMinor,
        paidAmount: part.paidMinor,
        lines: part.lines.map((line) => ({
          lineId: line.lineId,
          skuId: line.skuId,
          skuName: line.skuName,
          quantity: line.quantity,
          merchandise: line.merchandiseMinor,
          shippingFeeShare: line.shippingFeeShareMinor,
          paidAmount: line.paidAmountMinor,
        })),
      })),
      'ORDER_SPLIT',
    );
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
        orderId: replacement.orderId,
        buyerId: sibling.buyerId,
        currency: sibling.currency,
        receiver: sibling.receiver,
        deliverySlot: sibling.deliverySlot,
        paidAt: new Date(),
        replacementFor: replacement.requestId,
      },
      [
        {
          id: replacement.replacementSubOrderId,
          position: next,
          warehouseId: replacement.warehouseId,
          merchantId: replacement.merchantId,
          fulfilmentType: replacement.fulfilmentType,
          shippingFee: 0,
          paidAmount: 0,
          lines: replacement.lines.map((line) => ({
            lineId: line.lineId,
            skuId: line.skuId,
            skuName: line.skuName,
            quantity: line.quantity,
            merchandise: 0,
            shippingFeeShare: 0,
            paidAmount: 0,
          })),
        },
      ],
      'EXCHANGE_REPLACEMENT',
    );
  }

  /**
   * The one way sub-orders come to logistics: each inserted AWAITING_PICK unless its id (or its
   * replaced request) is known already, and for those inserted their lines, a platform purchase
   * held back (third-party platform ones), the first state change recorded and published.
   *
   * Plain SQL, one statement for every table (data-modifying CTEs over unnest), then one outbox
   * insert: this runs for every paid order. The sub-order rows are inserted in position order, so
   * two deliveries of one split racing past the inbox wait for each other on the same first row
   * instead of deadlocking; the rows are new, so no lock of docs/logistics.md ("Locks") is held yet.
   * The foreign keys of lines, purchases and history rows are checked at the end of the statement,
   * when the sub-orders it inserted are there.
   */
  private async insert(manager: EntityManager, order: NewSubOrders, parts: readonly NewSubOrder[], reason: string): Promise<void> {
    // A replacement is paid for when it is made: its first change and its paid_at are one moment.
    const at = order.replacementFor ? order.paidAt : new Date();
    const lines = parts.flatMap((part) => part.lines.map((line) => ({ ...line, subOrderId: part.id })));
    // Held back so that a cancel soon after payment costs nothing (docs/domain.md §4).
    const dueAt = new Date(order.paidAt.getTime() + this.config.PLATFORM_PURCHASE_DELAY_SECONDS * 1000);
    const inserted: { id: string }[] = await manager.query(
      `WITH new_sub_order AS (
         INSERT INTO sub_order (id, order_id, buyer_id, position, warehouse_id, merchant_id, fulfilment_type, state, version,
                                currency, shipping_fee, paid_amount, receiver, delivery_slot, paid_at, replacement_for)
         SELECT s.id, $2, $3, s.position, s.warehouse_id, s.merchant_id, s.fulfilment_type, 'AWAITING_PICK', 1,
                $4, s.shipping_fee, s.paid_amount, $5::jsonb, $6::jsonb, $7, $8
           FROM unnest($1::uuid[], $9::int[], $10::text[], $11::text[], $12::text[], $13::bigint[], $14::bigint[])
                AS s(id, position, warehouse_id, merchant_id, fulfilment_type, shipping_fee, paid_amount)
          ORDER BY s.position
         ON CONFLICT DO NOTHING
         RETURNING id, fulfilment_type
       ), new_line AS (
         INSERT INTO sub_order_line (sub_order_id, line_id, sku_id, sku_name, quantity, merchandise, shipping_fee_share, paid_amount)
         SELECT l.* FROM unnest($15::uuid[], $16::uuid[], $17::text[], $18::text[], $19::int[], $20::bigint[], $21::bigint[], $22::bigint[])
                AS l(sub_order_id, line_id, sku_id, sku_name, quantity, merchandise, shipping_fee_share, paid_amount)
          WHERE l.sub_order_id IN (SELECT id FROM new_sub_order)
       ), new_purchase AS (
         INSERT INTO platform_purchase (sub_order_id, state, due_at, attempts)
         SELECT id, 'PENDING', $23, 0 FROM new_sub_order WHERE fulfilment_type = 'THIRD_PARTY_PLATFORM'
         ON CONFLICT DO NOTHING
       ), first_change AS (
         INSERT INTO sub_order_state_change (sub_order_id, from_state, to_state, actor_kind, actor_id, reason, at)
         SELECT id, NULL, 'AWAITING_PICK', 'SYSTEM', NULL, $24, $25 FROM new_sub_order
       )
       SELECT id FROM new_sub_order`,
      [
        parts.map((part) => part.id),
        order.orderId,
        order.buyerId,
        order.currency,
        JSON.stringify(order.receiver),
        order.deliverySlot === null ? null : JSON.stringify(order.deliverySlot),
        order.paidAt,
        order.replacementFor,
        parts.map((part) => part.position),
        parts.map((part) => part.warehouseId),
        parts.map((part) => part.merchantId),
        parts.map((part) => part.fulfilmentType),
        parts.map((part) => part.shippingFee),
        parts.map((part) => part.paidAmount),
        lines.map((line) => line.subOrderId),
        lines.map((line) => line.lineId),
        lines.map((line) => line.skuId),
        lines.map((line) => line.skuName),
        lines.map((line) => line.quantity),
        lines.map((line) => line.merchandise),
        lines.map((line) => line.shippingFeeShare),
        lines.map((line) => line.paidAmount),
        dueAt,
        reason,
        at,
      ],
    );
    if (inserted.length === 0) return;
    const taken = new Set(inserted.map((row) => row.id));
    await this.publishChanges(
      manager,
      parts
        .filter((part) => taken.has(part.id))
        .map((part) => ({
          orderId: order.orderId,
          subOrderId: part.id,
          warehouseId: part.warehouseId,
          merchantId: part.merchantId,
          fulfilmentType: part.fulfilmentType,
          from: null,
          to: 'AWAITING_PICK',
          version: 1,
          actor: { kind: 'SYSTEM', id: null },
          reason,
          at,
        })),
    );
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
    await this.publishChanges(manager, [change]);
  }

  /** The events of changes whose history rows the caller wrote, one outbox insert for all. */
  private async publishChanges(manager: EntityManager, changes: readonly SubOrderStateChangeFacts[]): Promise<void> {
    await this.publisher.publish(
      manager,
      subOrderStateChanged,
      ...changes.map((change) => ({
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
      })),
    );
  }
}

/** What the sub-orders taken on together share: their order, and for a replacement its request. */
type NewSubOrders = Pick<SubOrder, 'orderId' | 'buyerId' | 'currency' | 'receiver' | 'deliverySlot' | 'paidAt' | 'replacementFor'>;

/** What one new sub-order is made of; its state and version are the first ones. */
type NewSubOrder = Pick<SubOrder, 'id' | 'position' | 'warehouseId' | 'merchantId' | 'fulfilmentType' | 'shippingFee' | 'paidAmount'> & {
  lines: readonly Omit<SubOrderLine, 'subOrderId'>[];
};

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
