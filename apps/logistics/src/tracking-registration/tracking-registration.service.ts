import { rowsOf, StateTable } from '@mallard/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { LogisticsConfig } from '../config/logistics-config.js';
import type { SubOrderReceiver } from '../sub-orders/sub-order.entity.js';
import type { RegistrationProvider, RegistrationRequest } from './tracking-registrar.js';
import { TrackingRegistration } from './tracking-registration.entity.js';
import { type AttemptVerdict, TRACKING_REGISTRATION, type TrackingRegistrationState } from './tracking-registration-policy.js';

/** A registration the worker took for one attempt, with what the provider is to be told. */
export interface ClaimedRegistration {
  /** Attempts started, this one included. */
  attempts: number;
  request: RegistrationRequest;
}

const REGISTRATION_TABLE = new StateTable<TrackingRegistrationState>(TRACKING_REGISTRATION, {
  table: 'tracking_registration',
  idColumn: 'parcel_id',
});

/**
 * The queue of parcels to register with the tracking provider: outbound parcels and after-sales
 * return parcels alike (`parcel_id` is either's id). A parcel joins it in the transaction that
 * gives it its tracking number, so a handover that commits is never left
 * unregistered and one that rolls back registers nothing; the worker then claims one due
 * registration at a time and records how the attempt went, with no transaction open while the
 * provider is called.
 */
@Injectable()
export class TrackingRegistrations {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: LogisticsConfig,
  ) {}

  /** Queues the parcel in the caller's transaction; nothing when no provider is chosen or the parcel has no tracking number yet. */
  async enqueue(manager: EntityManager, parcel: { id: string; carrierCode: string | null; trackingNumber: string | null }): Promise<void> {
    const provider = this.config.TRACKING_PROVIDER;
    if (provider === 'none' || !parcel.carrierCode || !parcel.trackingNumber) return;
    await manager
      .createQueryBuilder()
      .insert()
      .into(TrackingRegistration)
      .values({ parcelId: parcel.id, provider, carrierCode: parcel.carrierCode, trackingNumber: parcel.trackingNumber })
      // A parcel is registered once, whichever step queued it first.
      .orIgnore()
      .execute();
  }

  /**
   * Takes the PENDING registration for `provider` that has been due longest, if any: counts the
   * attempt and pushes its due time `leaseMs` ahead, in one statement that commits at once. Should
   * this instance die during the call, the registration is due again when that claim lapses;
   * SKIP LOCKED keeps concurrent instances on different rows.
   */
  async claimNext(provider: RegistrationProvider, leaseMs: number): Promise<ClaimedRegistration | undefined> {
    const result: unknown = await this.dataSource.query(
      `WITH due AS (
         SELECT parcel_id FROM tracking_registration
         WHERE state = 'PENDING' AND provider = $1 AND next_attempt_at <= now()
         ORDER BY next_attempt_at
         LIMIT 1
         FOR UPDATE SKIP LOCKED
       )
       UPDATE tracking_registration r
       SET attempts = r.attempts + 1, next_attempt_at = now() + make_interval(secs => $2::double precision / 1000), updated_at = now()
       FROM due
            LEFT JOIN parcel p ON p.id = due.parcel_id
            LEFT JOIN sub_order s ON s.id = p.sub_order_id
            LEFT JOIN return_parcel rp ON rp.id = due.parcel_id
            -- A return parcel's sender is the shopper the order went to: SF Express takes either party's phone.
            LEFT JOIN LATERAL (
              SELECT o.receiver ->> 'phone' AS phone FROM sub_order o WHERE o.order_id = rp.order_id ORDER BY o.position LIMIT 1
            ) shopper ON true
       WHERE r.parcel_id = due.parcel_id
       RETURNING r.parcel_id, r.carrier_code, r.tracking_number, r.attempts, coalesce(p.order_id, rp.order_id) AS order_id, s.receiver,
                 shopper.phone AS sender_phone`,
      [provider, leaseMs],
    );
    const [row] = rowsOf<{
      parcel_id: string;
      carrier_code: string;
      tracking_number: string;
      attempts: number;
      order_id: string;
      /** Null for a return parcel, which goes to the merchant. */
      receiver: SubOrderReceiver | null;
      sender_phone: string | null;
    }>(result);
    if (!row) return undefined;
    return {
      attempts: row.attempts,
      request: {
        parcelId: row.parcel_id,
        orderId: row.order_id,
        carrierCode: row.carrier_code,
        trackingNumber: row.tracking_number,
        receiverPhone: row.receiver?.phone ?? row.sender_phone ?? undefined,
        destinationCountry: row.receiver?.address?.country,
      },
    };
  }

  /** Writes what an attempt led to; a registration another instance finished meanwhile is left as that one wrote it. */
  async record(parcelId: string, verdict: AttemptVerdict): Promise<void> {
    const now = new Date();
    if (verdict.next === 'RETRY') {
      await this.dataSource.query(
        `UPDATE tracking_registration
         SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000), last_error = $3, updated_at = now()
         WHERE parcel_id = $1 AND state = 'PENDING'`,
        [parcelId, verdict.afterMs, verdict.error],
      );
      return;
    }
    await REGISTRATION_TABLE.transition(this.dataSource.manager, {
      id: parcelId,
      from: 'PENDING',
      to: verdict.next,
      set:
        verdict.next === 'REGISTERED'
          ? { provider_ref: verdict.providerRef, last_error: null, updated_at: now }
          : { last_error: verdict.error, updated_at: now },
    });
  }
}
