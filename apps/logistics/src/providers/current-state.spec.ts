import { describe, expect, it } from 'vitest';
import { placeCurrentState } from './current-state.js';
import type { TrackingCheckpoint } from './tracking-report.js';

const at = (minutes: number) => new Date(Date.UTC(2026, 2, 10, 12, minutes));
const event = (minutes: number, providerStatus: string): TrackingCheckpoint => ({
  occurredAt: at(minutes),
  providerStatus,
  state: null,
  message: `event ${minutes}`,
  location: null,
});

describe('placeCurrentState', () => {
  it('puts the state on the newest event when it says the same thing, wherever it sits in the list', () => {
    const placed = placeCurrentState([event(30, 'Delivered_001'), event(10, 'InTransit_002')], {
      providerStatus: 'Delivered_001',
      state: 'DELIVERED',
      message: 'Delivered',
      fallbackAt: null,
    });
    expect(placed.map((c) => c.state)).toEqual(['DELIVERED', null]);
  });

  it('adds a checkpoint of its own at the newest event’s time when no event carries the status', () => {
    const placed = placeCurrentState([event(10, 'InTransit_002'), event(30, 'InTransit_003')], {
      providerStatus: 'Expired_001',
      state: 'EXCEPTION',
      message: 'Expired',
      fallbackAt: at(99),
    });
    expect(placed).toHaveLength(3);
    expect(placed[2]).toEqual({
      occurredAt: at(30),
      providerStatus: 'Expired_001',
      state: 'EXCEPTION',
      message: 'Expired',
      location: null,
    });
  });

  it('falls back to the given time without events, and adds nothing for a status that says no state', () => {
    const current = { providerStatus: 'InfoReceived', state: 'LABEL_CREATED' as const, message: 'Info received', fallbackAt: at(5) };
    expect(placeCurrentState([], current)).toEqual([
      { occurredAt: at(5), providerStatus: 'InfoReceived', state: 'LABEL_CREATED', message: 'Info received', location: null },
    ]);
    expect(placeCurrentState([], { ...current, fallbackAt: null })).toEqual([]);
    expect(placeCurrentState([event(1, 'Pending')], { ...current, state: null })).toEqual([event(1, 'Pending')]);
  });
});
