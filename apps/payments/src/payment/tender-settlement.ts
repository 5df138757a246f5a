import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Ledgers } from '../ledgers/ledgers.js';
import { Tender, type Payment } from './payment.entities.js';

/**
 * What happens to a payment's tenders when it ends: captured with its success, or released
 * (gift cards and points credited back, the provider part dropped) when it fails or the order
 * closes first.
 */
@Injectable()
export class TenderSettlement {
  constructor(private readonly ledgers: Ledgers) {}

  async capture(manager: EntityManager, payment: Payment, at: Date): Promise<void> {
    await manager.query(`UPDATE tender SET state = 'CAPTURED', captured_at = $2 WHERE payment_id = $1 AND state = 'HELD'`, [payment.id, at]);
  }

  async release(manager: EntityManager, payment: Payment, reason: string): Promise<void> {
    const tenders = await manager.find(Tender, { where: { paymentId: payment.id, state: 'HELD' } });
    // Gift cards in code order, like every other path that locks several, so none deadlock.
    tenders.sort((a, b) => (a.giftCardCode ?? '').localeCompare(b.giftCardCode ?? '') || a.position - b.position);
    const ref = { orderId: payment.orderId, paymentId: payment.id };
    for (const tender of tenders) {
      if (tender.type === 'GIFT_CARD') await this.ledgers.creditGiftCard(manager, tender.giftCardCode!, tender.amountMinor, ref, reason);
      if (tender.type === 'POINTS') await this.ledgers.creditPoints(manager, payment.buyerId, tender.points!, ref, reason);
    }
    await manager.query(`UPDATE tender SET state = 'RELEASED' WHERE payment_id = $1 AND state = 'HELD'`, [payment.id]);
  }
}
