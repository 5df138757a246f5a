import 'reflect-metadata';
import { ProblemDetailsFilter } from '@mallard/platform';
import { startHttpTestApp } from '@mallard/testing';
import { Controller, Get } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokens, parseTtl } from './access-token.js';
import { AuthModule } from './auth.module.js';
import { CurrentUser } from './current-user.decorator.js';
import { DEV_JWT_SECRET, jwtSecretFromEnv } from './jwt-secret.js';
import { Public } from './public.decorator.js';
import { Roles } from './roles.decorator.js';
import type { AuthenticatedUser } from './roles.js';

const SECRET = 'test-secret-test-secret-test-secret-42';

@Controller('probe')
class ProbeController {
  @Public()
  @Get('open')
  open(@CurrentUser() user: AuthenticatedUser | undefined) {
    return { open: true, user: user ?? null };
  }

  @Get('me')
  me(@CurrentUser() user: AuthenticatedUser) {
    return user;
  }

  @Roles('admin')
  @Get('admin')
  admin() {
    return { admin: true };
  }
}

@Roles('warehouse', 'admin')
@Controller('warehouse')
class WarehouseController {
  @Get()
  list() {
    return { ok: true };
  }

  @Roles('customer-service')
  @Get('override')
  override() {
    return { ok: true };
  }
}

describe('gateway auth', () => {
  let app: NestFastifyApplication;
  const tokens = new AccessTokens({ secret: SECRET });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    app = await startHttpTestApp({
      imports: [AuthModule.forRoot({ secret: SECRET, issuer: 'mallard' })],
      controllers: [ProbeController, WarehouseController],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  const expectUnauthorized = (res: Awaited<ReturnType<typeof get>>, slug: string) => {
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="mallard"/);
    expect(res.json()).toMatchObject({ type: `https://mallard.dev/problems/${slug}`, status: 401 });
  };

  it('refuses a request without a token', async () => {
    const res = await get('/probe/me');
    expectUnauthorized(res, 'authentication-required');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="mallard"');
  });

  it('refuses another scheme as no bearer token', async () => {
    expectUnauthorized(await get('/probe/me', { authorization: 'Basic YWxpY2U6cHc=' }), 'authentication-required');
  });

  it('refuses a token with a bad signature', async () => {
    const forged = new AccessTokens({ secret: 'another-secret-another-secret-another' }).sign({
      sub: 'mallory',
      roles: ['admin'],
      ttlSeconds: 60,
    });
    const res = await get('/probe/me', bearer(forged));
    expectUnauthorized(res, 'invalid-token');
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('refuses a tampered payload', async () => {
    const [header, , signature] = tokens.sign({ sub: 'alice', roles: ['shopper'], ttlSeconds: 60 }).split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'alice', roles: ['admin'], iss: 'mallard', exp: 9e9 })).toString('base64url');
    expectUnauthorized(await get('/probe/admin', bearer(`${header}.${payload}.${signature}`)), 'invalid-token');
  });

  it('refuses an expired token', async () => {
    const expired = new JwtService({ secret: SECRET }).sign(
      { roles: ['shopper'], exp: Math.floor(Date.now() / 1000) - 10 },
      { subject: 'alice', issuer: 'mallard' },
    );
    expectUnauthorized(await get('/probe/me', bearer(expired)), 'token-expired');
  });

  it('refuses alg none, a foreign issuer and a token without expiry', async () => {
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: 'alice', roles: ['admin'], iss: 'mallard', exp: 9e9 }),
    ).toString('base64url')}.`;
    expectUnauthorized(await get('/probe/me', bearer(none)), 'invalid-token');
    const jwt = new JwtService({ secret: SECRET });
    const foreign = jwt.sign({ roles: ['admin'] }, { subject: 'alice', issuer: 'elsewhere', expiresIn: 60 });
    expectUnauthorized(await get('/probe/me', bearer(foreign)), 'invalid-token');
    const eternal = jwt.sign({ roles: ['admin'] }, { subject: 'alice', issuer: 'mallard' });
    expectUnauthorized(await get('/probe/me', bearer(eternal)), 'invalid-token');
  });

  it('answers 403 when the role does not match', async () => {
    const shopper = tokens.sign({ sub: 'alice', roles: ['shopper'], ttlSeconds: 60 });
    const res = await get('/probe/admin', bearer(shopper));
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      type: 'https://mallard.dev/problems/insufficient-role',
      status: 403,
      requiredRoles: ['admin'],
    });
  });

  it('lets the right role through and exposes the current user', async () => {
    const admin = tokens.sign({ sub: 'root-1', roles: ['admin'], ttlSeconds: 60 });
    expect((await get('/probe/admin', bearer(admin))).json()).toEqual({ admin: true });
    const shopper = tokens.sign({ sub: 'alice', roles: ['shopper'], ttlSeconds: 60 });
    const me = await get('/probe/me', bearer(shopper));
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({ id: 'alice', roles: ['shopper'] });
  });

  it('applies controller roles, and lets a method list replace them', async () => {
    const warehouse = tokens.sign({ sub: 'w-1', roles: ['warehouse'], ttlSeconds: 60 });
    const cs = tokens.sign({ sub: 'cs-1', roles: ['customer-service'], ttlSeconds: 60 });
    expect((await get('/warehouse', bearer(warehouse))).statusCode).toBe(200);
    expect((await get('/warehouse', bearer(cs))).statusCode).toBe(403);
    expect((await get('/warehouse/override', bearer(cs))).statusCode).toBe(200);
    expect((await get('/warehouse/override', bearer(warehouse))).statusCode).toBe(403);
  });

  it('keeps @Public routes open, with or without a token', async () => {
    expect((await get('/probe/open')).json()).toEqual({ open: true, user: null });
    expect((await get('/probe/open', bearer('garbage'))).statusCode).toBe(200);
    const shopper = tokens.sign({ sub: 'alice', roles: ['shopper'], ttlSeconds: 60 });
    expect((await get('/probe/open', bearer(shopper))).json()).toEqual({ open: true, user: { id: 'alice', roles: ['shopper'] } });
  });

  it('ignores roles it does not know', () => {
    const token = new JwtService({ secret: SECRET }).sign(
      { roles: ['shopper', 'root', 42] },
      { subject: 'alice', issuer: 'mallard', expiresIn: 60 },
    );
    expect(tokens.verify(token)).toEqual({ id: 'alice', roles: ['shopper'] });
  });
});

describe('auth configuration', () => {
  it('refuses a short secret at startup', () => {
    expect(() => AuthModule.forRoot({ secret: 'short' })).toThrow(/at least 32 bytes/);
  });

  it('uses the dev secret only outside production', () => {
    expect(jwtSecretFromEnv({})).toBe(DEV_JWT_SECRET);
    expect(jwtSecretFromEnv({ JWT_SECRET: SECRET, NODE_ENV: 'production' })).toBe(SECRET);
    expect(() => jwtSecretFromEnv({ NODE_ENV: 'production' })).toThrow(/must be set/);
    expect(() => jwtSecretFromEnv({ NODE_ENV: 'production', JWT_SECRET: DEV_JWT_SECRET })).toThrow();
  });

  it('parses token lifetimes', () => {
    expect(parseTtl('90')).toBe(90);
    expect(parseTtl('15m')).toBe(900);
    expect(parseTtl('1h')).toBe(3600);
    expect(parseTtl('7d')).toBe(604_800);
    expect(() => parseTtl('1w')).toThrow();
    expect(() => parseTtl('0')).toThrow();
  });
});
