import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  AFTER_SALES_REASONS,
  AFTER_SALES_STATES,
  AFTER_SALES_TYPES,
  type AfterSalesReason,
  type AfterSalesState,
  type AfterSalesType,
  WAREHOUSE_RETURN_STATES,
  type WarehouseReturnState,
} from '../after-sales.js';
import { CATALOG_ID_PATTERN, MAX_STOCK_UNITS } from './limits.js';
import { CARRIER_CODE_PATTERN, TRACKING_NUMBER_PATTERN } from './logistics.requests.js';
import { StaffPageQuery } from './staff-page.query.js';

/**
 * The bodies and queries of the after-sales routes, as the gateway validates them before
 * forwarding them to after-sales (which validates them again). docs/domain.md §8.
 */

const MAX_REQUEST_LINES = 50;

/** Units of one line in the sub-order that delivered them. */
export class AfterSalesLineRequest {
  @ApiProperty({
    format: 'uuid',
    example: '9b2f0c3e-5d1a-4e8b-8f2c-6a7d3e1b0c55',
    description: 'The sub-order that delivered the units (the order’s `subOrders[].id`)',
  })
  @IsUUID()
  subOrderId: string;
  @ApiProperty({ format: 'uuid', example: '4d7c2a91-0b3e-4f6a-9c58-1e2d3f4a5b6c', description: 'The order line' }) @IsUUID() lineId: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_STOCK_UNITS, example: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_STOCK_UNITS)
  quantity: number;
  @ApiPropertyOptional({
    pattern: CATALOG_ID_PATTERN.source,
    example: 'tea-250g-green',
    description:
      'EXCHANGE only: the SKU to send instead, a variant of the same merchant at the same unit price (default: the same SKU). A different price is refused: return the goods and order the other SKU.',
  })
  @IsOptional()
  @Matches(CATALOG_ID_PATTERN, { message: 'replacementSkuId must be 1-100 characters of letters, digits, ".", "_", ":" or "-"' })
  replacementSkuId?: string;
}

/** POST /api/v1/orders/{id}/after-sales */
export class CreateAfterSalesRequest {
  @ApiProperty({ enum: AFTER_SALES_TYPES }) @IsIn(AFTER_SALES_TYPES) type: AfterSalesType;
  @ApiProperty({
    enum: AFTER_SALES_REASONS,
    description:
      'Every reason but CHANGED_MIND is the seller’s fault (the answer’s `sellerAtFault`): the merchant then pays the return shipping and the shipping fee is refunded with the units. NOT_RECEIVED is for REFUND_ONLY of a parcel that never arrived.',
  })
  @IsIn(AFTER_SALES_REASONS)
  reason: AfterSalesReason;
  @ApiProperty({ type: () => [AfterSalesLineRequest], minItems: 1, maxItems: MAX_REQUEST_LINES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_REQUEST_LINES)
  @ValidateNested({ each: true })
  @Type(() => AfterSalesLineRequest)
  lines: AfterSalesLineRequest[];
  @ApiPropertyOptional({ maxLength: 1000, example: 'The lid was cracked on arrival' })
  @IsOptional()
  @IsString()
  @Length(0, 1000)
  description?: string;
}

/** GET /api/v1/admin/after-sales: customer service's queue. */
export class AfterSalesQueueQuery extends StaffPageQuery {
  @ApiPropertyOptional({ enum: AFTER_SALES_STATES, description: 'Only requests in this state (default: those waiting for a decision)' })
  @IsOptional()
  @IsIn(AFTER_SALES_STATES)
  state?: AfterSalesState;
  @ApiPropertyOptional({ enum: AFTER_SALES_TYPES }) @IsOptional() @IsIn(AFTER_SALES_TYPES) type?: AfterSalesType;
  @ApiPropertyOptional({ pattern: CATALOG_ID_PATTERN.source, example: 'the-mall' })
  @IsOptional()
  @Matches(CATALOG_ID_PATTERN, { message: 'merchantId must be 1-100 characters of letters, digits, ".", "_", ":" or "-"' })
  merchantId?: string;
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 365 * 24 * 3600,
    example: 3600,
    description: 'Only requests waiting longer than this many seconds',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(365 * 24 * 3600)
  olderThan?: number;
}

/**
 * GET /api/v1/warehouse/after-sales: the returns coming back to one warehouse (a return or an
 * exchange with units its sub-orders shipped from there, and none from a warehouse outside the
 * caller's).
 */
export class WarehouseReturnsQuery extends StaffPageQuery {
  @ApiProperty({
    pattern: CATALOG_ID_PATTERN.source,
    example: 'wh-east',
    description: 'The warehouse (or drop-ship merchant) the goods go back to: the one their sub-order shipped from',
  })
  @Matches(CATALOG_ID_PATTERN, { message: 'warehouseId must be 1-100 characters of letters, digits, ".", "_", ":" or "-"' })
  warehouseId: string;
  @ApiPropertyOptional({
    enum: WAREHOUSE_RETURN_STATES,
    example: 'RETURN_SHIPPED',
    description:
      'Only requests in this state (default: those the warehouse has work with: APPROVED, the goods not yet sent; RETURN_SHIPPED, on their way; RETURN_RECEIVED, waiting for their inspection). Only states from APPROVED on: a request not approved (REQUESTED, AWAITING_EVIDENCE) or REJECTED sends nothing back, so asking for one is a 400',
  })
  @IsOptional()
  @IsIn(WAREHOUSE_RETURN_STATES)
  state?: WarehouseReturnState;
}

/** POST /api/v1/admin/after-sales/{id}/approve */
export class ApproveAfterSalesRequest {
  @ApiPropertyOptional({ maxLength: 1000, example: 'Photo shows the crack' })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  note?: string;
}

/** POST /api/v1/admin/after-sales/{id}/reject, /request-evidence and /close: the reason is required and shown to the shopper. */
export class DecideAfterSalesRequest {
  @ApiProperty({ minLength: 1, maxLength: 1000, example: 'The photo does not show the damage' })
  @IsString()
  @Length(1, 1000)
  note: string;
}

/** POST /api/v1/after-sales/{id}/return-parcel: the shopper sent the goods back. */
export class SubmitReturnParcelRequest {
  @ApiProperty({ pattern: CARRIER_CODE_PATTERN.source, example: 'sf-express' })
  @Matches(CARRIER_CODE_PATTERN, { message: 'carrierCode must be 2-40 lower-case letters, digits or dashes' })
  carrierCode: string;
  @ApiProperty({ pattern: TRACKING_NUMBER_PATTERN.source, example: 'SF1234567890' })
  @Matches(TRACKING_NUMBER_PATTERN, { message: 'trackingNumber must be 4-40 letters, digits or dashes' })
  trackingNumber: string;
}

/** POST /api/v1/warehouse/after-sales/{id}/pickup: the merchant booked a carrier to fetch the goods from the shopper. */
export class BookReturnPickupRequest {
  @ApiProperty({ pattern: CARRIER_CODE_PATTERN.source, example: 'sf-express' })
  @Matches(CARRIER_CODE_PATTERN, { message: 'carrierCode must be 2-40 lower-case letters, digits or dashes' })
  carrierCode: string;
  @ApiProperty({
    pattern: TRACKING_NUMBER_PATTERN.source,
    example: 'SF1234567890',
    description: 'The waybill the carrier gave the booking',
  })
  @Matches(TRACKING_NUMBER_PATTERN, { message: 'trackingNumber must be 4-40 letters, digits or dashes' })
  trackingNumber: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-05T09:00:00Z', description: 'When the carrier calls at the shopper’s' })
  @IsISO8601({ strict: true }, { message: 'pickupAt must be an ISO 8601 date-time' })
  pickupAt: string;
}

/** POST /api/v1/warehouse/after-sales/{id}/receive */
export class ReceiveReturnRequest {
  @ApiPropertyOptional({
    default: true,
    example: true,
    description:
      'false: receive the goods without refunding them or sending a replacement (say why in `note`), e.g. a lost parcel that came back after a replacement was sent',
  })
  @IsOptional()
  @IsBoolean()
  refund: boolean = true;
  @ApiPropertyOptional({ maxLength: 1000, example: 'Parcel arrived opened' }) @IsOptional() @IsString() @Length(1, 1000) note?: string;
}

/** POST /api/v1/warehouse/after-sales/{id}/inspection */
export class InspectReturnRequest {
  @ApiProperty({
    example: true,
    description: 'true: the goods go back to sellable stock; false: they are booked as damaged and nothing is refunded',
  })
  @IsBoolean()
  passed: boolean;
  @ApiProperty({ minLength: 1, maxLength: 1000, example: 'Sealed, as sold' }) @IsString() @Length(1, 1000) note: string;
}
