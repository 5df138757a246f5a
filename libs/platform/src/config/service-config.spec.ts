import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, ServiceConfig } from './service-config.js';

describe('loadConfig', () => {
  const defaults = { PORT: 3001, DATABASE_NAME: 'mallard_orders' };

  it('fills defaults and converts numbers', () => {
    const config = loadConfig(ServiceConfig, { PORT: '4000', PATH: '/usr/bin' }, defaults);
    expect(config.PORT).toBe(4000);
    expect(config.DATABASE_NAME).toBe('mallard_orders');
    expect(config.kafkaBrokers).toEqual(['127.0.0.1:9092']);
    expect(config).not.toHaveProperty('PATH');
  });

  it('lists every bad value with its variable name', () => {
    let error: unknown;
    try {
      loadConfig(ServiceConfig, { PORT: 'http', KAFKA_BROKERS: 'kafka', LOG_LEVEL: 'loud' }, defaults);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/PORT="http"/);
    expect(message).toMatch(/KAFKA_BROKERS="kafka": KAFKA_BROKERS must be host:port/);
    expect(message).toMatch(/LOG_LEVEL="loud"/);
  });

  it('rejects a database name that is not a plain identifier', () => {
    expect(() => loadConfig(ServiceConfig, { DATABASE_NAME: 'x"; DROP' }, defaults)).toThrow(/DATABASE_NAME/);
  });
});
