import type { AlsoWrite } from '@mallard/platform';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { updateReturning } from '../common/serial.js';
import { Ledgers } from '../ledgers/ledgers.service.js';
import { inLedgerLockOrder } from './lock-order.js';
import type { Payment } from './payment.entity.js';

interface ReleasedTender {
  id: string;
  position: number;
  type: string;
  amount_minor: string;
  gift_card_code: string | null;
  points: string | null;
}

/**
 * What happens to a payment's tenders when it ends: captured with its success, or released
 * (gift cards and points credited back, the provider part dropped) when it fails or the order
 * closes first. Both are compare-and-sets on the tender rows (`… AND state = 'HELD'`), and a
 * release credits exactly the rows this transaction moved, so two transactions that both try to
 * end the payment can never both credit it.
 */
@Injectable()
export class TenderSettlement {
  constructor(private readonly ledgers: Ledgers) {}

  /** Captures the tenders still held; returns how many this transaction captured. */
  async capture(manager: EntityManager, payment: Payment, at: Date): Promise<number> {
    const captured = await updateReturning<{ id: string }>(
      manager,
      `UPDATE tender SET state = 'CAPTURED', captured_at = $2 WHERE payment_id = $1 AND state = 'HELD' RETURNING id`,
      [payment.id, at],
    );
    return captured.length;
  }

  /**
   * The capture as a write that goes with the payment's move to SUCCEEDED (PaymentLog's
   * `alsoWrite`): the same compare-and-set, in the move's statement, only when the move wins.
   */
  captureWithMove(at: Date): AlsoWrite {
    return (bind) =>
      `UPDATE tender SET state = 'CAPTURED', captured_at = ${bind(at)} WHERE payment_id IN (SELECT id FROM moved) AND state = 'HELD'`;
  }

  /**
   * Releases the tenders still held and credits back the gift cards and points among them.
   * `alsoLock`: gift cards the same transaction spends next (a new attempt), locked together with
   * the ones credited here, in code order, before any points (lock-order.ts).
   */
  async release(manager: EntityManager, payment: Payment, reason: string, alsoLock: readonly string[] = []): Promise<number> {
    const released = await updateReturning<ReleasedTender>(
      manager,
      `UPDATE tender SET state = 'RELEASED' WHERE payment_id = $1 AND state = 'HELD'
       RETURNING id, position, type, amount_minor, gift_card_code, points`,
      [payment.id],
    );
    const codes = [...new Set([...released.flatMap((row) => (row.gift_card_code ? [row.gift_card_code] : [])), ...alsoLock])];
    if (codes.length > 0)
      await manager.query('SELECT code FROM gift_card WHERE code = ANY($1) ORDER BY code COLLATE "C" FOR UPDATE', [codes]);
    const ref = { orderId: payment.orderId, paymentId: payment.id };
    for (const tender of inLedgerLockOrder(released.map((row) => ({ ...row, giftCardCode: row.gift_card_code })))) {
      if (tender.type === 'GIFT_CARD')
        await this.ledgers.creditGiftCard(manager, tender.gift_card_code!, Number(tender.amount_minor), ref, reason);
      if (tender.type === 'POINTS') await this.ledgers.creditPoints(manager, payment.buyerId, Number(tender.points), ref, reason);
    }
    return released.length;
  }
}
