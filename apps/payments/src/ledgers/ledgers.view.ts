import type { GiftCard } from './gift-card.entity.js';
import type { GiftCardEntry } from './gift-card-entry.entity.js';
import type { LedgerKind } from './ledger-kind.js';
import type { PointsEntry } from './points-entry.entity.js';

export interface GiftCardView {
  code: string;
  currency: string;
  initialMinor: number;
  balanceMinor: number;
  expiresAt: Date | null;
  expired: boolean;
  issuedAt: Date;
  history: { kind: LedgerKind; amountMinor: number; balanceAfter: number; orderId: string | null; reason: string; at: Date }[];
}

export interface PointsView {
  buyerId: string;
  balance: number;
  pointsPerCurrencyUnit: number;
  history: { kind: LedgerKind; points: number; balanceAfter: number; orderId: string | null; reason: string; at: Date }[];
}

export interface PointsGrantView {
  buyerId: string;
  points: number;
  balanceAfter: number;
  grantId: string | null;
  reason: string;
  at: Date;
}

export function toGiftCardView(card: GiftCard, entries: GiftCardEntry[]): GiftCardView {
  return {
    code: card.code,
    currency: card.currency,
    initialMinor: card.initialMinor,
    balanceMinor: card.balanceMinor,
    expiresAt: card.expiresAt,
    expired: card.expiresAt !== null && card.expiresAt <= new Date(),
    issuedAt: card.issuedAt,
    history: entries.map(({ kind, deltaMinor, balanceAfter, orderId, reason, at }) => ({
      kind,
      amountMinor: deltaMinor,
      balanceAfter,
      orderId,
      reason,
      at,
    })),
  };
}

export function toPointsView(buyerId: string, balance: number, pointsPerCurrencyUnit: number, entries: PointsEntry[]): PointsView {
  return {
    buyerId,
    balance,
    pointsPerCurrencyUnit,
    history: entries.map(({ kind, deltaPoints, balanceAfter, orderId, reason, at }) => ({
      kind,
      points: deltaPoints,
      balanceAfter,
      orderId,
      reason,
      at,
    })),
  };
}

export function toPointsGrantView(entry: PointsEntry): PointsGrantView {
  return {
    buyerId: entry.buyerId,
    points: entry.deltaPoints,
    balanceAfter: entry.balanceAfter,
    grantId: entry.grantId,
    reason: entry.reason,
    at: entry.at,
  };
}
