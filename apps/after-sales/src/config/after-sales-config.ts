import type { ReturnShippingPayer } from '@mallard/contracts';
import { ServiceConfig } from '@mallard/platform';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsString, Max, Min, MinLength } from 'class-validator';

const parseJson = ({ value }: { value: unknown }) => (typeof value === 'string' ? JSON.parse(value) : value);

/** The after-sales service's settings on top of every service's (docs/domain.md §8). */
export class AfterSalesConfig extends ServiceConfig {
  /** Days after delivery a request is accepted, for merchants without their own window. */
  @Type(() => Number) @IsInt() @Min(1) @Max(365) AFTER_SALES_WINDOW_DAYS: number = 7;

  /** Per-merchant windows, as JSON: {"the-mall": 15}. */
  @Transform(parseJson) @IsObject() AFTER_SALES_WINDOW_DAYS_BY_MERCHANT: Record<string, number> = {};

  /**
   * Days after a parcel was handed to its carrier without being delivered after which its units
   * may be asked back as REFUND_ONLY with reason NOT_RECEIVED.
   */
  @Type(() => Number) @IsInt() @Min(1) @Max(90) NOT_ARRIVED_AFTER_DAYS: number = 10;

  /** Who pays the return shipping when the seller is at fault, and when the shopper changed their mind. */
  @IsIn(['MERCHANT', 'SHOPPER']) RETURN_SHIPPING_SELLER_FAULT: ReturnShippingPayer = 'MERCHANT';
  @IsIn(['MERCHANT', 'SHOPPER']) RETURN_SHIPPING_CHANGED_MIND: ReturnShippingPayer = 'SHOPPER';

  /** Auto-approval: a REFUND_ONLY whose refund is at most this many minor units is approved at once (0: never). */
  @Type(() => Number) @IsInt() @Min(0) AUTO_APPROVE_REFUND_ONLY_UNDER_MINOR: number = 0;

  /** Auto-approval: a seller-fault request with at least this many photos or videos is approved at once (0: never). */
  @Type(() => Number) @IsInt() @Min(0) @Max(9) AUTO_APPROVE_SELLER_FAULT_WITH_EVIDENCE: number = 0;

  /** Where evidence files are kept by the local storage (one file per content hash). */
  @IsString() @MinLength(1) EVIDENCE_DIR: string = '.data/after-sales-evidence';

  /** Largest evidence file accepted, in bytes (photos and videos alike). */
  @Type(() => Number) @IsInt() @Min(1024) @Max(200 * 1024 * 1024) EVIDENCE_MAX_FILE_BYTES: number = 10 * 1024 * 1024;

  /** How long a signed evidence link works. */
  @Type(() => Number) @IsInt() @Min(10) @Max(24 * 3600) EVIDENCE_URL_TTL_SECONDS: number = 300;

  /** A request waiting for customer service's decision (REQUESTED) this long counts as stuck work (`after_sales_awaiting_decision`). */
  @Type(() => Number) @IsInt() @Min(1) @Max(24 * 90) STUCK_AFTER_SALES_DECISION_HOURS: number = 48;

  /** A request REFUNDING this long, its refund not settled by payments, counts as stuck work (`after_sales_refund_not_settled`). */
  @Type(() => Number) @IsInt() @Min(1) @Max(10_080) STUCK_AFTER_SALES_REFUND_MINUTES: number = 60;
}
