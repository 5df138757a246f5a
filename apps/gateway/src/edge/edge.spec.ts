import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { HttpErrorsModule } from '@mallard/platform';
import { startHttpTestApp } from '@mallard/testing';
import { Body, Controller, Get, Post, Req } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsString, Length } from 'class-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokens, type AuthenticatedUser, CurrentUser, Public, Roles } from '../auth/index.js';
import { configureGatewayHttp, GatewayEdgeModule, type GatewayEdgeOptions } from './edge.module.js';
import { RAW_BODY_APP_OPTIONS, RawMultipartBody, type RequestWithRawBody, rawBodyOf, SignedBody } from './raw-body.js';

const SECRET = 'edge-spec-secret-edge-spec-secret-0001';
const tokens = new AccessTokens({ secret: SECRET });
const tokenFor = (sub: string, role: 'shopper' | 'admin' = 'shopper') => tokens.sign({ sub, roles: [role], ttlSeconds: 300 });

class CreateThingDto {
  @IsString()
  @Length(1, 20)
  name!: string;
}

@Controller('api/v1/things')
class ThingsController {
  @Roles('shopper')
  @Get()
  list(@CurrentUser() user: AuthenticatedUser) {
    return { owner: user.id };
  }

  @Post()
  create(@Body() dto: CreateThingDto) {
    return { created: dto.name };
  }

  @Public()
  @Get('catalogue')
  catalogue() {
    return { open: true };
  }

  @Get('boom')
  boom(): never {
    throw new Error('SELECT * FROM secrets');
  }
}

@Public()
@Controller('health')
class FakeHealthController {
  @Get('live')
  live() {
    return { status: 'ok' };
  }
}

@Public()
@Controller('api/v1/webhooks')
class WebhookController {
  @Post('carrier')
  carrier(@SignedBody() raw: Buffer, @Body() parsed: unknown) {
    return { sha256: createHash('sha256').update(raw).digest('hex'), length: raw.length, parsed };
  }

  @Post('files')
  @RawMultipartBody(2048)
  files(@Req() request: RequestWithRawBody) {
    const raw = rawBodyOf(request);
    return { sha256: createHash('sha256').update(raw).digest('hex'), length: raw.length, parsed: request.body ?? null };
  }
}

function startEdge(options: Partial<GatewayEdgeOptions>): Promise<NestFastifyApplication> {
  return startHttpTestApp(
    {
      imports: [HttpErrorsModule, GatewayEdgeModule.forRoot({ jwtSecret: SECRET, ...options })],
      controllers: [ThingsController, FakeHealthController, WebhookController],
    },
    { appOptions: RAW_BODY_APP_OPTIONS, configure: (app) => configureGatewayHttp(app, { version: '9.9.9' }) },
  );
}

const isProblem = (res: { headers: Record<string, unknown> }) =>
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);

describe('GatewayEdgeModule', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startEdge({ rateLimitPerMinute: 0 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('serves the OpenAPI document publicly, with the bearer scheme required except on public operations', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    const doc = res.json();
    expect(doc.info).toMatchObject({ title: 'Mallard API', version: '9.9.9' });
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/v1/things'].get.security).toBeUndefined();
    expect(doc.paths['/api/v1/things/catalogue'].get.security).toEqual([]);
    expect(doc.paths['/api/v1/things'].post.responses.default.content['application/problem+json']).toBeDefined();
    expect(doc.components.schemas.Problem).toBeDefined();
  });

  it('serves the docs page publicly, assets included', async () => {
    const page = await app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('swagger-ui');
    const css = await app.inject({ method: 'GET', url: '/docs/swagger-ui.css' });
    expect(css.statusCode).toBe(200);
  });

  it('needs a token by default and answers with problems', async () => {
    const missing = await app.inject({ method: 'GET', url: '/api/v1/things' });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="mallard"');
    isProblem(missing);

    const ok = await app.inject({ method: 'GET', url: '/api/v1/things', headers: { authorization: `Bearer ${tokenFor('alice')}` } });
    expect(ok.json()).toEqual({ owner: 'alice' });

    const forbidden = await app.inject({
      method: 'GET',
      url: '/api/v1/things',
      headers: { authorization: `Bearer ${tokenFor('root', 'admin')}` },
    });
    expect(forbidden.statusCode).toBe(403);
    isProblem(forbidden);

    expect((await app.inject({ method: 'GET', url: '/api/v1/things/catalogue' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });

  it('validates bodies with the global pipe and answers problems for every failure', async () => {
    const auth = { authorization: `Bearer ${tokenFor('alice')}` };
    const invalid = await app.inject({ method: 'POST', url: '/api/v1/things', headers: auth, payload: { name: '', extra: 1 } });
    expect(invalid.statusCode).toBe(400);
    isProblem(invalid);
    expect(
      invalid
        .json()
        .errors.map((error: { field: string }) => error.field)
        .sort(),
    ).toEqual(['extra', 'name']);

    const created = await app.inject({ method: 'POST', url: '/api/v1/things', headers: auth, payload: { name: 'duck' } });
    expect(created.json()).toEqual({ created: 'duck' });

    const boom = await app.inject({ method: 'GET', url: '/api/v1/things/boom', headers: auth });
    expect(boom.statusCode).toBe(500);
    isProblem(boom);
    expect(boom.body).not.toContain('secrets');

    const missing = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(missing.statusCode).toBe(404);
    isProblem(missing);
  });

  it('keeps the raw bytes of a JSON POST, byte for byte', async () => {
    // Odd spacing, escapes and key order: exactly what re-serialising the parsed body would lose.
    const raw = Buffer.from('{ "z":1,\n  "a" : "caf\\u00e9 ☕",\t"n": 1.50 }', 'utf8');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/carrier',
      headers: { 'content-type': 'application/json' },
      payload: raw,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      sha256: createHash('sha256').update(raw).digest('hex'),
      length: raw.length,
      parsed: { z: 1, a: 'café ☕', n: 1.5 },
    });
    expect(JSON.stringify(res.json().parsed)).not.toBe(raw.toString('utf8'));
  });

  it('hands a route that takes files its multipart body as bytes, up to its own limit, and refuses multipart elsewhere', async () => {
    const multipart = 'multipart/form-data; boundary=b';
    const body = Buffer.concat([
      Buffer.from('--b\r\ncontent-disposition: form-data; name="files"; filename="a.png"\r\ncontent-type: image/png\r\n\r\n'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0xff]),
      Buffer.from('\r\n--b--\r\n'),
    ]);
    const files = await app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/files',
      headers: { 'content-type': multipart },
      payload: body,
    });
    expect(files.statusCode).toBe(201);
    expect(files.json()).toEqual({ sha256: createHash('sha256').update(body).digest('hex'), length: body.length, parsed: null });

    const tooLarge = await app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/files',
      headers: { 'content-type': multipart },
      payload: Buffer.alloc(2049),
    });
    expect(tooLarge.statusCode).toBe(413);
    isProblem(tooLarge);
    for (const headers of [{ 'content-type': 'application/json' }, {}]) {
      const json = await app.inject({ method: 'POST', url: '/api/v1/webhooks/files', headers, payload: '{"files":[]}' });
      expect(json.statusCode).toBe(415);
      isProblem(json);
    }
    const elsewhere = await app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/carrier',
      headers: { 'content-type': multipart },
      payload: body,
    });
    expect(elsewhere.statusCode).toBe(415);
    expect(elsewhere.json().type).toBe('https://mallard.dev/problems/unsupported-media-type');
  });

  it('answers a bodiless webhook call with a 400 problem', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/webhooks/carrier' });
    expect(res.statusCode).toBe(400);
    isProblem(res);
    expect(res.json().type).toBe('https://mallard.dev/problems/body-required');
  });
});

describe('GatewayEdgeModule rate limiting', () => {
  const LIMIT = 3;
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startEdge({ rateLimitPerMinute: LIMIT });
  });
  afterAll(async () => {
    await app?.close();
  });

  const fromIp = (remoteAddress: string, url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, remoteAddress, headers });

  it('answers 429 problem with Retry-After once an anonymous IP spends its budget across routes', async () => {
    for (let i = 0; i < LIMIT; i++) {
      const res = await fromIp('10.0.0.1', i % 2 ? '/api/v1/things/catalogue' : '/api/v1/things');
      expect(res.statusCode).not.toBe(429);
    }
    const limited = await fromIp('10.0.0.1', '/api/v1/things/catalogue');
    expect(limited.statusCode).toBe(429);
    isProblem(limited);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.json()).toMatchObject({
      type: 'https://mallard.dev/problems/too-many-requests',
      status: 429,
      retryAfterSeconds: retryAfter,
    });
    expect((await fromIp('10.0.0.2', '/api/v1/things/catalogue')).statusCode).toBe(200);
  });

  it('counts authenticated callers per user, not per IP', async () => {
    const bob = { authorization: `Bearer ${tokenFor('bob')}` };
    const carol = { authorization: `Bearer ${tokenFor('carol')}` };
    for (let i = 0; i < LIMIT; i++) expect((await fromIp('10.0.0.3', '/api/v1/things', bob)).statusCode).toBe(200);
    expect((await fromIp('10.0.0.3', '/api/v1/things', bob)).statusCode).toBe(429);
    expect((await fromIp('10.0.0.3', '/api/v1/things', carol)).statusCode).toBe(200);
  });

  it('limits callers with bad tokens too: the limiter runs before auth', async () => {
    const forged = { authorization: 'Bearer not.a.token' };
    for (let i = 0; i < LIMIT; i++) expect((await fromIp('10.0.0.4', '/api/v1/things', forged)).statusCode).toBe(401);
    expect((await fromIp('10.0.0.4', '/api/v1/things', forged)).statusCode).toBe(429);
  });

  it('never limits health probes', async () => {
    for (let i = 0; i < LIMIT + 3; i++) expect((await fromIp('10.0.0.5', '/health/live')).statusCode).toBe(200);
  });

  it('refuses a negative limit at startup', () => {
    expect(() => GatewayEdgeModule.forRoot({ jwtSecret: SECRET, rateLimitPerMinute: -1 })).toThrow(/>= 0/);
  });
});
