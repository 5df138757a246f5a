import type { ParcelState } from '@mallard/contracts';

/** Our warehouse system only ever says one thing: parcels were handed to a carrier. */
export const WAREHOUSE_EVENT_TYPES = ['shipped'] as const;
export type WarehouseEventType = (typeof WAREHOUSE_EVENT_TYPES)[number];

export const WAREHOUSE_EVENT_STATES: Readonly<Record<WarehouseEventType, ParcelState>> = {
  shipped: 'PICKED_UP',
};

export const WAREHOUSE_EVENT_MESSAGES: Readonly<Record<WarehouseEventType, string>> = {
  shipped: 'Handed to the carrier by the warehouse',
};

export function isWarehouseEventType(type: unknown): type is WarehouseEventType {
  return typeof type === 'string' && (WAREHOUSE_EVENT_TYPES as readonly string[]).includes(type);
}
