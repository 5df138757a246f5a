import 'reflect-metadata';
import { PROBLEM_CONTENT_TYPE } from '@mallard/platform';
import { startHttpTestApp } from '@mallard/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Upstreams } from '../upstream/upstreams.js';
import { EVENT_STREAM, StatusStreamController } from './status-stream.controller.js';
import { StatusStreamService } from './status-stream.service.js';

interface Schema {
  type?: string;
  example?: string;
  required?: string[];
  properties?: Record<string, Schema & { enum?: string[]; $ref?: string }>;
}
type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;

/** The live status stream as the OpenAPI document tells front ends about it (built from the controller alone). */
describe('the OpenAPI document of GET /api/v1/orders/{id}/status-stream', () => {
  let app: NestFastifyApplication;
  let operation: Operation;
  let schemas: Record<string, Schema>;

  beforeAll(async () => {
    app = await startHttpTestApp({
      controllers: [StatusStreamController],
      providers: [
        { provide: Upstreams, useValue: {} },
        { provide: StatusStreamService, useValue: {} },
      ],
    });
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    operation = document.paths['/api/v1/orders/{id}/status-stream'].get!;
    schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers 200 as text/event-stream only, with a described schema whose example is a stream a client can parse', () => {
    const ok = operation.responses['200'] as { description: string; content: Record<string, { schema: Schema }> };
    expect(Object.keys(ok.content)).toEqual([EVENT_STREAM]);
    const schema = ok.content[EVENT_STREAM].schema;
    expect(schema).toMatchObject({ type: 'string', description: expect.stringContaining('event: status') });
    expect(ok.description).toContain('OrderStatusEventResponse');

    const blocks = schema.example!.split('\n\n').filter(Boolean);
    const event = blocks.find((block) => block.startsWith('id: '))!.split('\n');
    expect(event[0]).toMatch(/^id: \d+\.\d+$/);
    expect(event[1]).toBe('event: status');
    const data = JSON.parse(event[2].replace(/^data: /, '')) as Record<string, unknown>;
    expect(Object.keys(data).sort()).toEqual([...schemas.OrderStatusEventResponse.required!].sort());
    expect(blocks.some((block) => block.startsWith(':'))).toBe(true);
  });

  it('describes the data of each event as a model of its own, for the typed client', () => {
    const model = schemas.OrderStatusEventResponse;
    expect(model.required!.sort()).toEqual(['flags', 'orderId', 'status']);
    expect(model.properties!.status.enum).toContain('PARTIALLY_DELIVERED');
    expect(model.properties!.flags.$ref).toBe('#/components/schemas/ShopperStatusFlagsResponse');
  });

  it('takes Last-Event-ID, optional and described, and refuses with problem+json: not the buyer’s order, too many streams', () => {
    const header = (operation.parameters ?? []).find((parameter) => 'in' in parameter && parameter.name === 'Last-Event-ID');
    expect(header).toMatchObject({ in: 'header', required: false, description: expect.any(String) });
    const errors = Object.keys(operation.responses).filter((status) => /^[45]/.test(status));
    expect(errors.sort()).toEqual(['400', '401', '403', '404', '429', '503']);
    for (const status of errors) {
      const content = (operation.responses[status] as { content: Record<string, unknown> }).content;
      expect(Object.keys(content), status).toEqual([PROBLEM_CONTENT_TYPE]);
    }
  });
});
