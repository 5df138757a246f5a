import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FULFILMENT_TYPES, type FulfilmentType, STOCK_POLICIES, type StockPolicy } from '../commerce.js';
import { COUPON_CODE_PATTERN, COUPON_KINDS, MANUAL_STOCK_MOVEMENT_KINDS, PROMOTION_KINDS } from './admin.requests.js';
import { CATALOG_ID_PATTERN, MAX_BASIS_POINTS } from './limits.js';
import { nullableObject } from './nullable-object.js';

/**
 * The answers of the back-office routes, exactly as inventory and orders put them on the wire
 * (the gateway relays them unchanged): money in integer minor units, timestamps as ISO 8601
 * strings, null where a value can be absent. A field is required when every answer has it.
 */

const ID = { pattern: CATALOG_ID_PATTERN.source } as const;
const TIMESTAMP = { type: String, format: 'date-time', example: '2025-03-01T09:30:00.000Z' } as const;
const MINOR = (example: number) => ({ type: 'integer', minimum: 1, example }) as const;

/** A merchant's customer-service contact: the fields it was given. */
export class MerchantCustomerServiceResponse {
  @ApiPropertyOptional({ example: '+86 (571) 8888-0000' }) phone?: string;
  @ApiPropertyOptional({ example: 'Mon–Fri 09:00–18:00 CST' }) hours?: string;
  @ApiPropertyOptional({ format: 'uri', example: 'https://chat.example.com/the-mall' }) chatUrl?: string;
}

/** PUT /api/v1/admin/merchants/:id */
export class MerchantResponse {
  @ApiProperty({ ...ID, example: 'the-mall' }) id: string;
  @ApiProperty({ example: 'The Mall' }) name: string;
  @ApiProperty({ enum: STOCK_POLICIES, description: 'The stock policy of the SKUs that do not choose their own' })
  defaultStockPolicy: StockPolicy;
  @ApiProperty(nullableObject(MerchantCustomerServiceResponse, 'How shoppers reach its customer service; null: no contact given'))
  customerService: MerchantCustomerServiceResponse | null;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: MAX_BASIS_POINTS,
    nullable: true,
    example: null,
    description: "The tax rate (basis points) of the SKUs that do not choose their own; null: inventory's DEFAULT_TAX_RATE_BASIS_POINTS",
  })
  defaultTaxRateBasisPoints: number | null;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: MAX_BASIS_POINTS,
    example: 1_300,
    description: 'The default in force: the merchant’s own or the setting',
  })
  effectiveDefaultTaxRateBasisPoints: number;
  @ApiProperty(TIMESTAMP) createdAt: string;
  @ApiProperty(TIMESTAMP) updatedAt: string;
}

/** PUT /api/v1/admin/warehouses/:id */
export class WarehouseResponse {
  @ApiProperty({ ...ID, example: 'east' }) id: string;
  @ApiProperty({ example: 'East' }) name: string;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'The merchant that runs it; null for one the mall operates' })
  merchantId: string | null;
  @ApiProperty({ enum: FULFILMENT_TYPES }) fulfilmentType: FulfilmentType;
  @ApiProperty(TIMESTAMP) createdAt: string;
  @ApiProperty(TIMESTAMP) updatedAt: string;
}

/** PUT, PATCH and GET /api/v1/admin/skus/:id */
export class SkuResponse {
  @ApiProperty({ ...ID, example: 'tea' }) id: string;
  @ApiProperty({ ...ID, example: 'the-mall' }) merchantId: string;
  @ApiProperty({ example: 'Tea' }) name: string;
  @ApiProperty({ type: 'integer', minimum: 0, example: 1_500, description: 'Unit price in minor units of `currency`' })
  priceMinor: number;
  @ApiProperty({ pattern: '^[A-Z]{3}$', example: 'CNY' }) currency: string;
  @ApiProperty({ example: true }) onShelf: boolean;
  @ApiProperty({ enum: FULFILMENT_TYPES }) fulfilmentType: FulfilmentType;
  @ApiProperty({
    type: String,
    enum: [...STOCK_POLICIES, null],
    nullable: true,
    example: null,
    description: "null: the merchant's default applies",
  })
  stockPolicy: StockPolicy | null;
  @ApiProperty({ enum: STOCK_POLICIES, description: 'The policy in force: the SKU’s own or its merchant’s default' })
  effectiveStockPolicy: StockPolicy;
  @ApiProperty({ example: false }) scarce: boolean;
  @ApiProperty({ type: 'integer', minimum: 1, nullable: true, example: null, description: 'Units one buyer may buy; null: no limit' })
  purchaseLimit: number | null;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: MAX_BASIS_POINTS,
    nullable: true,
    example: null,
    description: "The SKU's own tax rate in basis points (1300 = 13 %); null: the merchant's default applies",
  })
  taxRateBasisPoints: number | null;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: MAX_BASIS_POINTS,
    example: 1_300,
    description: 'The tax rate in force: the SKU’s own, its merchant’s default, or inventory’s DEFAULT_TAX_RATE_BASIS_POINTS',
  })
  effectiveTaxRateBasisPoints: number;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1, description: 'Bumped by every change of the SKU’s sellable facts' })
  revision: number;
  @ApiProperty(TIMESTAMP) createdAt: string;
  @ApiProperty(TIMESTAMP) updatedAt: string;
}

/** Units of one SKU: on hand, held for unpaid orders, and what is left to sell. */
export class StockTotalsResponse {
  @ApiProperty({ type: 'integer', minimum: 0, example: 10 }) onHand: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 2 }) held: number;
  @ApiProperty({ type: 'integer', example: 8, description: 'onHand - held' }) available: number;
}

/** Units of one SKU in one warehouse. */
export class StockLevelResponse extends StockTotalsResponse {
  @ApiProperty({ ...ID, example: 'east' }) warehouseId: string;
}

/** A warehouse's line of GET /api/v1/admin/skus/:id/stock. */
export class WarehouseStockResponse extends StockLevelResponse {
  @ApiProperty({ example: 'East' }) warehouseName: string;
  @ApiProperty({ enum: FULFILMENT_TYPES }) fulfilmentType: FulfilmentType;
}

/** GET /api/v1/admin/skus/:id/stock */
export class SkuStockResponse {
  @ApiProperty({ ...ID, example: 'tea' }) skuId: string;
  @ApiProperty({
    type: [WarehouseStockResponse],
    description: 'Each warehouse with a stock level of the SKU, by id; empty when it was never stocked',
  })
  warehouses: WarehouseStockResponse[];
  @ApiProperty({ type: StockTotalsResponse }) totals: StockTotalsResponse;
}

/**
 * A SKU on flash sale (marked `scarce`: its holds last SCARCE_HOLD_TTL_SECONDS), with its stock
 * and what the ledger says went out and came back.
 */
export class FlashSaleSkuResponse {
  @ApiProperty({ ...ID, example: 'mooncake-box' }) skuId: string;
  @ApiProperty({ example: 'Mooncake gift box' }) name: string;
  @ApiProperty({ ...ID, example: 'the-mall' }) merchantId: string;
  @ApiProperty({ type: 'integer', minimum: 0, example: 19_900, description: 'Unit price in minor units of `currency`' })
  priceMinor: number;
  @ApiProperty({ pattern: '^[A-Z]{3}$', example: 'CNY' }) currency: string;
  @ApiProperty({ example: true }) onShelf: boolean;
  @ApiProperty({ type: 'integer', minimum: 1, nullable: true, example: 2, description: 'Units one buyer may buy; null: no limit' })
  purchaseLimit: number | null;
  @ApiProperty({ type: 'integer', minimum: 0, example: 120, description: 'Units in the warehouses, held ones included' })
  onHand: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 30, description: 'Units held for placed, unpaid orders' }) held: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 90, description: 'onHand - held: what is left to sell' }) available: number;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    example: 380,
    description:
      'Units taken by paid orders (the ledger’s DEDUCTION rows with reason ORDER_PAID; an exchange’s replacement is not counted)',
  })
  sold: number;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    example: 4,
    description:
      'Units of paid orders back on the shelf (RETURN rows: stopped sub-orders, refused parcels, returns that passed inspection)',
  })
  returned: number;
  @ApiProperty({ type: [StockLevelResponse], description: 'Each warehouse with a stock level of the SKU, by id' })
  warehouses: StockLevelResponse[];
}

/** GET /api/v1/admin/flash-sale-skus */
export class FlashSaleSkuPageResponse {
  @ApiProperty({ type: [FlashSaleSkuResponse], description: 'By SKU id' }) items: FlashSaleSkuResponse[];
  @ApiProperty({ type: 'integer', example: 1 }) page: number;
  @ApiProperty({ type: 'integer', example: 50 }) pageSize: number;
  @ApiProperty({ type: 'integer', example: 3, description: 'Flash-sale SKUs in all' }) total: number;
}

/**
 * Every kind of ledger row: staff post receipts and adjustments, orders and after-sales cause the
 * others (RETURN: units of a paid order back on the shelf; DAMAGED: returned units that failed
 * inspection, booked without becoming sellable).
 */
export const STOCK_MOVEMENT_KINDS = [...MANUAL_STOCK_MOVEMENT_KINDS, 'HOLD', 'RELEASE', 'DEDUCTION', 'RETURN', 'DAMAGED'] as const;

/** One row of the stock ledger. */
export class StockMovementResponse {
  @ApiProperty({ pattern: '^[0-9]+$', example: '42', description: 'The ledger position (a 64-bit integer, as a string)' }) id: string;
  @ApiProperty({ ...ID, example: 'tea' }) skuId: string;
  @ApiProperty({ ...ID, example: 'east' }) warehouseId: string;
  @ApiProperty({ enum: STOCK_MOVEMENT_KINDS }) kind: (typeof STOCK_MOVEMENT_KINDS)[number];
  @ApiProperty({ type: 'integer', example: 10 }) onHandDelta: number;
  @ApiProperty({ type: 'integer', example: 0 }) heldDelta: number;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    example: 0,
    description:
      'Units booked as damaged (DAMAGED: returned goods that failed inspection; they never count as on hand); 0 for every other kind',
  })
  damagedDelta: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null, description: 'The order that caused it; null for staff' })
  orderId: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'opening stock',
    description:
      'Given by staff; for a return, why it came back (SUB_ORDER_STOPPED, PARCEL_RETURNED, AFTER_SALES); null for other order movements',
  })
  reason: string | null;
  @ApiProperty(TIMESTAMP) createdAt: string;
}

/** POST /api/v1/admin/stock/movements: the row written (or, on a replay, first written) and the level after it. */
export class RecordedStockMovementResponse {
  @ApiProperty({ type: StockMovementResponse }) movement: StockMovementResponse;
  @ApiProperty({ type: StockLevelResponse }) level: StockLevelResponse;
}

/**
 * A promotion rule as pricing applies it. Which fields are present depends on `kind`:
 * ITEM_AMOUNT_OFF skuId + amountOffPerUnitMinor; ITEM_PERCENT_OFF skuId + basisPoints;
 * THRESHOLD thresholdMinor + discountMinor; PERCENTAGE basisPoints, capMinor?, minSpendMinor?.
 */
export class PromotionRuleResponse {
  @ApiProperty({ ...ID, example: 'spring-sale' }) id: string;
  @ApiProperty({ enum: PROMOTION_KINDS }) kind: (typeof PROMOTION_KINDS)[number];
  @ApiPropertyOptional({ ...ID, example: 'tea' }) skuId?: string;
  @ApiPropertyOptional(MINOR(100)) amountOffPerUnitMinor?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_BASIS_POINTS, example: 1_000, description: '1 = 0.01 %' })
  basisPoints?: number;
  @ApiPropertyOptional(MINOR(10_000)) thresholdMinor?: number;
  @ApiPropertyOptional(MINOR(1_000)) discountMinor?: number;
  @ApiPropertyOptional(MINOR(5_000)) capMinor?: number;
  @ApiPropertyOptional(MINOR(2_000)) minSpendMinor?: number;
}

/** PUT /api/v1/admin/promotions/:id */
export class PromotionResponse {
  @ApiProperty({ ...ID, example: 'spring-sale' }) id: string;
  @ApiProperty({ type: PromotionRuleResponse }) rule: PromotionRuleResponse;
  @ApiProperty({ example: true }) active: boolean;
}

/** A coupon rule as pricing applies it: AMOUNT has amountMinor, PERCENT basisPoints. */
export class CouponRuleResponse {
  @ApiProperty({ pattern: COUPON_CODE_PATTERN.source, example: 'WELCOME10' }) code: string;
  @ApiProperty({ enum: COUPON_KINDS }) kind: (typeof COUPON_KINDS)[number];
  @ApiPropertyOptional(MINOR(1_000)) amountMinor?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_BASIS_POINTS, example: 1_000, description: '1 = 0.01 %' })
  basisPoints?: number;
  @ApiPropertyOptional(MINOR(2_000)) minSpendMinor?: number;
  @ApiPropertyOptional(MINOR(5_000)) capMinor?: number;
}

/** PUT /api/v1/admin/coupons/:code */
export class CouponResponse {
  @ApiProperty({ pattern: COUPON_CODE_PATTERN.source, example: 'WELCOME10' }) code: string;
  @ApiProperty({ type: CouponRuleResponse }) rule: CouponRuleResponse;
  @ApiProperty({ example: true }) active: boolean;
}
