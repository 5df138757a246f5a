import { describe, expect, it } from 'vitest';
import { breakingChanges, type OpenApiDocument, type Schema } from '../tools/openapi/breaking-changes.js';

const json = (schema: Schema) => ({ 'application/json': { schema } });

/** A one-route document: POST /things with a body, a 201 answer and one optional query parameter. */
function documentWith({
  request = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
  answer = { $ref: '#/components/schemas/Thing' },
  thing = { type: 'object', properties: { id: { type: 'string' }, count: { type: 'integer' } }, required: ['id', 'count'] },
  statuses = ['201', '404'],
  queryRequired = false,
}: {
  request?: Schema;
  answer?: Schema;
  thing?: Schema;
  statuses?: string[];
  queryRequired?: boolean;
} = {}): OpenApiDocument {
  return {
    paths: {
      '/things': {
        post: {
          parameters: [{ name: 'dryRun', in: 'query', required: queryRequired, schema: { type: 'boolean' } }],
          requestBody: { required: true, content: json(request) },
          responses: Object.fromEntries(statuses.map((status) => [status, status === '201' ? { content: json(answer) } : {}])),
        },
      },
    },
    components: { schemas: { Thing: thing } },
  };
}

describe('breakingChanges', () => {
  it('finds nothing between a document and itself, nor in additions a client can ignore', () => {
    expect(breakingChanges(documentWith(), documentWith())).toEqual([]);
    const grown = documentWith({
      request: { type: 'object', properties: { name: { type: 'string' }, note: { type: 'string' } }, required: ['name'] },
      thing: {
        type: 'object',
        properties: { id: { type: 'string' }, count: { type: 'integer' }, extra: { type: 'string' } },
        required: ['id', 'count'],
      },
      statuses: ['201', '404', '409'],
    });
    grown.paths!['/others'] = { get: { responses: { '200': {} } } };
    expect(breakingChanges(documentWith(), grown)).toEqual([]);
  });

  it('names removed routes, operations and response statuses', () => {
    expect(breakingChanges(documentWith(), { paths: {} })).toEqual(['POST /things: operation removed']);
    expect(breakingChanges(documentWith(), documentWith({ statuses: ['201'] }))).toEqual(['POST /things: response 404 removed']);
  });

  it('names request fields removed or newly required, and required parameters', () => {
    const before = documentWith({ request: { type: 'object', properties: { name: { type: 'string' }, note: { type: 'string' } } } });
    const after = documentWith({
      request: { type: 'object', properties: { name: { type: 'string' }, code: { type: 'string' } }, required: ['name', 'code'] },
      queryRequired: true,
    });
    expect(breakingChanges(before, after)).toEqual([
      'POST /things: query parameter dryRun is newly required',
      'POST /things request body: note removed',
      'POST /things request body: name is newly required',
      'POST /things request body: code is new and required',
    ]);
  });

  it('names response fields removed, no longer always present or newly nullable, through $ref', () => {
    const after = documentWith({
      thing: { type: 'object', properties: { count: { type: 'integer', nullable: true } }, required: [] },
    });
    expect(breakingChanges(documentWith(), after)).toEqual([
      'POST /things response 201: id removed',
      'POST /things response 201: count is no longer always present',
      'POST /things response 201: count may now be null',
    ]);
  });

  it('names changed types and narrowed request values, nested in arrays and allOf', () => {
    const lines = (quantity: Schema, currency: Schema): Schema => ({
      type: 'object',
      properties: {
        lines: { type: 'array', items: { allOf: [{ type: 'object', properties: { quantity, currency } }] } },
      },
    });
    const before = documentWith({ request: lines({ type: 'integer', minimum: 1 }, { type: 'string', enum: ['CNY', 'USD'] }) });
    const after = documentWith({
      request: lines({ type: 'integer', minimum: 1, maximum: 99 }, { type: 'string', enum: ['CNY'] }),
      thing: { type: 'object', properties: { id: { type: 'integer' }, count: { type: 'integer' } }, required: ['id', 'count'] },
    });
    expect(breakingChanges(before, after)).toEqual([
      'POST /things request body: lines[].quantity maximum lowered from none to 99',
      'POST /things request body: lines[].currency no longer accepts "USD"',
      'POST /things response 201: id type changed from string to integer',
    ]);
  });

  it('stops on recursive schemas', () => {
    const tree: Schema = { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/components/schemas/Thing' } } } };
    expect(breakingChanges(documentWith({ thing: tree }), documentWith({ thing: tree }))).toEqual([]);
  });
});
