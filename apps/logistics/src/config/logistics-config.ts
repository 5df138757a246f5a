import { ServiceConfig } from '@mallard/platform';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

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

  /** AfterShip's webhook secret (aftership-hmac-sha256); unset: AfterShip webhooks are refused with 401. */
  @IsOptional() @IsString() AFTERSHIP_WEBHOOK_SECRET: string = '';

  /** The salt of Kuaidi100 subscription pushes (sign = MD5(param + salt)); unset: refused. */
  @IsOptional() @IsString() KUAIDI100_SALT: string = '';

  /** EasyPost's webhook secret (X-Hmac-Signature); unset: refused. */
  @IsOptional() @IsString() EASYPOST_WEBHOOK_SECRET: string = '';
}
