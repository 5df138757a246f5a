import { ConfigError, loadConfig } from '@mallard/platform';
import { describe, expect, it } from 'vitest';
import { PaymentsConfig } from './payments-config.js';

const load = (env: Record<string, string>) => loadConfig(PaymentsConfig, env, { PORT: 3003, DATABASE_NAME: 'mallard_payments' });

describe('PaymentsConfig', () => {
  it('has working defaults: sandbox, stripe and alipay off until configured', () => {
    const config = load({});
    expect(config.POINTS_PER_CURRENCY_UNIT).toBe(100);
    expect(config.refundOrder).toEqual(['PROVIDER', 'GIFT_CARD', 'POINTS']);
    expect(config.sandboxEnabled).toBe(false);
    expect(load({ SANDBOX_ENABLED: 'true' }).sandboxEnabled).toBe(true);
    // The image runs with NODE_ENV=production: no sandbox there unless asked for, with a real secret.
    expect(load({ NODE_ENV: 'production' }).sandboxEnabled).toBe(false);
    expect(config.stripeConfigured).toBe(false);
    expect(config.alipayConfigured).toBe(false);
  });

  it('names the variable of a bad value', () => {
    expect(() => load({ REFUND_ORDER: 'PROVIDER,PROVIDER,POINTS' })).toThrow(/REFUND_ORDER/);
    expect(() => load({ IDEMPOTENCY_RETENTION_HOURS: '12' })).toThrow(/IDEMPOTENCY_RETENTION_HOURS/);
    expect(() => load({ STRIPE_SECRET_KEY: 'pk_test_123' })).toThrow(/STRIPE_SECRET_KEY/);
    expect(() => load({ SANDBOX_WEBHOOK_SECRET: 'short' })).toThrow(ConfigError);
    expect(() => load({ NODE_ENV: 'production', SANDBOX_ENABLED: 'true' })).toThrow(/SANDBOX_WEBHOOK_SECRET/);
    expect(() =>
      load({ NODE_ENV: 'production', SANDBOX_ENABLED: 'true', SANDBOX_WEBHOOK_SECRET: 'a-real-secret-a-real-secret-a-real-secret' }),
    ).toThrow(/SANDBOX_ALLOW_IN_PRODUCTION/);
    expect(
      load({
        NODE_ENV: 'production',
        SANDBOX_ENABLED: 'true',
        SANDBOX_ALLOW_IN_PRODUCTION: 'true',
        SANDBOX_WEBHOOK_SECRET: 'a-real-secret-a-real-secret-a-real-secret',
      }).sandboxEnabled,
    ).toBe(true);
    expect(load({ REFUND_ORDER: 'POINTS,GIFT_CARD,PROVIDER', SANDBOX_ENABLED: 'false' })).toMatchObject({
      REFUND_ORDER: 'POINTS,GIFT_CARD,PROVIDER',
      sandboxEnabled: false,
    });
  });

  it('sends provider refunds every 500 ms, 50 parts a batch, unless told otherwise', () => {
    expect(load({})).toMatchObject({ PAYMENTS_WORKER_INTERVAL_MS: 500, REFUND_DISPATCH_BATCH_SIZE: 50, REFUND_MAX_ATTEMPTS: 8 });
    expect(load({ REFUND_DISPATCH_BATCH_SIZE: '5' }).REFUND_DISPATCH_BATCH_SIZE).toBe(5);
    expect(() => load({ REFUND_DISPATCH_BATCH_SIZE: '0' })).toThrow(/REFUND_DISPATCH_BATCH_SIZE/);
  });
});
