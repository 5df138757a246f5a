import { ServiceConfig } from '@mallard/platform';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, Max, Min, MinLength, ValidateIf } from 'class-validator';

const url = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/** The tracking providers logistics can register parcels with; `none` registers nothing. */
export const TRACKING_PROVIDERS = ['none', 'aftership', 'kuaidi100', 'easypost'] as const;
export type TrackingProviderSetting = (typeof TRACKING_PROVIDERS)[number];

const chosen = (provider: TrackingProviderSetting) => (config: LogisticsConfig) => config.TRACKING_PROVIDER === provider;
const requiredWith = (setting: string, provider: TrackingProviderSetting) => ({
  message: `${setting} is required with TRACKING_PROVIDER=${provider}`,
});

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

  /**
   * The salt of Kuaidi100 subscription pushes (sign = MD5(param + salt)); unset: refused. It is
   * sent with each subscription, so registering with Kuaidi100 needs it.
   */
  @ValidateIf(chosen('kuaidi100'))
  @IsString()
  @IsNotEmpty(requiredWith('KUAIDI100_SALT', 'kuaidi100'))
  KUAIDI100_SALT: string = '';

  /** EasyPost's webhook secret (X-Hmac-Signature); unset: refused. */
  @IsOptional() @IsString() EASYPOST_WEBHOOK_SECRET: string = '';

  // --- registering parcels with a tracking provider (docs/logistics.md) -----------------------

  /** Which provider handed-over parcels are registered with, so it sends us their tracking updates; none: not registered. */
  @IsIn(TRACKING_PROVIDERS) TRACKING_PROVIDER: TrackingProviderSetting = 'none';

  @ValidateIf(chosen('aftership'))
  @IsString()
  @IsNotEmpty(requiredWith('AFTERSHIP_API_KEY', 'aftership'))
  AFTERSHIP_API_KEY: string = '';

  /** AfterShip's API origin (the SDK adds the versioned path); tests point it at a local server. */
  @IsUrl(url) AFTERSHIP_API_URL: string = 'https://api.aftership.com';

  /** The `key` (授权码) of the Kuaidi100 enterprise account. */
  @ValidateIf(chosen('kuaidi100'))
  @IsString()
  @IsNotEmpty(requiredWith('KUAIDI100_KEY', 'kuaidi100'))
  KUAIDI100_KEY: string = '';

  /** Kuaidi100's subscription endpoint. */
  @IsUrl(url) KUAIDI100_API_URL: string = 'https://poll.kuaidi100.com/poll';

  /** Where Kuaidi100 pushes updates: our public carrier webhook, e.g. https://mall.example.com/api/v1/webhooks/carriers/kuaidi100. */
  @ValidateIf((config: LogisticsConfig) => config.TRACKING_PROVIDER === 'kuaidi100' || config.KUAIDI100_CALLBACK_URL !== '')
  @IsUrl(url, {
    message: 'KUAIDI100_CALLBACK_URL must be the http(s) URL of our Kuaidi100 webhook (required with TRACKING_PROVIDER=kuaidi100)',
  })
  KUAIDI100_CALLBACK_URL: string = '';

  @ValidateIf(chosen('easypost'))
  @IsString()
  @IsNotEmpty(requiredWith('EASYPOST_API_KEY', 'easypost'))
  EASYPOST_API_KEY: string = '';

  /** EasyPost's API base, version included. */
  @IsUrl(url) EASYPOST_API_URL: string = 'https://api.easypost.com/v2/';

  /** Pause between runs of the registration worker when nothing is due. */
  @Type(() => Number) @IsInt() @Min(50) @Max(600_000) TRACKING_REGISTRATION_INTERVAL_MS: number = 5_000;

  /** Parcels one run of the registration worker registers before it looks again; a full batch is followed at once by another. */
  @Type(() => Number) @IsInt() @Min(1) @Max(1_000) TRACKING_REGISTRATION_BATCH_SIZE: number = 20;

  /** A registration that keeps failing with retryable errors (network, 429, 5xx) is given up (FAILED) after this many attempts. */
  @Type(() => Number) @IsInt() @Min(1) @Max(100) TRACKING_REGISTRATION_MAX_ATTEMPTS: number = 12;

  /** The wait after the first failed attempt; it doubles with each further one, up to an hour. */
  @Type(() => Number) @IsInt() @Min(10) @Max(3_600_000) TRACKING_REGISTRATION_BACKOFF_MS: number = 30_000;

  /**
   * A sub-order not shipped (every unit with a carrier) this long after it reached logistics
   * counts as stuck work (`sub_order_not_shipped`).
   */
  @Type(() => Number) @IsInt() @Min(1) @Max(24 * 90) STUCK_UNSHIPPED_SUB_ORDER_HOURS: number = 48;

  /**
   * A shopper's request to stop a sub-order still waiting for its drop-ship merchant's answer
   * this long after it was made counts as stuck work (`interception_unanswered`).
   */
  @Type(() => Number) @IsInt() @Min(1) @Max(10_080) STUCK_INTERCEPTION_MINUTES: number = 60;
}
