import { ServiceConfig } from '@mallard/platform';
import { Transform, Type } from 'class-transformer';
import { Equals, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';

const url = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };
const bool = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value;

export const SANDBOX_AUTO_OUTCOMES = ['succeed', 'fail', 'none'] as const;
export type SandboxAutoOutcome = (typeof SANDBOX_AUTO_OUTCOMES)[number];

/** The development key of the sandbox provider; production refuses it. */
export const DEV_SANDBOX_SECRET = 'mallard-sandbox-development-secret-0001';

/**
 * The settings of the payments service on top of every service's. docs/payments.md lists each
 * with its meaning; a bad value stops the service at start.
 */
export class PaymentsConfig extends ServiceConfig {
  /**
   * Points worth one currency unit, i.e. 100 minor units (1.00 CNY = 100 fen). The default 100
   * makes 1 point = 1 minor unit. A points tender must convert exactly: points × 100 / rate is an
   * integer number of minor units.
   */
  @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) POINTS_PER_CURRENCY_UNIT: number = 100;

  /** How long an Idempotency-Key of a payment is remembered (at least 24 h). */
  @Type(() => Number) @IsInt() @Min(24) @Max(24 * 365) IDEMPOTENCY_RETENTION_HOURS: number = 48;

  /**
   * The route of a refund: tender types in the order they are refunded. The default gives the
   * shopper's own money back first (provider), then gift cards, then points; see docs/payments.md.
   */
  @Matches(/^(?!.*\b(\w+)\b.*\b\1\b)(PROVIDER|GIFT_CARD|POINTS)(,(PROVIDER|GIFT_CARD|POINTS)){2}$/, {
    message: 'REFUND_ORDER must list PROVIDER, GIFT_CARD and POINTS once each, comma-separated',
  })
  REFUND_ORDER: string = 'PROVIDER,GIFT_CARD,POINTS';

  /** How often pending provider refunds are sent and idempotency keys purged. */
  @Type(() => Number) @IsInt() @Min(50) @Max(600_000) PAYMENTS_WORKER_INTERVAL_MS: number = 500;

  /** Provider refund parts one run of the refund worker sends before it looks again; a full batch is followed at once by another. */
  @Type(() => Number) @IsInt() @Min(1) @Max(1_000) REFUND_DISPATCH_BATCH_SIZE: number = 50;

  /** A provider refund that keeps failing is given up (refund.failed) after this many attempts. */
  @Type(() => Number) @IsInt() @Min(1) @Max(100) REFUND_MAX_ATTEMPTS: number = 8;

  /**
   * A payment still waiting for its provider this long after its order's payment window ended
   * counts as stuck work (`payment_pending_past_window`): the order's close should have cancelled it.
   */
  @Type(() => Number) @IsInt() @Min(1) @Max(10_080) STUCK_PENDING_PAYMENT_MINUTES: number = 30;

  /**
   * A refund not final (SUCCEEDED, FAILED or REJECTED) this long after it was asked for counts as
   * stuck work (`refund_not_final`). Keep it above the refund worker's retries: at the default
   * REFUND_MAX_ATTEMPTS they end within about two minutes.
   */
  @Type(() => Number) @IsInt() @Min(1) @Max(10_080) STUCK_REFUND_MINUTES: number = 30;

  // --- sandbox: our own simulated provider --------------------------------------------------

  /** Offer the sandbox provider (anyone can "pay" with it): off unless set to true. */
  @IsOptional() @Transform(bool) @IsBoolean() SANDBOX_ENABLED?: boolean;

  /** The second, explicit setting a sandbox needs where NODE_ENV=production. */
  @ValidateIf((config: PaymentsConfig) => config.NODE_ENV === 'production' && config.SANDBOX_ENABLED === true)
  @Transform(bool)
  @Equals(true, { message: 'SANDBOX_ENABLED=true with NODE_ENV=production also needs SANDBOX_ALLOW_IN_PRODUCTION=true' })
  SANDBOX_ALLOW_IN_PRODUCTION?: boolean;

  /** HMAC-SHA256 key the sandbox signs its webhooks with (`Sandbox-Signature`); required for a production sandbox. */
  @ValidateIf(
    (config: PaymentsConfig) =>
      (config.NODE_ENV === 'production' && config.SANDBOX_ENABLED === true) || config.SANDBOX_WEBHOOK_SECRET !== DEV_SANDBOX_SECRET,
  )
  @IsString()
  @MinLength(32, { message: 'SANDBOX_WEBHOOK_SECRET must be at least 32 characters' })
  @Matches(new RegExp(`^(?!${DEV_SANDBOX_SECRET}$)`), { message: 'SANDBOX_WEBHOOK_SECRET must be set for a sandbox in production' })
  SANDBOX_WEBHOOK_SECRET: string = DEV_SANDBOX_SECRET;

  /** Where the sandbox posts its callbacks: the gateway's public webhook route. */
  @IsUrl(url) SANDBOX_WEBHOOK_URL: string = 'http://127.0.0.1:3000/api/v1/webhooks/payments/sandbox';

  /** What the sandbox does by itself after a charge is started: succeed, fail, or nothing (tests drive it). */
  @IsIn(SANDBOX_AUTO_OUTCOMES) SANDBOX_AUTO_OUTCOME: SandboxAutoOutcome = 'succeed';

  @Type(() => Number) @IsInt() @Min(0) @Max(600_000) SANDBOX_CALLBACK_DELAY_MS: number = 300;

  /** Signed callbacks older (or newer) than this are refused, for every provider with a timestamp. */
  @Type(() => Number) @IsInt() @Min(1) @Max(86_400) WEBHOOK_TOLERANCE_SECONDS: number = 300;

  // --- stripe ---------------------------------------------------------------------------------

  /** `sk_…`; without it stripe cannot be chosen as a tender. */
  @IsOptional() @Matches(/^(sk|rk)_(test|live)_\S+$/, { message: 'STRIPE_SECRET_KEY must be an sk_/rk_ key' }) STRIPE_SECRET_KEY?: string;
  /** `whsec_…` of the webhook endpoint; without it stripe callbacks are refused. */
  @IsOptional() @Matches(/^whsec_\S+$/, { message: 'STRIPE_WEBHOOK_SECRET must be a whsec_ secret' }) STRIPE_WEBHOOK_SECRET?: string;

  // --- alipay ---------------------------------------------------------------------------------

  @IsOptional() @Matches(/^\d{6,32}$/, { message: 'ALIPAY_APP_ID must be digits' }) ALIPAY_APP_ID?: string;
  /** The merchant's Alipay account (PID, `2088…`); when set, a notification for another seller is refused. */
  @IsOptional() @Matches(/^\d{6,32}$/, { message: 'ALIPAY_SELLER_ID must be digits (the 2088… PID)' }) ALIPAY_SELLER_ID?: string;
  /** The merchant's RSA private key (PEM or bare base64, PKCS#1 or PKCS#8). */
  @IsOptional() @IsString() @MinLength(100) ALIPAY_PRIVATE_KEY?: string;
  /** Alipay's RSA public key (PEM or bare base64) that signs notifications. */
  @IsOptional() @IsString() @MinLength(100) ALIPAY_PUBLIC_KEY?: string;
  @IsUrl(url) ALIPAY_GATEWAY: string = 'https://openapi.alipay.com/gateway.do';
  /** notify_url given to Alipay: the gateway's public webhook route. */
  @IsUrl(url) ALIPAY_NOTIFY_URL: string = 'http://127.0.0.1:3000/api/v1/webhooks/payments/alipay';

  get sandboxEnabled(): boolean {
    return this.SANDBOX_ENABLED === true && (this.NODE_ENV !== 'production' || this.SANDBOX_ALLOW_IN_PRODUCTION === true);
  }

  get refundOrder(): ('PROVIDER' | 'GIFT_CARD' | 'POINTS')[] {
    return this.REFUND_ORDER.split(',') as ('PROVIDER' | 'GIFT_CARD' | 'POINTS')[];
  }

  get stripeConfigured(): boolean {
    return Boolean(this.STRIPE_SECRET_KEY);
  }

  get alipayConfigured(): boolean {
    return Boolean(this.ALIPAY_APP_ID && this.ALIPAY_PRIVATE_KEY && this.ALIPAY_PUBLIC_KEY);
  }
}
