import { plainToInstance } from 'class-transformer';
import { IsInt, IsISO8601, IsString, IsUUID, Matches, Min, validateSync } from 'class-validator';
import { CURRENCY_PATTERN } from '@mallard/contracts';
import { ProblemException } from '@mallard/platform';
import type { EntityManager } from 'typeorm';

/** What payments needs to know of a placed order to take money for it. */
export class PlacedOrder {
  @IsUUID() orderId: string;
  @IsString() buyerId: string;
  @Matches(CURRENCY_PATTERN) currency: string;
  @IsInt() @Min(0) payableMinor: number;
  @IsISO8601() placedAt: string;
  @IsISO8601() paymentDueAt: string;
}

/**
 * Records an order as payable, from `order.placed` or from the gateway's copy of it when the
 * event has not arrived yet; both say the same, so whichever comes first wins. A cancellation
 * seen first left a CLOSED row without amounts: they are filled in and it stays closed.
 */
export async function recordPlacedOrder(manager: EntityManager, order: PlacedOrder): Promise<void> {
  await manager.query(
    `INSERT INTO payable_order (order_id, buyer_id, currency, payable_minor, state, placed_at, payment_due_at)
     VALUES ($1, $2, $3, $4, 'OPEN', $5, $6)
     ON CONFLICT (order_id) DO UPDATE SET buyer_id = EXCLUDED.buyer_id, currency = EXCLUDED.currency, payable_minor = EXCLUDED.payable_minor,
       placed_at = EXCLUDED.placed_at, payment_due_at = EXCLUDED.payment_due_at, updated_at = now()
     WHERE payable_order.payable_minor IS NULL`,
    [order.orderId, order.buyerId, order.currency, order.payableMinor, order.placedAt, order.paymentDueAt],
  );
}

/** The gateway's snapshot header, checked against the request it came with. */
export function parseOrderSnapshot(header: string, orderId: string, buyerId: string): PlacedOrder {
  let snapshot: PlacedOrder;
  try {
    snapshot = plainToInstance(PlacedOrder, JSON.parse(header) as object);
  } catch {
    throw badSnapshot('it is not JSON');
  }
  const errors = validateSync(snapshot, { forbidUnknownValues: true });
  if (errors.length > 0) throw badSnapshot(errors.map((error) => error.property).join(', '));
  if (snapshot.orderId !== orderId || snapshot.buyerId !== buyerId) throw badSnapshot('it names another order or buyer');
  return snapshot;
}

function badSnapshot(why: string): ProblemException {
  return new ProblemException({ status: 400, slug: 'bad-order-snapshot', title: 'Bad order snapshot', detail: `the order snapshot header is invalid: ${why}` });
}
