import { PARCEL_STATES, type ParcelState } from '@mallard/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkpointEffect,
  movesParcel,
  PARCEL_STATE_BAND,
  PARCEL_STATE_BANDS,
  PARCEL_STATE_RANK,
  parcelStateTransitions,
  type RankedCheckpoint,
  type StateCheckpoint,
  winningCheckpoint,
} from './parcel-states.js';

const RUNS = 1000;
const BASE = Date.UTC(2026, 2, 10, 12);

// Few distinct times, so that ties and same-state repeats are common.
const checkpointArb: fc.Arbitrary<StateCheckpoint> = fc.record({
  state: fc.oneof({ arbitrary: fc.constantFrom<ParcelState>(...PARCEL_STATES), weight: 4 }, { arbitrary: fc.constant(null), weight: 1 }),
  occurredAt: fc.integer({ min: 0, max: 20 }).map((minutes) => new Date(BASE + minutes * 60_000)),
});
const setArb = fc.array(checkpointArb, { minLength: 0, maxLength: 12 });

/** Reorders `items` by sort keys drawn by fast-check, so shrinking still works. */
const permute = <T>(items: readonly T[], keys: readonly number[]): T[] =>
  items
    .map((item, i) => ({ item, key: keys[i % keys.length] ?? 0, i }))
    .sort((a, b) => a.key - b.key || a.i - b.i)
    .map(({ item }) => item);
const keysArb = fc.array(fc.integer(), { minLength: 1, maxLength: 12 });

/** What the service does: apply checkpoints one by one as they arrive, keeping the winner. */
const applyInArrivalOrder = (checkpoints: readonly StateCheckpoint[]): RankedCheckpoint | null => {
  let current: RankedCheckpoint | null = null;
  for (const incoming of checkpoints) if (movesParcel(current, incoming)) current = incoming as RankedCheckpoint;
  return current;
};
const summary = (checkpoint: RankedCheckpoint | null) => checkpoint && { state: checkpoint.state, at: checkpoint.occurredAt.getTime() };
const bandOf = (checkpoint: RankedCheckpoint | null) => (checkpoint ? PARCEL_STATE_BANDS.indexOf(PARCEL_STATE_BAND[checkpoint.state]) : -1);

describe('parcel state rule properties', () => {
  it('gives a final state that depends only on the set of checkpoints, never on their arrival order', () => {
    fc.assert(
      fc.property(setArb, keysArb, keysArb, (checkpoints, first, second) => {
        const one = applyInArrivalOrder(permute(checkpoints, first));
        const other = applyInArrivalOrder(permute(checkpoints, second));
        expect(summary(one)).toEqual(summary(other));
        expect(summary(one)).toEqual(summary(winningCheckpoint(checkpoints)));
      }),
      { numRuns: RUNS },
    );
  });

  it('never lets a late IN_TRANSIT (or anything before delivery) undo DELIVERED', () => {
    fc.assert(
      fc.property(setArb, fc.integer({ min: 0, max: 20 }), keysArb, (checkpoints, deliveredAt, keys) => {
        const delivered: StateCheckpoint = { state: 'DELIVERED', occurredAt: new Date(BASE + deliveredAt * 60_000) };
        const final = applyInArrivalOrder(permute([delivered, ...checkpoints], keys));
        expect(PARCEL_STATE_BAND[final!.state]).toBe('END');
        expect(PARCEL_STATE_RANK[final!.state]).toBeGreaterThanOrEqual(PARCEL_STATE_RANK.DELIVERED);
        const lateTransit: StateCheckpoint = { state: 'IN_TRANSIT', occurredAt: new Date(BASE + 10_000 * 60_000) };
        expect(movesParcel(final, lateTransit)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('never moves anything on checkpoints whose state is null', () => {
    fc.assert(
      fc.property(
        setArb,
        fc.array(
          checkpointArb.map((c) => ({ ...c, state: null })),
          { maxLength: 6 },
        ),
        keysArb,
        (checkpoints, nulls, keys) => {
          const without = applyInArrivalOrder(checkpoints);
          const withNulls = applyInArrivalOrder(permute([...checkpoints, ...nulls], keys));
          expect(summary(withNulls)).toEqual(summary(without));
          for (const empty of nulls) expect(checkpointEffect(without, empty)).toBe('NONE');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('never lowers the band, and every state change is a transition of the state machine', () => {
    const transitions = parcelStateTransitions();
    fc.assert(
      fc.property(setArb, (checkpoints) => {
        let current: RankedCheckpoint | null = null;
        for (const incoming of checkpoints) {
          const effect = checkpointEffect(current, incoming);
          if (effect === 'NONE') continue;
          const next = incoming as RankedCheckpoint;
          expect(bandOf(next)).toBeGreaterThanOrEqual(bandOf(current));
          if (effect === 'STATE_CHANGED' && current) expect(transitions[current.state]).toContain(next.state);
          if (effect === 'STATE_REFRESHED') expect(next.state).toBe(current!.state);
          current = next;
        }
      }),
      { numRuns: RUNS },
    );
  });
});
