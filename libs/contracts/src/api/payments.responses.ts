import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { nullableObject } from './nullable-object.js';
import { PAYMENT_PROVIDERS, type PaymentProviderName, TENDER_TYPES, type TenderType } from './payments.requests.js';

/**
 * The answers of the payments API as they travel on the wire (apps/payments payment.view.ts,
 * ledgers.view.ts, refund.view.ts, the money trail and the reconciliation report). Money is
 * integer minor units of its `currency`; points are counts, not money; instants are ISO 8601
 * strings.
 */

/** The life of a payment (apps/payments payment-state.ts). */
export const PAYMENT_STATES = ['CREATED', 'PENDING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'PARTIALLY_REFUNDED', 'REFUNDED'] as const;
export type PaymentStateName = (typeof PAYMENT_STATES)[number];

export const TENDER_STATES = ['HELD', 'CAPTURED', 'RELEASED'] as const;
export type TenderStateName = (typeof TENDER_STATES)[number];

/** Why a gift-card or points balance moved. */
export const LEDGER_KINDS = ['ISSUE', 'GRANT', 'DEBIT', 'CREDIT'] as const;
export type LedgerKindName = (typeof LEDGER_KINDS)[number];

export const REFUND_STATES = ['PENDING', 'SUCCEEDED', 'FAILED', 'REJECTED'] as const;
export const REFUND_SOURCES = ['EVENT', 'STAFF', 'AUTO'] as const;
export const REFUND_PART_STATES = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;

export const CLIENT_ACTION_TYPES = ['SANDBOX', 'STRIPE_PAYMENT_INTENT', 'ALIPAY_PAGE_PAY'] as const;

export const MISMATCH_KINDS = ['MISSING_OURS', 'MISSING_THEIRS', 'AMOUNT_DIFFERS', 'STATUS_DIFFERS', 'DUPLICATE_IN_FILE'] as const;
export const SETTLEMENT_TYPES = ['PAYMENT', 'REFUND'] as const;
export const SETTLEMENT_STATUSES = ['SUCCEEDED', 'FAILED', 'PENDING'] as const;

const UUID_EXAMPLE = '0b8e6f1c-4a1d-4c53-9a57-2f0d5f4c7e21';
const INSTANT_EXAMPLE = '2026-11-25T10:11:12.000Z';

/** How the front end lets the shopper pay the provider part; which fields come depends on `type`. */
export class ClientActionResponse {
  @ApiProperty({ enum: CLIENT_ACTION_TYPES }) type: string;
  @ApiPropertyOptional({ description: 'SANDBOX: the sandbox charge', example: 'sbx_pi_1f2e' }) intentId?: string;
  @ApiPropertyOptional({ description: 'SANDBOX: what the sandbox does by itself', enum: ['succeed', 'fail', 'none'] }) autoOutcome?: string;
  @ApiPropertyOptional({ description: 'STRIPE_PAYMENT_INTENT: the PaymentIntent to confirm', example: 'pi_3Q' }) paymentIntentId?: string;
  @ApiPropertyOptional({ description: 'STRIPE_PAYMENT_INTENT: for Stripe.js', example: 'pi_3Q_secret_x1y2' }) clientSecret?: string;
  @ApiPropertyOptional({
    description: 'ALIPAY_PAGE_PAY: the page to send the shopper to',
    format: 'uri',
    example: 'https://openapi.alipay.com/gateway.do?method=alipay.trade.page.pay',
  })
  url?: string;
}

/** One part of a payment; a GIFT_CARD tender names its card, POINTS its points, PROVIDER its provider. */
export class TenderResponse {
  @ApiProperty({ enum: TENDER_TYPES }) type: TenderType;
  @ApiProperty({ type: 'integer', example: 4200 }) amountMinor: number;
  @ApiPropertyOptional({ description: 'GIFT_CARD only', example: 'GC-7Q4M-X2KD-9PLA' }) giftCardCode?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'POINTS only: how many points were spent', example: 500 }) points?: number;
  @ApiPropertyOptional({ enum: PAYMENT_PROVIDERS, description: 'PROVIDER only' }) provider?: PaymentProviderName;
  @ApiProperty({ enum: TENDER_STATES }) state: TenderStateName;
  @ApiProperty({ type: 'integer', example: 0 }) refundedMinor: number;
}

/** A payment of an order: SUCCEEDED at once without a provider part, PENDING until the provider answers with one. */
export class PaymentResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id: string;
  @ApiProperty({ description: 'Our serial number, the merchant reference providers see', example: 'P20261125000000042' }) serial: string;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) orderId: string;
  @ApiProperty({ enum: PAYMENT_STATES }) state: PaymentStateName;
  @ApiProperty({ type: 'integer', example: 12100 }) amountMinor: number;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ type: 'integer', example: 0 }) refundedMinor: number;
  @ApiProperty({ enum: [...PAYMENT_PROVIDERS, null], type: 'string', nullable: true, description: 'Null when no provider takes part' })
  provider: PaymentProviderName | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'The provider’s reference, once it gave one', example: 'sbx_pi_1f2e' })
  providerRef: string | null;
  @ApiProperty(nullableObject(ClientActionResponse, 'What the front end does next; null when nothing is left to do'))
  clientAction: ClientActionResponse | null;
  @ApiProperty({ type: () => [TenderResponse] }) tenders: TenderResponse[];
  @ApiProperty({ format: 'date-time', example: INSTANT_EXAMPLE }) createdAt: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: INSTANT_EXAMPLE }) succeededAt: string | null;
}

export class GiftCardHistoryEntryResponse {
  @ApiProperty({ enum: LEDGER_KINDS }) kind: LedgerKindName;
  @ApiProperty({ type: 'integer', description: 'The change of the balance: negative for a debit', example: -4200 }) amountMinor: number;
  @ApiProperty({ type: 'integer', example: 5800 }) balanceAfter: number;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: UUID_EXAMPLE }) orderId: string | null;
  @ApiProperty({ example: 'payment P20261125000000042' }) reason: string;
  @ApiProperty({ format: 'date-time', example: INSTANT_EXAMPLE }) at: string;
}

/** A gift card with its latest ledger rows, newest first. */
export class GiftCardResponse {
  @ApiProperty({ example: 'GC-7Q4M-X2KD-9PLA' }) code: string;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ type: 'integer', example: 10000 }) initialMinor: number;
  @ApiProperty({ type: 'integer', example: 5800 }) balanceMinor: number;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2027-12-31T23:59:59.000Z' }) expiresAt: string | null;
  @ApiProperty({ example: false }) expired: boolean;
  @ApiProperty({ format: 'date-time', example: INSTANT_EXAMPLE }) issuedAt: string;
  @ApiProperty({ type: () => [GiftCardHistoryEntryResponse] }) history: GiftCardHistoryEntryResponse[];
}

export class PointsHistoryEntryResponse {
  @ApiProperty({ enum: LEDGER_KINDS }) kind: LedgerKindName;
  @ApiProperty({ type: 'integer', description: 'The change of the balance: negative for a debit', example: 500 }) points: number;
  @ApiProperty({ type: 'integer', example: 1500 }) balanceAfter: number;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: null }) orderId: string | null;
  @ApiProperty({ example: 'birthday bonus' }) reason: string;
  @ApiProperty({ format: 'date-time', example: INSTANT_EXAMPLE }) at: string;
}

/** A shopper's points, the rate they are worth, and the latest ledger rows, newest first. */
export class PointsResponse {
  @ApiProperty({ example: 'alice' }) buyerId: string;
  @ApiProperty({ type: 'integer', example: 1500 }) balance: number;
  @ApiProperty({ type: 'integer', description: 'How many points pay one major unit of money', example: 100 }) pointsPerCurrencyUnit: number;
  @ApiProperty({ type: () => [PointsHistoryEntryResponse] }) history: PointsHistoryEntryResponse[];
}

/** A points grant: the ledger row it wrote (or, for a repeated grantId, the first one). */
export class PointsGrantResponse {
  @ApiProperty({ example: 'alice' }) buyerId: string;
  @ApiProperty({ type: 'integer', example: 500 }) points: number;
  @ApiProperty({ type: 'integer', example: 1500 }) balanceAfter: number;
  @ApiProperty({ type: 'string', nullable: true, example: 'birthday-2026-alice' }) grantId: string | null;
  @ApiProperty({ example: 'birthday bonus' }) reason: string;
  @ApiProperty({ format: 'date-time', example: INSTANT_EXAMPLE }) at: string;
}

/** The share of a refund that goes back to one tender. */
export class RefundPartResponse {
  @ApiProperty({ enum: TENDER_TYPES }) type: TenderType;
  @ApiProperty({ type: 'integer', example: 3000 }) amountMinor: number;
  @ApiProperty({ type: 'integer', nullable: true, example: null, description: 'POINTS: the points given back' }) points: number | null;
  @ApiProperty({ type: 'string', nullable: true, example: 'sandbox' }) provider: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: 'sbx_re_77aa' }) providerRef: string | null;
  @ApiProperty({ enum: REFUND_PART_STATES }) state: (typeof REFUND_PART_STATES)[number];
  @ApiProperty({ type: 'integer', example: 1 }) attempts: number;
  @ApiProperty({ type: 'string', nullable: true, example: null, description: 'Why the last attempt failed' }) lastError: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: INSTANT_EXAMPLE }) completedAt: string | null;
}

/** A refund along the original route, split over the tenders that paid. */
export class RefundResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id: string;
  @ApiProperty({ description: 'The requester’s refundId', example: '5f1c7e9e-refund-1' }) refundId: string;
  @ApiProperty({ example: 'R20261125000000043' }) serial: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: UUID_EXAMPLE }) paymentId: string | null;
  @ApiProperty({ type: 'integer', example: 3000 }) amountMinor: number;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ example: 'goodwill' }) reason: string;
  @ApiProperty({ enum: REFUND_SOURCES }) source: (typeof REFUND_SOURCES)[number];
  @ApiProperty({ enum: REFUND_STATES }) state: (typeof REFUND_STATES)[number];
  @ApiProperty({ type: 'string', nullable: true, example: null, description: 'Why the refund failed' }) failure: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: 'staff-7' }) requestedBy: string | null;
  @ApiProperty({ format: 'date-time', example: INSTANT_EXAMPLE }) createdAt: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: INSTANT_EXAMPLE }) completedAt: string | null;
  @ApiProperty({ type: () => [RefundPartResponse] }) parts: RefundPartResponse[];
}

/** Payments' copy of the order; CLOSED without amounts when its cancellation came first. */
export class PayableOrderResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) orderId: string;
  @ApiProperty({ type: 'string', nullable: true, example: 'alice' }) buyerId: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: 'CNY' }) currency: string | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 12100 }) payableMinor: number | null;
  @ApiProperty({ enum: ['OPEN', 'CLOSED'] }) state: 'OPEN' | 'CLOSED';
  @ApiProperty({ type: 'string', nullable: true, example: 'PAYMENT_WINDOW_ELAPSED' }) closeReason: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: INSTANT_EXAMPLE }) placedAt: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: INSTANT_EXAMPLE }) paymentDueAt: string | null;
  @ApiProperty({ format: 'date-time', example: INSTANT_EXAMPLE }) updatedAt: string;
}

/** One change of a payment's state. */
export class PaymentLogEntryResponse {
  @ApiProperty({ enum: [...PAYMENT_STATES, null], type: 'string', nullable: true }) from: PaymentStateName | null;
  @ApiProperty({ enum: PAYMENT_STATES }) to: PaymentStateName;
  @ApiProperty({ type: 'string', nullable: true, example: 'awaiting provider' }) reason: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'Facts of the change, free-form' })
  detail: Record<string, unknown> | null;
  @ApiProperty({ format: 'date-time', example: INSTANT_EXAMPLE }) at: string;
}

/** A verified provider callback, recorded once with what it did. */
export class ProviderEventResponse {
  @ApiProperty({ example: 'sandbox' }) provider: string;
  @ApiProperty({ example: 'evt_1' }) eventId: string;
  @ApiProperty({ description: 'The provider’s name for the event', example: 'charge.succeeded' }) providerType: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: UUID_EXAMPLE }) paymentId: string | null;
  @ApiProperty({ description: 'What the callback did (applied, ignored and why)', example: 'SUCCEEDED' }) outcome: string;
  @ApiProperty({ format: 'date-time', example: INSTANT_EXAMPLE }) receivedAt: string;
}

export class MoneyTrailPaymentResponse extends PaymentResponse {
  @ApiProperty({ type: () => [PaymentLogEntryResponse], description: 'Every change of state, oldest first' })
  log: PaymentLogEntryResponse[];
  @ApiProperty({ type: () => [ProviderEventResponse] }) providerEvents: ProviderEventResponse[];
}

/** A gift-card ledger row, as stored. */
export class GiftCardEntryResponse {
  @ApiProperty({ description: 'The row’s sequence number (a 64-bit integer, as text)', example: '17' }) id: string;
  @ApiProperty({ example: 'GC-7Q4M-X2KD-9PLA' }) code: string;
  @ApiProperty({ enum: LEDGER_KINDS }) kind: LedgerKindName;
  @ApiProperty({ type: 'integer', example: -4200 }) deltaMinor: number;
  @ApiProperty({ type: 'integer', example: 5800 }) balanceAfter: number;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: UUID_EXAMPLE }) orderId: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: UUID_EXAMPLE }) paymentId: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: null }) refundId: string | null;
  @ApiProperty({ example: 'payment P20261125000000042' }) reason: string;
  @ApiProperty({ format: 'date-time', example: INSTANT_EXAMPLE }) at: string;
}

/** A points ledger row, as stored. */
export class PointsEntryResponse {
  @ApiProperty({ description: 'The row’s sequence number (a 64-bit integer, as text)', example: '9' }) id: string;
  @ApiProperty({ example: 'alice' }) buyerId: string;
  @ApiProperty({ enum: LEDGER_KINDS }) kind: LedgerKindName;
  @ApiProperty({ type: 'integer', example: -500 }) deltaPoints: number;
  @ApiProperty({ type: 'integer', example: 1000 }) balanceAfter: number;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: UUID_EXAMPLE }) orderId: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: UUID_EXAMPLE }) paymentId: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: null }) refundId: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: null }) grantId: string | null;
  @ApiProperty({ example: 'payment P20261125000000042' }) reason: string;
  @ApiProperty({ format: 'date-time', example: INSTANT_EXAMPLE }) at: string;
}

/** Everything payments knows about the money of one order, for staff. */
export class MoneyTrailResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) orderId: string;
  @ApiProperty(nullableObject(PayableOrderResponse, 'Null when only payments or refunds name the order'))
  order: PayableOrderResponse | null;
  @ApiProperty({ type: () => [MoneyTrailPaymentResponse], description: 'Oldest first' }) payments: MoneyTrailPaymentResponse[];
  @ApiProperty({ type: () => [RefundResponse], description: 'Oldest first' }) refunds: RefundResponse[];
  @ApiProperty({ type: () => [GiftCardEntryResponse] }) giftCardEntries: GiftCardEntryResponse[];
  @ApiProperty({ type: () => [PointsEntryResponse] }) pointsEntries: PointsEntryResponse[];
}

/** One side of a settlement record: ours or the provider's. */
export class SettlementSideResponse {
  @ApiProperty({ type: 'integer', example: 12800 }) amountMinor: number;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ enum: SETTLEMENT_STATUSES }) status: (typeof SETTLEMENT_STATUSES)[number];
  @ApiProperty({ type: 'string', nullable: true, example: 'sbx_pi_1f2e' }) providerReference: string | null;
}

export class TheirSettlementSideResponse extends SettlementSideResponse {
  @ApiPropertyOptional({ type: 'integer', description: 'The line of the settlement file', example: 4 }) line?: number;
}

export class ReconciliationMismatchResponse {
  @ApiProperty({ enum: MISMATCH_KINDS }) kind: (typeof MISMATCH_KINDS)[number];
  @ApiProperty({ enum: SETTLEMENT_TYPES }) type: (typeof SETTLEMENT_TYPES)[number];
  @ApiProperty({ description: 'Our serial number (P… for a payment, R… for a refund)', example: 'P20261125000000042' })
  merchantReference: string;
  @ApiProperty(nullableObject(SettlementSideResponse, 'Null when we have no such record'))
  ours: SettlementSideResponse | null;
  @ApiProperty(nullableObject(TheirSettlementSideResponse, 'Null when the file has no such record'))
  theirs: TheirSettlementSideResponse | null;
  @ApiProperty({ example: 'ours 12800 CNY, theirs 12700 CNY' }) detail: string;
}

/** A stored reconciliation of one provider's settlement file for one day. */
export class ReconciliationReportResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id: string;
  @ApiProperty({ enum: PAYMENT_PROVIDERS }) provider: PaymentProviderName;
  @ApiProperty({ description: 'The settlement day, YYYY-MM-DD', example: '2026-11-25' }) settlementDate: string;
  @ApiProperty({ type: 'string', nullable: true, example: 'sandbox-2026-11-25.csv' }) fileName: string | null;
  @ApiProperty({ description: 'SHA-256 of the file, hex', example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' })
  fileSha256: string;
  @ApiProperty({ type: 'integer', description: 'Our provider records of the day', example: 12 }) oursCount: number;
  @ApiProperty({ type: 'integer', description: 'Records in the file', example: 12 }) theirsCount: number;
  @ApiProperty({ type: 'integer', example: 11 }) matchedCount: number;
  @ApiProperty({ type: () => [ReconciliationMismatchResponse] }) mismatches: ReconciliationMismatchResponse[];
  @ApiProperty({ type: 'string', nullable: true, example: 'staff-7' }) createdBy: string | null;
  @ApiProperty({ format: 'date-time', example: INSTANT_EXAMPLE }) createdAt: string;
}
