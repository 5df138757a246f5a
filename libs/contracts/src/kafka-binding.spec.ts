import { describe, expect, it } from 'vitest';
import { newCloudEvent } from './cloud-event.js';
import { fromKafkaRecord, MalformedEventError, toKafkaRecord } from './kafka-binding.js';

describe('CloudEvents Kafka binding (binary mode)', () => {
  const event = newCloudEvent({
    type: 'order.placed',
    version: 2,
    source: 'mallard/orders',
    subject: 'order-1',
    correlationId: 'corr-1',
    data: { orderId: 'order-1', total: 1999 },
  });

  it('puts attributes in ce_ headers, the partition key in the key and bare data in the value', () => {
    const record = toKafkaRecord(event);
    expect(record.key).toBe('order-1');
    expect(JSON.parse(record.value.toString())).toEqual({ orderId: 'order-1', total: 1999 });
    expect(record.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_id: event.id,
      ce_type: 'order.placed',
      ce_source: 'mallard/orders',
      ce_subject: 'order-1',
      ce_dataversion: '2',
      ce_correlationid: 'corr-1',
      'content-type': 'application/json',
    });
  });

  it('reads back exactly the event it wrote', () => {
    const record = toKafkaRecord(event);
    const headers = Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, Buffer.from(v)]));
    expect(fromKafkaRecord({ key: Buffer.from(record.key), value: Buffer.from(record.value), headers })).toEqual(event);
  });

  it('names the missing headers of a record that is not a CloudEvent', () => {
    expect(() => fromKafkaRecord({ key: null, value: Buffer.from('{}'), headers: { ce_id: '1' } })).toThrow(
      /ce_specversion, ce_source, ce_type, ce_time, ce_dataversion/,
    );
  });

  it('rejects a value that is not JSON, and a bad dataversion', () => {
    const { headers, key } = toKafkaRecord(event);
    expect(() => fromKafkaRecord({ key, value: '{oops', headers })).toThrow(MalformedEventError);
    expect(() => fromKafkaRecord({ key, value: '{}', headers: { ...headers, ce_dataversion: 'x' } })).toThrow(/dataversion/);
    expect(() => fromKafkaRecord({ key, value: '{}', headers: { ...headers, ce_specversion: '0.3' } })).toThrow(/specversion/);
  });

  it('keys an event by its subject unless a partition key is given', () => {
    expect(event.partitionkey).toBe('order-1');
    const keyed = newCloudEvent({ type: 't', version: 1, source: 's', subject: 'sub-order-9', partitionKey: 'order-1', data: {} });
    expect(toKafkaRecord(keyed).key).toBe('order-1');
  });
});
