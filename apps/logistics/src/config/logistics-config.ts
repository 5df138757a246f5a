import { ServiceConfig } from '@mallard/platform';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min, MinLength, ValidateIf } from 'class-validator';

/** The logistics service's settings on top of every service's. */
export class LogisticsConfig extends ServiceConfig {
  /**
   * How long after payment the purchase from a third-party platform is held back, so that a
   * cancel in that window costs nothing (docs/domain.md §4). 30 minutes by default.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 3600)
  PLATFORM_PURCHASE_DELAY_SECONDS: number = 1_800;

  /**
   * Where purchases from the third-party platform are placed (POST <url>/purchases, docs/logistics-webhooks.md).
   * Unset: nothing is sent; a due purchase is marked placed for staff to buy by hand, and logged.
   */
  @IsOptional() @IsString() PLATFORM_API_URL: string = '';

  /** Signs our purchase requests to the platform (`mallard-signature`); required with PLATFORM_API_URL. */
  @ValidateIf((config: LogisticsConfig) => config.PLATFORM_API_URL !== '')
  @IsString()
  @MinLength(16, { message: 'PLATFORM_API_SECRET must be set (16 characters or more) when PLATFORM_API_URL is' })
  PLATFORM_API_SECRET: string = '';

  /** How often due platform purchases are looked for, and how many per run. */
  @Type(() => Number) @IsInt() @Min(100) PLATFORM_PURCHASE_INTERVAL_MS: number = 5_000;
  @Type(() => Number) @IsInt() @Min(1) @Max(1_000) PLATFORM_PURCHASE_BATCH_SIZE: number = 20;
  /** Attempts before a purchase the platform keeps refusing is marked FAILED for staff. */
  @Type(() => Number) @IsInt() @Min(1) @Max(100) PLATFORM_PURCHASE_MAX_ATTEMPTS: number = 10;

  /** The platform's webhook secret (`platform-signature`); unset: platform webhooks are refused with 401. */
  @IsOptional() @IsString() PLATFORM_WEBHOOK_SECRET: string = '';

  /** Our warehouse system's webhook secret (`warehouse-signature`); unset: refused with 401. */
  @IsOptional() @IsString() WAREHOUSE_WEBHOOK_SECRET: string = '';

  /** How far a platform or warehouse webhook's signed time may be from ours, against replays. */
  @Type(() => Number) @IsInt() @Min(30) @Max(3_600) WEBHOOK_TOLERANCE_SECONDS: number = 300;

  /** AfterShip's webhook secret (aftership-hmac-sha256); unset: AfterShip webhooks are refused with 401. */
  @IsOptional() @IsString() AFTERSHIP_WEBHOOK_SECRET: string = '';

  /** The salt of Kuaidi100 subscription pushes (sign = MD5(param + salt)); unset: refused. */
  @IsOptional() @IsString() KUAIDI100_SALT: string = '';

  /** EasyPost's webhook secret (X-Hmac-Signature); unset: refused. */
  @IsOptional() @IsString() EASYPOST_WEBHOOK_SECRET: string = '';
}
