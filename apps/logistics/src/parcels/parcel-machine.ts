import { PARCEL_STATES, type ParcelState } from '@mallard/contracts';
import { StateMachine } from '@mallard/platform';

/** On the road: a carrier's later scan may lead from any of these to any other (a re-delivery after a failed one). */
const ON_THE_ROAD: readonly ParcelState[] = ['IN_TRANSIT', 'EXCEPTION', 'DELIVERY_FAILED', 'OUT_FOR_DELIVERY', 'AVAILABLE_FOR_PICKUP'];

/**
 * The moves a parcel's state may make: up the normalised order of PARCEL_STATES, and within
 * the on-the-road states either way. Nothing goes back before the carrier had it, nor from an
 * end (delivered, rejected, returning, returned, lost) to the road. Which move a carrier's
 * report makes is decided by the "never backwards" rule (docs/logistics.md); this table is
 * what the compare-and-set write accepts.
 */
export const PARCEL = new StateMachine<ParcelState>({
  name: 'parcel',
  transitions: Object.fromEntries(
    PARCEL_STATES.map((from, rank) => [
      from,
      PARCEL_STATES.filter((to, toRank) => toRank > rank || (to !== from && ON_THE_ROAD.includes(from) && ON_THE_ROAD.includes(to))),
    ]),
  ) as Record<ParcelState, ParcelState[]>,
  initial: ['PACKED', 'LABEL_CREATED', 'PICKED_UP', 'IN_TRANSIT'],
  terminal: ['LOST'],
});

const HANDED_OVER_FROM = PARCEL_STATES.indexOf('PICKED_UP');

/** A carrier has it: PICKED_UP or any later state. */
export function isHandedOver(state: ParcelState): boolean {
  return PARCEL_STATES.indexOf(state) >= HANDED_OVER_FROM;
}
