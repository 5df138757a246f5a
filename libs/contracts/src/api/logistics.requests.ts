import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { CATALOG_ID_PATTERN } from './limits.js';
import { SUB_ORDER_STATES, type SubOrderState } from './shopper-status.js';
import { StaffPageQuery } from './staff-page.query.js';

/**
 * The bodies and queries of the warehouse and merchant routes, as the gateway validates them
 * before forwarding them to logistics (which validates them again).
 */

/** Carrier codes of ours (`sf-express`, `zto`, `ups`…): lower-case letters, digits and dashes. */
export const CARRIER_CODE_PATTERN = /^[a-z0-9][a-z0-9-]{1,39}$/;
/** Tracking numbers as carriers print them: letters, digits and dashes, 4 to 40. */
export const TRACKING_NUMBER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{3,39}$/;
const MAX_PARCELS = 50;

/** Logistics' GET /internal/parcels: the parcels, sent or coming back, that carry a tracking number. */
export class TrackingNumberQuery {
  @Matches(TRACKING_NUMBER_PATTERN, { message: 'trackingNumber must be 4-40 letters, digits or dashes' })
  trackingNumber: string;
}

/** GET /api/v1/warehouse/sub-orders */
export class ListSubOrdersQuery extends StaffPageQuery {
  @ApiProperty({
    pattern: CATALOG_ID_PATTERN.source,
    example: 'wh-east',
    description: 'The warehouse (or merchant) whose sub-orders to list',
  })
  @Matches(CATALOG_ID_PATTERN, { message: 'warehouseId must be 1-100 characters of letters, digits, ".", "_", ":" or "-"' })
  warehouseId: string;
  @ApiPropertyOptional({ enum: SUB_ORDER_STATES, description: 'Only sub-orders in this state' })
  @IsOptional()
  @IsIn(SUB_ORDER_STATES)
  state?: SubOrderState;
}

/** How many units of one line of the sub-order go into a parcel. */
export class ParcelLineRequest {
  @ApiProperty({ format: 'uuid', example: '3f6c1e0a-8a8e-4c1b-9d6f-2b7e5a1c9d40', description: 'The order line' }) @IsUUID() lineId: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10_000, example: 2 }) @IsInt() @Min(1) @Max(10_000) quantity: number;
}

export class PackedParcelRequest {
  @ApiProperty({ type: [ParcelLineRequest] })
  @IsArray()
  @IsObject({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ParcelLineRequest)
  lines: ParcelLineRequest[];
}

/** POST /api/v1/warehouse/sub-orders/{id}/pack: every unit of the sub-order, in one or more parcels. */
export class PackSubOrderRequest {
  @ApiProperty({ type: [PackedParcelRequest] })
  @IsArray()
  @IsObject({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PARCELS)
  @ValidateNested({ each: true })
  @Type(() => PackedParcelRequest)
  parcels: PackedParcelRequest[];
}

/** POST /api/v1/warehouse/parcels/{id}/handover: the carrier took the parcel. */
export class HandOverParcelRequest {
  @ApiProperty({ pattern: CARRIER_CODE_PATTERN.source, example: 'sf-express' })
  @Matches(CARRIER_CODE_PATTERN, { message: 'carrierCode must be 2-40 lower-case letters, digits or dashes' })
  carrierCode: string;
  @ApiProperty({ pattern: TRACKING_NUMBER_PATTERN.source, example: 'SF1234567890123' })
  @Matches(TRACKING_NUMBER_PATTERN, { message: 'trackingNumber must be 4-40 letters, digits or dashes' })
  trackingNumber: string;
}

export class ShippedParcelRequest extends HandOverParcelRequest {
  @ApiProperty({ type: [ParcelLineRequest] })
  @IsArray()
  @IsObject({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ParcelLineRequest)
  lines: ParcelLineRequest[];
}

/** POST /api/v1/warehouse/sub-orders/{id}/shipments: a merchant (drop-ship) reports parcels it handed to a carrier. */
export class ReportShipmentRequest {
  @ApiProperty({ type: [ShippedParcelRequest] })
  @IsArray()
  @IsObject({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PARCELS)
  @ValidateNested({ each: true })
  @Type(() => ShippedParcelRequest)
  parcels: ShippedParcelRequest[];
}

/** POST /api/v1/warehouse/sub-orders/{id}/interception: a drop-ship merchant answers a shopper's request to stop. */
export class AnswerInterceptionRequest {
  @ApiProperty({
    example: true,
    description:
      'true: the merchant stopped it (the sub-order is INTERCEPTED, refunded and restocked); false: it had already shipped (then report the shipment)',
  })
  @IsBoolean()
  stopped: boolean;
}

/** `:id` of a sub-order or a parcel. */
export class LogisticsIdParam {
  @ApiProperty({ format: 'uuid', example: '9b2f0c3e-5d1a-4e8b-8f2c-6a7d3e1b0c55', description: 'The sub-order or parcel' })
  @IsUUID()
  id: string;
}
