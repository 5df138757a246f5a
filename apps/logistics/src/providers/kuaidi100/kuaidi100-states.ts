import type { ParcelState } from '@mallard/contracts';

/**
 * Kuaidi100's basic states (`lastResult.state`), with the name its event lines carry (`data[].status`,
 * with `resultv2=1`) for the same state.
 */
export const KUAIDI100_STATE_CODES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '14'] as const;
export type Kuaidi100StateCode = (typeof KUAIDI100_STATE_CODES)[number];

export const KUAIDI100_STATE_NAMES: Readonly<Record<Kuaidi100StateCode, string>> = {
  '0': '在途', // in transit
  '1': '揽收', // collected
  '2': '疑难', // problem
  '3': '签收', // signed for
  '4': '退签', // returned and signed for by the sender
  '5': '派件', // out for delivery
  '6': '退回', // returning to the sender
  '7': '转投', // handed to another carrier
  '8': '清关', // customs
  '14': '拒签', // refused by the receiver
};

export const KUAIDI100_STATES: Readonly<Record<Kuaidi100StateCode, ParcelState>> = {
  '0': 'IN_TRANSIT',
  '1': 'PICKED_UP',
  '2': 'EXCEPTION',
  '3': 'DELIVERED',
  '4': 'RETURNED_TO_SENDER',
  '5': 'OUT_FOR_DELIVERY',
  '6': 'RETURNING',
  '7': 'IN_TRANSIT',
  '8': 'IN_TRANSIT',
  '14': 'REJECTED',
};

export function isKuaidi100StateCode(code: string): code is Kuaidi100StateCode {
  return (KUAIDI100_STATE_CODES as readonly string[]).includes(code);
}

/** The state of a code, sent as a number or a string; any other code is history only. */
export function kuaidi100State(code: unknown): ParcelState | null {
  const text = typeof code === 'number' || typeof code === 'string' ? String(code).trim() : '';
  return isKuaidi100StateCode(text) ? KUAIDI100_STATES[text] : null;
}
