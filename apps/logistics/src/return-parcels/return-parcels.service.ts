import { type AfterSalesRequestChangedV1, newId, type ParcelState, returnParcelStateChanged } from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { checkpointEffect, winningCheckpoint } from '../parcels/parcel-states.js';
import type { TrackingCheckpoint, TrackingProviderName } from '../providers/tracking-report.js';
import { applyParkedReports, CHECKPOINT_TABLES, storeCheckpoints } from '../tracking/checkpoint-store.js';
import { parcelsReportedOn } from '../tracking/reported-parcels.js';
import { lockTrackingNumber } from '../tracking/tracking-lock.js';
import { TrackingRegistrations } from '../tracking-registration/tracking-registration.service.js';
import { ReturnParcel } from './return-parcel.entity.js';

/**
 * After-sales return parcels: taken on when after-sales says the goods are on their way back, then
 * moved by their carrier's reports with the same "never backwards" rule as outbound parcels, each
 * state change published as `return-parcel.state-changed`. Locks: the tracking number's advisory
 * lock, then the return parcel rows in id order (docs/logistics.md, "Locks").
 */
@Injectable()
export class ReturnParcelsService {
  private readonly logger = new Logger(ReturnParcelsService.name);

  constructor(
    private readonly publisher: EventPublisher,
    private readonly registrations: TrackingRegistrations,
  ) {}

  /**
   * Starts following the request's return parcel, once: applies what carriers reported on its
   * number before, and queues its registration with the tracking provider.
   */
  async takeOn(manager: EntityManager, shipped: AfterSalesRequestChangedV1): Promise<void> {
    const label = shipped.returnParcel;
    if (!label) {
      // Nothing to follow; after-sales names the parcel on every return-shipped it publishes now.
      this.logger.warn(`return of request ${shipped.requestId} shipped without its parcel: not tracked`);
      return;
    }
    await lockTrackingNumber(manager, label.trackingNumber);
    const inserted: unknown[] = await manager
      .createQueryBuilder()
      .insert()
      .into(ReturnParcel)
      .values({
        id: newId(),
        requestId: shipped.requestId,
        orderId: shipped.orderId,
        carrierCode: label.carrierCode,
        trackingNumber: label.trackingNumber,
        state: null,
        stateAt: null,
        version: 0,
      })
      // One return parcel per request: the same step again changes nothing.
      .orIgnore()
      .returning('id')
      .execute()
      .then((result) => result.raw as unknown[]);
    if (inserted.length === 0) return;
    const parcel = (await manager.findOne(ReturnParcel, { where: { requestId: shipped.requestId } }))!;
    await applyParkedReports(manager, parcel.trackingNumber, (report) =>
      this.applyCheckpoints(manager, parcel, report.provider, report.checkpoints),
    );
    await this.registrations.enqueue(manager, parcel);
  }

  /**
   * Locks the return parcels a carrier's report on `trackingNumber` is about (several when one box
   * carries the goods of several requests). The caller holds the number's advisory lock.
   */
  async lockReportedOn(manager: EntityManager, trackingNumber: string, carrierCode: string | null): Promise<ReturnParcel[]> {
    const candidates = await manager.find(ReturnParcel, { where: { trackingNumber }, order: { id: 'ASC' } });
    const reported = parcelsReportedOn(candidates, carrierCode);
    if (reported.length === 0) return [];
    return manager.find(ReturnParcel, {
      where: reported.map(({ id }) => ({ id })),
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /**
   * Keeps every new checkpoint in the parcel's history and moves the parcel to the winner of them
   * when it outranks where it is; true when its state changed. The caller locked the parcel.
   */
  async applyCheckpoints(
    manager: EntityManager,
    parcel: ReturnParcel,
    provider: TrackingProviderName,
    checkpoints: readonly TrackingCheckpoint[],
  ): Promise<boolean> {
    const fresh = await storeCheckpoints(manager, CHECKPOINT_TABLES.returnParcel, parcel.id, provider, checkpoints);
    const winner = winningCheckpoint(fresh);
    const current = parcel.state && parcel.stateAt ? { state: parcel.state, occurredAt: parcel.stateAt } : null;
    const effect = winner ? checkpointEffect(current, winner) : 'NONE';
    if (!winner || effect === 'NONE') return false;
    if (effect === 'STATE_REFRESHED') {
      // The same state, reported later: only its time moves, so that an older scan of another state stays older.
      await this.compareAndSet(manager, parcel, { stateAt: winner.occurredAt });
      parcel.stateAt = winner.occurredAt;
      return false;
    }
    if (!(await this.compareAndSet(manager, parcel, { state: winner.state, stateAt: winner.occurredAt, version: () => 'version + 1' })))
      return false;
    const from = parcel.state;
    Object.assign(parcel, { state: winner.state, stateAt: winner.occurredAt, version: parcel.version + 1 });
    await this.publisher.publish(manager, returnParcelStateChanged, {
      subject: parcel.id,
      partitionKey: parcel.orderId,
      data: {
        orderId: parcel.orderId,
        requestId: parcel.requestId,
        returnParcelId: parcel.id,
        version: parcel.version,
        ...(from ? { from } : {}),
        to: winner.state,
        carrierCode: parcel.carrierCode,
        trackingNumber: parcel.trackingNumber,
        ...(winner.message ? { message: winner.message } : {}),
        ...(winner.location ? { location: winner.location } : {}),
        occurredAt: winner.occurredAt.toISOString(),
      },
    });
    return true;
  }

  /** Writes `set` only if nobody changed the parcel since it was read: false when someone did. */
  private async compareAndSet(
    manager: EntityManager,
    parcel: ReturnParcel,
    set: { state?: ParcelState; stateAt: Date; version?: () => string },
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(ReturnParcel)
      .set(set)
      .where('id = :id AND version = :version', { id: parcel.id, version: parcel.version })
      .execute();
    return result.affected === 1;
  }
}
