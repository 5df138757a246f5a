import { describe, expect, it } from 'vitest';
import { applyDelta, available, deltaOf } from './movement-rules.js';

describe('stock movement rules', () => {
  it('gives each kind its deltas', () => {
    expect(deltaOf('RECEIPT', 5)).toEqual({ onHandDelta: 5, heldDelta: 0, damagedDelta: 0 });
    expect(deltaOf('ADJUSTMENT', -2)).toEqual({ onHandDelta: -2, heldDelta: 0, damagedDelta: 0 });
    expect(deltaOf('HOLD', 3)).toEqual({ onHandDelta: 0, heldDelta: 3, damagedDelta: 0 });
    expect(deltaOf('RELEASE', 3)).toEqual({ onHandDelta: 0, heldDelta: -3, damagedDelta: 0 });
    expect(deltaOf('DEDUCTION', 3, { consumesHold: true })).toEqual({ onHandDelta: -3, heldDelta: -3, damagedDelta: 0 });
    expect(deltaOf('DEDUCTION', 3)).toEqual({ onHandDelta: -3, heldDelta: 0, damagedDelta: 0 });
    expect(deltaOf('RETURN', 2)).toEqual({ onHandDelta: 2, heldDelta: 0, damagedDelta: 0 });
    // Damaged returns are booked, but never as sellable (on hand) stock.
    expect(deltaOf('DAMAGED', 2)).toEqual({ onHandDelta: 0, heldDelta: 0, damagedDelta: 2 });
  });

  it('refuses quantities that do not fit the kind', () => {
    expect(() => deltaOf('RECEIPT', -1)).toThrow(RangeError);
    expect(() => deltaOf('ADJUSTMENT', 0)).toThrow(RangeError);
    expect(() => deltaOf('HOLD', 1.5)).toThrow(RangeError);
    expect(() => deltaOf('RETURN', -1)).toThrow(RangeError);
    expect(() => deltaOf('DAMAGED', -1)).toThrow(RangeError);
    expect(() => deltaOf('DAMAGED', 0)).toThrow(RangeError);
  });

  it('never lets on hand fall below what is held', () => {
    const level = { onHand: 10, held: 7 };
    expect(available(level)).toBe(3);
    expect(applyDelta(level, deltaOf('ADJUSTMENT', -3))).toEqual({ ok: true, level: { onHand: 7, held: 7 } });
    expect(applyDelta(level, deltaOf('ADJUSTMENT', -4))).toMatchObject({ ok: false });
    expect(applyDelta(level, deltaOf('HOLD', 4))).toMatchObject({ ok: false });
    expect(applyDelta(level, deltaOf('RELEASE', 8))).toMatchObject({ ok: false, reason: expect.stringContaining('held') });
    expect(applyDelta(level, deltaOf('DEDUCTION', 7, { consumesHold: true }))).toEqual({ ok: true, level: { onHand: 3, held: 0 } });
    expect(applyDelta(level, deltaOf('DAMAGED', 5))).toEqual({ ok: true, level });
  });
});
