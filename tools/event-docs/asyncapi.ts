import { EVENT_TOPIC_PARTITIONS } from '@mallard/contracts';
import { stringify } from 'yaml';
import {
  type CatalogChannel,
  type CatalogEvent,
  cloudEventHeaders,
  type EventCatalog,
  type JsonSchema,
  SCHEMA_REF_PREFIX,
} from './event-catalog.js';

const KAFKA_BINDING_VERSION = '0.5.0';
const HEADERS_SCHEMA = 'CloudEventsKafkaHeaders';

/**
 * The AsyncAPI 3.0 document of the events: one channel per topic, one send operation per
 * publishing service, one message per event type and version with its payload schema, the
 * CloudEvents headers and the Kafka key.
 */
export function renderAsyncApi(catalog: EventCatalog, info: { version: string }): string {
  const document = {
    asyncapi: '3.0.0',
    info: {
      title: 'Mallard events',
      version: info.version,
      description: [
        'The events Mallard services publish to Apache Kafka: CloudEvents 1.0 in the Kafka binding, binary mode.',
        'Attributes travel as `ce_*` headers, the message key is the partition key and the value is the bare JSON payload.',
        'Generated from the event registry (`ALL_EVENTS`, libs/contracts) by `npm run docs:events`; do not edit.',
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    channels: Object.fromEntries(catalog.channels.map((channel) => [channel.id, channelOf(channel)])),
    operations: Object.fromEntries(catalog.channels.map((channel) => [operationIdOf(channel), operationOf(channel)])),
    components: {
      schemas: {
        [HEADERS_SCHEMA]: headersSchema(),
        ...catalog.schemas,
      },
      messages: Object.fromEntries(
        catalog.channels.flatMap((channel) => channel.events.map((event) => [event.messageId, messageOf(channel, event)])),
      ),
    },
  };
  return stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 });
}

function channelOf(channel: CatalogChannel) {
  return {
    address: channel.topic,
    title: channel.topic,
    description:
      channel.events.length > 0
        ? `Events of ${channel.publisher}, keyed by the aggregate they belong to, so one aggregate's events stay on one partition in order.`
        : `Topic of ${channel.publisher}; it publishes no events yet.`,
    messages: Object.fromEntries(channel.events.map((event) => [event.messageId, { $ref: `#/components/messages/${event.messageId}` }])),
    bindings: { kafka: { topic: channel.topic, partitions: EVENT_TOPIC_PARTITIONS, bindingVersion: KAFKA_BINDING_VERSION } },
  };
}

function operationIdOf(channel: CatalogChannel): string {
  return `${channel.id}.publish`;
}

function operationOf(channel: CatalogChannel) {
  return {
    action: 'send',
    channel: { $ref: `#/channels/${channel.id}` },
    title: `${channel.publisher} publishes`,
    summary: `${channel.publisher} publishes to ${channel.topic} through its transactional outbox.`,
    messages: channel.events.map((event) => ({ $ref: `#/channels/${channel.id}/messages/${event.messageId}` })),
  };
}

function messageOf(channel: CatalogChannel, event: CatalogEvent) {
  const { type, version, description } = event.definition;
  return {
    name: type,
    title: `${type} v${version}`,
    summary: description,
    contentType: 'application/json',
    headers: {
      allOf: [
        { $ref: `${SCHEMA_REF_PREFIX}${HEADERS_SCHEMA}` },
        {
          type: 'object',
          properties: {
            ce_source: { const: `mallard/${channel.publisher}` },
            ce_type: { const: type },
            ce_dataversion: { const: String(version) },
          },
        },
      ],
    },
    payload: { $ref: `${SCHEMA_REF_PREFIX}${event.payloadSchema}` },
    bindings: {
      kafka: {
        key: {
          type: 'string',
          description: event.keyField
            ? `The partition key (CloudEvents partitionkey): the payload's ${event.keyField}.`
            : 'The partition key (CloudEvents partitionkey): the aggregate the event belongs to.',
        },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
  };
}

function headersSchema(): JsonSchema {
  const headers = cloudEventHeaders();
  return {
    type: 'object',
    description: 'CloudEvents attributes as Kafka headers (binary content mode); every value is a string.',
    properties: Object.fromEntries(headers.map((header) => [header.name, { ...header.schema, description: header.description }])),
    required: headers.filter((header) => header.required).map((header) => header.name),
  };
}
