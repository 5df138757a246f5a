import { describe, expect, it } from 'vitest';
import { startService } from '../bootstrap/service-app.js';
import { ConfigError, loadConfig, ServiceConfig } from '../config/service-config.js';
import { DEV_JWT_SECRET, DEV_SERVICE_TOKEN_SECRET, refuseRepoSecretsInProduction, serviceTokenSecretOf } from './repo-secrets.js';
import { callerFromHeaders, headersOfCaller, ServiceTokenRejectedError, ServiceTokens } from './service-token.js';

const SECRET = 'unit-test-service-token-secret-0000000000000';
const tokens = new ServiceTokens(SECRET);
const call = { audience: 'payments', method: 'POST', path: '/internal/points/grants' };

function rejection(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    if (error instanceof ServiceTokenRejectedError) return error.reason;
    throw error;
  }
  return undefined;
}

describe('service tokens', () => {
  it('carry the warehouses a staff member is limited to, none included, and nothing when not limited', () => {
    for (const warehouses of [['wh-east', 'potter'], []]) {
      const verified = tokens.verify(`Bearer ${tokens.sign({ ...call, caller: { actor: 'picker', warehouses } })}`, call);
      expect(verified.caller.warehouses).toEqual(warehouses);
      expect(headersOfCaller(verified.caller)['x-mallard-warehouses']).toBe(warehouses.join(','));
    }
    const admin = tokens.verify(`Bearer ${tokens.sign({ ...call, caller: { actor: 'boss' } })}`, call);
    expect(admin.caller.warehouses).toBeUndefined();
    expect(headersOfCaller(admin.caller)).not.toHaveProperty('x-mallard-warehouses');
    expect(callerFromHeaders({ 'x-mallard-warehouses': '' }).warehouses).toEqual([]);
    expect(callerFromHeaders({ 'x-mallard-warehouses': 'a,b' }).warehouses).toEqual(['a', 'b']);
  });

  it('carry the caller: buyer, actor, roles, order snapshot and idempotency key', () => {
    const caller = {
      buyer: 'alice',
      actor: 'ops',
      roles: ['admin', 'customer-service'],
      order: '{"orderId":"o"}',
      idempotencyKey: 'key-1',
    };
    const token = tokens.sign({ ...call, caller });
    const verified = tokens.verify(`Bearer ${token}`, call);
    expect(verified.caller).toEqual(caller);
    expect(verified.expiresAt - Date.now()).toBeLessThanOrEqual(60_000);
    expect(headersOfCaller(verified.caller)).toEqual({
      'x-mallard-buyer': 'alice',
      'x-mallard-actor': 'ops',
      'x-mallard-roles': 'admin,customer-service',
      'x-mallard-order': '{"orderId":"o"}',
      'idempotency-key': 'key-1',
    });
  });

  it('are read from the headers the gateway controllers set', () => {
    expect(callerFromHeaders({ 'x-mallard-buyer': 'bob', 'idempotency-key': 'k', other: 'x' }, ['shopper'])).toEqual({
      buyer: 'bob',
      idempotencyKey: 'k',
      roles: ['shopper'],
    });
  });

  it('open only the service, method and path they were signed for, before they expire', () => {
    const token = `Bearer ${tokens.sign(call)}`;
    expect(rejection(() => tokens.verify(token, call))).toBeUndefined();
    expect(rejection(() => tokens.verify(undefined, call))).toBe('missing');
    expect(rejection(() => tokens.verify('Basic abc', call))).toBe('missing');
    expect(rejection(() => tokens.verify(token, { ...call, audience: 'orders' }))).toBe('wrong-audience');
    expect(rejection(() => tokens.verify(token, { ...call, method: 'GET' }))).toBe('wrong-route');
    expect(rejection(() => tokens.verify(token, { ...call, path: '/internal/points/grants?x=1' }))).toBe('wrong-route');
    expect(rejection(() => tokens.verify(`Bearer ${new ServiceTokens('another-secret-another-secret-another-1').sign(call)}`, call))).toBe(
      'invalid',
    );
    expect(rejection(() => tokens.verify(`Bearer ${new ServiceTokens(SECRET, -60).sign(call)}`, call))).toBe('expired');
    expect(rejection(() => tokens.verify(`${token}x`, call))).toBe('invalid');
  });

  it('need a key of at least 32 characters', () => {
    expect(() => new ServiceTokens('short')).toThrow(/SERVICE_TOKEN_SECRET/);
  });
});

describe('secrets written in the repository', () => {
  const load = (env: Record<string, string>) => loadConfig(ServiceConfig, env, { PORT: 3001, DATABASE_NAME: 'mallard_orders' });

  it('are refused in production, naming the variable', () => {
    const check = (env: Record<string, string>) => {
      // The gateway's and payments' secret settings beside every service's.
      const settings = { JWT_SECRET: undefined, SANDBOX_WEBHOOK_SECRET: undefined, ...load(env) };
      refuseRepoSecretsInProduction(settings, env);
    };
    const production = { NODE_ENV: 'production', SERVICE_TOKEN_SECRET: DEV_SERVICE_TOKEN_SECRET };
    expect(() => check(production)).toThrow(ConfigError);
    expect(() => check(production)).toThrow(/SERVICE_TOKEN_SECRET: is a value written in the Mallard repository/);
    expect(() => check({ NODE_ENV: 'production', JWT_SECRET: DEV_JWT_SECRET })).toThrow(/JWT_SECRET/);
    expect(() => check({ NODE_ENV: 'production', SANDBOX_WEBHOOK_SECRET: 'mallard-compose-local-only-sandbox-secret-0123' })).toThrow(
      /SANDBOX_WEBHOOK_SECRET/,
    );
    expect(() => check({ NODE_ENV: 'production', DATABASE_URL: 'postgres://mallard:mallard@postgres:5432/postgres' })).toThrow(
      /DATABASE_URL/,
    );
    expect(() =>
      check({
        NODE_ENV: 'production',
        SERVICE_TOKEN_SECRET: 'an-operator-chosen-secret-0000000000000',
        DATABASE_URL: 'postgres://mallard:s3cret@db/postgres',
      }),
    ).not.toThrow();
  });

  it('are fine outside production, where the development key is the default', () => {
    const development = { SERVICE_TOKEN_SECRET: DEV_SERVICE_TOKEN_SECRET };
    expect(() => refuseRepoSecretsInProduction(load(development), development)).not.toThrow();
    expect(serviceTokenSecretOf(load({}))).toBe(DEV_SERVICE_TOKEN_SECRET);
    expect(() => serviceTokenSecretOf(load({ NODE_ENV: 'production' }))).toThrow(/SERVICE_TOKEN_SECRET: is required in production/);
  });

  it('stop a production service before it starts anything, with a message naming the variable', async () => {
    class NothingModule {}
    const definition = { name: 'orders', module: () => ({ module: NothingModule }) };
    await expect(startService(definition, { NODE_ENV: 'production', SERVICE_TOKEN_SECRET: DEV_SERVICE_TOKEN_SECRET })).rejects.toThrow(
      /SERVICE_TOKEN_SECRET: is a value written in the Mallard repository/,
    );
    await expect(startService(definition, { NODE_ENV: 'production' })).rejects.toThrow(/SERVICE_TOKEN_SECRET: is required in production/);
    await expect(
      startService(definition, {
        NODE_ENV: 'production',
        SERVICE_TOKEN_SECRET: 'operator-key-operator-key-operator-key-01',
        DATABASE_URL: 'postgres://mallard:mallard@db:5432/postgres',
      }),
    ).rejects.toBeInstanceOf(ConfigError);
  });

  it('bind to loopback unless told otherwise', () => {
    expect(load({}).HOST).toBe('127.0.0.1');
  });
});
