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
  checkpointDedupeKey,
  type TrackingCheckpoint,
  type TrackingProviderName,
  type TrackingReport,
  type WebhookAck,
  type WebhookVerdict,
} from '../providers/tracking-report.js';
import type { WebhookHeaders } from '../providers/webhook-input.js';
import { SubOrdersService } from '../sub-orders/sub-orders.service.js';
import { ParkedTrackingReport } from './parked-tracking-report.entity.js';
import { trackingProblems } from './tracking.problems.js';

/** The carriers' tracking services whose webhooks logistics takes (platform and warehouse reports come with their own flows). */
const CARRIER_TRACKERS = ['aftership', 'kuaidi100', 'easypost'] as const;
type CarrierTracker = (typeof CARRIER_TRACKERS)[number];

export type TrackingOutcome = 'APPLIED' | 'NO_CHANGE' | 'PARKED' | 'DUPLICATE' | 'IGNORED';

/** A carrier tracking number, for the advisory lock both the handover and a carrier's report take on it. */
export const trackingLockKey = (trackingNumber: string): string => `tracking-number:${trackingNumber}`;

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
    const parked = await manager.find(ParkedTrackingReport, { where: { trackingNumber: parcel.trackingNumber }, order: { id: 'ASC' } });
    for (const row of parked) {
      const stored = row.report as { checkpoints: (Omit<TrackingCheckpoint, 'occurredAt'> & { occurredAt: string })[] };
      const checkpoints = stored.checkpoints.map((checkpoint) => ({ ...checkpoint, occurredAt: new Date(checkpoint.occurredAt) }));
      await this.applyCheckpoints(manager, parcel, row.provider as TrackingProviderName, checkpoints);
      await manager.delete(ParkedTrackingReport, { id: row.id });
    }
  }

  private verify(tracker: CarrierTracker, rawBody: Buffer, headers: WebhookHeaders): WebhookVerdict {
    if (tracker === 'aftership') return verifyAfterShipWebhook(rawBody, headers, { secrets: [this.config.AFTERSHIP_WEBHOOK_SECRET] });
    if (tracker === 'kuaidi100') return verifyKuaidi100Webhook(rawBody, headers, { salts: [this.config.KUAIDI100_SALT] });
    return verifyEasyPostWebhook(rawBody, headers, { secrets: [this.config.EASYPOST_WEBHOOK_SECRET] });
  }

  private async applyToTrackingNumber(manager: EntityManager, trackingNumber: string, report: TrackingReport): Promise<TrackingOutcome> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [trackingLockKey(trackingNumber)]);
    const candidates = await manager.find(Parcel, { where: { trackingNumber } });
    // A tracking number names one parcel; should two carriers' numbers collide, the carrier decides.
    const found = candidates.length === 1 ? candidates[0] : candidates.find((parcel) => parcel.carrierCode === report.carrierCode);
    if (!found) {
      await manager.insert(ParkedTrackingReport, {
        provider: report.provider,
        trackingNumber,
        report: {
          checkpoints: report.checkpoints.map((checkpoint) => ({ ...checkpoint, occurredAt: checkpoint.occurredAt.toISOString() })),
        },
      });
      return 'PARKED';
    }
    await this.subOrders.lock(manager, found.subOrderId);
    // Only this parcel changes: its sub-order's other parcels stay free for their own reports.
    const parcel = (await manager.findOne(Parcel, { where: { id: found.id }, lock: { mode: 'pessimistic_write' } }))!;
    return (await this.applyCheckpoints(manager, parcel, report.provider, report.checkpoints)) ? 'APPLIED' : 'NO_CHANGE';
  }

  /** Keeps every new checkpoint and moves the parcel to the winner if it outranks where it is; true when it moved. */
  async applyCheckpoints(
    manager: EntityManager,
    parcel: Parcel,
    provider: TrackingProviderName,
    checkpoints: readonly TrackingCheckpoint[],
  ): Promise<boolean> {
    // One statement for the whole report: a provider that re-sends its whole history (Kuaidi100 does) costs one round trip.
    const keys = checkpoints.map((checkpoint) => checkpointDedupeKey(provider, checkpoint));
    const inserted: { dedupe_key: string }[] = await manager.query(
      `INSERT INTO parcel_checkpoint (parcel_id, provider, provider_status, state, occurred_at, message, location, dedupe_key)
       SELECT $1, $2, c.provider_status, c.state, c.occurred_at, c.message, c.location, c.dedupe_key
         FROM unnest($3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::text[])
              AS c(provider_status, state, occurred_at, message, location, dedupe_key)
       ON CONFLICT (parcel_id, dedupe_key) DO NOTHING RETURNING dedupe_key`,
      [
        parcel.id,
        provider,
        checkpoints.map((checkpoint) => checkpoint.providerStatus),
        checkpoints.map((checkpoint) => checkpoint.state),
        checkpoints.map((checkpoint) => checkpoint.occurredAt),
        checkpoints.map((checkpoint) => checkpoint.message),
        checkpoints.map((checkpoint) => checkpoint.location),
        keys,
      ],
    );
    const added = new Set(inserted.map((row) => row.dedupe_key));
    const fresh = checkpoints.filter((_, index) => added.has(keys[index]));
    const winner = winningCheckpoint(fresh);
    if (!winner || !movesParcel({ state: parcel.state, occurredAt: parcel.stateAt }, winner)) return false;
    return this.parcels.move(manager, parcel, { to: winner.state, source: 'CARRIER', occurredAt: winner.occurredAt });
  }
}

const ACKS: Record<CarrierTracker, WebhookAck> = { aftership: AFTERSHIP_ACK, kuaidi100: KUAIDI100_ACK, easypost: EASYPOST_ACK };
