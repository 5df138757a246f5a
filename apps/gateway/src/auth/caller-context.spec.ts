import 'reflect-metadata';
import { HttpErrorsModule } from '@mallard/platform';
import { startHttpTestApp } from '@mallard/testing';
import { Controller, Get } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayEdgeModule } from '../edge/edge.module.js';
import { AccessTokens } from './access-token.js';
import { currentCaller } from './caller-context.js';
import { Public } from './public.decorator.js';

const SECRET = 'caller-context-spec-secret-0000000000001';

/** Reads the caller the way Upstreams does: with no request at hand, after an await. */
@Controller('api/v1/whoami')
class WhoAmIController {
  @Get()
  async whoami() {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { caller: currentCaller() ?? null };
  }

  @Public()
  @Get('open')
  open() {
    return { caller: currentCaller() ?? null };
  }
}

describe('the caller of the request in progress (what Upstreams signs into service tokens)', () => {
  let app: NestFastifyApplication;
  const tokens = new AccessTokens({ secret: SECRET });

  beforeAll(async () => {
    app = await startHttpTestApp({
      imports: [HttpErrorsModule, GatewayEdgeModule.forRoot({ jwtSecret: SECRET, rateLimitPerMinute: 0 })],
      controllers: [WhoAmIController],
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('is the authenticated user, with their roles, and only for their own request', async () => {
    const ask = (sub: string, role: 'admin' | 'shopper') =>
      app.inject({
        method: 'GET',
        url: '/api/v1/whoami',
        headers: { authorization: `Bearer ${tokens.sign({ sub, roles: [role], ttlSeconds: 60 })}` },
      });
    const [ops, alice] = await Promise.all([ask('ops', 'admin'), ask('alice', 'shopper')]);
    expect(ops.json()).toEqual({ caller: { id: 'ops', roles: ['admin'] } });
    expect(alice.json()).toEqual({ caller: { id: 'alice', roles: ['shopper'] } });
  });

  it('is nobody on an anonymous request', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/whoami/open' })).json()).toEqual({ caller: null });
  });
});
