import 'reflect-metadata';
import { HttpErrorsModule } from '@mallard/platform';
import { startHttpTestApp } from '@mallard/testing';
import { Controller, Get, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Public } from '../auth/index.js';
import { GatewayEdgeModule } from './edge.module.js';
import { isWebhookPath } from './rate-limit.js';

const SECRET = 'webhook-limit-spec-secret-000000000000001';

@Public()
@Controller('api/v1')
class OpenController {
  @Get('catalogue')
  catalogue() {
    return { open: true };
  }

  @Post('webhooks/payments/sandbox')
  payment() {
    return { ok: true };
  }

  @Post('webhooks/carriers/sf-express')
  carrier() {
    return { ok: true };
  }
}

describe('webhooks have a rate-limit bucket of their own', () => {
  const LIMIT = 3;
  const WEBHOOK_LIMIT = 5;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startHttpTestApp({
      imports: [
        HttpErrorsModule,
        GatewayEdgeModule.forRoot({ jwtSecret: SECRET, rateLimitPerMinute: LIMIT, webhookRateLimitPerMinute: WEBHOOK_LIMIT }),
      ],
      controllers: [OpenController],
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  const browse = (ip: string) => app.inject({ method: 'GET', url: '/api/v1/catalogue', remoteAddress: ip });
  const callback = (ip: string, url = '/api/v1/webhooks/payments/sandbox') =>
    app.inject({ method: 'POST', url, remoteAddress: ip, payload: {} });

  it('still takes callbacks from an address whose anonymous traffic spent its budget', async () => {
    // Behind an ingress without TRUST_PROXY every client has the ingress's address: this one.
    for (let i = 0; i < LIMIT; i++) expect((await browse('10.1.0.1')).statusCode).toBe(200);
    expect((await browse('10.1.0.1')).statusCode).toBe(429);
    expect((await callback('10.1.0.1')).statusCode).toBe(201);
    expect((await callback('10.1.0.1', '/api/v1/webhooks/carriers/sf-express')).statusCode).toBe(201);
  });

  it('does not charge callbacks to the anonymous budget of their address', async () => {
    for (let i = 0; i < WEBHOOK_LIMIT; i++) expect((await callback('10.1.0.2')).statusCode).toBe(201);
    for (let i = 0; i < LIMIT; i++) expect((await browse('10.1.0.2')).statusCode).toBe(200);
  });

  it('limits callbacks per address with their own limit (a flood of forged callbacks stops there)', async () => {
    for (let i = 0; i < WEBHOOK_LIMIT; i++) expect((await callback('10.1.0.3')).statusCode).toBe(201);
    const limited = await callback('10.1.0.3');
    expect(limited.statusCode).toBe(429);
    expect(String(limited.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect((await callback('10.1.0.4')).statusCode).toBe(201);
  });

  it('knows a webhook path when it sees one', () => {
    expect(isWebhookPath('/api/v1/webhooks/payments/alipay?x=1')).toBe(true);
    expect(isWebhookPath('/api/v1/orders')).toBe(false);
    expect(isWebhookPath('/api/v1/webhooksX')).toBe(false);
  });
});
