import type { CloudEvent } from './cloud-event.js';

/**
 * CloudEvents Kafka protocol binding, binary content mode: the attributes travel as `ce_`
 * headers, the message key is the partition key and the value is the bare JSON data. Binary
 * mode lets a consumer route and reject a message by its headers without parsing the body.
 */
export interface KafkaRecord {
  key: string;
  value: Buffer | string;
  headers: Record<string, string>;
}

/** The attributes that travel as `ce_<attribute>` headers (the generated event docs list them too). */
export const CE_HEADER_ATTRIBUTES = ['specversion', 'id', 'source', 'type', 'time', 'subject', 'dataversion', 'correlationid'] as const;

/** The headers a consumer cannot do without; a record missing one is malformed. */
export const REQUIRED_CE_HEADER_ATTRIBUTES = ['specversion', 'id', 'source', 'type', 'time', 'dataversion'] as const;

export function toKafkaRecord(event: CloudEvent): KafkaRecord {
  const headers: Record<string, string> = { 'content-type': event.datacontenttype };
  for (const attribute of CE_HEADER_ATTRIBUTES) {
    const value = event[attribute];
    if (value !== undefined && value !== null) headers[`ce_${attribute}`] = String(value);
  }
  return { key: event.partitionkey, value: JSON.stringify(event.data), headers };
}

export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
}

type RawHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

function headerText(headers: RawHeaders, name: string): string | undefined {
  const raw = headers[name];
  const first = Array.isArray(raw) ? raw[0] : raw;
  return first === undefined ? undefined : first.toString();
}

/** Rebuilds the envelope from a Kafka record; throws MalformedEventError naming what is wrong. */
export function fromKafkaRecord(record: { key: Buffer | string | null; value: Buffer | string | null; headers?: RawHeaders }): CloudEvent {
  const headers = record.headers ?? {};
  const attribute = (name: string): string | undefined => headerText(headers, `ce_${name}`);
  const missing = REQUIRED_CE_HEADER_ATTRIBUTES.filter((name) => !attribute(name));
  if (missing.length > 0) {
    throw new MalformedEventError(`missing CloudEvents header(s): ${missing.map((m) => `ce_${m}`).join(', ')}`);
  }
  if (attribute('specversion') !== '1.0') {
    throw new MalformedEventError(`unsupported specversion ${attribute('specversion')}`);
  }
  const version = Number(attribute('dataversion'));
  if (!Number.isInteger(version) || version < 1) {
    throw new MalformedEventError(`ce_dataversion must be a positive integer, got ${attribute('dataversion')}`);
  }
  if (record.value === null) throw new MalformedEventError('message has no value');
  let data: unknown;
  try {
    data = JSON.parse(record.value.toString());
  } catch {
    throw new MalformedEventError('message value is not valid JSON');
  }
  const subject = attribute('subject');
  const correlationId = attribute('correlationid');
  return {
    specversion: '1.0',
    id: attribute('id')!,
    source: attribute('source')!,
    type: attribute('type')!,
    time: attribute('time')!,
    ...(subject ? { subject } : {}),
    datacontenttype: 'application/json',
    dataversion: version,
    partitionkey: record.key?.toString() ?? subject ?? attribute('id')!,
    ...(correlationId ? { correlationid: correlationId } : {}),
    data,
  };
}
