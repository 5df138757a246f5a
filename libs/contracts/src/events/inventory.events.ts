import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { MAX_BASIS_POINTS } from '../api/limits.js';
import { CURRENCY_PATTERN, FULFILMENT_TYPES, type FulfilmentType, STOCK_POLICIES, type StockPolicy } from '../commerce.js';
import { defineEvent } from '../event-registry.js';
import { Topics } from '../topics.js';

/** The sellable facts of a SKU; orders keeps a copy of them to price and check orders. */
export class SkuUpsertedV1 {
  @IsString() skuId: string;
  @IsString() merchantId: string;
  @IsString() name: string;
  @IsInt() @Min(0) priceMinor: number;
  @Matches(CURRENCY_PATTERN) currency: string;
  @IsBoolean() onShelf: boolean;
  @IsIn(FULFILMENT_TYPES) fulfilmentType: FulfilmentType;
  @IsIn(STOCK_POLICIES) stockPolicy: StockPolicy;
  @IsBoolean() scarce: boolean;
  /** Most units one shopper may have in open or paid orders; absent = no limit. */
  @IsOptional() @IsInt() @Min(1) purchaseLimit?: number;
  /**
   * The tax rate in force, in basis points (1 300 = 13 %): the SKU's own, else its merchant's
   * default, else inventory's DEFAULT_TAX_RATE_BASIS_POINTS. Prices include it. Absent: published
   * before rates were kept.
   */
  @IsOptional() @IsInt() @Min(0) @Max(MAX_BASIS_POINTS) taxRateBasisPoints?: number;
  /** Increases with every change, so a late copy never overwrites a newer one. */
  @IsInt() @Min(1) revision: number;
}

export const skuUpserted = defineEvent({
  type: 'sku.upserted',
  version: 1,
  topic: Topics.inventory,
  payload: SkuUpsertedV1,
  description: 'A SKU was created or changed (price, shelf state, policy, limit, tax rate). Key: skuId.',
});

/** How a merchant's customer service is reached; shown to shoppers with their after-sales requests. */
export class CustomerServiceContactV1 {
  @IsOptional() @IsString() phone?: string;
  /** Opening hours as the merchant words them ("Mon–Fri 09:00–18:00 CST"). */
  @IsOptional() @IsString() hours?: string;
  @IsOptional() @IsString() chatUrl?: string;
}

export class MerchantUpsertedV1 {
  @IsString() merchantId: string;
  @IsString() name: string;
  @IsOptional() @ValidateNested() @Type(() => CustomerServiceContactV1) customerService?: CustomerServiceContactV1;
  /** When the merchant was last changed: a reader keeps the newest. */
  @IsISO8601() changedAt: string;
}

export const merchantUpserted = defineEvent({
  type: 'merchant.upserted',
  version: 1,
  topic: Topics.inventory,
  payload: MerchantUpsertedV1,
  description: 'A merchant was created or changed in the catalog (name, customer-service contact). Key: merchantId.',
});

export class StockAllocationV1 {
  @IsString() lineId: string;
  @IsString() skuId: string;
  @IsString() warehouseId: string;
  @IsInt() @Min(1) quantity: number;
}

export class StockReservedV1 {
  @IsUUID() orderId: string;
  /** Where each reserve-on-order line is held; a line may be served by several warehouses. */
  @ValidateNested({ each: true }) @Type(() => StockAllocationV1) allocations: StockAllocationV1[];
  @IsISO8601() expiresAt: string;
}

export const stockReserved = defineEvent({
  type: 'stock.reserved',
  version: 1,
  topic: Topics.inventory,
  payload: StockReservedV1,
  description: 'Every reserve-on-order line of an order is held (possibly none: then allocations is empty). Key: orderId.',
});

export const STOCK_FAILURE_REASONS = ['INSUFFICIENT_STOCK', 'OFF_SHELF', 'UNKNOWN_SKU'] as const;
export type StockFailureReason = (typeof STOCK_FAILURE_REASONS)[number];

export class StockShortageV1 {
  @IsString() skuId: string;
  @IsIn(STOCK_FAILURE_REASONS) reason: StockFailureReason;
  @IsInt() @Min(0) requested: number;
  @IsInt() @Min(0) available: number;
}

export class StockReservationFailedV1 {
  @IsUUID() orderId: string;
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => StockShortageV1) shortages: StockShortageV1[];
}

export const stockReservationFailed = defineEvent({
  type: 'stock.reservation-failed',
  version: 1,
  topic: Topics.inventory,
  payload: StockReservationFailedV1,
  description:
    'Some line of an order cannot be served by the stock (held lines and deduct-on-payment lines alike); nothing was held. Key: orderId.',
});

export const STOCK_RELEASE_REASONS = ['ORDER_CANCELLED', 'HOLD_EXPIRED'] as const;
export type StockReleaseReason = (typeof STOCK_RELEASE_REASONS)[number];

export class StockReleasedV1 {
  @IsUUID() orderId: string;
  @IsIn(STOCK_RELEASE_REASONS) reason: StockReleaseReason;
  @ValidateNested({ each: true }) @Type(() => StockAllocationV1) allocations: StockAllocationV1[];
}

export const stockReleased = defineEvent({
  type: 'stock.released',
  version: 1,
  topic: Topics.inventory,
  payload: StockReleasedV1,
  description: 'The holds of an order went back to available stock (cancel or expiry). Published once per order. Key: orderId.',
});

export class StockDeductedV1 {
  @IsUUID() orderId: string;
  /** Final warehouse of every line, held ones and deduct-on-payment ones alike. */
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => StockAllocationV1) allocations: StockAllocationV1[];
}

export const stockDeducted = defineEvent({
  type: 'stock.deducted',
  version: 1,
  topic: Topics.inventory,
  payload: StockDeductedV1,
  description: 'A paid order’s stock left the books: holds were consumed and deduct-on-payment lines deducted. Key: orderId.',
});

export class StockDeductionFailedV1 {
  @IsUUID() orderId: string;
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => StockShortageV1) shortages: StockShortageV1[];
}

export const stockDeductionFailed = defineEvent({
  type: 'stock.deduction-failed',
  version: 1,
  topic: Topics.inventory,
  payload: StockDeductionFailedV1,
  description:
    'A paid order could not get its stock (deduct-on-payment sold out); nothing was deducted and any holds were released. Key: orderId.',
});

export class ReplacementLineV1 {
  @IsUUID() lineId: string;
  @IsString() skuId: string;
  @IsString() skuName: string;
  @IsInt() @Min(1) quantity: number;
}

export class ReplacementStockDeductedV1 {
  @IsUUID() orderId: string;
  @IsUUID() requestId: string;
  @IsUUID() replacementSubOrderId: string;
  /** The one warehouse every unit is deducted from, and what kind of fulfilment it is. */
  @IsString() warehouseId: string;
  @IsString() merchantId: string;
  @IsIn(FULFILMENT_TYPES) fulfilmentType: FulfilmentType;
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => ReplacementLineV1) lines: ReplacementLineV1[];
  @IsISO8601() deductedAt: string;
}

export const replacementStockDeducted = defineEvent({
  type: 'replacement.stock-deducted',
  version: 1,
  topic: Topics.inventory,
  payload: ReplacementStockDeductedV1,
  description:
    'The replacement of an exchange was deducted from one warehouse (a DEDUCTION movement); logistics makes it a sub-order of the order that ships like any other. Key: orderId.',
});

export class ReplacementStockUnavailableV1 {
  @IsUUID() orderId: string;
  @IsUUID() requestId: string;
  @IsUUID() replacementSubOrderId: string;
  /** The SKUs no single warehouse of the merchant has enough of. */
  @ArrayMinSize(1) @IsString({ each: true }) skuIds: string[];
  @IsISO8601() failedAt: string;
}

export const replacementStockUnavailable = defineEvent({
  type: 'replacement.stock-unavailable',
  version: 1,
  topic: Topics.inventory,
  payload: ReplacementStockUnavailableV1,
  description:
    'No warehouse of the merchant holds the whole replacement of an exchange: nothing was deducted; after-sales refunds instead. Key: orderId.',
});

export const INVENTORY_EVENTS = [
  replacementStockDeducted,
  replacementStockUnavailable,
  merchantUpserted,
  skuUpserted,
  stockReserved,
  stockReservationFailed,
  stockReleased,
  stockDeducted,
  stockDeductionFailed,
];
