import { ORDER_STATES, type OrderState, PARCEL_STATES, type ParcelState, SUB_ORDER_STATES, type SubOrderState } from '@mallard/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type OrderFacts, type ParcelFacts, rollUpOrderStatus, SHOPPER_STATUS_RANK, type SubOrderFacts } from './shopper-status.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const RUNS = 2000;

// An independent copy of the definitions of docs/logistics.md, so the properties do not test the roll-up against itself.
const rank = (state: ParcelState): number => PARCEL_STATES.indexOf(state);
const HANDED_OVER = PARCEL_STATES.filter((state) => rank(state) >= rank('PICKED_UP'));
const NOT_HANDED_OVER: ParcelState[] = ['PACKED', 'LABEL_CREATED'];
const liveSubOrders = (order: OrderFacts) => order.subOrders.filter((s) => s.state !== 'CANCELLED' && s.state !== 'INTERCEPTED');
const liveParcels = (order: OrderFacts) =>
  liveSubOrders(order)
    .flatMap((s) => s.parcels)
    .filter((p) => !p.voided && !['REJECTED', 'RETURNING', 'RETURNED_TO_SENDER'].includes(p.state));

const parcelsIn = (states: readonly ParcelState[], minLength: number, maxLength: number, voided = false): fc.Arbitrary<ParcelFacts[]> =>
  fc.array(
    fc.constantFrom(...states).map((state) => ({ state, voided })),
    { minLength, maxLength },
  );

/** Parcels as logistics can have them for a sub-order in `state` (a shipped sub-order may not have reached the gateway's parcels yet). */
const parcelsFor = (state: SubOrderState): fc.Arbitrary<ParcelFacts[]> => {
  switch (state) {
    case 'AWAITING_PICK':
    case 'PICKING':
    case 'CANCELLED':
      return fc.constant([]);
    case 'PACKED':
      return parcelsIn(NOT_HANDED_OVER, 1, 3);
    case 'INTERCEPTING':
      return parcelsIn(NOT_HANDED_OVER, 0, 3);
    case 'INTERCEPTED':
      return parcelsIn(['PACKED'], 0, 3, true);
    case 'PARTIALLY_SHIPPED':
      return fc
        .tuple(parcelsIn(HANDED_OVER, 1, 1), parcelsIn([...NOT_HANDED_OVER, ...HANDED_OVER], 0, 2))
        .map(([handed, rest]) => [...handed, ...rest]);
    case 'SHIPPED':
      return parcelsIn(HANDED_OVER, 0, 3);
  }
};

const subOrderArb: fc.Arbitrary<SubOrderFacts> = fc.constantFrom(...SUB_ORDER_STATES).chain((state) =>
  fc.record({
    state: fc.constant(state),
    interception: fc.constantFrom(null, 'REQUESTED', 'STOPPED', 'REFUSED' as const),
    purchaseFailed: fc.boolean(),
    parcels: parcelsFor(state),
  }),
);

const orderArb: fc.Arbitrary<OrderFacts> = fc
  .record({
    ordersState: fc.oneof(
      { arbitrary: fc.constant<OrderState>('SPLIT'), weight: 12 },
      { arbitrary: fc.constantFrom(...ORDER_STATES), weight: 1 },
    ),
    interceptionRequested: fc.boolean(),
    subOrders: fc.array(subOrderArb, { minLength: 1, maxLength: 4 }),
    paidMinor: fc.integer({ min: 0, max: 100_000 }),
    refundedShare: fc.double({ min: 0, max: 1, noNaN: true }),
    afterSalesOpen: fc.integer({ min: 0, max: 2 }),
    completesAt: fc.constantFrom(null, new Date('2026-03-09T12:00:00Z'), NOW, new Date('2026-03-11T12:00:00Z')),
  })
  .map(({ refundedShare, ...order }) => ({ ...order, refundedMinor: Math.floor(order.paidMinor * refundedShare) }));

/** Reorders `items` by sort keys drawn by fast-check, so shrinking still works. */
const permute = <T>(items: readonly T[], keys: readonly number[], salt: number): T[] =>
  items
    .map((item, i) => ({ item, key: keys[(i + salt) % keys.length] }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);

const check = (predicate: (order: OrderFacts) => void) =>
  fc.assert(
    fc.property(orderArb, (order) => predicate(order)),
    { numRuns: RUNS },
  );

describe('rollUpOrderStatus properties', () => {
  it('is never DELIVERED or COMPLETED while a live parcel is not delivered or a live sub-order has not shipped', () => {
    check((order) => {
      const { status } = rollUpOrderStatus(order, NOW);
      if (status !== 'DELIVERED' && status !== 'COMPLETED') return;
      expect(liveSubOrders(order).every((s) => s.state === 'SHIPPED')).toBe(true);
      expect(liveParcels(order).length).toBeGreaterThan(0);
      expect(liveParcels(order).every((p) => p.state === 'DELIVERED')).toBe(true);
    });
  });

  it('is never SHIPPED while a live sub-order has not shipped', () => {
    check((order) => {
      if (rollUpOrderStatus(order, NOW).status !== 'SHIPPED') return;
      expect(liveSubOrders(order).every((s) => s.state === 'SHIPPED')).toBe(true);
    });
  });

  it('reads PARTIALLY_DELIVERED only with a live parcel delivered and the order not wholly delivered', () => {
    check((order) => {
      if (rollUpOrderStatus(order, NOW).status !== 'PARTIALLY_DELIVERED') return;
      const parcels = liveParcels(order);
      expect(parcels.some((p) => p.state === 'DELIVERED')).toBe(true);
      const wholly = parcels.every((p) => p.state === 'DELIVERED') && liveSubOrders(order).every((s) => s.state === 'SHIPPED');
      expect(wholly).toBe(false);
    });
  });

  it('never hides a delivered parcel: a split order with one reads at least PARTIALLY_DELIVERED', () => {
    check((order) => {
      if (order.ordersState !== 'SPLIT' || !liveParcels(order).some((p) => p.state === 'DELIVERED')) return;
      expect(['PARTIALLY_DELIVERED', 'DELIVERED', 'COMPLETED']).toContain(rollUpOrderStatus(order, NOW).status);
    });
  });

  it('does not depend on the order of sub-orders or of parcels', () => {
    fc.assert(
      fc.property(orderArb, fc.array(fc.integer(), { minLength: 1, maxLength: 16 }), (order, keys) => {
        const shuffled: OrderFacts = {
          ...order,
          subOrders: permute(order.subOrders, keys, 0).map((s, i) => ({ ...s, parcels: permute(s.parcels, keys, i + 1) })),
        };
        expect(rollUpOrderStatus(shuffled, NOW)).toEqual(rollUpOrderStatus(order, NOW));
      }),
      { numRuns: RUNS },
    );
  });

  it('never goes back when one parcel moves forward (refusals, returns and losses aside)', () => {
    // Forward: to a higher-ranked state up to DELIVERED. Past it are only ways of not getting the goods.
    const last = rank('DELIVERED');
    fc.assert(
      fc.property(orderArb, fc.nat(), fc.nat(), (order, pickParcel, pickTarget) => {
        const movable = order.subOrders
          .flatMap((s, si) => s.parcels.map((p, pi) => ({ si, pi, from: rank(p.state) })))
          .filter((m) => m.from < last);
        if (movable.length === 0) return;
        const { si, pi, from } = movable[pickParcel % movable.length];
        const to = PARCEL_STATES[from + 1 + (pickTarget % (last - from))];
        const moved: OrderFacts = {
          ...order,
          subOrders: order.subOrders.map((s, i) =>
            i === si ? { ...s, parcels: s.parcels.map((p, j) => (j === pi ? { ...p, state: to } : p)) } : s,
          ),
        };
        const before = rollUpOrderStatus(order, NOW).status;
        const after = rollUpOrderStatus(moved, NOW).status;
        expect(SHOPPER_STATUS_RANK[after], `${before} → ${after}`).toBeGreaterThanOrEqual(SHOPPER_STATUS_RANK[before]);
      }),
      { numRuns: RUNS },
    );
  });
});
