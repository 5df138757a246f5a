import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import { CURRENCY_PATTERN } from '../commerce.js';
import { MAX_MONEY_MINOR } from './limits.js';

/** The bodies of the payments API: validated by the gateway and again by payments. */

export const PAYMENT_PROVIDERS = ['sandbox', 'stripe', 'alipay'] as const;
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];

export const TENDER_TYPES = ['GIFT_CARD', 'POINTS', 'PROVIDER'] as const;
export type TenderType = (typeof TENDER_TYPES)[number];

/** Gift card codes: 6–32 upper-case letters, digits and dashes. */
export const GIFT_CARD_CODE_PATTERN = /^[A-Z0-9-]{6,32}$/;

const FIELDS_OF: Record<TenderType, readonly string[]> = {
  GIFT_CARD: ['type', 'code', 'amountMinor'],
  POINTS: ['type', 'points'],
  PROVIDER: ['type', 'provider', 'amountMinor'],
};

/** A tender carries exactly the fields of its type: `{ type: 'POINTS', code: … }` is refused. */
function OnlyFieldsOfItsType(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'onlyFieldsOfItsType',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate(type: unknown, args: ValidationArguments): boolean {
          const allowed = FIELDS_OF[type as TenderType];
          if (!allowed) return true; // @IsIn reports it
          return Object.entries(args.object).every(([field, value]) => value === undefined || allowed.includes(field));
        },
        defaultMessage(args: ValidationArguments): string {
          return `a ${String(args.value)} tender has only the fields ${(FIELDS_OF[args.value as TenderType] ?? []).join(', ')}`;
        },
      },
    });
}

/**
 * One part of a payment. `GIFT_CARD`: `code`, `amountMinor`; `POINTS`: `points` (their value
 * comes from the configured rate); `PROVIDER`: `provider`, `amountMinor`.
 */
export class TenderRequest {
  @ApiProperty({ enum: TENDER_TYPES }) @IsIn(TENDER_TYPES) @OnlyFieldsOfItsType() type: TenderType;

  @ApiPropertyOptional({ description: 'GIFT_CARD: the card code', example: 'GC-7Q4M-X2KD-9PLA' })
  @ValidateIf((tender: TenderRequest) => tender.type === 'GIFT_CARD')
  @Matches(GIFT_CARD_CODE_PATTERN)
  code?: string;

  @ApiPropertyOptional({
    description: 'GIFT_CARD and PROVIDER: minor units',
    type: 'integer',
    minimum: 1,
    maximum: MAX_MONEY_MINOR,
    example: 4200,
  })
  @ValidateIf((tender: TenderRequest) => tender.type === 'GIFT_CARD' || tender.type === 'PROVIDER')
  @IsInt()
  @Min(1)
  @Max(MAX_MONEY_MINOR)
  amountMinor?: number;

  @ApiPropertyOptional({
    description: 'POINTS: how many points to spend',
    type: 'integer',
    minimum: 1,
    maximum: MAX_MONEY_MINOR,
    example: 500,
  })
  @ValidateIf((tender: TenderRequest) => tender.type === 'POINTS')
  @IsInt()
  @Min(1)
  @Max(MAX_MONEY_MINOR)
  points?: number;

  @ApiPropertyOptional({ enum: PAYMENT_PROVIDERS, description: 'PROVIDER: which external provider' })
  @ValidateIf((tender: TenderRequest) => tender.type === 'PROVIDER')
  @IsIn(PAYMENT_PROVIDERS)
  provider?: PaymentProviderName;
}

/** POST /api/v1/orders/:id/payments — the tenders must add up exactly to the order's payable amount. */
export class PayOrderRequest {
  @ApiProperty({ type: [TenderRequest] })
  @IsArray()
  @IsObject({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => TenderRequest)
  tenders: TenderRequest[];
}

/** `:code` of a gift card. */
export class GiftCardCodeParam {
  @ApiProperty({ pattern: GIFT_CARD_CODE_PATTERN.source, example: 'GC-7Q4M-X2KD-9PLA', description: 'The gift card’s code' })
  @Matches(GIFT_CARD_CODE_PATTERN, { message: 'code must be 6-32 characters of A-Z, 0-9 and -' })
  code: string;
}

/** POST /api/v1/admin/gift-cards */
export class IssueGiftCardRequest {
  @ApiPropertyOptional({ description: 'Generated when absent', example: 'GC-7Q4M-X2KD-9PLA' })
  @IsOptional()
  @Matches(GIFT_CARD_CODE_PATTERN)
  code?: string;
  @ApiProperty({ example: 'CNY' }) @Matches(CURRENCY_PATTERN) currency: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100_000_000, example: 10000 })
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  amountMinor: number;
  @ApiPropertyOptional({ example: '2027-12-31T23:59:59Z' }) @IsOptional() @IsISO8601() expiresAt?: string;
}

/** POST /api/v1/admin/points/grants */
export class GrantPointsRequest {
  @ApiProperty({ example: 'shopper-1001' }) @IsString() @Length(1, 200) buyerId: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1_000_000_000, example: 300 }) @IsInt() @Min(1) @Max(1_000_000_000) points: number;
  @ApiProperty({ example: 'birthday bonus' }) @IsString() @Length(1, 200) reason: string;
  /** Makes a retried grant a no-op; defaults to a new grant every time. */
  @ApiPropertyOptional({ description: 'Idempotency handle: the same grantId grants once', example: 'welcome-shopper-1001' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  grantId?: string;
}

/** POST /api/v1/admin/orders/:id/refunds */
export class RefundOrderRequest {
  /** Idempotency handle: the same refundId refunds once; with another body it is refused (422). */
  @ApiProperty({ example: '5f1c7e9e-refund-1' }) @IsString() @Length(1, 200) refundId: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_MONEY_MINOR, example: 1500 })
  @IsInt()
  @Min(1)
  @Max(MAX_MONEY_MINOR)
  amountMinor: number;
  @ApiProperty({ example: 'goodwill' }) @IsString() @Length(1, 200) reason: string;
  /** Defaults to the order's captured payment. */
  @ApiPropertyOptional({ format: 'uuid', example: '7d0c8a52-1f7e-4b9a-9a0e-3c2b1d4e5f60' }) @IsOptional() @IsUUID() paymentId?: string;
}

/** POST /api/v1/admin/reconciliations — the provider's settlement file for one day (format: docs/payments.md). */
export class ReconciliationRequest {
  @ApiProperty({ enum: PAYMENT_PROVIDERS }) @IsIn(PAYMENT_PROVIDERS) provider: PaymentProviderName;
  @ApiProperty({ example: '2026-11-25' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  @IsISO8601({ strict: true }, { message: 'date must be a calendar date' })
  date: string;
  @ApiProperty({
    description: 'The settlement CSV, as text',
    example: 'reference,amount_minor,currency,fee_minor\nP20261125000000001,4200,CNY,25\n',
  })
  @IsString()
  @MaxLength(20_000_000)
  csv: string;
  @ApiPropertyOptional({ example: 'sandbox-2026-11-25.csv' }) @IsOptional() @IsString() @Length(1, 200) fileName?: string;
}
