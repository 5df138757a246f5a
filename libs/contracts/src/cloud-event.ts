import { newId } from './ids.js';

/**
 * The CloudEvents 1.0 envelope every Mallard event travels in.
 * `partitionkey` (CloudEvents Partitioning extension) carries the aggregate the event belongs
 * to, `correlationid` ties it to the request that caused it, `dataversion` names the version
 * of the payload schema so consumers can validate against the right class.
 */
export interface CloudEvent<TData = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  subject?: string;
  datacontenttype: 'application/json';
  dataversion: number;
  partitionkey: string;
  correlationid?: string;
  data: TData;
}

export interface NewEvent<TData> {
  type: string;
  version: number;
  source: string;
  data: TData;
  /** The aggregate the event is about, e.g. the parent order id. */
  subject: string;
  /** Defaults to the subject: one aggregate's events stay on one partition, in order. */
  partitionKey?: string;
  correlationId?: string;
}

export function newCloudEvent<TData>(event: NewEvent<TData>): CloudEvent<TData> {
  return {
    specversion: '1.0',
    id: newId(),
    source: event.source,
    type: event.type,
    time: new Date().toISOString(),
    subject: event.subject,
    datacontenttype: 'application/json',
    dataversion: event.version,
    partitionkey: event.partitionKey ?? event.subject,
    ...(event.correlationId ? { correlationid: event.correlationId } : {}),
    data: event.data,
  };
}
