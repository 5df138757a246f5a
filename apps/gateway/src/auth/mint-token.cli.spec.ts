import { describe, expect, it } from 'vitest';
import { AccessTokens } from './access-token.js';
import { DEV_JWT_SECRET } from './jwt-secret.js';
import { mintToken } from './mint-token.cli.js';

describe('mint-token CLI', () => {
  it('mints a token the gateway accepts, with the dev secret by default', () => {
    const token = mintToken(['--sub', 'alice', '--role', 'shopper', '--role', 'admin,shopper', '--ttl', '5m'], {});
    expect(new AccessTokens({ secret: DEV_JWT_SECRET }).verify(token)).toEqual({ id: 'alice', roles: ['shopper', 'admin'] });
  });

  it('names the warehouses a warehouse staff member works for', () => {
    const token = mintToken(['--sub', 'picker', '--role', 'warehouse', '--warehouse', 'wh-east,potter', '--warehouse', 'wh-east'], {});
    expect(new AccessTokens({ secret: DEV_JWT_SECRET }).verify(token)).toEqual({
      id: 'picker',
      roles: ['warehouse'],
      warehouses: ['wh-east', 'potter'],
    });
  });

  it('signs with JWT_SECRET when given', () => {
    const secret = 'x'.repeat(40);
    const token = mintToken(['--sub', 'bob', '--role', 'warehouse'], { JWT_SECRET: secret, NODE_ENV: 'production' });
    expect(new AccessTokens({ secret }).verify(token).id).toBe('bob');
  });

  it('refuses missing subjects, unknown roles and a missing production secret', () => {
    expect(() => mintToken(['--role', 'shopper'], {})).toThrow(/--sub/);
    expect(() => mintToken(['--sub', 'a', '--role', 'root'], {})).toThrow(/unknown role/);
    expect(() => mintToken(['--sub', 'a', '--role', 'admin'], { NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
  });
});
