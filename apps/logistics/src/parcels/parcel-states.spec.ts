import { PARCEL_STATES, type ParcelState } from '@mallard/contracts';
import { StateMachine } from '@mallard/platform';
import { describe, expect, it } from 'vitest';
import {
  checkpointEffect,
  compareCheckpoints,
  movesParcel,
  PARCEL_STATE_BAND,
  PARCEL_STATE_RANK,
  parcelStateTransitions,
  type RankedCheckpoint,
  TERMINAL_PARCEL_STATES,
  winningCheckpoint,
} from './parcel-states.js';

const at = (minutes: number): Date => new Date(Date.UTC(2026, 2, 10, 12, minutes));
const cp = (state: ParcelState, minutes: number): RankedCheckpoint => ({ state, occurredAt: at(minutes) });

describe('parcel state ranks and bands', () => {
  it('ranks the states in the order the contract lists them, each rank once', () => {
    const ranks = PARCEL_STATES.map((state) => PARCEL_STATE_RANK[state]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(ranks).size).toBe(PARCEL_STATES.length);
    expect(Object.keys(PARCEL_STATE_RANK).sort()).toEqual([...PARCEL_STATES].sort());
  });

  it('bands them PRE up to the handover, FLIGHT with the carrier, END from delivery on', () => {
    const byBand = (band: string) => PARCEL_STATES.filter((state) => PARCEL_STATE_BAND[state] === band);
    expect(byBand('PRE')).toEqual(['PACKED', 'LABEL_CREATED', 'PICKED_UP']);
    expect(byBand('FLIGHT')).toEqual(['IN_TRANSIT', 'EXCEPTION', 'DELIVERY_FAILED', 'OUT_FOR_DELIVERY', 'AVAILABLE_FOR_PICKUP']);
    expect(byBand('END')).toEqual(['DELIVERED', 'REJECTED', 'RETURNING', 'RETURNED_TO_SENDER', 'LOST']);
  });
});

describe('the never-backwards rule', () => {
  it('lets the later event win inside FLIGHT, whatever its rank: a re-delivery after a failed one', () => {
    expect(movesParcel(cp('DELIVERY_FAILED', 10), cp('OUT_FOR_DELIVERY', 20))).toBe(true);
    expect(movesParcel(cp('OUT_FOR_DELIVERY', 20), cp('IN_TRANSIT', 30))).toBe(true);
    expect(movesParcel(cp('OUT_FOR_DELIVERY', 20), cp('DELIVERY_FAILED', 10))).toBe(false);
  });

  it('never leaves a band for a lower one: a late IN_TRANSIT after DELIVERED is history only', () => {
    expect(movesParcel(cp('DELIVERED', 10), cp('IN_TRANSIT', 50))).toBe(false);
    expect(movesParcel(cp('IN_TRANSIT', 10), cp('PICKED_UP', 50))).toBe(false);
    expect(movesParcel(cp('PICKED_UP', 50), cp('IN_TRANSIT', 10))).toBe(true);
  });

  it('only rises in rank inside PRE and END, whatever the times', () => {
    expect(movesParcel(cp('DELIVERED', 50), cp('REJECTED', 10))).toBe(true);
    expect(movesParcel(cp('REJECTED', 10), cp('RETURNING', 5))).toBe(true);
    expect(movesParcel(cp('REJECTED', 10), cp('DELIVERED', 50))).toBe(false);
    expect(movesParcel(cp('PICKED_UP', 10), cp('LABEL_CREATED', 50))).toBe(false);
    expect(movesParcel(cp('PACKED', 10), cp('LABEL_CREATED', 5))).toBe(true);
  });

  it('refreshes the same state reported later, and does nothing with the same state at the same time', () => {
    expect(checkpointEffect(cp('IN_TRANSIT', 10), cp('IN_TRANSIT', 20))).toBe('STATE_REFRESHED');
    expect(checkpointEffect(cp('DELIVERED', 10), cp('DELIVERED', 20))).toBe('STATE_REFRESHED');
    expect(checkpointEffect(cp('IN_TRANSIT', 10), cp('IN_TRANSIT', 10))).toBe('NONE');
    expect(checkpointEffect(cp('IN_TRANSIT', 10), cp('DELIVERED', 5))).toBe('STATE_CHANGED');
    expect(checkpointEffect(null, cp('PACKED', 0))).toBe('STATE_CHANGED');
  });

  it('never moves on a checkpoint without a state, or with an invalid time', () => {
    expect(movesParcel(null, { state: null, occurredAt: at(99) })).toBe(false);
    expect(movesParcel(cp('PACKED', 0), { state: null, occurredAt: at(99) })).toBe(false);
    expect(movesParcel(null, { state: 'DELIVERED', occurredAt: new Date(Number.NaN) })).toBe(false);
  });

  it('picks the checkpoint with the greatest key, ignoring those without a state', () => {
    const history = [cp('PICKED_UP', 0), cp('DELIVERED', 30), { state: null, occurredAt: at(90) }, cp('IN_TRANSIT', 60)];
    expect(winningCheckpoint(history)).toBe(history[1]);
    expect(winningCheckpoint([{ state: null, occurredAt: at(1) }])).toBeNull();
    expect(winningCheckpoint([])).toBeNull();
    expect(compareCheckpoints(cp('LOST', 0), cp('RETURNED_TO_SENDER', 99))).toBeGreaterThan(0);
  });
});

describe('the transitions the rule allows', () => {
  const transitions = parcelStateTransitions();

  it('is a sound state machine from PACKED, with LOST its only end', () => {
    const machine = new StateMachine({ name: 'parcel', transitions, initial: ['PACKED'], terminal: TERMINAL_PARCEL_STATES });
    expect(PARCEL_STATES.filter((state) => machine.isTerminal(state))).toEqual(['LOST']);
  });

  it('allows exactly the moves some pair of times lets movesParcel make', () => {
    for (const from of PARCEL_STATES) {
      for (const to of PARCEL_STATES) {
        const somehow = [-1, 0, 1].some((delta) => movesParcel(cp(from, 10), cp(to, 10 + delta)));
        expect(transitions[from].includes(to), `${from} → ${to}`).toBe(somehow && from !== to);
      }
    }
    expect(transitions.DELIVERED).toEqual(['REJECTED', 'RETURNING', 'RETURNED_TO_SENDER', 'LOST']);
    expect(transitions.OUT_FOR_DELIVERY).toContain('IN_TRANSIT');
  });
});
