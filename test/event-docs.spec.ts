import fs from 'node:fs';
import path from 'node:path';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { ALL_EVENTS } from '@mallard/contracts';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateEventDocs, REPO_ROOT } from '../tools/event-docs/event-docs.js';

const generated = generateEventDocs();
const committed = (file: string): string => fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');

describe('event docs generated from the registry', () => {
  it.each(Object.keys(generated))('%s is what the generator writes now', (file) => {
    // toBe's diff shows the lines that differ; the message says how to fix it.
    expect(committed(file), `${file} is out of date with the event registry: run \`npm run docs:events\` and commit the result`).toBe(
      generated[file],
    );
  });

  it('gives the same bytes on every run', () => {
    expect(generateEventDocs()).toEqual(generated);
  });

  it('docs/asyncapi.yaml is a valid AsyncAPI 3.0 document for every registered event', async () => {
    const { document, diagnostics } = await new Parser().parse(committed('docs/asyncapi.yaml'));
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error);
    expect(errors.map((error) => `${error.path.join('.')}: ${error.message}`)).toEqual([]);
    expect(document?.version()).toBe('3.0.0');

    const messages = document!.allMessages().all();
    expect(messages.map((message) => message.id()).sort()).toEqual(ALL_EVENTS.map((event) => `${event.type}.v${event.version}`).sort());
    for (const message of messages) expect(message.payload()?.json(), message.id()).toHaveProperty('type', 'object');
  });

  it('describes nested payload classes as schemas of their own', () => {
    const asyncApi = parse(generated['docs/asyncapi.yaml']);
    const orderSplit = asyncApi.components.schemas.OrderSplitV1;
    expect(orderSplit.properties.subOrders.items).toEqual({ $ref: '#/components/schemas/SubOrderV1' });
    expect(asyncApi.components.schemas.SubOrderV1.properties.lines.items).toEqual({ $ref: '#/components/schemas/SubOrderLineV1' });
    expect(asyncApi.components.schemas.SubOrderLineV1).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['lineId', 'skuId', 'quantity', 'paidAmountMinor'],
    });
    // Only event payloads: the HTTP API's request DTOs share the metadata but not this document.
    expect(Object.keys(asyncApi.components.schemas)).not.toContain('PlaceOrderRequest');
  });
});
