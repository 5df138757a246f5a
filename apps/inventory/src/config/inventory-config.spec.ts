import { ConfigError, loadConfig } from '@mallard/platform';
import { describe, expect, it } from 'vitest';
import { InventoryConfig } from './inventory-config.js';

describe('InventoryConfig', () => {
  it('defaults to a 24 h hold, a 1 s sweep and no demo data', () => {
    const config = loadConfig(InventoryConfig, { PORT: '3002', DATABASE_NAME: 'mallard_inventory' });
    expect(config).toMatchObject({
      STOCK_HOLD_TTL_SECONDS: 86_400,
      SCARCE_HOLD_TTL_SECONDS: 900,
      HOLD_SWEEP_INTERVAL_MS: 1_000,
      HOLD_SWEEP_BATCH_SIZE: 100,
      DEFAULT_TAX_RATE_BASIS_POINTS: 1_300,
      SEED_DEMO_DATA: false,
    });
  });

  it('reads the settings from the environment', () => {
    const config = loadConfig(InventoryConfig, {
      PORT: '0',
      DATABASE_NAME: 'x',
      STOCK_HOLD_TTL_SECONDS: '5',
      HOLD_SWEEP_INTERVAL_MS: '200',
      SEED_DEMO_DATA: 'true',
    });
    expect(config).toMatchObject({ STOCK_HOLD_TTL_SECONDS: 5, HOLD_SWEEP_INTERVAL_MS: 200, SEED_DEMO_DATA: true });
    expect(loadConfig(InventoryConfig, { PORT: '0', DATABASE_NAME: 'x', SEED_DEMO_DATA: '0' }).SEED_DEMO_DATA).toBe(false);
  });

  it('refuses nonsense and says which setting', () => {
    expect(() => loadConfig(InventoryConfig, { PORT: '0', DATABASE_NAME: 'x', SEED_DEMO_DATA: 'yes' })).toThrow(/SEED_DEMO_DATA="yes"/);
    expect(() => loadConfig(InventoryConfig, { PORT: '0', DATABASE_NAME: 'x', STOCK_HOLD_TTL_SECONDS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig(InventoryConfig, { PORT: '0', DATABASE_NAME: 'x', DEFAULT_TAX_RATE_BASIS_POINTS: '10001' })).toThrow(
      /DEFAULT_TAX_RATE_BASIS_POINTS/,
    );
    expect(() => loadConfig(InventoryConfig, { PORT: '0', DATABASE_NAME: 'x', HOLD_SWEEP_INTERVAL_MS: 'often' })).toThrow(
      /HOLD_SWEEP_INTERVAL_MS/,
    );
  });
});
