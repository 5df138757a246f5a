import { ServiceConfig } from '@mallard/platform';
import { Transform, Type } from 'class-transformer';
import { ArrayNotEmpty, IsInt, IsNumber, IsOptional, IsUrl, Max, Min, MinLength, ValidateIf } from 'class-validator';
import { jwtSecretFromEnv } from '../auth/jwt-secret.js';

const internalUrl = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/** `http://a:3001,http://b:3001` → its URLs; a value given as a list is kept. */
const urlList = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.split(',').map((url) => url.trim()) : value);

/** The gateway's settings on top of every service's. */
export class GatewayConfig extends ServiceConfig {
  /**
   * The smallest INBOX_RETENTION_DAYS among the consuming services (the dead-letter desk replays
   * to their groups, not the gateway's): an event older than this needs `force` to be replayed,
   * since a group that applied it may no longer recognise it. Unset: the gateway's own.
   */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(3650) CONSUMER_INBOX_RETENTION_DAYS?: number;

  /** HS256 key for bearer tokens; required in production, a development default elsewhere. */
  @ValidateIf((config: GatewayConfig) => config.NODE_ENV === 'production' || config.JWT_SECRET !== undefined)
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters (and is required in production)' })
  JWT_SECRET?: string;

  /** Requests per minute per user (or per IP when anonymous); 0 turns limiting off. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  RATE_LIMIT_PER_MINUTE: number = 6000;

  /**
   * Provider and carrier callbacks per source IP per minute, counted apart from everything
   * else so other anonymous traffic never starves them; 0 turns their limiting off.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  WEBHOOK_RATE_LIMIT_PER_MINUTE: number = 6000;

  /**
   * How long after its last delivery a shopper may still open an after-sales case: a delivered order
   * reads COMPLETED once it is over (with no case open). Days; fractions allowed.
   */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(365)
  AFTER_SALES_WINDOW_DAYS: number = 7;

  /** How often delivered orders whose window is over are looked for, and how many per transaction. */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(3_600_000)
  COMPLETION_SWEEP_INTERVAL_MS: number = 60_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  COMPLETION_SWEEP_BATCH_SIZE: number = 200;

  /**
   * How often the open status streams re-read their orders, for changes another gateway replica
   * wrote (this replica's own changes are pushed the moment they commit).
   */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(600_000)
  STATUS_STREAM_POLL_INTERVAL_MS: number = 2000;

  /** Watched orders one re-read asks PostgreSQL for at a time. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  STATUS_STREAM_POLL_BATCH_SIZE: number = 500;

  /** A comment line goes down a stream after this long without a write, so proxies keep it open. */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(300_000)
  STATUS_STREAM_KEEPALIVE_MS: number = 15_000;

  /** Status streams one buyer may have open on one gateway instance; one more is refused with 429. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  STATUS_STREAMS_PER_BUYER: number = 5;

  /**
   * Where each service answers. Behind a load balancer (a Kubernetes Service) that is one URL; a
   * comma-separated list spreads the calls over those instances (Upstreams), for a deployment
   * without one, such as several instances on one machine.
   */
  @Transform(urlList) @ArrayNotEmpty() @IsUrl(internalUrl, { each: true }) ORDERS_URL: string[] = ['http://127.0.0.1:3001'];
  @Transform(urlList) @ArrayNotEmpty() @IsUrl(internalUrl, { each: true }) INVENTORY_URL: string[] = ['http://127.0.0.1:3002'];
  @Transform(urlList) @ArrayNotEmpty() @IsUrl(internalUrl, { each: true }) PAYMENTS_URL: string[] = ['http://127.0.0.1:3003'];
  @Transform(urlList) @ArrayNotEmpty() @IsUrl(internalUrl, { each: true }) LOGISTICS_URL: string[] = ['http://127.0.0.1:3004'];
  @Transform(urlList) @ArrayNotEmpty() @IsUrl(internalUrl, { each: true }) AFTER_SALES_URL: string[] = ['http://127.0.0.1:3005'];

  get jwtSecret(): string {
    return jwtSecretFromEnv({ JWT_SECRET: this.JWT_SECRET, NODE_ENV: this.NODE_ENV });
  }
}
