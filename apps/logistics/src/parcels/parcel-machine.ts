import { PARCEL_STATES, type ParcelState } from '@mallard/contracts';
import { StateMachine } from '@mallard/platform';
import { parcelStateTransitions, TERMINAL_PARCEL_STATES } from './parcel-states.js';

/**
 * The moves the compare-and-set write of a parcel's state accepts: exactly those the "never
 * backwards" rule can make (parcel-states.ts). A parcel starts packed by our staff, or already
 * with a carrier when a merchant or a platform reports it.
 */
export const PARCEL = new StateMachine<ParcelState>({
  name: 'parcel',
  transitions: parcelStateTransitions(),
  initial: ['PACKED', 'LABEL_CREATED', 'PICKED_UP', 'IN_TRANSIT'],
  terminal: TERMINAL_PARCEL_STATES,
});

const HANDED_OVER_FROM = PARCEL_STATES.indexOf('PICKED_UP');

/** A carrier has it: PICKED_UP or any later state. */
export function isHandedOver(state: ParcelState): boolean {
  return PARCEL_STATES.indexOf(state) >= HANDED_OVER_FROM;
}
