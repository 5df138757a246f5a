import { idempotently } from '@mallard/platform';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { LogisticsConfig } from '../config/logistics-config.js';
import type { Parcel } from '../parcels/parcel.entity.js';
import { ParcelsService } from '../parcels/parcels.service.js';
import { PLATFORM_ACK, verifyPlatformWebhook } from '../providers/platform/platform-webhook.js';
import type { ReportedParcel, TrackingReport, WebhookAck, WebhookVerdict } from '../providers/tracking-report.js';
import { verifyWarehouseWebhook, WAREHOUSE_ACK } from '../providers/warehouse/warehouse-webhook.js';
import type { WebhookHeaders } from '../providers/webhook-input.js';
import type { SubOrder } from '../sub-orders/sub-order.entity.js';
import { type SubOrderActor, SubOrdersService } from '../sub-orders/sub-orders.service.js';
import { trackingProblems } from '../tracking/tracking.problems.js';
import { type TrackingOutcome, TrackingService } from '../tracking/tracking.service.js';
import { lockTrackingNumber } from '../tracking/tracking-lock.js';
import { FulfilmentService } from './fulfilment.service.js';
import { type LineUnits, linesForSkus } from './parcel-contents.js';

export const SHIPMENT_REPORTERS = ['platform', 'warehouse'] as const;
export type ShipmentReporter = (typeof SHIPMENT_REPORTERS)[number];

export const isShipmentReporter = (provider: string): provider is ShipmentReporter =>
  (SHIPMENT_REPORTERS as readonly string[]).includes(provider);

/**
 * The third-party platform's parcel updates and our warehouse system's shipments, in the formats
 * we define (docs/logistics-webhooks.md): verified on the raw body, applied once per event id.
 * Unlike a carrier's update, they bring parcels: the platform's parcels appear with its first
 * update; the warehouse hands over parcels packed through us or reports ones it packed alone.
 * Locks as every step: the tracking numbers, then the sub-order, then its parcels.
 */
@Injectable()
export class ShipmentReportsService {
  private readonly logger = new Logger(ShipmentReportsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: LogisticsConfig,
    private readonly subOrders: SubOrdersService,
    private readonly parcels: ParcelsService,
    private readonly fulfilment: FulfilmentService,
    private readonly tracking: TrackingService,
  ) {}

  async receive(
    reporter: ShipmentReporter,
    rawBody: Buffer,
    headers: WebhookHeaders,
  ): Promise<{ ack: WebhookAck; outcome: TrackingOutcome }> {
    const ack = reporter === 'platform' ? PLATFORM_ACK : WAREHOUSE_ACK;
    const verdict = this.verify(reporter, rawBody, headers);
    if (verdict.outcome === 'REFUSED') {
      this.logger.warn(`${reporter} webhook refused: ${verdict.reason}`);
      throw verdict.refusal === 'SIGNATURE_INVALID'
        ? trackingProblems.signatureInvalid(verdict.reason)
        : trackingProblems.unusable(verdict.reason);
    }
    if (verdict.outcome === 'IGNORED') return { ack, outcome: 'IGNORED' };
    const report = verdict.report;
    const numbers = [...new Set((report.parcels ?? []).map((parcel) => parcel.trackingNumber))].sort();
    const outcome = await this.dataSource.transaction(async (manager) => {
      for (const number of numbers) await lockTrackingNumber(manager, number);
      return idempotently<TrackingOutcome>(
        manager,
        { scope: 'carrier-event', requester: reporter, key: report.eventKey, fingerprint: null },
        {
          run: () => (reporter === 'platform' ? this.platformReported(manager, report) : this.warehouseReported(manager, report)),
          replay: () => 'DUPLICATE',
          reused: () => new Error(`${reporter} event ${report.eventKey} cannot be reused`),
        },
      );
    });
    return { ack, outcome };
  }

  private verify(reporter: ShipmentReporter, rawBody: Buffer, headers: WebhookHeaders): WebhookVerdict {
    const tolerance = this.config.WEBHOOK_TOLERANCE_SECONDS;
    return reporter === 'platform'
      ? verifyPlatformWebhook(rawBody, headers, { secrets: [this.config.PLATFORM_WEBHOOK_SECRET], toleranceSeconds: tolerance })
      : verifyWarehouseWebhook(rawBody, headers, { secrets: [this.config.WAREHOUSE_WEBHOOK_SECRET], toleranceSeconds: tolerance });
  }

  /** The platform shipped, delivered or saw refused one of its parcels: made on its first update, then moved. */
  private async platformReported(manager: EntityManager, report: TrackingReport): Promise<TrackingOutcome> {
    const subOrder = await this.subOrderOf(manager, report, 'THIRD_PARTY_PLATFORM');
    const [reported] = report.parcels ?? [];
    if (!reported) throw trackingProblems.unusable('the platform’s report names no parcel');
    const actor: SubOrderActor = { kind: 'PLATFORM', id: report.purchaseRef ?? null };
    const lines = await this.linesOf(manager, subOrder, reported);
    const parcels = await this.fulfilment.takeShipment(manager, subOrder, actor, 'PLATFORM', [
      { carrierCode: reported.carrierCode, trackingNumber: reported.trackingNumber, lines },
    ]);
    const parcel = parcels.find((candidate) => candidate.trackingNumber === reported.trackingNumber)!;
    return (await this.tracking.applyCheckpoints(manager, parcel, 'platform', report.checkpoints)) ? 'APPLIED' : 'NO_CHANGE';
  }

  /** Our warehouse system handed parcels to carriers: ones packed through us by id, others by their SKUs. */
  private async warehouseReported(manager: EntityManager, report: TrackingReport): Promise<TrackingOutcome> {
    const subOrder = await this.subOrderOf(manager, report, 'SELF_OPERATED');
    const actor: SubOrderActor = { kind: 'WAREHOUSE_SYSTEM', id: null };
    let changed = false;
    const known = await this.parcels.lockOf(manager, subOrder.id);
    for (const reported of (report.parcels ?? []).filter((parcel) => parcel.parcelId)) {
      const parcel = known.find((candidate) => candidate.id === reported.parcelId);
      if (!parcel) throw trackingProblems.unusable(`parcel ${reported.parcelId} is not one of sub-order ${subOrder.id}`);
      const outcome = await this.fulfilment.handOverLocked(manager, parcel, reported, 'WAREHOUSE_SYSTEM');
      if (outcome === 'refused') throw trackingProblems.unusable(`parcel ${parcel.id} is ${parcel.state}: it cannot be handed over`);
      changed ||= outcome === 'handed-over';
    }
    const packedAlone = (report.parcels ?? []).filter((parcel) => !parcel.parcelId);
    if (packedAlone.length > 0) {
      // The warehouse picked and packed these without us: the sub-order catches up before it ships.
      for (const step of ['PICKING', 'PACKED'] as const) {
        if (subOrder.state === 'AWAITING_PICK' || (step === 'PACKED' && subOrder.state === 'PICKING')) {
          await this.subOrders.move(manager, subOrder, step, actor, 'REPORTED_BY_WAREHOUSE_SYSTEM');
        }
      }
      const shipment: { carrierCode: string; trackingNumber: string; lines: LineUnits[] }[] = [];
      for (const reported of packedAlone) {
        // Units the report's earlier parcels took are taken: one SKU on two lines fills them in turn.
        const lines = await this.linesOf(
          manager,
          subOrder,
          reported,
          shipment.map((parcel) => parcel.lines),
        );
        shipment.push({ ...reported, lines });
      }
      const before = known.length;
      changed ||= (await this.fulfilment.takeShipment(manager, subOrder, actor, 'WAREHOUSE_SYSTEM', shipment)).length > before;
    } else {
      await this.fulfilment.followParcels(manager, subOrder, await this.parcels.lockOf(manager, subOrder.id), actor);
    }
    return changed ? 'APPLIED' : 'NO_CHANGE';
  }

  private async subOrderOf(manager: EntityManager, report: TrackingReport, type: SubOrder['fulfilmentType']): Promise<SubOrder> {
    const subOrder = report.subOrderId ? await this.subOrders.lock(manager, report.subOrderId) : null;
    if (!subOrder || subOrder.fulfilmentType !== type) {
      throw trackingProblems.unusable(`no ${type} sub-order ${report.subOrderId ?? ''} (a report about another's parcels)`);
    }
    return subOrder;
  }

  /** A reported parcel's SKUs as lines of the sub-order; a parcel it already has keeps its own. */
  private async linesOf(
    manager: EntityManager,
    subOrder: SubOrder,
    reported: ReportedParcel,
    alsoTaken: readonly (readonly LineUnits[])[] = [],
  ): Promise<LineUnits[]> {
    const parcels: Parcel[] = await this.parcels.lockOf(manager, subOrder.id);
    const same = parcels.find((parcel) => parcel.carrierCode === reported.carrierCode && parcel.trackingNumber === reported.trackingNumber);
    if (same) return [];
    const items = await this.subOrders.linesOf(manager, subOrder.id);
    const existing = await this.parcels.linesOf(
      manager,
      parcels.map((parcel) => parcel.id),
    );
    const found = linesForSkus(
      items,
      [...parcels.map((parcel) => existing.filter((line) => line.parcelId === parcel.id)), ...alsoTaken],
      reported.lines,
    );
    if ('problems' in found) throw trackingProblems.unusable(found.problems.join('; '));
    return found.lines;
  }
}
