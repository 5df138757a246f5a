import {
  type ExchangeRequestedV1,
  exchangeRequested,
  type OrderCancelledV1,
  type OrderPaidV1,
  type OrderPlacedV1,
  orderCancelled,
  orderPaid,
  orderPlaced,
  type RestockRequestedV1,
  type ReturnInspectedV1,
  replacementRestockRequested,
  restockRequested,
  returnInspected,
} from '@mallard/contracts';
import type { BatchEvent, BatchLocks } from '@mallard/messaging';
import type { EntityManager } from 'typeorm';

/**
 * Inventory's lock order, for every transaction that changes stock:
 *   1. the orders' `order_stock` rows, in order_id order (a holds event locks its own order
 *      first; order.placed makes its row, which no other transaction can see until it commits);
 *   2. the `stock_level` rows, in (sku_id, warehouse_id) order, in one statement (StockLedger).
 * The hold-expiry sweep takes its orders with SKIP LOCKED, so it never waits at step 1.
 */

/** What one event locks: its order's record (the holds' events), the levels of its lines' SKUs, and those its order's holds sit on. */
interface EventStock {
  lockedOrder?: string;
  skuIds: string[];
  holdsOf?: string;
}

const skusOf = (lines: readonly { skuId: string }[]): string[] => lines.map((line) => line.skuId);

/**
 * Every event inventory handles that changes stock is listed here: one left out would lock its
 * levels in its own order again, inside a run.
 */
function stockOf(event: BatchEvent): EventStock {
  switch (event.type) {
    case orderPlaced.type: {
      const order = event.data as OrderPlacedV1;
      return { lockedOrder: order.orderId, skuIds: skusOf(order.lines) };
    }
    case orderPaid.type: {
      const paid = event.data as OrderPaidV1;
      return { lockedOrder: paid.orderId, skuIds: skusOf(paid.lines), holdsOf: paid.orderId };
    }
    case orderCancelled.type: {
      const { orderId } = event.data as OrderCancelledV1;
      return { lockedOrder: orderId, skuIds: [], holdsOf: orderId };
    }
    case restockRequested.type:
    case replacementRestockRequested.type:
      return { skuIds: skusOf((event.data as RestockRequestedV1).lines) };
    case returnInspected.type:
      return { skuIds: skusOf((event.data as ReturnInspectedV1).lines) };
    case exchangeRequested.type:
      return { skuIds: skusOf((event.data as ExchangeRequestedV1).lines) };
    default:
      return { skuIds: [] };
  }
}

/** The orders a run locks, the SKUs its events name, and the orders whose holds' SKUs it locks too: each once, sorted. */
export function stockOfRun(events: readonly BatchEvent[]): { orderIds: string[]; skuIds: string[]; holdsOf: string[] } {
  const orderIds = new Set<string>();
  const skuIds = new Set<string>();
  const holdsOf = new Set<string>();
  for (const event of events) {
    const stock = stockOf(event);
    if (stock.lockedOrder) orderIds.add(stock.lockedOrder);
    if (stock.holdsOf) holdsOf.add(stock.holdsOf);
    for (const skuId of stock.skuIds) skuIds.add(skuId);
  }
  return { orderIds: [...orderIds].sort(), skuIds: [...skuIds].sort(), holdsOf: [...holdsOf].sort() };
}

/**
 * Takes, in the lock order above, every row a run of events will lock: the records of the
 * orders whose holds change, then the levels of the SKUs the events' lines name or their orders'
 * holds sit on (a cancellation names no lines). Without it, two runs on different partitions
 * locked levels in the order their events came, and deadlocked on SKUs they shared (with two
 * instances: 24 and 21 deadlocks in two sets of three 30 s runs, each a second of both runs
 * waiting for PostgreSQL's detector, then applied again one event at a time).
 */
export const lockStockOfBatch: BatchLocks = async (manager: EntityManager, events) => {
  const { orderIds, skuIds, holdsOf } = stockOfRun(events);
  if (orderIds.length > 0) {
    await manager.query('SELECT 1 FROM order_stock WHERE order_id = ANY($1::uuid[]) ORDER BY order_id FOR UPDATE', [orderIds]);
  }
  if (skuIds.length === 0 && holdsOf.length === 0) return;
  await manager.query(
    `SELECT 1 FROM stock_level
      WHERE sku_id = ANY($1::text[] || ARRAY(SELECT sku_id FROM stock_hold WHERE order_id = ANY($2::uuid[])))
      ORDER BY sku_id COLLATE "C", warehouse_id COLLATE "C"
      FOR UPDATE`,
    [skuIds, holdsOf],
  );
};
