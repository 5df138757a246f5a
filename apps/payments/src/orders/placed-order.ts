import { CURRENCY_PATTERN } from '@mallard/contracts';
import { plainToInstance } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, validateSync } from 'class-validator';
import type { EntityManager } from 'typeorm';
import { orderProblems } from './orders.problems.js';

/** What payments needs to know of a placed order to take money for it. */
export class PlacedOrder {
  @IsUUID() orderId: string;
  @IsString() buyerId: string;
  @Matches(CURRENCY_PATTERN) currency: string;
  @IsInt() @Min(0) payableMinor: number;
  @IsISO8601() placedAt: string;
  @IsISO8601() paymentDueAt: string;
  /** Orders' state of the order when the gateway asked (PLACED, AWAITING_PAYMENT, …, CANCELLED, FAILED). */
  @IsOptional() @IsString() @Matches(/^[A-Z_]{1,40}$/) @MaxLength(40) state?: string;
}

/** Orders' states in which an order can no longer be paid. */
const CLOSED_ORDER_STATES = new Set(['CANCELLED', 'FAILED']);

/** Whether orders' copy says the order is closed: then payments refuses it, whatever it has consumed. */
export function snapshotSaysClosed(order: PlacedOrder): boolean {
  return order.state !== undefined && CLOSED_ORDER_STATES.has(order.state);
}

/**
 * Records an order as payable, from `order.placed` or from the gateway's copy of it when the
 * event has not arrived yet; both say the same, so whichever comes first wins. A cancellation
 * seen first left a CLOSED row without amounts: they are filled in and it stays closed.
 */
export async function recordPlacedOrder(manager: EntityManager, order: PlacedOrder): Promise<void> {
  const parameters = [order.orderId, order.buyerId, order.currency, order.payableMinor, order.placedAt, order.paymentDueAt];
  // Two statements rather than one upsert: an order already known (the usual case for the event
  // after the gateway's copy) is then neither changed nor locked. ON CONFLICT DO UPDATE locks the
  // row even when its WHERE skips it, and a consumer batch that already holds a points account
  // would wait there for a payment holding the row and waiting for that account: a deadlock.
  const inserted: unknown[] = await manager.query(
    `INSERT INTO payable_order (order_id, buyer_id, currency, payable_minor, state, placed_at, payment_due_at)
     VALUES ($1, $2, $3, $4, 'OPEN', $5, $6) ON CONFLICT (order_id) DO NOTHING RETURNING 1`,
    parameters,
  );
  if (inserted.length > 0) return;
  await manager.query(
    `UPDATE payable_order SET buyer_id = $2, currency = $3, payable_minor = $4, placed_at = $5, payment_due_at = $6, updated_at = now()
     WHERE order_id = $1 AND payable_minor IS NULL`,
    parameters,
  );
}

/** Closes an order (order.cancelled), known or not yet: a placement seen later fills in its amounts. */
export async function recordCancelledOrder(manager: EntityManager, orderId: string, reason: string): Promise<void> {
  await manager.query(
    `INSERT INTO payable_order (order_id, state, close_reason) VALUES ($1, 'CLOSED', $2)
     ON CONFLICT (order_id) DO UPDATE SET state = 'CLOSED', close_reason = EXCLUDED.close_reason, updated_at = now()`,
    [orderId, reason],
  );
}

/** The gateway's snapshot header, checked against the request it came with. */
export function parseOrderSnapshot(header: string, orderId: string, buyerId: string): PlacedOrder {
  let snapshot: PlacedOrder;
  try {
    snapshot = plainToInstance(PlacedOrder, JSON.parse(header) as object);
  } catch {
    throw orderProblems.badOrderSnapshot('it is not JSON');
  }
  const errors = validateSync(snapshot, { forbidUnknownValues: true });
  if (errors.length > 0) throw orderProblems.badOrderSnapshot(errors.map((error) => error.property).join(', '));
  if (snapshot.orderId !== orderId || snapshot.buyerId !== buyerId) throw orderProblems.badOrderSnapshot('it names another order or buyer');
  return snapshot;
}
