import { randomBytes } from 'node:crypto';
import { GIFT_CARD_CODE_PATTERN, type GrantPointsRequest, type IssueGiftCardRequest } from '@mallard/contracts';
import { withLockRetry } from '@mallard/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { updateReturning } from '../common/serial.js';
import { PaymentsConfig } from '../config/payments-config.js';
import { GiftCard } from './gift-card.entity.js';
import { GiftCardEntry } from './gift-card-entry.entity.js';
import { ledgerProblems } from './ledgers.problems.js';
import {
  type GiftCardView,
  type PointsGrantView,
  type PointsView,
  toGiftCardView,
  toPointsGrantView,
  toPointsView,
} from './ledgers.view.js';
import { PointsAccount } from './points-account.entity.js';
import { PointsEntry } from './points-entry.entity.js';

export interface LedgerRef {
  orderId?: string | null;
  paymentId?: string | null;
  refundId?: string | null;
}

/** How many ledger rows a balance answer shows, newest first. */
const HISTORY = 200;

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I

export function newGiftCardCode(): string {
  const bytes = randomBytes(12);
  const chars = [...bytes].map((byte) => CODE_ALPHABET[byte % CODE_ALPHABET.length]).join('');
  return `GC-${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

/**
 * Gift-card and points ledgers. A balance moves only by a conditional UPDATE (which takes the
 * row lock and refuses to go below zero) together with the ledger row that records the move and
 * the balance after it, in the caller's transaction. Concurrent spends therefore queue on the
 * row, and the sum of a ledger's deltas always equals its balance.
 */
@Injectable()
export class Ledgers {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: PaymentsConfig,
  ) {}

  /** Staff issue a gift card (with the code they chose, or a new one); answers the card. */
  async issue(request: IssueGiftCardRequest, issuedBy: string | null): Promise<GiftCardView> {
    const expiresAt = request.expiresAt ? new Date(request.expiresAt) : null;
    if (expiresAt && expiresAt <= new Date()) throw ledgerProblems.giftCardExpiryPast(request.expiresAt!);
    const code = request.code ?? newGiftCardCode();
    const issued = await this.dataSource.transaction((manager) =>
      this.issueGiftCard(manager, { code, currency: request.currency, amountMinor: request.amountMinor, expiresAt, issuedBy }),
    );
    if (!issued) throw ledgerProblems.giftCardExists(code);
    return this.giftCard(code);
  }

  /** A card with its latest history; 404 for a code that is not a card. */
  async giftCard(code: string): Promise<GiftCardView> {
    const card = GIFT_CARD_CODE_PATTERN.test(code) ? await this.dataSource.getRepository(GiftCard).findOneBy({ code }) : null;
    if (!card) throw ledgerProblems.giftCardNotFound(code);
    const entries = await this.dataSource.getRepository(GiftCardEntry).find({ where: { code }, order: { id: 'DESC' }, take: HISTORY });
    return toGiftCardView(card, entries);
  }

  /** Staff grant points; `created` is false for a repeat of the same grantId. */
  async grant(request: GrantPointsRequest): Promise<{ view: PointsGrantView; created: boolean }> {
    const { entry, created } = await withLockRetry(() =>
      this.dataSource.transaction((manager) =>
        this.grantPoints(manager, request.buyerId, request.points, request.reason, request.grantId ?? null),
      ),
    );
    return { view: toPointsGrantView(entry), created };
  }

  /** A shopper's points balance with its latest history. */
  async points(buyerId: string): Promise<PointsView> {
    const [account, entries] = await Promise.all([
      this.dataSource.getRepository(PointsAccount).findOneBy({ buyerId }),
      this.dataSource.getRepository(PointsEntry).find({ where: { buyerId }, order: { id: 'DESC' }, take: HISTORY }),
    ]);
    return toPointsView(buyerId, account?.balance ?? 0, this.config.POINTS_PER_CURRENCY_UNIT, entries);
  }

  async issueGiftCard(
    manager: EntityManager,
    card: { code: string; currency: string; amountMinor: number; expiresAt: Date | null; issuedBy: string | null },
  ): Promise<boolean> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO gift_card (code, currency, initial_minor, balance_minor, expires_at, issued_by)
       VALUES ($1, $2, $3, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING 1`,
      [card.code, card.currency, card.amountMinor, card.expiresAt, card.issuedBy],
    );
    if (inserted.length === 0) return false;
    await manager.insert(GiftCardEntry, {
      code: card.code,
      kind: 'ISSUE',
      deltaMinor: card.amountMinor,
      balanceAfter: card.amountMinor,
      reason: 'issued',
    });
    return true;
  }

  /** Takes `amountMinor` off a card; refuses (422) an unknown, foreign-currency, expired or short card. */
  async debitGiftCard(
    manager: EntityManager,
    code: string,
    amountMinor: number,
    currency: string,
    ref: LedgerRef,
    reason: string,
  ): Promise<number> {
    // The move and its ledger row in one statement: the entry is written only when the debit won.
    const rows = await updateReturning<{ balance_minor: string }>(
      manager,
      `WITH debited AS (
         UPDATE gift_card SET balance_minor = balance_minor - $2
          WHERE code = $1 AND currency = $3 AND balance_minor >= $2 AND (expires_at IS NULL OR expires_at > now())
         RETURNING code, balance_minor),
       entry AS (
         INSERT INTO gift_card_entry (code, kind, delta_minor, balance_after, order_id, payment_id, refund_id, reason)
         SELECT code, 'DEBIT', -$2::bigint, balance_minor, $4::uuid, $5::uuid, $6::uuid, $7::text FROM debited)
       SELECT balance_minor FROM debited`,
      [code, amountMinor, currency, ...refValues(ref), reason],
    );
    if (rows.length === 0) {
      const card = await manager.findOne(GiftCard, { where: { code } });
      if (!card) throw ledgerProblems.giftCardRefused(code, 'UNKNOWN');
      if (card.currency !== currency) throw ledgerProblems.giftCardRefused(code, 'CURRENCY');
      if (card.expiresAt && card.expiresAt <= new Date()) throw ledgerProblems.giftCardRefused(code, 'EXPIRED');
      throw ledgerProblems.giftCardRefused(code, 'INSUFFICIENT', card.balanceMinor);
    }
    return Number(rows[0].balance_minor);
  }

  /** Gives `amountMinor` back to a card (a refund or a released payment), even after it expired. */
  async creditGiftCard(manager: EntityManager, code: string, amountMinor: number, ref: LedgerRef, reason: string): Promise<number> {
    const rows = await updateReturning<{ balance_minor: string }>(
      manager,
      `UPDATE gift_card SET balance_minor = balance_minor + $2 WHERE code = $1 RETURNING balance_minor`,
      [code, amountMinor],
    );
    if (rows.length === 0) throw new Error(`gift card ${code} vanished`);
    const balanceAfter = Number(rows[0].balance_minor);
    await manager.insert(GiftCardEntry, { code, kind: 'CREDIT', deltaMinor: amountMinor, balanceAfter, reason, ...refColumns(ref) });
    return balanceAfter;
  }

  /**
   * Adds points to a shopper's account, creating it on first use. With a grantId the grant
   * happens once: a repeat with the same buyer, points and reason answers with the first
   * grant's entry; with anything else it is refused (422 `grant-id-reused`), never answered
   * as if it had been granted.
   */
  async grantPoints(
    manager: EntityManager,
    buyerId: string,
    points: number,
    reason: string,
    grantId: string | null,
  ): Promise<{ entry: PointsEntry; created: boolean }> {
    if (grantId) {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`points-grant:${grantId}`]);
      const existing = await manager.findOne(PointsEntry, { where: { grantId } });
      if (existing) {
        if (existing.buyerId !== buyerId || existing.deltaPoints !== points || existing.reason !== reason)
          throw ledgerProblems.grantIdReused(grantId);
        return { entry: existing, created: false };
      }
    }
    const balanceAfter = await this.addPoints(manager, buyerId, points);
    const entry = manager.create(PointsEntry, { buyerId, kind: 'GRANT', deltaPoints: points, balanceAfter, grantId, reason });
    await manager.insert(PointsEntry, entry);
    return { entry: await manager.findOneByOrFail(PointsEntry, { id: entry.id }), created: true };
  }

  async debitPoints(manager: EntityManager, buyerId: string, points: number, ref: LedgerRef, reason: string): Promise<number> {
    // The move and its ledger row in one statement: the entry is written only when the debit won.
    const rows = await updateReturning<{ balance: string }>(
      manager,
      `WITH debited AS (
         UPDATE points_account SET balance = balance - $2, updated_at = now() WHERE buyer_id = $1 AND balance >= $2
         RETURNING buyer_id, balance),
       entry AS (
         INSERT INTO points_entry (buyer_id, kind, delta_points, balance_after, order_id, payment_id, refund_id, reason)
         SELECT buyer_id, 'DEBIT', -$2::bigint, balance, $3::uuid, $4::uuid, $5::uuid, $6::text FROM debited)
       SELECT balance FROM debited`,
      [buyerId, points, ...refValues(ref), reason],
    );
    if (rows.length === 0) {
      const account = await manager.findOne(PointsAccount, { where: { buyerId } });
      throw ledgerProblems.insufficientPoints(account?.balance ?? 0, points);
    }
    return Number(rows[0].balance);
  }

  async creditPoints(manager: EntityManager, buyerId: string, points: number, ref: LedgerRef, reason: string): Promise<number> {
    const balanceAfter = await this.addPoints(manager, buyerId, points);
    await manager.insert(PointsEntry, { buyerId, kind: 'CREDIT', deltaPoints: points, balanceAfter, reason, ...refColumns(ref) });
    return balanceAfter;
  }

  private async addPoints(manager: EntityManager, buyerId: string, points: number): Promise<number> {
    const rows: { balance: string }[] = await manager.query(
      `INSERT INTO points_account AS a (buyer_id, balance) VALUES ($1, $2)
       ON CONFLICT (buyer_id) DO UPDATE SET balance = a.balance + EXCLUDED.balance, updated_at = now()
       RETURNING balance`,
      [buyerId, points],
    );
    return Number(rows[0].balance);
  }
}

function refValues(ref: LedgerRef): [string | null, string | null, string | null] {
  return [ref.orderId ?? null, ref.paymentId ?? null, ref.refundId ?? null];
}

function refColumns(ref: LedgerRef): { orderId: string | null; paymentId: string | null; refundId: string | null } {
  return { orderId: ref.orderId ?? null, paymentId: ref.paymentId ?? null, refundId: ref.refundId ?? null };
}
