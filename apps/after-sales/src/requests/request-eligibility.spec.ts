import { describe, expect, it } from 'vitest';
import { type EligibilityInput, judgeEligibility, type ParcelFacts } from './request-eligibility.js';

const DAY = 24 * 3600 * 1000;
const NOW = new Date('2026-12-04T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

const pieces = [
  { subOrderId: 'S1', lineId: 'tea', skuId: 'tea', merchantId: 'mall', quantity: 3 },
  { subOrderId: 'S1', lineId: 'cup', skuId: 'cup', merchantId: 'mall', quantity: 1 },
  { subOrderId: 'S2', lineId: 'honey', skuId: 'honey', merchantId: 'farm', quantity: 2 },
];
const delivered = (lines: ParcelFacts['lines'], days: number, subOrderId = 'S1'): ParcelFacts => ({
  subOrderId,
  state: 'DELIVERED',
  lines,
  handedOverAt: daysAgo(days + 2),
  deliveredAt: daysAgo(days),
});

function judge(overrides: Partial<EligibilityInput>) {
  return judgeEligibility({
    type: 'RETURN_AND_REFUND',
    reason: 'CHANGED_MIND',
    lines: [{ subOrderId: 'S1', lineId: 'tea', quantity: 1 }],
    pieces,
    parcels: [delivered([{ lineId: 'tea', quantity: 3 }], 1)],
    claimed: [],
    now: NOW,
    windowDaysOf: (merchantId) => (merchantId === 'farm' ? 15 : 7),
    notArrivedAfterDays: 10,
    ...overrides,
  });
}

describe('which units a request may name', () => {
  it('takes delivered units of one merchant, naming their SKU and merchant', () => {
    expect(judge({})).toEqual({
      eligible: true,
      merchantId: 'mall',
      lines: [{ subOrderId: 'S1', lineId: 'tea', quantity: 1, skuId: 'tea' }],
    });
  });

  it('counts only units in delivered parcels, less what earlier requests claim', () => {
    const parcels = [
      delivered([{ lineId: 'tea', quantity: 2 }], 1),
      { ...delivered([{ lineId: 'tea', quantity: 1 }], 1), state: 'IN_TRANSIT' as const },
    ];
    expect(judge({ parcels, lines: [{ subOrderId: 'S1', lineId: 'tea', quantity: 2 }] }).eligible).toBe(true);
    expect(judge({ parcels, lines: [{ subOrderId: 'S1', lineId: 'tea', quantity: 3 }] })).toMatchObject({
      reason: 'QUANTITY_EXCEEDS',
      available: 2,
    });
    expect(
      judge({
        parcels,
        claimed: [{ subOrderId: 'S1', lineId: 'tea', quantity: 2, reason: 'DAMAGED' }],
        lines: [{ subOrderId: 'S1', lineId: 'tea', quantity: 1 }],
      }),
    ).toMatchObject({ reason: 'QUANTITY_EXCEEDS', available: 0 });
    expect(judge({ lines: [{ subOrderId: 'S1', lineId: 'cup', quantity: 1 }] })).toMatchObject({ reason: 'NOT_DELIVERED', lineId: 'cup' });
  });

  it('closes the merchant’s window counted from the latest delivery of the piece', () => {
    expect(judge({ parcels: [delivered([{ lineId: 'tea', quantity: 3 }], 7.01)] })).toMatchObject({ reason: 'OUTSIDE_WINDOW' });
    expect(judge({ parcels: [delivered([{ lineId: 'tea', quantity: 3 }], 6.99)] }).eligible).toBe(true);
    const split = [delivered([{ lineId: 'tea', quantity: 1 }], 9), delivered([{ lineId: 'tea', quantity: 2 }], 2)];
    expect(judge({ parcels: split }).eligible).toBe(true);
    const farm = {
      lines: [{ subOrderId: 'S2', lineId: 'honey', quantity: 1 }],
      parcels: [delivered([{ lineId: 'honey', quantity: 2 }], 12, 'S2')],
    };
    expect(judge(farm)).toMatchObject({ eligible: true, merchantId: 'farm' });
  });

  it('refuses unknown lines, a piece named twice, and units of two merchants in one request', () => {
    expect(judge({ lines: [{ subOrderId: 'S2', lineId: 'tea', quantity: 1 }] })).toMatchObject({ reason: 'UNKNOWN_LINE' });
    const twice = [
      { subOrderId: 'S1', lineId: 'tea', quantity: 1 },
      { subOrderId: 'S1', lineId: 'tea', quantity: 1 },
    ];
    expect(judge({ lines: twice })).toMatchObject({ reason: 'LINE_NAMED_TWICE' });
    const parcels = [delivered([{ lineId: 'tea', quantity: 3 }], 1), delivered([{ lineId: 'honey', quantity: 2 }], 1, 'S2')];
    const both = [
      { subOrderId: 'S1', lineId: 'tea', quantity: 1 },
      { subOrderId: 'S2', lineId: 'honey', quantity: 1 },
    ];
    expect(judge({ parcels, lines: both })).toMatchObject({ reason: 'SPANS_MERCHANTS' });
  });

  it('lets a refund only for a parcel that never arrived through after the delay, or at once when it is lost', () => {
    const notReceived = { type: 'REFUND_ONLY' as const, reason: 'NOT_RECEIVED' as const };
    const withCarrier = (days: number, state: ParcelFacts['state'] = 'IN_TRANSIT'): ParcelFacts => ({
      subOrderId: 'S1',
      state,
      lines: [{ lineId: 'tea', quantity: 3 }],
      handedOverAt: daysAgo(days),
      deliveredAt: null,
    });
    expect(judge({ ...notReceived, parcels: [withCarrier(11)] }).eligible).toBe(true);
    const early = judge({ ...notReceived, parcels: [withCarrier(4)] });
    expect(early).toMatchObject({ reason: 'TOO_EARLY_FOR_NOT_RECEIVED', allowedFrom: new Date(daysAgo(4).getTime() + 10 * DAY) });
    expect(judge({ ...notReceived, parcels: [withCarrier(1, 'LOST')] }).eligible).toBe(true);
    expect(judge({ ...notReceived })).toMatchObject({ reason: 'NOT_DELIVERED' });
    expect(judge({ type: 'RETURN_AND_REFUND', reason: 'NOT_RECEIVED', parcels: [withCarrier(11)] })).toMatchObject({
      reason: 'NOT_RECEIVED_IS_REFUND_ONLY',
    });
  });

  it('keeps claims on delivered units and on units that never arrived apart, never more than the piece had', () => {
    const parcels: ParcelFacts[] = [
      delivered([{ lineId: 'tea', quantity: 2 }], 1),
      { subOrderId: 'S1', state: 'LOST', lines: [{ lineId: 'tea', quantity: 1 }], handedOverAt: daysAgo(3), deliveredAt: null },
    ];
    const lost = { subOrderId: 'S1', lineId: 'tea', quantity: 1, reason: 'NOT_RECEIVED' as const };
    const two = { subOrderId: 'S1', lineId: 'tea', quantity: 2 };
    expect(judge({ parcels, claimed: [lost], lines: [two] }).eligible).toBe(true);
    const backFirst = judge({
      type: 'REFUND_ONLY',
      reason: 'NOT_RECEIVED',
      parcels,
      claimed: [{ ...two, reason: 'DAMAGED' }],
      lines: [{ ...two, quantity: 1 }],
    });
    expect(backFirst.eligible).toBe(true);
    expect(judge({ parcels, claimed: [{ ...two, reason: 'DAMAGED' }], lines: [{ ...two, quantity: 1 }] })).toMatchObject({ available: 0 });
    expect(
      judge({ type: 'REFUND_ONLY', reason: 'NOT_RECEIVED', parcels, claimed: [lost], lines: [{ ...two, quantity: 1 }] }),
    ).toMatchObject({
      available: 0,
    });
  });
});
