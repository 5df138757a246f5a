import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  NotEquals,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CURRENCY_PATTERN, FULFILMENT_TYPES, type FulfilmentType, STOCK_POLICIES, type StockPolicy } from '../commerce.js';
import { CATALOG_ID_PATTERN, MAX_BASIS_POINTS, MAX_MONEY_MINOR, MAX_STOCK_UNITS } from './limits.js';
import { nullableObject } from './nullable-object.js';
import { StaffPageQuery } from './staff-page.query.js';

/**
 * The bodies of the back-office routes, as the gateway validates them before forwarding (the
 * owning service validates again). The same rules as the services', plus bounds on every
 * number: a request the service would refuse is refused at the edge with the same 400.
 */

const ID_MESSAGE = { message: '$property must be 1-100 characters of letters, digits, ".", "_", ":" or "-"' };
const CURRENCY_MESSAGE = { message: 'currency must be an ISO 4217 code such as EUR' };
/** Coupon codes are typed by shoppers: letters, digits and a few separators, at most 40. */
export const COUPON_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,39}$/;
const MAX_PURCHASE_LIMIT = 1_000_000;

/** A present value must be valid; absent leaves the field as it is; null is refused. */
const IfPresent = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

/** A SKU's own stock policy, or null for the merchant's default (PUT and PATCH alike). */
const OptionalStockPolicy = () =>
  applyDecorators(ApiPropertyOptional({ type: String, enum: STOCK_POLICIES, nullable: true }), IsOptional(), IsIn(STOCK_POLICIES));

/** The units one buyer may buy of a SKU, or null for no limit (PUT and PATCH alike). */
const OptionalPurchaseLimit = () =>
  applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PURCHASE_LIMIT, nullable: true, example: 2 }),
    IsOptional(),
    IsInt(),
    Min(1),
    Max(MAX_PURCHASE_LIMIT),
  );

/**
 * A tax rate in basis points (1 300 = 13 %), or null to inherit one (PUT and PATCH alike). Prices
 * are tax-inclusive: the rate says how much of them is tax (docs/domain.md §2).
 */
const OptionalTaxRate = (inherits: string) =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      minimum: 0,
      maximum: MAX_BASIS_POINTS,
      nullable: true,
      example: 1_300,
      description: `Basis points, 1300 = 13 %; absent or null: ${inherits}`,
    }),
    IsOptional(),
    IsInt(),
    Min(0),
    Max(MAX_BASIS_POINTS),
  );

/** An optional amount of money of at least one minor unit. */
const OptionalPositiveMinor = () =>
  applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_MONEY_MINOR, example: 1_000 }),
    IsOptional(),
    IsInt(),
    Min(1),
    Max(MAX_MONEY_MINOR),
  );

/** An optional share in basis points (1 = 0.01 %), at most 100 %. */
const OptionalBasisPoints = () =>
  applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_BASIS_POINTS, example: 1_000, description: '1 = 0.01 %' }),
    IsOptional(),
    IsInt(),
    Min(1),
    Max(MAX_BASIS_POINTS),
  );

/** `:id` of a merchant, warehouse, SKU or promotion. */
export class CatalogIdParam {
  @ApiProperty({ pattern: CATALOG_ID_PATTERN.source, example: 'tea' }) @Matches(CATALOG_ID_PATTERN, ID_MESSAGE) id: string;
}

/** `:code` of a coupon. */
export class CouponCodeParam {
  @ApiProperty({ pattern: COUPON_CODE_PATTERN.source, example: 'WELCOME10' })
  @Matches(COUPON_CODE_PATTERN, { message: 'code must be 1-40 characters of letters, digits, ".", "_", ":" or "-"' })
  code: string;
}

/** Digits, spaces, `+`, `-` and parentheses, with at least one digit. */
export const CUSTOMER_SERVICE_PHONE_PATTERN = /^[0-9 +()-]*[0-9][0-9 +()-]*$/;

/**
 * How shoppers reach a merchant's customer service (shown with their after-sales requests).
 * Every field is optional; an object with none is no contact.
 */
export class CustomerServiceContactRequest {
  @ApiPropertyOptional({ pattern: CUSTOMER_SERVICE_PHONE_PATTERN.source, maxLength: 40, example: '+86 (571) 8888-0000' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @Matches(CUSTOMER_SERVICE_PHONE_PATTERN, { message: 'phone must be digits, spaces, "+", "-" or parentheses' })
  phone?: string;
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    example: 'Mon–Fri 09:00–18:00 CST',
    description: 'Opening hours, as the merchant words them',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  hours?: string;
  @ApiPropertyOptional({ format: 'uri', maxLength: 500, example: 'https://chat.example.com/the-mall', description: 'An http(s) URL' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true }, { message: 'chatUrl must be an http or https URL' })
  chatUrl?: string;
}

/** PUT /api/v1/admin/merchants/:id — a whole merchant: an absent contact is none. */
export class PutMerchantRequest {
  @ApiProperty({ example: 'The Mall' }) @IsString() @Length(1, 200) name: string;
  @ApiProperty({ enum: STOCK_POLICIES }) @IsIn(STOCK_POLICIES) defaultStockPolicy: StockPolicy;
  @ApiPropertyOptional(
    nullableObject(
      CustomerServiceContactRequest,
      'The customer-service contact shoppers see with their after-sales requests; absent or null: none',
    ),
  )
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CustomerServiceContactRequest)
  customerService?: CustomerServiceContactRequest | null;
  @OptionalTaxRate("inventory's DEFAULT_TAX_RATE_BASIS_POINTS") defaultTaxRateBasisPoints?: number | null;
}

/** PUT /api/v1/admin/warehouses/:id */
export class PutWarehouseRequest {
  @ApiProperty({ example: 'East' }) @IsString() @Length(1, 200) name: string;
  /** Absent or null: a warehouse the mall operates. Required for DROP_SHIP. */
  @ApiPropertyOptional({ type: String, pattern: CATALOG_ID_PATTERN.source, nullable: true, example: null })
  @IsOptional()
  @Matches(CATALOG_ID_PATTERN, ID_MESSAGE)
  merchantId?: string | null;
  @ApiProperty({ enum: FULFILMENT_TYPES }) @IsIn(FULFILMENT_TYPES) fulfilmentType: FulfilmentType;
}

/** PUT /api/v1/admin/skus/:id — a whole SKU: absent optional fields are reset. */
export class PutSkuRequest {
  @ApiProperty({ pattern: CATALOG_ID_PATTERN.source, example: 'the-mall' }) @Matches(CATALOG_ID_PATTERN, ID_MESSAGE) merchantId: string;
  @ApiProperty({ example: 'Tea' }) @IsString() @Length(1, 200) name: string;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_MONEY_MINOR, example: 1_500, description: 'Unit price in minor units' })
  @IsInt()
  @Min(0)
  @Max(MAX_MONEY_MINOR)
  priceMinor: number;
  @ApiProperty({ pattern: CURRENCY_PATTERN.source, example: 'CNY' }) @Matches(CURRENCY_PATTERN, CURRENCY_MESSAGE) currency: string;
  @ApiProperty({ example: true }) @IsBoolean() onShelf: boolean;
  @ApiProperty({ enum: FULFILMENT_TYPES }) @IsIn(FULFILMENT_TYPES) fulfilmentType: FulfilmentType;
  @OptionalStockPolicy() stockPolicy?: StockPolicy | null;
  @ApiPropertyOptional({
    example: false,
    description: 'Scarce stock (a flash sale): an order holding it gets the short hold, SCARCE_HOLD_TTL_SECONDS',
  })
  @IsOptional()
  @IsBoolean()
  scarce?: boolean;
  @OptionalPurchaseLimit() purchaseLimit?: number | null;
  @OptionalTaxRate("the merchant's default") taxRateBasisPoints?: number | null;
}

/** PATCH /api/v1/admin/skus/:id — some fields; stockPolicy, purchaseLimit and taxRateBasisPoints accept null (clear). */
export class PatchSkuRequest {
  @ApiPropertyOptional({ example: 'West Lake Longjing tea, 250 g' }) @IfPresent() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_MONEY_MINOR, example: 1_500 })
  @IfPresent()
  @IsInt()
  @Min(0)
  @Max(MAX_MONEY_MINOR)
  priceMinor?: number;
  @ApiPropertyOptional({ pattern: CURRENCY_PATTERN.source, example: 'CNY' })
  @IfPresent()
  @Matches(CURRENCY_PATTERN, CURRENCY_MESSAGE)
  currency?: string;
  @ApiPropertyOptional({ example: false }) @IfPresent() @IsBoolean() onShelf?: boolean;
  @ApiPropertyOptional({ enum: FULFILMENT_TYPES }) @IfPresent() @IsIn(FULFILMENT_TYPES) fulfilmentType?: FulfilmentType;
  @OptionalStockPolicy() stockPolicy?: StockPolicy | null;
  @ApiPropertyOptional({ example: true }) @IfPresent() @IsBoolean() scarce?: boolean;
  @OptionalPurchaseLimit() purchaseLimit?: number | null;
  @OptionalTaxRate("the merchant's default") taxRateBasisPoints?: number | null;
}

export const MANUAL_STOCK_MOVEMENT_KINDS = ['RECEIPT', 'ADJUSTMENT'] as const;

/** POST /api/v1/admin/stock/movements — a receipt (quantity > 0) or a signed adjustment. */
export class PostStockMovementRequest {
  @ApiProperty({ pattern: CATALOG_ID_PATTERN.source, example: 'tea' }) @Matches(CATALOG_ID_PATTERN, ID_MESSAGE) skuId: string;
  @ApiProperty({ pattern: CATALOG_ID_PATTERN.source, example: 'east' }) @Matches(CATALOG_ID_PATTERN, ID_MESSAGE) warehouseId: string;
  @ApiProperty({ enum: MANUAL_STOCK_MOVEMENT_KINDS }) @IsIn(MANUAL_STOCK_MOVEMENT_KINDS) kind: (typeof MANUAL_STOCK_MOVEMENT_KINDS)[number];
  @ApiProperty({
    type: 'integer',
    minimum: -MAX_STOCK_UNITS,
    maximum: MAX_STOCK_UNITS,
    example: 10,
    description: 'Not 0; positive for a RECEIPT',
  })
  @IsInt()
  @NotEquals(0)
  @Min(-MAX_STOCK_UNITS)
  @Max(MAX_STOCK_UNITS)
  quantity: number;
  @ApiProperty({ example: 'opening stock' }) @IsString() @Length(1, 500) reason: string;
}

/** GET /api/v1/admin/stock/movements */
export class StockMovementsQuery {
  @ApiPropertyOptional({ pattern: CATALOG_ID_PATTERN.source, example: 'tea', description: 'Only this SKU’s rows' })
  @IsOptional()
  @Matches(CATALOG_ID_PATTERN, ID_MESSAGE)
  skuId?: string;
  @ApiPropertyOptional({ pattern: CATALOG_ID_PATTERN.source, example: 'east', description: 'Only this warehouse’s rows' })
  @IsOptional()
  @Matches(CATALOG_ID_PATTERN, ID_MESSAGE)
  warehouseId?: string;
  @ApiPropertyOptional({ format: 'uuid', example: '9b2f0c3e-5d1a-4e8b-8f2c-6a7d3e1b0c55', description: 'Only the rows this order caused' })
  @IsOptional()
  @IsUUID()
  orderId?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100, example: 100, description: 'The newest this many rows' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

/** GET /api/v1/admin/flash-sale-skus */
export class FlashSaleSkusQuery extends StaffPageQuery {}

export const PROMOTION_KINDS = ['ITEM_AMOUNT_OFF', 'ITEM_PERCENT_OFF', 'THRESHOLD', 'PERCENTAGE'] as const;

/** PUT /api/v1/admin/promotions/:id — which fields a kind needs is checked by orders (422). */
export class PutPromotionRequest {
  @ApiProperty({ enum: PROMOTION_KINDS }) @IsIn(PROMOTION_KINDS) kind: (typeof PROMOTION_KINDS)[number];
  @ApiProperty({ example: true }) @IsBoolean() active: boolean;
  /** A SKU id as inventory takes it: nothing else can name a SKU. */
  @ApiPropertyOptional({ pattern: CATALOG_ID_PATTERN.source, example: 'tea' })
  @IsOptional()
  @Matches(CATALOG_ID_PATTERN, ID_MESSAGE)
  skuId?: string;
  @OptionalPositiveMinor() amountOffPerUnitMinor?: number;
  @OptionalBasisPoints() basisPoints?: number;
  @OptionalPositiveMinor() thresholdMinor?: number;
  @OptionalPositiveMinor() discountMinor?: number;
  @OptionalPositiveMinor() capMinor?: number;
  @OptionalPositiveMinor() minSpendMinor?: number;
}

export const COUPON_KINDS = ['AMOUNT', 'PERCENT'] as const;

/** PUT /api/v1/admin/coupons/:code */
export class PutCouponRequest {
  @ApiProperty({ enum: COUPON_KINDS }) @IsIn(COUPON_KINDS) kind: (typeof COUPON_KINDS)[number];
  @ApiProperty({ example: true }) @IsBoolean() active: boolean;
  @OptionalPositiveMinor() amountMinor?: number;
  @OptionalBasisPoints() basisPoints?: number;
  @OptionalPositiveMinor() minSpendMinor?: number;
  @OptionalPositiveMinor() capMinor?: number;
}
