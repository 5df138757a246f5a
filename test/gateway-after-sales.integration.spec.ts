/**
 * The gateway's after-sales routes, on their own: roles, validation, the Idempotency-Key, the
 * multipart relay and the evidence files, with a stand-in for the after-sales service (its
 * routes are built beside this). The stand-in is a real service behind the real
 * ServiceTokenGuard and records each request as its controllers would see it: internal path,
 * the caller headers the guard writes back from the verified token, content type and bytes.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { defineEventDrivenService } from '@mallard/messaging';
import type { ServiceDefinition } from '@mallard/platform';
import { dropDatabase, startTestService, type TestService } from '@mallard/testing';
import { All, Controller, Req, Res } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AfterSalesModule } from '../apps/gateway/src/after-sales/after-sales.module.js';
import { EVIDENCE_BODY_LIMIT } from '../apps/gateway/src/after-sales/after-sales.requests.js';
import { AccessTokens, type Role } from '../apps/gateway/src/auth/index.js';
import { GatewayConfig } from '../apps/gateway/src/config/gateway-config.js';
import { configureGatewayHttp, GatewayEdgeModule } from '../apps/gateway/src/edge/index.js';
import { UpstreamModule } from '../apps/gateway/src/upstream/upstream.module.js';
import { fetchInContract } from './api-contract.js';

const JWT_SECRET = 'after-sales-gateway-spec-secret-0000000001';
const tokens = new AccessTokens({ secret: JWT_SECRET });
const bearer = (sub: string, roles: Role[], warehouses?: string[]) => ({
  authorization: `Bearer ${tokens.sign({ sub, roles, ttlSeconds: 600, warehouses })}`,
});
const ALICE = bearer('alice', ['shopper']);
const CS = bearer('cs-7', ['customer-service']);
const PICKER = bearer('picker-3', ['warehouse'], ['wh-east', 'wh-west']);

/** A few bytes of a PNG, NUL bytes included: text handling anywhere on the way would change them. */
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]), randomBytes(2048)]);
/** A request id the stand-in refuses as after-sales would refuse a step: its problem must reach the caller as it is. */
const REFUSED = '00000000-0000-4000-8000-000000000409';
const MISSING_FILE = '00000000-0000-4000-8000-000000000404';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
  contentType?: string;
  bodyLength: number;
  bodySha256: string;
  json?: unknown;
}

const seen: Seen[] = [];
const CALLER_HEADERS = [
  'x-mallard-buyer',
  'x-mallard-actor',
  'x-mallard-roles',
  'x-mallard-warehouses',
  'x-mallard-order',
  'idempotency-key',
];

/** The after-sales service as the gateway reaches it: every internal path, answered as the test needs. */
@Controller('internal')
class StandInController {
  @All('*')
  answer(
    @Req() request: { method: string; url: string; headers: Record<string, string | undefined>; body?: unknown; rawBody?: Buffer },
    @Res() reply: FastifyReply,
  ): void {
    const bytes = request.rawBody ?? Buffer.alloc(0);
    seen.push({
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(CALLER_HEADERS.map((name) => [name, request.headers[name]])),
      contentType: request.headers['content-type'],
      bodyLength: bytes.length,
      bodySha256: createHash('sha256').update(bytes).digest('hex'),
      json: request.body,
    });
    if (request.url.includes(REFUSED)) {
      void reply.status(409).header('content-type', 'application/problem+json').send({
        type: 'https://mallard.dev/problems/after-sales-step-refused',
        title: 'The request is not where this step can be taken',
        status: 409,
        detail: 'the request is REJECTED',
        instance: request.url,
        requestId: REFUSED,
        state: 'REJECTED',
      });
      return;
    }
    if (request.url.includes(`/evidence/${MISSING_FILE}`)) {
      void reply.status(404).header('content-type', 'application/problem+json').send({
        type: 'https://mallard.dev/problems/evidence-link-invalid',
        title: 'Evidence link invalid or expired',
        status: 404,
        instance: request.url,
      });
      return;
    }
    if (request.method === 'GET' && /\/evidence\/[^/?]+\?/.test(request.url)) {
      void reply.status(200).header('content-type', 'image/png').send(PNG);
      return;
    }
    void reply.status(request.url.endsWith('/after-sales') && request.method === 'POST' ? 201 : 200).send({ echoed: true });
  }
}

const afterSalesStandIn: ServiceDefinition = defineEventDrivenService({
  name: 'after-sales',
  rawBody: true,
  features: [],
  beforeListen: (app: NestFastifyApplication) => {
    // Bytes kept as rawBody, no parsed body: what after-sales' own multipart route will read.
    app.useBodyParser('multipart/form-data', { bodyLimit: EVIDENCE_BODY_LIMIT }, (_request, _body, done) => done(null, undefined));
  },
});
const standIn: ServiceDefinition = {
  ...afterSalesStandIn,
  module: (config, runtime) => {
    const module = afterSalesStandIn.module(config, runtime);
    return { ...module, controllers: [...(module.controllers ?? []), StandInController] };
  },
};

/** The gateway as service.ts wires it, reduced to the modules under test. */
const gatewayUnderTest: ServiceDefinition<GatewayConfig> = defineEventDrivenService<GatewayConfig>({
  name: 'gateway-after-sales-spec',
  exposure: 'edge',
  config: GatewayConfig,
  rawBody: true,
  features: (config) => [
    GatewayEdgeModule.forRoot({ jwtSecret: config.jwtSecret, rateLimitPerMinute: 0 }),
    UpstreamModule,
    AfterSalesModule,
  ],
  beforeListen: (app) => configureGatewayHttp(app),
});

describe('gateway: after-sales routes, with a stand-in after-sales behind the service-token guard', () => {
  let afterSales: TestService | undefined;
  let gateway: TestService<GatewayConfig>;

  beforeAll(async () => {
    afterSales = await startTestService(standIn);
    gateway = await startTestService(gatewayUnderTest, { JWT_SECRET, AFTER_SALES_URL: afterSales.url });
  });

  afterAll(async () => {
    await gateway?.stop();
    await afterSales?.stop();
    await Promise.all(
      [gateway, afterSales].filter((service) => service !== undefined).map((service) => dropDatabase(service.databaseName)),
    );
  });

  beforeEach(() => {
    seen.length = 0;
  });

  const url = (path: string) => `${gateway.url}/api/v1${path}`;
  /** A call whose answer is a problem or a file: held to docs/openapi.json. */
  const call = async (path: string, init: RequestInit = {}) => {
    const response = await fetchInContract(url(path), init);
    const type = response.headers.get('content-type') ?? '';
    return { status: response.status, type, headers: response.headers, body: type.includes('json') ? await response.json() : null };
  };
  /** A call the stand-in answers with its echo, which is not an after-sales answer: not held to the document. */
  const forwarded = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(url(path), init);
    return { status: response.status, body: await response.json() };
  };
  const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const expectProblem = (answer: { status: number; type: string; body: any }, status: number, type: string) => {
    expect(answer.status).toBe(status);
    expect(answer.type).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({ status, type: `https://mallard.dev/problems/${type}` });
  };

  const orderId = randomUUID();
  const requestId = randomUUID();
  const create = {
    type: 'RETURN_AND_REFUND',
    reason: 'DAMAGED',
    lines: [{ subOrderId: randomUUID(), lineId: randomUUID(), quantity: 1 }],
    description: 'The lid was cracked on arrival',
  };

  it('forwards a shopper’s request with its buyer and Idempotency-Key inside the service token, and answers 201', async () => {
    const key = randomUUID();
    const answer = await forwarded(`/orders/${orderId}/after-sales`, json(create, { ...ALICE, 'idempotency-key': key }));
    expect(answer).toEqual({ status: 201, body: { echoed: true } });
    expect(seen).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: `/internal/orders/${orderId}/after-sales`,
        headers: {
          'x-mallard-buyer': 'alice',
          'x-mallard-actor': undefined,
          'x-mallard-roles': 'shopper',
          'x-mallard-warehouses': undefined,
          'x-mallard-order': undefined,
          'idempotency-key': key,
        },
        contentType: 'application/json',
        json: create,
      }),
    ]);
  });

  it('refuses at the gateway, as problem+json and without calling after-sales, what is malformed or not the caller’s to do', async () => {
    const key = { 'idempotency-key': randomUUID() };
    expectProblem(await call(`/orders/${orderId}/after-sales`, json(create, ALICE)), 400, 'idempotency-key-required');
    expectProblem(
      await call(`/orders/${orderId}/after-sales`, json({ ...create, lines: [{ ...create.lines[0], quantity: 0 }] }, { ...ALICE, ...key })),
      400,
      'validation-failed',
    );
    expectProblem(
      await call(`/orders/${orderId}/after-sales`, json({ ...create, colour: 'red' }, { ...ALICE, ...key })),
      400,
      'validation-failed',
    );
    expectProblem(await call('/orders/not-an-order/after-sales', { headers: ALICE }), 400, 'validation-failed');
    expectProblem(await call('/after-sales/1234', { headers: CS }), 400, 'validation-failed');
    expectProblem(
      await call(`/after-sales/${requestId}/return-parcel`, json({ carrierCode: 'SF', trackingNumber: 'x' }, ALICE)),
      400,
      'validation-failed',
    );
    expectProblem(await call(`/admin/after-sales/${requestId}/reject`, json({}, CS)), 400, 'validation-failed');
    expectProblem(await call('/admin/after-sales?state=LOST', { headers: CS }), 400, 'validation-failed');
    expectProblem(
      await call(`/warehouse/after-sales/${requestId}/inspection`, json({ passed: 'yes', note: 'n' }, PICKER)),
      400,
      'validation-failed',
    );
    expectProblem(
      await call(`/after-sales/${requestId}/evidence/${randomUUID()}?expires=soon&signature=abc`, { headers: ALICE }),
      400,
      'validation-failed',
    );
    expectProblem(
      await call(`/after-sales/${requestId}/evidence/${randomUUID()}?expires=1764064800`, { headers: ALICE }),
      400,
      'validation-failed',
    );

    // Roles: a shopper is no customer service, customer service no warehouse, and nobody is anonymous.
    expectProblem(await call('/admin/after-sales', { headers: ALICE }), 403, 'insufficient-role');
    expectProblem(await call(`/admin/after-sales/${requestId}/approve`, json({}, ALICE)), 403, 'insufficient-role');
    expectProblem(await call(`/admin/after-sales/${requestId}/approve`, json({}, PICKER)), 403, 'insufficient-role');
    expectProblem(await call(`/warehouse/after-sales/${requestId}/receive`, json({}, ALICE)), 403, 'insufficient-role');
    expectProblem(await call(`/warehouse/after-sales/${requestId}/receive`, json({}, CS)), 403, 'insufficient-role');
    expectProblem(await call(`/orders/${orderId}/after-sales`, json(create, { ...CS, ...key })), 403, 'insufficient-role');
    expectProblem(
      await call(`/after-sales/${requestId}/return-parcel`, json({ carrierCode: 'sf', trackingNumber: 'SF1234' }, CS)),
      403,
      'insufficient-role',
    );
    expectProblem(await call(`/after-sales/${requestId}`, { headers: PICKER }), 403, 'insufficient-role');
    expectProblem(await call(`/after-sales/${requestId}`), 401, 'authentication-required');
    expect(seen).toEqual([]);
  });

  it('reads as the caller: a shopper named as the buyer, staff unrestricted', async () => {
    expect((await forwarded(`/after-sales/${requestId}`, { headers: ALICE })).status).toBe(200);
    expect((await forwarded(`/after-sales/${requestId}`, { headers: CS })).status).toBe(200);
    expect((await forwarded(`/orders/${orderId}/after-sales`, { headers: ALICE })).status).toBe(200);
    expect(
      seen.map((request) => [request.method, request.url, request.headers['x-mallard-buyer'], request.headers['x-mallard-roles']]),
    ).toEqual([
      ['GET', `/internal/after-sales/${requestId}`, 'alice', 'shopper'],
      ['GET', `/internal/after-sales/${requestId}`, undefined, 'customer-service'],
      ['GET', `/internal/orders/${orderId}/after-sales`, 'alice', 'shopper'],
    ]);
  });

  it('forwards customer service’s queue and decisions, and the warehouse’s steps, with the staff member and the warehouses', async () => {
    expect((await forwarded('/admin/after-sales?state=REQUESTED&olderThan=60&merchantId=the-mall', { headers: CS })).status).toBe(200);
    expect((await forwarded(`/admin/after-sales/${requestId}/approve`, { method: 'POST', headers: CS })).status).toBe(200);
    expect((await forwarded(`/admin/after-sales/${requestId}/reject`, json({ note: 'No damage on the photo' }, CS))).status).toBe(200);
    expect((await forwarded(`/admin/after-sales/${requestId}/request-evidence`, json({ note: 'Show the lid' }, CS))).status).toBe(200);
    expect((await forwarded(`/warehouse/after-sales/${requestId}/receive`, json({}, PICKER))).status).toBe(200);
    expect((await forwarded(`/warehouse/after-sales/${requestId}/inspection`, json({ passed: true, note: 'Sealed' }, PICKER))).status).toBe(
      200,
    );
    expect(
      (await forwarded(`/after-sales/${requestId}/return-parcel`, json({ carrierCode: 'sf-express', trackingNumber: 'SF1234' }, ALICE)))
        .status,
    ).toBe(200);
    const [path, query] = seen[0].url.split('?');
    expect([path, Object.fromEntries(new URLSearchParams(query))]).toEqual([
      '/internal/admin/after-sales',
      { state: 'REQUESTED', olderThan: '60', merchantId: 'the-mall', page: '1', pageSize: '50' },
    ]);
    expect(seen.map((request) => [request.method, request.url, request.headers, request.json])).toEqual([
      [
        'GET',
        expect.stringMatching(/^\/internal\/admin\/after-sales\?/),
        expect.objectContaining({ 'x-mallard-roles': 'customer-service' }),
        undefined,
      ],
      [
        'POST',
        `/internal/admin/after-sales/${requestId}/approve`,
        expect.objectContaining({ 'x-mallard-actor': 'cs-7', 'x-mallard-roles': 'customer-service' }),
        {},
      ],
      [
        'POST',
        `/internal/admin/after-sales/${requestId}/reject`,
        expect.objectContaining({ 'x-mallard-actor': 'cs-7' }),
        { note: 'No damage on the photo' },
      ],
      [
        'POST',
        `/internal/admin/after-sales/${requestId}/request-evidence`,
        expect.objectContaining({ 'x-mallard-actor': 'cs-7' }),
        { note: 'Show the lid' },
      ],
      [
        'POST',
        `/internal/warehouse/after-sales/${requestId}/receive`,
        expect.objectContaining({
          'x-mallard-actor': 'picker-3',
          'x-mallard-roles': 'warehouse',
          'x-mallard-warehouses': 'wh-east,wh-west',
        }),
        { refund: true },
      ],
      [
        'POST',
        `/internal/warehouse/after-sales/${requestId}/inspection`,
        expect.objectContaining({ 'x-mallard-actor': 'picker-3', 'x-mallard-warehouses': 'wh-east,wh-west' }),
        { passed: true, note: 'Sealed' },
      ],
      [
        'POST',
        `/internal/after-sales/${requestId}/return-parcel`,
        expect.objectContaining({ 'x-mallard-buyer': 'alice' }),
        { carrierCode: 'sf-express', trackingNumber: 'SF1234' },
      ],
    ]);
  });

  it('lists a warehouse’s returns with its staff’s warehouses, an admin’s unlimited, and refuses the malformed and the unentitled', async () => {
    const ADMIN = bearer('ops-1', ['admin']);
    expect((await forwarded('/warehouse/after-sales?warehouseId=wh-east&state=RETURN_SHIPPED', { headers: PICKER })).status).toBe(200);
    expect((await forwarded('/warehouse/after-sales?warehouseId=wh-north&page=2&pageSize=10', { headers: ADMIN })).status).toBe(200);
    expect(
      seen.map((request) => [request.method, request.url, request.headers['x-mallard-warehouses'], request.headers['x-mallard-roles']]),
    ).toEqual([
      [
        'GET',
        '/internal/warehouse/after-sales?warehouseId=wh-east&page=1&pageSize=50&state=RETURN_SHIPPED',
        'wh-east,wh-west',
        'warehouse',
      ],
      ['GET', '/internal/warehouse/after-sales?warehouseId=wh-north&page=2&pageSize=10', undefined, 'admin'],
    ]);
    seen.length = 0;

    expectProblem(await call('/warehouse/after-sales', { headers: PICKER }), 400, 'validation-failed');
    expectProblem(await call('/warehouse/after-sales?warehouseId=wh-east&state=LOST', { headers: PICKER }), 400, 'validation-failed');
    expectProblem(await call('/warehouse/after-sales?warehouseId=wh%20east', { headers: PICKER }), 400, 'validation-failed');
    expectProblem(await call('/warehouse/after-sales?warehouseId=wh-east', { headers: CS }), 403, 'insufficient-role');
    expectProblem(await call('/warehouse/after-sales?warehouseId=wh-east', { headers: ALICE }), 403, 'insufficient-role');
    expectProblem(await call('/warehouse/after-sales?warehouseId=wh-east'), 401, 'authentication-required');
    expect(seen).toEqual([]);
  });

  it('relays after-sales’ refusal as it is: its status, type and members', async () => {
    const answer = await call(`/admin/after-sales/${REFUSED}/approve`, json({}, CS));
    expectProblem(answer, 409, 'after-sales-step-refused');
    expect(answer.body).toMatchObject({ detail: 'the request is REJECTED', requestId: REFUSED, state: 'REJECTED' });
  });

  it('hands an evidence upload to after-sales byte for byte, with its boundary, and takes nothing but multipart there', async () => {
    const form = new FormData();
    form.append('files', new Blob([PNG], { type: 'image/png' }), 'lid.png');
    // Larger than the 1 MiB every JSON body is held to: the route has a limit of its own.
    form.append('video', new Blob([randomBytes(3 * 1024 * 1024)], { type: 'video/mp4' }), 'unboxing.mp4');
    const encoded = new Request('http://localhost/', { method: 'POST', body: form });
    const contentType = encoded.headers.get('content-type')!;
    const bytes = Buffer.from(await encoded.arrayBuffer());
    const upload = await forwarded(`/after-sales/${requestId}/evidence`, {
      method: 'POST',
      headers: { ...ALICE, 'content-type': contentType },
      body: bytes,
    });
    expect(upload.status).toBe(200);
    expect(seen).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: `/internal/after-sales/${requestId}/evidence`,
        contentType,
        bodyLength: bytes.length,
        bodySha256: createHash('sha256').update(bytes).digest('hex'),
        headers: expect.objectContaining({ 'x-mallard-buyer': 'alice', 'x-mallard-roles': 'shopper' }),
      }),
    ]);
    seen.length = 0;

    expectProblem(await call(`/after-sales/${requestId}/evidence`, json({ files: [] }, ALICE)), 415, 'unsupported-media-type');
    expectProblem(await call(`/after-sales/${requestId}/evidence`, { method: 'POST', headers: ALICE }), 415, 'unsupported-media-type');
    expectProblem(
      await call(`/after-sales/${requestId}/evidence`, { method: 'POST', headers: { ...CS, 'content-type': contentType }, body: bytes }),
      403,
      'insufficient-role',
    );
    // Any other route still takes no multipart body, and no more of one than of JSON.
    const small = `--x\r\ncontent-disposition: form-data; name="carrierCode"\r\n\r\nsf-express\r\n--x--\r\n`;
    expectProblem(
      await call(`/after-sales/${requestId}/return-parcel`, {
        method: 'POST',
        headers: { ...ALICE, 'content-type': 'multipart/form-data; boundary=x' },
        body: small,
      }),
      415,
      'unsupported-media-type',
    );
    expectProblem(
      await call(`/after-sales/${requestId}/return-parcel`, {
        method: 'POST',
        headers: { ...ALICE, 'content-type': contentType },
        body: bytes,
      }),
      413,
      'payload-too-large',
    );
    const tooLarge = await fetch(url(`/after-sales/${requestId}/evidence`), {
      method: 'POST',
      headers: { ...ALICE, 'content-type': 'multipart/form-data; boundary=x' },
      body: Buffer.alloc(EVIDENCE_BODY_LIMIT + 1),
    });
    expect([tooLarge.status, tooLarge.headers.get('content-type')]).toEqual([413, expect.stringMatching(/^application\/problem\+json/)]);
    expect(seen).toEqual([]);
  });

  it('answers an evidence file with its bytes and type, private to the browser for a minute; a refused link as after-sales refused it', async () => {
    const fileId = randomUUID();
    const file = await fetchInContract(url(`/after-sales/${requestId}/evidence/${fileId}?expires=1764064800&signature=c2lnbmVk_-0`), {
      headers: CS,
    });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('cache-control')).toBe('private, max-age=60');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
    expect(seen.map((request) => [request.url, request.headers['x-mallard-buyer'], request.headers['x-mallard-roles']])).toEqual([
      [`/internal/after-sales/${requestId}/evidence/${fileId}?expires=1764064800&signature=c2lnbmVk_-0`, undefined, 'customer-service'],
    ]);

    const refused = await call(`/after-sales/${requestId}/evidence/${MISSING_FILE}?expires=1&signature=abc`, { headers: ALICE });
    expectProblem(refused, 404, 'evidence-link-invalid');
    expect(refused.headers.get('cache-control')).toBeNull();
    expect(seen.at(-1)?.headers['x-mallard-buyer']).toBe('alice');
  });

  it('answers 503 back-office-unavailable when after-sales does not answer', async () => {
    await afterSales!.stop();
    await dropDatabase(afterSales!.databaseName);
    afterSales = undefined;
    const answer = await call(`/after-sales/${requestId}`, { headers: ALICE });
    expectProblem(answer, 503, 'back-office-unavailable');
    expect(answer.body).toMatchObject({ service: 'after-sales' });
    expect(answer.headers.get('retry-after')).toBe('1');
    const file = await call(`/after-sales/${requestId}/evidence/${randomUUID()}?expires=1&signature=abc`, { headers: ALICE });
    expectProblem(file, 503, 'back-office-unavailable');
  });
});
