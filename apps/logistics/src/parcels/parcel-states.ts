import { PARCEL_STATES, type ParcelState } from '@mallard/contracts';

/**
 * Ranks and bands of the normalised parcel states, and the "never backwards" rule that decides
 * which of a parcel's checkpoints gives its state (docs/logistics-webhooks.md, "Ordering").
 *
 * - PRE: still ours or just handed over; END: the parcel's journey is over one way or another.
 *   Between bands a parcel only ever moves forward, and inside PRE and END only up in rank.
 * - FLIGHT: with the carrier. Carriers really do go back and forth here (a failed delivery, then
 *   out for delivery again), so inside FLIGHT the later event wins, whatever its rank.
 */
export const PARCEL_STATE_BANDS = ['PRE', 'FLIGHT', 'END'] as const;
export type ParcelStateBand = (typeof PARCEL_STATE_BANDS)[number];

/** Unique per state: the rule below is then a total order, and its maximum does not depend on arrival order. */
export const PARCEL_STATE_RANK: Readonly<Record<ParcelState, number>> = {
  PACKED: 0,
  LABEL_CREATED: 10,
  PICKED_UP: 20,
  IN_TRANSIT: 30,
  EXCEPTION: 35,
  DELIVERY_FAILED: 40,
  OUT_FOR_DELIVERY: 50,
  AVAILABLE_FOR_PICKUP: 55,
  DELIVERED: 70,
  REJECTED: 75,
  RETURNING: 80,
  RETURNED_TO_SENDER: 90,
  LOST: 95,
};

export const PARCEL_STATE_BAND: Readonly<Record<ParcelState, ParcelStateBand>> = {
  PACKED: 'PRE',
  LABEL_CREATED: 'PRE',
  PICKED_UP: 'PRE',
  IN_TRANSIT: 'FLIGHT',
  EXCEPTION: 'FLIGHT',
  DELIVERY_FAILED: 'FLIGHT',
  OUT_FOR_DELIVERY: 'FLIGHT',
  AVAILABLE_FOR_PICKUP: 'FLIGHT',
  DELIVERED: 'END',
  REJECTED: 'END',
  RETURNING: 'END',
  RETURNED_TO_SENDER: 'END',
  LOST: 'END',
};

/** Nothing outranks it. */
export const TERMINAL_PARCEL_STATES: readonly ParcelState[] = ['LOST'];

/** What the rule needs of a checkpoint; a `TrackingCheckpoint` is one. `state: null` is history only. */
export interface StateCheckpoint {
  state: ParcelState | null;
  occurredAt: Date;
}

/** A checkpoint that says a state: the only kind that can be a parcel's current one. */
export interface RankedCheckpoint extends StateCheckpoint {
  state: ParcelState;
}

const bandIndex = (state: ParcelState): number => PARCEL_STATE_BANDS.indexOf(PARCEL_STATE_BAND[state]);

/**
 * The key of a checkpoint, compared left to right:
 * `(band, band = FLIGHT ? occurredAt : rank, rank, occurredAt)`.
 */
export function checkpointKey(checkpoint: RankedCheckpoint): readonly [number, number, number, number] {
  const rank = PARCEL_STATE_RANK[checkpoint.state];
  const at = checkpoint.occurredAt.getTime();
  return [bandIndex(checkpoint.state), PARCEL_STATE_BAND[checkpoint.state] === 'FLIGHT' ? at : rank, rank, at];
}

/** Negative, zero or positive as `a`'s key is below, equal to or above `b`'s. Equal keys mean the same state at the same time. */
export function compareCheckpoints(a: RankedCheckpoint, b: RankedCheckpoint): number {
  const [left, right] = [checkpointKey(a), checkpointKey(b)];
  for (let i = 0; i < left.length; i += 1) if (left[i] !== right[i]) return left[i] < right[i] ? -1 : 1;
  return 0;
}

export function isRanked<C extends StateCheckpoint>(checkpoint: C): checkpoint is C & RankedCheckpoint {
  return checkpoint.state !== null && Number.isFinite(checkpoint.occurredAt.getTime());
}

/**
 * Whether `incoming` takes over from the parcel's `current` winning checkpoint (null: the parcel has
 * none yet): its key must be greater. A checkpoint without a state never moves anything.
 */
export function movesParcel(current: RankedCheckpoint | null, incoming: StateCheckpoint): boolean {
  if (!isRanked(incoming)) return false;
  return current === null || compareCheckpoints(incoming, current) > 0;
}

/**
 * What `incoming` does to the parcel: `STATE_CHANGED` (a new state, a history row), `STATE_REFRESHED`
 * (the same state, reported later: only the state's time moves), or `NONE` (kept in the history only).
 */
export type CheckpointEffect = 'STATE_CHANGED' | 'STATE_REFRESHED' | 'NONE';

export function checkpointEffect(current: RankedCheckpoint | null, incoming: StateCheckpoint): CheckpointEffect {
  if (!movesParcel(current, incoming)) return 'NONE';
  return current !== null && current.state === incoming.state ? 'STATE_REFRESHED' : 'STATE_CHANGED';
}

/** The checkpoint with the greatest key, or null when none says a state. Order of `checkpoints` is irrelevant. */
export function winningCheckpoint<C extends StateCheckpoint>(checkpoints: Iterable<C>): (C & RankedCheckpoint) | null {
  let best: (C & RankedCheckpoint) | null = null;
  for (const checkpoint of checkpoints)
    if (isRanked(checkpoint) && (best === null || compareCheckpoints(checkpoint, best) > 0)) best = checkpoint;
  return best;
}

/**
 * Every move the rule can make, for the parcel's state machine: to a later band; inside FLIGHT to any
 * other FLIGHT state (a later event); inside PRE and END to a higher rank. Staying in the same state
 * is a refresh, not a move.
 */
export function parcelStateTransitions(): Record<ParcelState, ParcelState[]> {
  const canMove = (from: ParcelState, to: ParcelState): boolean => {
    if (from === to) return false;
    if (bandIndex(to) !== bandIndex(from)) return bandIndex(to) > bandIndex(from);
    return PARCEL_STATE_BAND[from] === 'FLIGHT' || PARCEL_STATE_RANK[to] > PARCEL_STATE_RANK[from];
  };
  return Object.fromEntries(PARCEL_STATES.map((from) => [from, PARCEL_STATES.filter((to) => canMove(from, to))])) as Record<
    ParcelState,
    ParcelState[]
  >;
}
