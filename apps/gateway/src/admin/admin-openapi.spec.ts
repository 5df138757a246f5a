import 'reflect-metadata';
import { HttpErrorsModule } from '@mallard/platform';
import { startHttpTestApp } from '@mallard/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AfterSalesReturnsController } from '../after-sales/after-sales-returns.controller.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { configureGatewayHttp, GatewayEdgeModule } from '../edge/edge.module.js';
import { RAW_BODY_APP_OPTIONS } from '../edge/raw-body.js';
import { Upstreams } from '../upstream/upstreams.js';
import { WebhookRelay } from '../webhooks/webhook-relay.js';
import { PaymentWebhooksController } from '../webhooks/webhooks.controller.js';
import { AdminController } from './admin.controller.js';

interface Schema {
  $ref?: string;
  type?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  nullable?: boolean;
  enum?: unknown[];
  format?: string;
}
interface MediaType {
  schema?: Schema;
}
interface Operation {
  operationId: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType>; headers?: Record<string, unknown> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const PROBLEM = 'application/problem+json';
const WRITES = new Set(['put', 'patch', 'post']);

/**
 * The OpenAPI document of the back-office routes, the warehouse's part of returns and the payment
 * webhook, built from the controllers alone (the services behind them are stubs: building the
 * document calls none of them).
 */
describe('OpenAPI document of the admin, warehouse-returns and webhook routes', () => {
  let app: NestFastifyApplication;
  let document: Document;

  beforeAll(async () => {
    app = await startHttpTestApp(
      {
        imports: [HttpErrorsModule, GatewayEdgeModule.forRoot({ jwtSecret: 'admin-openapi-spec-secret-0000000001' })],
        controllers: [AdminController, AfterSalesReturnsController, PaymentWebhooksController],
        providers: [
          { provide: Upstreams, useValue: {} },
          { provide: GatewayConfig, useValue: {} },
          { provide: WebhookRelay, useValue: {} },
        ],
      },
      { appOptions: RAW_BODY_APP_OPTIONS, configure: (nest) => configureGatewayHttp(nest) },
    );
    const res = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    document = res.json<Document>();
  });

  afterAll(() => app?.close());

  const operations = (): [string, string, Operation][] =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]): [string, string, Operation] => [method, path, op]),
    );

  const resolve = (schema: Schema | undefined): Schema | undefined => {
    if (!schema?.$ref) return schema;
    return document.components.schemas[schema.$ref.replace('#/components/schemas/', '')];
  };

  const operation = (method: string, path: string): Operation => {
    const found = document.paths[path]?.[method];
    if (!found) throw new Error(`no ${method.toUpperCase()} ${path} in the document`);
    return found;
  };

  it('has every route of the controllers', () => {
    const ids = operations().map(([, , op]) => op.operationId);
    expect(ids.sort()).toEqual(
      [
        'AdminController_getFlashSaleSkus',
        'AdminController_getMovements',
        'AdminController_getSku',
        'AdminController_getStock',
        'AdminController_patchSku',
        'AdminController_postMovement',
        'AdminController_putCoupon',
        'AdminController_putMerchant',
        'AdminController_putPromotion',
        'AdminController_putSku',
        'AdminController_putWarehouse',
        'AfterSalesReturnsController_bookPickup',
        'AfterSalesReturnsController_comingBack',
        'AfterSalesReturnsController_inspect',
        'AfterSalesReturnsController_receive',
        'PaymentWebhooksController_receive',
      ].sort(),
    );
  });

  it('gives every operation a 2xx answer with a schema and its 4xx answers as problem+json', () => {
    for (const [method, path, op] of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      const successes = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
      expect(successes.length, where).toBeGreaterThan(0);
      for (const [status, response] of successes) {
        const media = Object.values(response.content ?? {});
        expect(media.length, `${where} ${status}`).toBeGreaterThan(0);
        for (const { schema } of media) expect(resolve(schema), `${where} ${status}`).toBeDefined();
      }
      const problems = Object.entries(op.responses).filter(([status]) => /^4\d\d$/.test(status));
      expect(problems.map(([status]) => status)).toEqual(expect.arrayContaining(['400', '429']));
      for (const [status, response] of problems) {
        expect(response.content?.[PROBLEM]?.schema?.$ref, `${where} ${status}`).toBe('#/components/schemas/Problem');
      }
      expect(op.responses['503']?.content?.[PROBLEM], where).toBeDefined();
    }
  });

  it('describes a request body for every PUT, PATCH and POST', () => {
    const writes = operations().filter(([method]) => WRITES.has(method));
    expect(writes.length).toBe(11);
    for (const [method, path, op] of writes) {
      const media = Object.values(op.requestBody?.content ?? {});
      expect(media.length, `${method} ${path}`).toBeGreaterThan(0);
      for (const { schema } of media) expect(resolve(schema)?.type, `${method} ${path}`).toBe('object');
    }
  });

  it('declares the statuses each admin route can answer beyond 400, 429 and 503', () => {
    const statuses = (method: string, path: string) =>
      Object.keys(operation(method, path).responses)
        .filter((status) => status !== 'default')
        .sort();
    expect(statuses('put', '/api/v1/admin/merchants/{id}')).toEqual(['200', '201', '400', '401', '403', '429', '503']);
    expect(statuses('put', '/api/v1/admin/skus/{id}')).toEqual(['200', '201', '400', '401', '403', '422', '429', '503']);
    expect(statuses('patch', '/api/v1/admin/skus/{id}')).toEqual(['200', '400', '401', '403', '404', '422', '429', '503']);
    expect(statuses('get', '/api/v1/admin/skus/{id}/stock')).toEqual(['200', '400', '401', '403', '404', '429', '503']);
    expect(statuses('post', '/api/v1/admin/stock/movements')).toEqual(['201', '400', '401', '403', '409', '422', '429', '503']);
    expect(statuses('put', '/api/v1/admin/coupons/{code}')).toEqual(['200', '400', '401', '403', '422', '429', '503']);
    expect(statuses('get', '/api/v1/admin/flash-sale-skus')).toEqual(['200', '400', '401', '403', '429', '503']);
    expect(statuses('get', '/api/v1/warehouse/after-sales')).toEqual(['200', '400', '401', '403', '429', '503']);
    for (const step of ['pickup', 'receive', 'inspection']) {
      expect(statuses('post', `/api/v1/warehouse/after-sales/{id}/${step}`)).toEqual([
        '200',
        '400',
        '401',
        '403',
        '404',
        '409',
        '413',
        '415',
        '429',
        '503',
      ]);
    }
  });

  it('types the SKU answer as the wire carries it: integer money, ISO timestamps, nullable policy, limit and own tax rate', () => {
    const sku = resolve(operation('get', '/api/v1/admin/skus/{id}').responses['200'].content?.['application/json']?.schema);
    expect(sku?.required).toEqual(
      expect.arrayContaining([
        'id',
        'priceMinor',
        'stockPolicy',
        'effectiveStockPolicy',
        'purchaseLimit',
        'taxRateBasisPoints',
        'effectiveTaxRateBasisPoints',
        'revision',
        'createdAt',
      ]),
    );
    expect(sku?.properties?.taxRateBasisPoints).toMatchObject({ type: 'integer', nullable: true, minimum: 0, maximum: 10_000 });
    expect(sku?.properties?.effectiveTaxRateBasisPoints).toMatchObject({ type: 'integer', minimum: 0, maximum: 10_000 });
    expect(sku?.properties?.effectiveTaxRateBasisPoints).not.toHaveProperty('nullable');
    expect(sku?.properties?.priceMinor.type).toBe('integer');
    expect(sku?.properties?.createdAt).toMatchObject({ type: 'string', format: 'date-time' });
    expect(sku?.properties?.stockPolicy).toMatchObject({ nullable: true, enum: ['RESERVE_ON_ORDER', 'DEDUCT_ON_PAYMENT', null] });
    expect(sku?.properties?.purchaseLimit).toMatchObject({ type: 'integer', nullable: true });
    const put = operation('put', '/api/v1/admin/skus/{id}').responses;
    expect(put['201'].content?.['application/json']?.schema).toEqual(put['200'].content?.['application/json']?.schema);
  });

  it('answers the ledger as a list of movements and takes an optional Idempotency-Key on a new movement', () => {
    const list = operation('get', '/api/v1/admin/stock/movements').responses['200'].content?.['application/json']?.schema;
    expect(list?.type).toBe('array');
    const movement = resolve(list?.items);
    expect(movement?.properties?.orderId).toMatchObject({ nullable: true, format: 'uuid' });
    expect(movement?.properties?.reason).toMatchObject({ nullable: true });
    const post = operation('post', '/api/v1/admin/stock/movements');
    expect(post.parameters?.find((p) => p.name === 'Idempotency-Key')).toMatchObject({ in: 'header', required: false });
  });

  it('types the flash-sale SKUs as the wire carries them: integer units and money, a nullable limit, the levels per warehouse', () => {
    const page = resolve(operation('get', '/api/v1/admin/flash-sale-skus').responses['200'].content?.['application/json']?.schema);
    expect(page?.required).toEqual(expect.arrayContaining(['items', 'page', 'pageSize', 'total']));
    const sku = resolve(page?.properties?.items.items);
    expect(sku?.required).toEqual(
      expect.arrayContaining(['skuId', 'priceMinor', 'purchaseLimit', 'onHand', 'held', 'available', 'sold', 'returned', 'warehouses']),
    );
    for (const units of ['priceMinor', 'onHand', 'held', 'available', 'sold', 'returned'])
      expect(sku?.properties?.[units].type).toBe('integer');
    expect(sku?.properties?.purchaseLimit).toMatchObject({ type: 'integer', nullable: true });
    expect(resolve(sku?.properties?.warehouses.items)?.required).toEqual(
      expect.arrayContaining(['warehouseId', 'onHand', 'held', 'available']),
    );
    const query = operation('get', '/api/v1/admin/flash-sale-skus').parameters ?? [];
    expect(query.filter((p) => p.in === 'query').map((p) => [p.name, p.required])).toEqual([
      ['page', false],
      ['pageSize', false],
    ]);
  });

  it('lists a warehouse’s returns by a required warehouse and an optional state from APPROVED on, answered in the warehouse’s view', () => {
    const list = operation('get', '/api/v1/warehouse/after-sales');
    const query = Object.fromEntries((list.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, p]));
    expect(Object.keys(query).sort()).toEqual(['page', 'pageSize', 'state', 'warehouseId']);
    expect(query.warehouseId.required).toBe(true);
    expect(query.state.required).toBe(false);
    expect(query.state.schema?.enum).toEqual([
      'APPROVED',
      'RETURN_SHIPPED',
      'RETURN_RECEIVED',
      'REFUNDING',
      'REFUNDED',
      'EXCHANGING',
      'EXCHANGED',
      'CLOSED',
    ]);
    const schema = list.responses['200'].content?.['application/json']?.schema;
    expect(schema?.$ref).toBe('#/components/schemas/WarehouseReturnsPageResponse');
    const item = resolve(resolve(schema)?.properties?.items.items);
    expect(Object.keys(item?.properties ?? {}).sort()).toEqual([
      'ageSeconds',
      'createdAt',
      'id',
      'lines',
      'merchantId',
      'orderId',
      'reason',
      'returnParcel',
      'sellerAtFault',
      'state',
      'type',
      'updatedAt',
    ]);
    expect(item?.required).toEqual(expect.arrayContaining(Object.keys(item?.properties ?? {})));
    expect(item?.properties?.type.enum).toEqual(['RETURN_AND_REFUND', 'EXCHANGE']);
    expect(item?.properties?.state.enum).toEqual(query.state.schema?.enum);
  });

  it('keeps the admin and warehouse routes behind bearer auth and the webhook open, signed and in each provider’s encoding', () => {
    for (const [method, path, op] of operations()) {
      if (path.startsWith('/api/v1/admin/') || path.startsWith('/api/v1/warehouse/')) {
        expect(op.security, `${method} ${path}`).toEqual([{ bearer: [] }]);
      }
    }
    const webhook = operation('post', '/api/v1/webhooks/payments/{provider}');
    expect(webhook.security).toEqual([]);
    expect(Object.keys(webhook.requestBody?.content ?? {}).sort()).toEqual(['application/json', 'application/x-www-form-urlencoded']);
    expect(Object.keys(webhook.responses['200'].content ?? {}).sort()).toEqual(['application/json', 'text/plain']);
    expect(Object.keys(webhook.responses)).toEqual(expect.arrayContaining(['401', '404', '413', '415']));
    expect(webhook.responses).not.toHaveProperty('403');
  });
});
