import {
  MAX_PAGE,
  PAYMENT_METHODS,
  type PaymentMethod,
  ReceiverRequest,
  SHOPPER_ORDER_STATUSES,
  type ShopperOrderStatus,
} from '@mallard/contracts';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, Max, Min, ValidateNested } from 'class-validator';

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
