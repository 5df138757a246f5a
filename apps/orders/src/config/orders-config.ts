import { ServiceConfig } from '@mallard/platform';
import type { ShippingRule } from '@mallard/pricing';
import { Type } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';

export const SHIPPING_FEE_SPLITS = ['FIRST_SUB_ORDER', 'SPREAD_EVENLY'] as const;
export type ShippingFeeSplit = (typeof SHIPPING_FEE_SPLITS)[number];

export class OrdersConfig extends ServiceConfig {
  /** An unpaid order is closed this long after it was placed. */
  @Type(() => Number) @IsInt() @Min(1) PAYMENT_WINDOW_SECONDS: number = 86_400;

  /** How often unpaid orders are checked for their window. */
  @Type(() => Number) @IsInt() @Min(50) @Max(600_000) PAYMENT_WINDOW_SWEEP_MS: number = 1_000;

  /** Orders one sweep transaction reads (and closes); a full batch is followed at once by another. */
  @Type(() => Number) @IsInt() @Min(1) @Max(1_000) PAYMENT_WINDOW_SWEEP_BATCH_SIZE: number = 100;

  /** Flat shipping fee of an order, in minor units. */
  @Type(() => Number) @IsInt() @Min(0) SHIPPING_FEE_MINOR: number = 1_000;

  /** Merchandise total (after discounts) from which shipping is free; 0 = never free. */
  @Type(() => Number) @IsInt() @Min(0) FREE_SHIPPING_FROM_MINOR: number = 9_900;

  /** How a split order's shipping fee lands on its sub-orders. */
  @IsIn(SHIPPING_FEE_SPLITS) SHIPPING_FEE_SPLIT: ShippingFeeSplit = 'FIRST_SUB_ORDER';

  @Type(() => Number) @IsInt() @Min(1) @Max(200) MAX_LINES_PER_ORDER: number = 50;

  /** Orders one buyer may have unpaid (PLACED or AWAITING_PAYMENT) at once; 0 = no cap. */
  @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000) MAX_UNPAID_ORDERS_PER_BUYER: number = 10;

  /** Units of reserve-on-order lines (held by inventory) one buyer may have in unpaid orders at once; 0 = no cap. */
  @Type(() => Number) @IsInt() @Min(0) @Max(100_000_000) MAX_HELD_UNITS_PER_BUYER: number = 1_000;

  /**
   * How long an Idempotency-Key of a placement is remembered; a retry after that places a new
   * order. Clients retry within minutes, so two days leave ample room.
   */
  @Type(() => Number) @IsInt() @Min(1) @Max(24 * 365) PLACEMENT_REQUEST_RETENTION_HOURS: number = 48;

  /** How often expired placement requests are purged. */
  @Type(() => Number) @IsInt() @Min(50) @Max(86_400_000) PLACEMENT_REQUEST_PURGE_INTERVAL_MS: number = 60_000;

  /** Rows deleted per purge statement, so a purge never holds long locks or a long transaction. */
  @Type(() => Number) @IsInt() @Min(1) @Max(100_000) PLACEMENT_REQUEST_PURGE_BATCH_SIZE: number = 1_000;
}

/** The shipping rule these settings make (docs/domain.md §2): a flat fee, waived from a merchandise total unless that is 0. */
export function shippingRuleOf(config: Pick<OrdersConfig, 'SHIPPING_FEE_MINOR' | 'FREE_SHIPPING_FROM_MINOR'>): ShippingRule {
  return {
    flatFeeMinor: config.SHIPPING_FEE_MINOR,
    ...(config.FREE_SHIPPING_FROM_MINOR > 0 ? { freeFromMinor: config.FREE_SHIPPING_FROM_MINOR } : {}),
  };
}
