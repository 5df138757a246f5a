import { idempotently } from '@mallard/platform';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { LogisticsConfig } from '../config/logistics-config.js';
import { Parcel } from '../parcels/parcel.entity.js';
import { movesParcel, winningCheckpoint } from '../parcels/parcel-states.js';
import { ParcelsService } from '../parcels/parcels.service.js';
import { AFTERSHIP_ACK, verifyAfterShipWebhook } from '../providers/aftership/aftership-webhook.js';
import { EASYPOST_ACK, verifyEasyPostWebhook } from '../providers/easypost/easypost-webhook.js';
import { KUAIDI100_ACK, verifyKuaidi100Webhook } from '../providers/kuaidi100/kuaidi100-webhook.js';
import {
  type TrackingCheckpoint,
  type TrackingProviderName,
  type TrackingReport,
  type WebhookAck,
  type WebhookVerdict,
} from '../providers/tracking-report.js';
import type { WebhookHeaders } from '../providers/webhook-input.js';
import { ReturnParcelsService } from '../return-parcels/return-parcels.service.js';
import { SubOrdersService } from '../sub-orders/sub-orders.service.js';
import { applyParkedReports, CHECKPOINT_TABLES, parkReport, storeCheckpoints } from './checkpoint-store.js';
import { parcelsReportedOn } from './reported-parcels.js';
import { trackingProblems } from './tracking.problems.js';
import { lockTrackingNumber } from './tracking-lock.js';

/** The carriers' tracking services whose webhooks logistics takes (platform and warehouse reports come with their own flows). */
const CARRIER_TRACKERS = ['aftership', 'kuaidi100', 'easypost'] as const;
type CarrierTracker = (typeof CARRIER_TRACKERS)[number];

export type TrackingOutcome = 'APPLIED' | 'NO_CHANGE' | 'PARKED' | 'DUPLICATE' | 'IGNORED';

/**
 * Carriers' tracking webhooks: verified on the raw body, each notification applied once (by the
 * provider's event id), every checkpoint kept in the parcel's history, and the parcel moved only
 * by the "never backwards" rule. A report for a tracking number no parcel has yet is kept and
 * applied when the parcel gets it. Locks: the tracking number's advisory lock, then the
 * sub-order, then the parcel (docs/logistics.md, "Locks").
 */
@Injectable()
export class TrackingService {
  private readonly logger = new Logger(TrackingService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: LogisticsConfig,
    private readonly subOrders: SubOrdersService,
    private readonly parcels: ParcelsService,
    private readonly returnParcels: ReturnParcelsService,
  ) {}

  async receive(provider: string, rawBody: Buffer, headers: WebhookHeaders): Promise<{ ack: WebhookAck; outcome: TrackingOutcome }> {
    if (!(CARRIER_TRACKERS as readonly string[]).includes(provider)) throw trackingProblems.unknownProvider(provider);
    const tracker = provider as CarrierTracker;
    const verdict = this.verify(tracker, rawBody, headers);
    const ack = ACKS[tracker];
    if (verdict.outcome === 'REFUSED') {
      this.logger.warn(`${provider} webhook refused: ${verdict.reason}`);
      throw verdict.refusal === 'SIGNATURE_INVALID'
        ? trackingProblems.signatureInvalid(verdict.reason)
        : trackingProblems.unusable(verdict.reason);
    }
    if (verdict.outcome === 'IGNORED') return { ack, outcome: 'IGNORED' };
    const report = verdict.report;
    if (!report.trackingNumber) return { ack, outcome: 'IGNORED' };
    const trackingNumber = report.trackingNumber;
    const outcome = await this.dataSource.transaction((manager) =>
      idempotently<TrackingOutcome>(
        manager,
        { scope: 'carrier-event', requester: tracker, key: report.eventKey, fingerprint: null },
        {
          run: () => this.applyToTrackingNumber(manager, trackingNumber, report),
          replay: () => 'DUPLICATE',
          reused: () => new Error(`carrier event ${tracker}/${report.eventKey} cannot be reused`),
        },
      ),
    );
    return { ack, outcome };
  }

  /**
   * Applies what carriers reported before a parcel had this tracking number. The caller just gave
   * the parcel its number, holding the number's advisory lock, the sub-order and the parcel.
   */
  async applyParked(manager: EntityManager, parcel: Parcel): Promise<void> {
    if (!parcel.trackingNumber) return;
    await applyParkedReports(manager, parcel.trackingNumber, (report) =>
      this.applyCheckpoints(manager, parcel, report.provider, report.checkpoints),
    );
  }

  private verify(tracker: CarrierTracker, rawBody: Buffer, headers: WebhookHeaders): WebhookVerdict {
    if (tracker === 'aftership') return verifyAfterShipWebhook(rawBody, headers, { secrets: [this.config.AFTERSHIP_WEBHOOK_SECRET] });
    if (tracker === 'kuaidi100') return verifyKuaidi100Webhook(rawBody, headers, { salts: [this.config.KUAIDI100_SALT] });
    return verifyEasyPostWebhook(rawBody, headers, { secrets: [this.config.EASYPOST_WEBHOOK_SECRET] });
  }

  private async applyToTrackingNumber(manager: EntityManager, trackingNumber: string, report: TrackingReport): Promise<TrackingOutcome> {
    await lockTrackingNumber(manager, trackingNumber);
    const candidates = await manager.find(Parcel, { where: { trackingNumber } });
    const [found] = parcelsReportedOn(candidates, report.carrierCode);
    if (!found) return this.applyToReturnParcels(manager, trackingNumber, report);
    await this.subOrders.lock(manager, found.subOrderId);
    // Only this parcel changes: its sub-order's other parcels stay free for their own reports.
    const parcel = (await manager.findOne(Parcel, { where: { id: found.id }, lock: { mode: 'pessimistic_write' } }))!;
    return (await this.applyCheckpoints(manager, parcel, report.provider, report.checkpoints)) ? 'APPLIED' : 'NO_CHANGE';
  }

  /** No outbound parcel has the number: an after-sales return parcel may, else the report waits for a parcel. */
  private async applyToReturnParcels(manager: EntityManager, trackingNumber: string, report: TrackingReport): Promise<TrackingOutcome> {
    const returning = await this.returnParcels.lockReportedOn(manager, trackingNumber, report.carrierCode);
    if (returning.length === 0) {
      await parkReport(manager, trackingNumber, report.provider, report.checkpoints);
      return 'PARKED';
    }
    let moved = false;
    for (const parcel of returning)
      if (await this.returnParcels.applyCheckpoints(manager, parcel, report.provider, report.checkpoints)) moved = true;
    return moved ? 'APPLIED' : 'NO_CHANGE';
  }

  /** Keeps every new checkpoint and moves the parcel to the winner if it outranks where it is; true when it moved. */
  async applyCheckpoints(
    manager: EntityManager,
    parcel: Parcel,
    provider: TrackingProviderName,
    checkpoints: readonly TrackingCheckpoint[],
  ): Promise<boolean> {
    const fresh = await storeCheckpoints(manager, CHECKPOINT_TABLES.parcel, parcel.id, provider, checkpoints);
    const winner = winningCheckpoint(fresh);
    if (!winner || !movesParcel({ state: parcel.state, occurredAt: parcel.stateAt }, winner)) return false;
    return this.parcels.move(manager, parcel, { to: winner.state, source: 'CARRIER', occurredAt: winner.occurredAt });
  }
}

const ACKS: Record<CarrierTracker, WebhookAck> = { aftership: AFTERSHIP_ACK, kuaidi100: KUAIDI100_ACK, easypost: EASYPOST_ACK };
