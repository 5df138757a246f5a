import { createRequire } from 'node:module';
import {
  ALL_EVENTS,
  CE_HEADER_ATTRIBUTES,
  EVENT_TOPICS,
  type EventDefinition,
  REQUIRED_CE_HEADER_ATTRIBUTES,
  SERVICE_NAMES,
  type ServiceName,
  Topics,
} from '@mallard/contracts';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage.js';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';

// The storage the payload classes' @Type(() => Nested) decorators write to, which the schemas need
// to name nested classes. class-transformer exports it only from its builds; Node loads the
// CommonJS one for the contracts too, so this is the very instance they wrote to.
const { defaultMetadataStorage } = createRequire(import.meta.url)('class-transformer/cjs/storage.js') as {
  defaultMetadataStorage: MetadataStorage;
};

/** A JSON Schema as class-validator-jsonschema produces it (an OpenAPI 3 schema object). */
export interface JsonSchema {
  type?: string;
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  $ref?: string;
  oneOf?: JsonSchema[];
  enum?: unknown[];
  [keyword: string]: unknown;
}

export const SCHEMA_REF_PREFIX = '#/components/schemas/';

export interface CatalogChannel {
  /** Stable id of the channel in the AsyncAPI document: the key of the topic in `Topics`. */
  id: string;
  topic: string;
  publisher: ServiceName;
  events: CatalogEvent[];
}

export interface CatalogEvent {
  definition: EventDefinition;
  /** `order.placed.v1`: unique per type and version, usable as an AsyncAPI component key. */
  messageId: string;
  payloadSchema: string;
  /** The payload field whose value is the Kafka key, when the description names it (`Key: orderId.`). */
  keyField: string | undefined;
}

export interface EventCatalog {
  channels: CatalogChannel[];
  /** The payload classes and every class nested in them, by class name, sorted by name. */
  schemas: Record<string, JsonSchema>;
}

/**
 * Everything the event docs say, read from the registry: topics in declaration order, events in
 * `ALL_EVENTS` order within their topic, schemas by name. Nothing depends on time or on
 * iteration order of unordered sources, so two runs give the same bytes.
 */
export function buildEventCatalog(events: readonly EventDefinition[] = ALL_EVENTS): EventCatalog {
  const allSchemas = validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: SCHEMA_REF_PREFIX,
  }) as Record<string, JsonSchema>;

  const payloadNames = new Map<string, EventDefinition>();
  for (const definition of events) {
    const name = definition.payload.name;
    const other = payloadNames.get(name);
    if (other && other.payload !== definition.payload) {
      throw new Error(`payload classes of ${other.type} and ${definition.type} share the name ${name}; schema names must be unique`);
    }
    payloadNames.set(name, definition);
  }

  const channels = Object.entries(Topics).map(([id, topic]) => ({
    id,
    topic,
    publisher: publisherOf(topic),
    events: events.filter((definition) => definition.topic === topic).map(catalogEvent),
  }));
  const strays = events.filter((definition) => !(EVENT_TOPICS as readonly string[]).includes(definition.topic));
  if (strays.length > 0) throw new Error(`events on no known topic: ${strays.map((d) => `${d.type} → ${d.topic}`).join(', ')}`);

  return { channels, schemas: reachableSchemas([...payloadNames.keys()], allSchemas) };
}

function catalogEvent(definition: EventDefinition): CatalogEvent {
  return {
    definition,
    messageId: `${definition.type}.v${definition.version}`,
    payloadSchema: definition.payload.name,
    keyField: /\bKey: (\w+)\./.exec(definition.description)?.[1],
  };
}

/** Each service publishes only to its own topic, `mallard.<service>.events` (docs/architecture.md). */
function publisherOf(topic: string): ServiceName {
  const publisher = SERVICE_NAMES.find((name) => topic === `mallard.${name}.events`);
  if (!publisher) throw new Error(`no service owns topic ${topic}: topics are named mallard.<service>.events`);
  return publisher;
}

/**
 * The schemas of the payload classes and of the classes nested in them, nothing else (the same
 * metadata holds the request DTOs of the HTTP API). Payloads are parsed with
 * `forbidNonWhitelisted`, so every object schema closes with `additionalProperties: false`.
 */
function reachableSchemas(roots: string[], all: Record<string, JsonSchema>): Record<string, JsonSchema> {
  const reached = new Set<string>();
  const visit = (name: string): void => {
    if (reached.has(name)) return;
    const schema = all[name];
    if (!schema) throw new Error(`no schema for class ${name}: does it have class-validator decorators?`);
    reached.add(name);
    for (const ref of refsIn(schema)) visit(ref);
  };
  for (const root of roots) visit(root);
  return Object.fromEntries(
    [...reached].sort().map((name) => [name, { ...all[name], type: 'object', additionalProperties: false } satisfies JsonSchema]),
  );
}

function refsIn(schema: unknown): string[] {
  if (Array.isArray(schema)) return schema.flatMap(refsIn);
  if (typeof schema !== 'object' || schema === null) return [];
  return Object.entries(schema).flatMap(([keyword, value]) =>
    keyword === '$ref' && typeof value === 'string' ? [value.slice(SCHEMA_REF_PREFIX.length)] : refsIn(value),
  );
}

export interface HeaderDoc {
  name: string;
  attribute: string;
  required: boolean;
  description: string;
  schema: JsonSchema;
}

type CeHeaderAttribute = (typeof CE_HEADER_ATTRIBUTES)[number];

/** What each `ce_` header holds; typed by the binding's list, so a new header must be described here. */
const CE_HEADER_DOCS: Record<CeHeaderAttribute, { description: string; schema: JsonSchema }> = {
  specversion: { description: 'CloudEvents version, always 1.0.', schema: { type: 'string', const: '1.0' } },
  id: { description: 'Unique event id; consumers deduplicate on it (inbox).', schema: { type: 'string', minLength: 1 } },
  source: { description: 'The publishing service: `mallard/<service>`.', schema: { type: 'string', pattern: '^mallard/[a-z-]+$' } },
  type: { description: 'The event type, a fact in the past tense (`order.placed`).', schema: { type: 'string', minLength: 1 } },
  time: { description: 'When it happened (ISO 8601).', schema: { type: 'string', format: 'date-time' } },
  subject: { description: 'The entity it is about (order, sub-order, parcel or SKU id).', schema: { type: 'string' } },
  dataversion: { description: 'Version of the payload schema, a positive integer.', schema: { type: 'string', pattern: '^[1-9][0-9]*$' } },
  correlationid: { description: 'The request that caused it, followed through every service.', schema: { type: 'string' } },
};

/** The headers of the CloudEvents Kafka binding in binary mode, as `toKafkaRecord` writes them. */
export function cloudEventHeaders(): HeaderDoc[] {
  const required = new Set<string>(REQUIRED_CE_HEADER_ATTRIBUTES);
  return [
    ...CE_HEADER_ATTRIBUTES.map((attribute) => ({
      name: `ce_${attribute}`,
      attribute,
      required: required.has(attribute),
      ...CE_HEADER_DOCS[attribute],
    })),
    {
      name: 'content-type',
      attribute: 'datacontenttype',
      // Always written, never checked: the binding knows the value is JSON.
      required: false,
      description: 'Media type of the value, always application/json.',
      schema: { type: 'string', const: 'application/json' },
    },
  ];
}
