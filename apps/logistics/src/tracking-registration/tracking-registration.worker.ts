import { PeriodicWorker } from '@mallard/platform';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { LogisticsConfig } from '../config/logistics-config.js';
import type { RegistrationResult, TrackingRegistrar } from './tracking-registrar.js';
import { TRACKING_REGISTRAR } from './tracking-registrars.js';
import { type ClaimedRegistration, TrackingRegistrations } from './tracking-registration.service.js';
import { type RetryPolicy, verdictOf } from './tracking-registration-policy.js';

/**
 * How long a claimed registration is left to its attempt before another instance may take it:
 * well beyond an adapter's timeout (PROVIDER_TIMEOUT_MS), so only an instance that died lets it lapse.
 */
export const CLAIM_LEASE_MS = 120_000;

/**
 * Registers queued parcels with the tracking provider, every TRACKING_REGISTRATION_INTERVAL_MS,
 * one claimed registration at a time so that a shutdown waits for one provider call at most.
 * Several instances share the work (SKIP LOCKED). Registered or already known: REGISTERED. A
 * permanent refusal: FAILED at once. Anything else: tried again after a doubling backoff, and
 * FAILED after TRACKING_REGISTRATION_MAX_ATTEMPTS. Registrations for a provider other than the
 * chosen one are left waiting.
 */
@Injectable()
export class TrackingRegistrationWorker extends PeriodicWorker {
  private readonly logger = new Logger(TrackingRegistrationWorker.name);
  private readonly policy: RetryPolicy;

  constructor(
    private readonly registrations: TrackingRegistrations,
    @Inject(TRACKING_REGISTRAR) private readonly registrar: TrackingRegistrar | null,
    config: LogisticsConfig,
    metrics: Registry,
  ) {
    super(
      {
        name: 'tracking-registration',
        intervalMs: config.TRACKING_REGISTRATION_INTERVAL_MS,
        batchSize: config.TRACKING_REGISTRATION_BATCH_SIZE,
      },
      { metrics },
    );
    this.policy = { maxAttempts: config.TRACKING_REGISTRATION_MAX_ATTEMPTS, firstBackoffMs: config.TRACKING_REGISTRATION_BACKOFF_MS };
  }

  protected override describeRun(attempts: number): string {
    return `made ${attempts} tracking registration attempt(s) with ${this.registrar?.provider}`;
  }

  protected async runBatch(limit: number): Promise<number> {
    if (!this.registrar) return 0;
    let attempted = 0;
    while (attempted < limit && !this.stopping) {
      const claimed = await this.registrations.claimNext(this.registrar.provider, CLAIM_LEASE_MS);
      if (!claimed) break;
      await this.attempt(this.registrar, claimed);
      attempted += 1;
    }
    return attempted;
  }

  private async attempt(registrar: TrackingRegistrar, { attempts, request }: ClaimedRegistration): Promise<void> {
    let outcome: { result: RegistrationResult } | { error: unknown };
    try {
      outcome = { result: await registrar.register(request) };
    } catch (error) {
      outcome = { error };
    }
    const verdict = verdictOf(outcome, attempts, this.policy);
    await this.registrations.record(request.parcelId, verdict);
    const about = { parcelId: request.parcelId, provider: registrar.provider, trackingNumber: request.trackingNumber, attempts };
    if (verdict.next === 'FAILED') {
      this.logger.warn({ ...about, err: verdict.error, msg: `tracking registration failed for good: ${verdict.error}` });
    } else if (verdict.next === 'RETRY') {
      this.logger.log({ ...about, msg: `tracking registration attempt failed, retrying in ${verdict.afterMs} ms: ${verdict.error}` });
    }
  }
}
