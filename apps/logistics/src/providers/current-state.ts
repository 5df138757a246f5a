import type { ParcelState } from '@mallard/contracts';
import type { TrackingCheckpoint } from './tracking-report.js';

/** The tracking's overall status as the provider states it beside its list of events. */
export interface CurrentStatus {
  /** In the same words the provider uses for its events, so that it can be matched to the newest one. */
  providerStatus: string;
  state: ParcelState | null;
  /** For a checkpoint of its own, when no event carries it. */
  message: string;
  /** When no event at all is listed. */
  fallbackAt: Date | null;
}

/**
 * Puts the provider's overall status on its history. Providers re-send their whole history, so each
 * event is described by its own words only and its dedupe key stays the same from one push to the
 * next; the overall state goes on the newest event when that event says the same thing, or else on a
 * checkpoint of its own at the newest event's time (the tracking expired, the carrier marked a
 * problem without a new scan). `history` has `state: null` throughout.
 */
export function placeCurrentState(history: readonly TrackingCheckpoint[], current: CurrentStatus): TrackingCheckpoint[] {
  const checkpoints = [...history];
  if (current.state === null) return checkpoints;
  let newest = -1;
  checkpoints.forEach((checkpoint, i) => {
    if (newest < 0 || checkpoint.occurredAt.getTime() > checkpoints[newest].occurredAt.getTime()) newest = i;
  });
  if (newest >= 0 && checkpoints[newest].providerStatus === current.providerStatus) {
    checkpoints[newest] = { ...checkpoints[newest], state: current.state };
    return checkpoints;
  }
  const occurredAt = newest >= 0 ? checkpoints[newest].occurredAt : current.fallbackAt;
  if (occurredAt === null) return checkpoints;
  checkpoints.push({ occurredAt, providerStatus: current.providerStatus, state: current.state, message: current.message, location: null });
  return checkpoints;
}
