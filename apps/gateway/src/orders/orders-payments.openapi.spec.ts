import 'reflect-metadata';
import { PROBLEM_CONTENT_TYPE } from '@mallard/platform';
import { startHttpTestApp } from '@mallard/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvoicesController } from '../invoices/invoices.controller.js';
import { PaymentsAdminController, PaymentsController } from '../payments/payments.controller.js';
import { ReadModelQueries } from '../read-model/read-model.queries.js';
import { Upstreams } from '../upstream/upstreams.js';
import { OrderListService } from './order-list.service.js';
import { OrdersController } from './orders.controller.js';
import { ReorderService } from './reorder.service.js';
import { StaffOrderSearch } from './staff-order-search.service.js';
import { StaffOrdersController } from './staff-orders.controller.js';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
type Schema = Record<string, unknown>;

interface Contract {
  /** Success status → the response class it answers. */
  success: Record<number, string>;
  /** Error statuses beyond the 400, 429 and 503 every route has. */
  problems: number[];
  /** The Idempotency-Key header, where the route takes one. */
  key?: 'required' | 'optional';
}

/** Every public operation of the orders (shoppers' and staff's), invoices and payments controllers, as front ends are told it answers. */
const CONTRACTS: Record<string, Contract> = {
  'POST /api/v1/orders': { success: { 201: 'OrderResponse', 200: 'OrderResponse' }, problems: [401, 403, 413, 415, 422], key: 'required' },
  'GET /api/v1/orders': { success: { 200: 'OrderPageResponse' }, problems: [401, 403] },
  'GET /api/v1/orders/{id}': { success: { 200: 'OrderDetailResponse' }, problems: [401, 403, 404] },
  'POST /api/v1/orders/{id}/cancel': { success: { 200: 'OrderResponse', 202: 'OrderResponse' }, problems: [401, 403, 404, 409] },
  'PUT /api/v1/orders/{id}/billing': { success: { 200: 'BillingDetailsResponse' }, problems: [401, 403, 404, 409, 413, 415, 422] },
  'POST /api/v1/orders/{id}/reorder': {
    success: { 200: 'ReorderResponse', 201: 'ReorderResponse' },
    problems: [401, 403, 404, 413, 415, 422],
    key: 'optional',
  },
  'POST /api/v1/orders/{id}/payments': {
    success: { 201: 'PaymentResponse' },
    problems: [401, 403, 404, 409, 413, 415, 422, 502],
    key: 'required',
  },
  'GET /api/v1/me/points': { success: { 200: 'PointsResponse' }, problems: [401, 403] },
  'GET /api/v1/gift-cards/{code}': { success: { 200: 'GiftCardResponse' }, problems: [401, 403, 404] },
  'POST /api/v1/admin/gift-cards': { success: { 201: 'GiftCardResponse' }, problems: [401, 403, 409, 413, 415, 422] },
  'POST /api/v1/admin/points/grants': {
    success: { 201: 'PointsGrantResponse', 200: 'PointsGrantResponse' },
    problems: [401, 403, 413, 415, 422],
  },
  'GET /api/v1/admin/orders': { success: { 200: 'StaffOrderPageResponse' }, problems: [401, 403] },
  'GET /api/v1/admin/orders/{id}/money-trail': { success: { 200: 'MoneyTrailResponse' }, problems: [401, 403, 404] },
  'POST /api/v1/admin/orders/{id}/refunds': {
    success: { 201: 'RefundResponse', 200: 'RefundResponse' },
    problems: [401, 403, 413, 415, 422],
  },
  'POST /api/v1/admin/reconciliations': { success: { 201: 'ReconciliationReportResponse' }, problems: [401, 403, 413, 415, 422] },
  'GET /api/v1/orders/{id}/invoices': { success: { 200: 'InvoiceListResponse' }, problems: [401, 403, 404] },
  'POST /api/v1/orders/{id}/invoices': {
    success: { 201: 'IssuedInvoicesResponse', 200: 'IssuedInvoicesResponse' },
    problems: [401, 403, 404, 409],
  },
  'GET /api/v1/invoices/{number}': { success: { 200: 'InvoiceResponse' }, problems: [401, 403, 404] },
  'POST /api/v1/admin/orders/{id}/invoices': {
    success: { 201: 'IssuedInvoicesResponse', 200: 'IssuedInvoicesResponse' },
    problems: [401, 403, 404, 409],
  },
  'POST /api/v1/admin/invoices/{number}/reissue': {
    success: { 201: 'IssuedInvoicesResponse' },
    problems: [401, 403, 404, 409, 413, 415, 422],
  },
};

const ALWAYS = [400, 429, 503];
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

function operationsOf(document: OpenAPIObject): Map<string, Operation> {
  const operations = new Map<string, Operation>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation) operations.set(`${method.toUpperCase()} ${path}`, operation);
    }
  }
  return operations;
}

/** Every `$ref` anywhere under `node`. */
function refsIn(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) refsIn(item, found);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else refsIn(value, found);
    }
  }
  return found;
}

/** The schema of a response's body of one content type (the document holds no response references). */
function bodySchema(responses: Operation['responses'], status: string | number, contentType: string): unknown {
  const response = responses[status] as { content?: Record<string, { schema?: unknown }> } | undefined;
  return response?.content?.[contentType]?.schema;
}

const isNullOnly = (schema: Schema) =>
  schema.nullable === true && Array.isArray(schema.enum) && schema.enum.length === 1 && schema.enum[0] === null;

describe('the OpenAPI document of the orders, invoices and payments routes', () => {
  let app: NestFastifyApplication;
  let document: OpenAPIObject;
  let operations: Map<string, Operation>;
  let schemas: Record<string, Schema>;

  beforeAll(async () => {
    app = await startHttpTestApp({
      controllers: [OrdersController, StaffOrdersController, InvoicesController, PaymentsController, PaymentsAdminController],
      providers: [
        { provide: Upstreams, useValue: {} },
        { provide: ReorderService, useValue: {} },
        { provide: ReadModelQueries, useValue: {} },
        { provide: OrderListService, useValue: {} },
        { provide: StaffOrderSearch, useValue: {} },
      ],
    });
    document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    operations = operationsOf(document);
    schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('lists exactly the operations of the contract table, so a new route is described before it ships', () => {
    expect([...operations.keys()].sort()).toEqual(Object.keys(CONTRACTS).sort());
  });

  describe.each(Object.entries(CONTRACTS))('%s', (key, contract) => {
    it('answers success with a JSON body of its response class, on exactly its 2xx statuses', () => {
      const responses = operations.get(key)?.responses ?? {};
      const successes = Object.keys(responses).filter((status) => status.startsWith('2'));
      expect(successes.sort()).toEqual(Object.keys(contract.success).sort());
      for (const [status, model] of Object.entries(contract.success)) {
        expect(bodySchema(responses, status, 'application/json')).toEqual({ $ref: `#/components/schemas/${model}` });
      }
    });

    it('lists its error statuses, each a problem+json body', () => {
      const responses = operations.get(key)?.responses ?? {};
      const errors = Object.keys(responses)
        .filter((status) => /^[45]/.test(status))
        .map(Number);
      expect(errors.sort((a, b) => a - b)).toEqual([...new Set([...ALWAYS, ...contract.problems])].sort((a, b) => a - b));
      expect(errors.some((status) => status >= 400 && status < 500)).toBe(true);
      for (const status of errors) {
        expect(bodySchema(responses, status, PROBLEM_CONTENT_TYPE)).toEqual({ $ref: '#/components/schemas/Problem' });
      }
    });

    it(contract.key ? `declares the Idempotency-Key header (${contract.key})` : 'declares no Idempotency-Key, taking none', () => {
      const header = (operations.get(key)?.parameters ?? []).find(
        (parameter) => 'in' in parameter && parameter.in === 'header' && parameter.name.toLowerCase() === 'idempotency-key',
      );
      if (!contract.key) return expect(header).toBeUndefined();
      expect(header).toMatchObject({ required: contract.key === 'required', schema: { type: 'string' } });
    });

    it('describes each path and query parameter', () => {
      for (const parameter of operations.get(key)?.parameters ?? []) {
        if ('in' in parameter && (parameter.in === 'path' || parameter.in === 'query')) {
          expect(parameter.description, `${parameter.in} parameter ${parameter.name}`).toBeTruthy();
        }
      }
    });
  });

  it('offers "My orders" by shopper status, one of the statuses the answers carry', () => {
    const status = (operations.get('GET /api/v1/orders')?.parameters ?? []).find(
      (parameter) => 'in' in parameter && parameter.in === 'query' && parameter.name === 'status',
    );
    expect(status).toMatchObject({
      required: false,
      schema: { type: 'string', enum: (schemas.OrderSummaryResponse.properties as Record<string, Schema>).status.enum },
    });
  });

  it('lets staff find orders by buyer or by tracking number, both optional in the document (exactly one is checked), paged, each with its buyer', () => {
    const parameters = (operations.get('GET /api/v1/admin/orders')?.parameters ?? []).filter(
      (parameter) => 'in' in parameter && parameter.in === 'query',
    ) as { name: string; required?: boolean; schema?: Schema }[];
    expect(parameters.map((parameter) => [parameter.name, parameter.required ?? false]).sort()).toEqual([
      ['buyerId', false],
      ['page', false],
      ['pageSize', false],
      ['trackingNumber', false],
    ]);
    expect(parameters.find((parameter) => parameter.name === 'trackingNumber')?.schema?.pattern).toBe('^[A-Za-z0-9][A-Za-z0-9-]{3,39}$');
    expect(parameters.find((parameter) => parameter.name === 'pageSize')?.schema).toMatchObject({ minimum: 1, maximum: 100, default: 20 });
    expect(schemas.StaffOrderSummaryResponse.required).toEqual(
      expect.arrayContaining(['id', 'buyerId', 'status', 'flags', 'state', 'payable', 'placedAt']),
    );
    expect((schemas.StaffOrderPageResponse.required as string[]).sort()).toEqual(['items', 'page', 'pageSize', 'total']);
  });

  it('resolves every schema reference (models met only where they may be null are listed with @ApiExtraModels)', () => {
    const missing = refsIn(document)
      .filter((ref) => ref !== '#/components/schemas/Problem') // added by the gateway's document setup (edge/openapi.ts)
      .filter((ref) => !(ref.replace('#/components/schemas/', '') in schemas));
    expect([...new Set(missing)]).toEqual([]);
  });

  it('types every field of every answer, and lets null through wherever a field may be null', () => {
    const untyped: string[] = [];
    for (const [name, schema] of Object.entries(schemas)) {
      if (!name.endsWith('Response')) continue;
      for (const [field, property] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
        const where = `${name}.${field}`;
        if (property.oneOf) {
          // A nullable object: its model, or null. `nullable` beside an allOf would refuse null.
          const branches = property.oneOf as Schema[];
          if (branches.length !== 2 || !branches[0].$ref || !isNullOnly(branches[1])) untyped.push(`${where}: oneOf is not <model> | null`);
        } else if (property.allOf && property.nullable) untyped.push(`${where}: nullable beside allOf admits no null`);
        else if (!property.type && !property.$ref && !property.allOf) untyped.push(`${where}: no type`);
        else if (property.nullable && !property.type) untyped.push(`${where}: nullable without a type`);
        else if (property.type === 'object' && !property.properties && !property.additionalProperties && !property.allOf)
          untyped.push(`${where}: an object of unknown shape`);
      }
    }
    expect(untyped).toEqual([]);
  });

  it('tells the wire shape precisely: integer money, nullable instants, optional fields that only some answers carry', () => {
    const property = (model: string, field: string) => (schemas[model].properties as Record<string, Schema>)[field];
    const required = (model: string) => schemas[model].required as string[];

    expect(property('OrderAmountsResponse', 'payable')).toMatchObject({ type: 'integer' });
    expect(property('OrderResponse', 'paidAt')).toMatchObject({ type: 'string', format: 'date-time', nullable: true });
    expect(required('OrderResponse')).toEqual(expect.arrayContaining(['paidAt', 'deliverySlot', 'couponCode', 'history']));
    expect(property('OrderResponse', 'deliverySlot').oneOf).toEqual([
      { $ref: '#/components/schemas/DeliverySlotResponse' },
      expect.objectContaining({ enum: [null] }),
    ]);
    expect(required('AddressResponse')).not.toContain('province');
    expect(required('OrderPageResponse').sort()).toEqual(['items', 'page', 'pageSize', 'total']);

    expect(required('TenderResponse')).not.toEqual(expect.arrayContaining(['giftCardCode']));
    expect(required('TenderResponse')).not.toEqual(expect.arrayContaining(['points']));
    expect(property('PaymentResponse', 'provider')).toMatchObject({ type: 'string', nullable: true, enum: expect.arrayContaining([null]) });
    expect(required('TheirSettlementSideResponse')).not.toContain('line');
    expect(required('MoneyTrailPaymentResponse')).toEqual(expect.arrayContaining(['id', 'tenders', 'log', 'providerEvents']));
    expect(property('GiftCardEntryResponse', 'id')).toMatchObject({ type: 'string' }); // a bigint sequence, sent as text
  });
});
