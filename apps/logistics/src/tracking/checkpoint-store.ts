import type { EntityManager } from 'typeorm';
import { checkpointDedupeKey, type TrackingCheckpoint, type TrackingProviderName } from '../providers/tracking-report.js';
import { ParkedTrackingReport } from './parked-tracking-report.entity.js';

/** Where a kind of parcel keeps its carrier history: outbound parcels and after-sales return parcels alike. */
export const CHECKPOINT_TABLES = {
  parcel: { table: 'parcel_checkpoint', owner: 'parcel_id' },
  returnParcel: { table: 'return_parcel_checkpoint', owner: 'return_parcel_id' },
} as const;
export type CheckpointTable = (typeof CHECKPOINT_TABLES)[keyof typeof CHECKPOINT_TABLES];

/**
 * Keeps the checkpoints of one report in the history of the parcel `ownerId`, each once, and
 * returns those it did not have yet: only they may move the parcel. One statement for the whole
 * report: a provider that re-sends its whole history (Kuaidi100 does) costs one round trip.
 */
export async function storeCheckpoints(
  manager: EntityManager,
  into: CheckpointTable,
  ownerId: string,
  provider: TrackingProviderName,
  checkpoints: readonly TrackingCheckpoint[],
): Promise<TrackingCheckpoint[]> {
  const keys = checkpoints.map((checkpoint) => checkpointDedupeKey(provider, checkpoint));
  const inserted: { dedupe_key: string }[] = await manager.query(
    `INSERT INTO ${into.table} (${into.owner}, provider, provider_status, state, occurred_at, message, location, dedupe_key)
     SELECT $1, $2, c.provider_status, c.state, c.occurred_at, c.message, c.location, c.dedupe_key
       FROM unnest($3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::text[])
            AS c(provider_status, state, occurred_at, message, location, dedupe_key)
     ON CONFLICT (${into.owner}, dedupe_key) DO NOTHING RETURNING dedupe_key`,
    [
      ownerId,
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
  return checkpoints.filter((_, index) => added.has(keys[index]));
}

/** A report kept for a tracking number no parcel had, as it was parsed. */
export interface ParkedReport {
  provider: TrackingProviderName;
  checkpoints: TrackingCheckpoint[];
}

/** Keeps a report for a tracking number no parcel has yet (the carrier was quicker than our record of the parcel). */
export async function parkReport(
  manager: EntityManager,
  trackingNumber: string,
  provider: TrackingProviderName,
  checkpoints: readonly TrackingCheckpoint[],
): Promise<void> {
  await manager.insert(ParkedTrackingReport, {
    provider,
    trackingNumber,
    report: { checkpoints: checkpoints.map((checkpoint) => ({ ...checkpoint, occurredAt: checkpoint.occurredAt.toISOString() })) },
  });
}

/**
 * Hands each report kept for `trackingNumber` to `apply`, oldest first, and deletes it: a parcel
 * just got that number. The caller holds the number's advisory lock, so no report is parked meanwhile.
 */
export async function applyParkedReports(
  manager: EntityManager,
  trackingNumber: string,
  apply: (report: ParkedReport) => Promise<unknown>,
): Promise<void> {
  const parked = await manager.find(ParkedTrackingReport, { where: { trackingNumber }, order: { id: 'ASC' } });
  for (const row of parked) {
    const stored = row.report as { checkpoints: (Omit<TrackingCheckpoint, 'occurredAt'> & { occurredAt: string })[] };
    const checkpoints = stored.checkpoints.map((checkpoint) => ({ ...checkpoint, occurredAt: new Date(checkpoint.occurredAt) }));
    await apply({ provider: row.provider as TrackingProviderName, checkpoints });
    await manager.delete(ParkedTrackingReport, { id: row.id });
  }
}
