import { newId, type ParcelSource, type ParcelState, parcelStateChanged } from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import { afterCommit, StateTable } from '@mallard/platform';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LogisticsMetrics } from '../metrics/logistics-metrics.js';
import type { SubOrder } from '../sub-orders/sub-order.entity.js';
import { Parcel } from './parcel.entity.js';
import { ParcelLine } from './parcel-line.entity.js';
import { isHandedOver, PARCEL } from './parcel-machine.js';
import { ParcelStateChange } from './parcel-state-change.entity.js';

export interface NewParcel {
  state: ParcelState;
  lines: { lineId: string; skuId: string; quantity: number }[];
  carrierCode?: string;
  trackingNumber?: string;
  source: ParcelSource;
  occurredAt: Date;
}

export interface ParcelMove {
  to: ParcelState;
  source: ParcelSource;
  occurredAt: Date;
  /** The carrier and tracking number given at handover. */
  carrier?: { carrierCode: string; trackingNumber: string };
}

const PARCEL_TABLE = new StateTable<ParcelState, { id: string; version: number }>(PARCEL, {
  table: 'parcel',
  historyTable: 'parcel_state_change',
  returning: ['id', 'version'],
});

/**
 * Parcels and their changes: each written with its history row and its event, in the caller's
 * transaction. Every parcel is made and moved here, so this is where the order flow's shipped and
 * delivered are counted.
 */
@Injectable()
export class ParcelsService {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly metrics: LogisticsMetrics,
  ) {}

  /** Locks a sub-order's parcels, after the sub-order itself (the documented lock order). */
  lockOf(manager: EntityManager, subOrderId: string): Promise<Parcel[]> {
    return manager.find(Parcel, { where: { subOrderId }, order: { createdAt: 'ASC', id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
  }

  linesOf(manager: EntityManager, parcelIds: string[]): Promise<ParcelLine[]> {
    return parcelIds.length === 0
      ? Promise.resolve([])
      : manager.getRepository(ParcelLine).find({ where: parcelIds.map((parcelId) => ({ parcelId })) });
  }

  async create(manager: EntityManager, subOrder: SubOrder, parcels: NewParcel[]): Promise<Parcel[]> {
    const made: Parcel[] = [];
    for (const parcel of parcels) {
      const handedOver = parcel.state !== 'PACKED' && parcel.state !== 'LABEL_CREATED';
      const row = manager.create(Parcel, {
        id: newId(),
        subOrderId: subOrder.id,
        orderId: subOrder.orderId,
        state: parcel.state,
        stateAt: parcel.occurredAt,
        version: 1,
        carrierCode: parcel.carrierCode ?? null,
        trackingNumber: parcel.trackingNumber ?? null,
        source: parcel.source,
        handedOverAt: handedOver ? parcel.occurredAt : null,
      });
      await manager.insert(Parcel, row);
      await manager.insert(
        ParcelLine,
        parcel.lines.map((line) => ({ parcelId: row.id, ...line })),
      );
      await manager.insert(ParcelStateChange, {
        parcelId: row.id,
        fromState: null,
        toState: parcel.state,
        source: parcel.source,
        occurredAt: parcel.occurredAt,
      });
      await this.announce(manager, row, null, parcel.lines, parcel.source);
      this.count(manager, null, parcel.state);
      made.push(row);
    }
    return made;
  }

  /** Moves a parcel the caller locked; false when the table refuses the move or another writer moved it first. */
  async move(manager: EntityManager, parcel: Parcel, move: ParcelMove): Promise<boolean> {
    const set: Record<string, unknown> = { version: parcel.version + 1, state_at: move.occurredAt };
    if (move.carrier) {
      set.carrier_code = move.carrier.carrierCode;
      set.tracking_number = move.carrier.trackingNumber;
    }
    if (parcel.handedOverAt === null && move.to !== 'LABEL_CREATED') set.handed_over_at = move.occurredAt;
    const outcome = await PARCEL_TABLE.transition(manager, {
      id: parcel.id,
      from: parcel.state,
      to: move.to,
      set,
      history: { parcel_id: parcel.id, from_state: parcel.state, to_state: move.to, source: move.source, occurred_at: move.occurredAt },
    });
    if (outcome.outcome !== 'moved') return false;
    const from = parcel.state;
    Object.assign(parcel, {
      state: move.to,
      version: parcel.version + 1,
      stateAt: move.occurredAt,
      ...(move.carrier ?? {}),
      handedOverAt: parcel.handedOverAt ?? (move.to !== 'LABEL_CREATED' ? move.occurredAt : null),
    });
    await this.announce(manager, parcel, from, await this.linesOf(manager, [parcel.id]), move.source);
    this.count(manager, from, move.to);
    return true;
  }

  /**
   * Counts a change this transaction made (its compare-and-set won), once it commits: a webhook
   * tried again after a rollback, or a step applied again, does not count it twice. Shipped is
   * the first state with a carrier, whichever it is (a merchant's parcel starts PICKED_UP, a
   * parcel may go from PACKED straight to a later scan); a parcel reaches DELIVERED at most once,
   * as nothing moves it back out of the END band.
   */
  private count(manager: EntityManager, from: ParcelState | null, to: ParcelState): void {
    const shipped = isHandedOver(to) && (from === null || !isHandedOver(from));
    const delivered = to === 'DELIVERED';
    if (!shipped && !delivered) return;
    afterCommit(manager, () => {
      if (shipped) this.metrics.parcelsShipped.inc();
      if (delivered) this.metrics.parcelsDelivered.inc();
    });
  }

  private async announce(
    manager: EntityManager,
    parcel: Parcel,
    from: ParcelState | null,
    lines: { lineId: string; skuId: string; quantity: number }[],
    source: ParcelSource,
  ): Promise<void> {
    await this.publisher.publish(manager, parcelStateChanged, {
      subject: parcel.id,
      partitionKey: parcel.orderId,
      data: {
        orderId: parcel.orderId,
        subOrderId: parcel.subOrderId,
        parcelId: parcel.id,
        version: parcel.version,
        ...(from ? { from } : {}),
        to: parcel.state,
        ...(parcel.carrierCode && parcel.trackingNumber ? { carrierCode: parcel.carrierCode, trackingNumber: parcel.trackingNumber } : {}),
        lines: lines.map(({ lineId, skuId, quantity }) => ({ lineId, skuId, quantity })),
        source,
        occurredAt: parcel.stateAt.toISOString(),
      },
    });
  }
}
