import { ConfigError, loadConfig } from '@mallard/platform';
import { describe, expect, it } from 'vitest';
import { LogisticsConfig } from '../config/logistics-config.js';
import { AfterShipRegistrar } from './aftership-registrar.js';
import { EasyPostRegistrar } from './easypost-registrar.js';
import { Kuaidi100Registrar } from './kuaidi100-registrar.js';
import { trackingRegistrarFor } from './tracking-registrars.js';

const load = (env: Record<string, string>) => loadConfig(LogisticsConfig, env, { PORT: 3004, DATABASE_NAME: 'mallard_logistics' });
const refusal = (env: Record<string, string>): string => {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
};

const KUAIDI100 = {
  TRACKING_PROVIDER: 'kuaidi100',
  KUAIDI100_KEY: 'key',
  KUAIDI100_SALT: 'salt',
  KUAIDI100_CALLBACK_URL: 'https://mall.example.com/api/v1/webhooks/carriers/kuaidi100',
};

describe('the tracking registration settings of LogisticsConfig', () => {
  it('registers nothing by default, and names the real APIs and a 5 s / 20 parcel worker', () => {
    const config = load({});
    expect(config).toMatchObject({
      TRACKING_PROVIDER: 'none',
      AFTERSHIP_API_URL: 'https://api.aftership.com',
      KUAIDI100_API_URL: 'https://poll.kuaidi100.com/poll',
      EASYPOST_API_URL: 'https://api.easypost.com/v2/',
      TRACKING_REGISTRATION_INTERVAL_MS: 5_000,
      TRACKING_REGISTRATION_BATCH_SIZE: 20,
      TRACKING_REGISTRATION_MAX_ATTEMPTS: 12,
      TRACKING_REGISTRATION_BACKOFF_MS: 30_000,
    });
    expect(trackingRegistrarFor(config)).toBeNull();
  });

  it('refuses a chosen provider without its key, naming the setting', () => {
    expect(refusal({ TRACKING_PROVIDER: 'aftership' })).toMatch(/AFTERSHIP_API_KEY is required with TRACKING_PROVIDER=aftership/);
    expect(refusal({ TRACKING_PROVIDER: 'easypost' })).toMatch(/EASYPOST_API_KEY is required with TRACKING_PROVIDER=easypost/);
    const kuaidi100 = refusal({ TRACKING_PROVIDER: 'kuaidi100' });
    expect(kuaidi100).toMatch(/KUAIDI100_KEY is required/);
    expect(kuaidi100).toMatch(/KUAIDI100_SALT is required/);
    expect(kuaidi100).toMatch(/KUAIDI100_CALLBACK_URL must be/);
    expect(refusal({ TRACKING_PROVIDER: 'dhl' })).toMatch(/TRACKING_PROVIDER/);
  });

  it('leaves the keys of providers not chosen alone', () => {
    expect(load({ TRACKING_PROVIDER: 'easypost', EASYPOST_API_KEY: 'EZTK1' }).AFTERSHIP_API_KEY).toBe('');
  });

  it('refuses a URL that is not http(s), and a batch of nothing', () => {
    expect(refusal({ AFTERSHIP_API_URL: 'api.aftership.com' })).toMatch(/AFTERSHIP_API_URL/);
    expect(refusal({ ...KUAIDI100, KUAIDI100_CALLBACK_URL: 'mall.example.com/kuaidi100' })).toMatch(/KUAIDI100_CALLBACK_URL/);
    expect(refusal({ TRACKING_REGISTRATION_BATCH_SIZE: '0' })).toMatch(/TRACKING_REGISTRATION_BATCH_SIZE/);
  });

  it('builds the adapter of the chosen provider', () => {
    expect(trackingRegistrarFor(load({ TRACKING_PROVIDER: 'aftership', AFTERSHIP_API_KEY: 'asat' }))).toBeInstanceOf(AfterShipRegistrar);
    expect(trackingRegistrarFor(load(KUAIDI100))).toBeInstanceOf(Kuaidi100Registrar);
    expect(trackingRegistrarFor(load({ TRACKING_PROVIDER: 'easypost', EASYPOST_API_KEY: 'EZTK1' }))).toBeInstanceOf(EasyPostRegistrar);
  });
});
