import {
  MAX_PAGE,
  PAYMENT_METHODS,
  type PaymentMethod,
  ReceiverRequest,
  SHOPPER_ORDER_STATUSES,
  type ShopperOrderStatus,
  TRACKING_NUMBER_PATTERN,
} from '@mallard/contracts';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';

export class ListOrdersQuery {
  @ApiPropertyOptional({ default: 1, maximum: MAX_PAGE }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE) page: number =
    1;
  @ApiPropertyOptional({ default: 20, maximum: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) pageSize: number = 20;
  /** Only orders in this shopper status (answered from the gateway's read model). */
  @ApiPropertyOptional({ enum: SHOPPER_ORDER_STATUSES }) @IsOptional() @IsIn(SHOPPER_ORDER_STATUSES) status?: ShopperOrderStatus;
}

export class ReorderRequest {
  /** Place a new order of the OK lines right away (needs an Idempotency-Key). */
  @ApiPropertyOptional({ default: false, example: true }) @IsOptional() @IsBoolean() place?: boolean;
  /** Defaults to the old order's receiver. */
  @ApiPropertyOptional({ type: ReceiverRequest })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReceiverRequest)
  receiver?: ReceiverRequest;
  /** Defaults to the old order's payment method. */
  @ApiPropertyOptional({ enum: PAYMENT_METHODS }) @IsOptional() @IsIn(PAYMENT_METHODS) paymentMethod?: PaymentMethod;
}

/**
 * GET /api/v1/admin/orders: exactly one of `buyerId` and `trackingNumber` (the controller checks
 * that, class-validator having no rule across fields), and the page.
 */
export class StaffOrderSearchQuery {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    example: 'alice',
    description: 'The buyer (their token’s subject): their orders, newest first',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  buyerId?: string;
  @ApiPropertyOptional({
    pattern: TRACKING_NUMBER_PATTERN.source,
    example: 'SF1234567890123',
    description:
      'A tracking number as the carrier prints it, of a parcel sent or of an after-sales return: the orders of those parcels, newest parcel first',
  })
  @IsOptional()
  @Matches(TRACKING_NUMBER_PATTERN, { message: 'trackingNumber must be 4-40 letters, digits or dashes' })
  trackingNumber?: string;
  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: MAX_PAGE, example: 1, description: 'The page, from 1' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number = 1;
  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 100, example: 20, description: 'Orders per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize: number = 20;
}
