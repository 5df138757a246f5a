import { boundCoveringSweeps, type StuckWorkKind } from '@mallard/messaging';
import type { InventoryConfig } from '../config/inventory-config.js';

type StuckWorkSettings = Pick<InventoryConfig, 'STUCK_EXPIRED_HOLD_MINUTES' | 'HOLD_SWEEP_INTERVAL_MS'>;

/** The holds that should have been released by now (docs/operations.md, "Stuck work"). */
export function inventoryStuckWork(config: StuckWorkSettings): StuckWorkKind[] {
  return [
    {
      // The hold-expiry worker releases them; one still held is a worker that fails or falls behind.
      kind: 'hold_past_expiry',
      boundSeconds: boundCoveringSweeps(config.STUCK_EXPIRED_HOLD_MINUTES * 60, config.HOLD_SWEEP_INTERVAL_MS),
      // order_stock_expiry: the worker's own index.
      query: `SELECT 1 FROM order_stock WHERE state = 'HELD' AND expires_at < now() - make_interval(secs => $1)`,
    },
  ];
}
