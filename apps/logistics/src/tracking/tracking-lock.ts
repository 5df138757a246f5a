import type { EntityManager } from 'typeorm';

/** A carrier tracking number, for the advisory lock both the handover and a carrier's report take on it. */
export const trackingLockKey = (trackingNumber: string): string => `tracking-number:${trackingNumber}`;

/**
 * Takes the tracking number's advisory lock until the caller's transaction ends: whatever gives a
 * parcel (outbound or return) a number, and every carrier report on it, queue on it first.
 */
export async function lockTrackingNumber(manager: EntityManager, trackingNumber: string): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [trackingLockKey(trackingNumber)]);
}
