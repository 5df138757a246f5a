import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CURRENCY_PATTERN } from '../commerce.js';
import { defineEvent } from '../event-registry.js';
import { Topics } from '../topics.js';

export class PaymentSucceededV1 {
  @IsUUID() orderId: string;
  @IsString() paymentId: string;
  @IsInt() @Min(1) amountMinor: number;
  @Matches(CURRENCY_PATTERN) currency: string;
  @IsISO8601() succeededAt: string;
}

export const paymentSucceeded = defineEvent({
  type: 'payment.succeeded',
  version: 1,
  topic: Topics.payments,
  payload: PaymentSucceededV1,
  description: 'The money for a parent order was captured in full. Key: orderId.',
});

/**
 * PROVIDER_DECLINED: the external provider reported the charge failed or was abandoned.
 * ORDER_CLOSED: the order closed while the provider part was still pending.
 * PROVIDER_ERROR: the provider could not even start the charge.
 * SUPERSEDED: the shopper started another payment of the order while this one still waited
 *   for its provider (an abandoned payment page, say).
 */
export const PAYMENT_FAILURE_REASONS = ['PROVIDER_DECLINED', 'ORDER_CLOSED', 'PROVIDER_ERROR', 'SUPERSEDED'] as const;
export type PaymentFailureReason = (typeof PAYMENT_FAILURE_REASONS)[number];

export class PaymentFailedV1 {
  @IsUUID() orderId: string;
  @IsString() paymentId: string;
  @IsInt() @Min(1) amountMinor: number;
  @Matches(CURRENCY_PATTERN) currency: string;
  @IsIn(PAYMENT_FAILURE_REASONS) reason: PaymentFailureReason;
  @IsISO8601() failedAt: string;
}

export const paymentFailed = defineEvent({
  type: 'payment.failed',
  version: 1,
  topic: Topics.payments,
  payload: PaymentFailedV1,
  description:
    'A payment attempt ended without capturing the money; its gift-card and points debits were credited back. The order stays payable unless it closed. Key: orderId.',
});

export const REFUND_TENDER_TYPES = ['PROVIDER', 'GIFT_CARD', 'POINTS'] as const;
export type RefundTenderType = (typeof REFUND_TENDER_TYPES)[number];

export class RefundPartV1 {
  @IsIn(REFUND_TENDER_TYPES) tender: RefundTenderType;
  @IsInt() @Min(1) amountMinor: number;
  /** sandbox, stripe or alipay for a PROVIDER part. */
  @IsOptional() @IsString() provider?: string;
  /** Points credited back, for a POINTS part. */
  @IsOptional() @IsInt() @Min(0) points?: number;
}

export class RefundSucceededV1 {
  @IsUUID() orderId: string;
  /** The refundId of the request (refund.requested, after-sales.refund-requested, the staff API) or `auto:<paymentId>`. */
  @IsString() refundId: string;
  @IsString() paymentId: string;
  @IsInt() @Min(1) amountMinor: number;
  @Matches(CURRENCY_PATTERN) currency: string;
  /** The request's reason (a REFUND_REASONS value, AFTER_SALES, a staff reason, or CAPTURED_AFTER_CLOSE / CAPTURED_AFTER_FAILURE). */
  @IsString() @MaxLength(200) reason: string;
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => RefundPartV1) parts: RefundPartV1[];
  @IsISO8601() succeededAt: string;
}

export const refundSucceeded = defineEvent({
  type: 'refund.succeeded',
  version: 1,
  topic: Topics.payments,
  payload: RefundSucceededV1,
  description: 'Money went back along the original route (provider, gift cards, points), each part at most what it paid. Key: orderId.',
});

export const REFUND_FAILURE_REASONS = ['NOTHING_TO_REFUND', 'EXCEEDS_REFUNDABLE', 'CURRENCY_MISMATCH', 'PROVIDER_REFUSED'] as const;
export type RefundFailureReason = (typeof REFUND_FAILURE_REASONS)[number];

export class RefundFailedV1 {
  @IsUUID() orderId: string;
  @IsString() refundId: string;
  @IsOptional() @IsString() paymentId?: string;
  @IsInt() @Min(1) amountMinor: number;
  @Matches(CURRENCY_PATTERN) currency: string;
  @IsIn(REFUND_FAILURE_REASONS) reason: RefundFailureReason;
  /** What was given back before the failure (internal tenders already credited), usually 0. */
  @IsInt() @Min(0) refundedMinor: number;
  @IsOptional() @IsString() @MaxLength(500) detail?: string;
  @IsISO8601() failedAt: string;
}

export const refundFailed = defineEvent({
  type: 'refund.failed',
  version: 1,
  topic: Topics.payments,
  payload: RefundFailedV1,
  description: 'A refund could not be made (nothing paid, more than refundable, provider refused). Key: orderId.',
});

export const PAYMENT_EVENTS = [paymentSucceeded, paymentFailed, refundSucceeded, refundFailed];
