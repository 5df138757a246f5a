import { loadConfig } from '@mallard/platform';
import { describe, expect, it } from 'vitest';
import { OrdersConfig } from './orders-config.js';

const load = (env: Record<string, string>) => loadConfig(OrdersConfig, { PORT: '3001', DATABASE_NAME: 'mallard_orders', ...env });

describe('OrdersConfig', () => {
  it('sweeps unpaid orders every second, 100 a batch, unless told otherwise', () => {
    expect(load({})).toMatchObject({
      PAYMENT_WINDOW_SECONDS: 86_400,
      PAYMENT_WINDOW_SWEEP_MS: 1_000,
      PAYMENT_WINDOW_SWEEP_BATCH_SIZE: 100,
    });
    expect(load({ PAYMENT_WINDOW_SWEEP_MS: '50', PAYMENT_WINDOW_SWEEP_BATCH_SIZE: '10' })).toMatchObject({
      PAYMENT_WINDOW_SWEEP_MS: 50,
      PAYMENT_WINDOW_SWEEP_BATCH_SIZE: 10,
    });
  });

  it('refuses a sweep batch it cannot run with, and says which setting', () => {
    expect(() => load({ PAYMENT_WINDOW_SWEEP_BATCH_SIZE: '0' })).toThrow(/PAYMENT_WINDOW_SWEEP_BATCH_SIZE/);
    expect(() => load({ PAYMENT_WINDOW_SWEEP_BATCH_SIZE: 'many' })).toThrow(/PAYMENT_WINDOW_SWEEP_BATCH_SIZE/);
  });
});
