import type { DeadLetterStatus } from '@mallard/contracts';
import type { IncomingRecord, OutgoingRecord, RecordHeaders } from '../broker/message-broker.js';

export type DeadLetterActionName = 'replay' | 'discard';

/** One thing an operator did with a dead letter. */
export interface DeadLetterAction {
  action: DeadLetterActionName;
  by: string;
  why: string;
  at: string;
  /** Done with --force (the route's `force`) on a letter that was no longer pending. */
  forced: boolean;
}

/** A dead letter as a list shows it: where it came from, why it failed, what was done with it. */
export interface DeadLetter {
  consumerGroup: string;
  /** Its offset in the group's dead-letter topic (one partition). */
  id: string;
  kind: string;
  reason: string;
  eventType: string | null;
  eventId: string | null;
  key: string | null;
  sourceTopic: string | null;
  sourcePartition: number | null;
  sourceOffset: string | null;
  failedAt: string | null;
  /** The event's own time (ce_time): when its producer published it. */
  publishedAt: string | null;
  status: DeadLetterStatus;
  history: DeadLetterAction[];
}

/** One dead letter whole: its headers as text and its body. */
export interface DeadLetterDetail extends DeadLetter {
  headers: Record<string, string>;
  body: string;
}

/** The headers the consumer adds when it dead-letters a record; a replay leaves them behind. */
const DLQ_HEADER_PREFIX = 'dlq_';

/** Record headers as text, the first value of a repeated header. */
export function headerTexts(headers: RecordHeaders): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) texts[name] = first.toString();
  }
  return texts;
}

/** The newest action decides: a letter replayed, then discarded, is DISCARDED. */
export function statusOf(history: readonly DeadLetterAction[]): DeadLetterStatus {
  const last = history.at(-1);
  if (!last) return 'PENDING';
  return last.action === 'replay' ? 'REPLAYED' : 'DISCARDED';
}

export function deadLetterOf(consumerGroup: string, record: IncomingRecord, history: DeadLetterAction[] = []): DeadLetter {
  const headers = headerTexts(record.headers);
  const partition = headers.dlq_source_partition;
  return {
    consumerGroup,
    id: record.offset,
    kind: headers.dlq_kind ?? 'unknown',
    reason: headers.dlq_reason ?? '',
    eventType: headers.ce_type ?? null,
    eventId: headers.ce_id ?? null,
    key: record.key?.toString() ?? null,
    sourceTopic: headers.dlq_source_topic ?? null,
    sourcePartition: partition !== undefined && /^\d+$/.test(partition) ? Number(partition) : null,
    sourceOffset: headers.dlq_source_offset ?? null,
    failedAt: headers.dlq_failed_at ?? null,
    publishedAt: headers.ce_time ?? null,
    status: statusOf(history),
    history,
  };
}

export function deadLetterDetailOf(consumerGroup: string, record: IncomingRecord, history: DeadLetterAction[] = []): DeadLetterDetail {
  return {
    ...deadLetterOf(consumerGroup, record, history),
    headers: headerTexts(record.headers),
    body: record.value?.toString('utf8') ?? '',
  };
}

/**
 * The original record again, for its source topic: same key, same value, its own headers
 * without the dead-letter ones. Every consumer group of that topic receives it; the groups that
 * had applied it recognise the event id in their inbox and skip it.
 */
export function replayRecordOf(record: IncomingRecord): OutgoingRecord {
  const headers = headerTexts(record.headers);
  const topic = headers.dlq_source_topic;
  if (!topic) throw new Error(`dead letter ${record.offset} does not say which topic it came from (no dlq_source_topic)`);
  return {
    topic,
    key: record.key?.toString() ?? '',
    value: record.value ?? Buffer.alloc(0),
    headers: Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith(DLQ_HEADER_PREFIX))),
  };
}

/** The key of a letter's history on the actions topic. */
export function actionKeyOf(consumerGroup: string, id: string): string {
  return `${consumerGroup}:${id}`;
}

/**
 * Each letter's history from the actions topic, read in order. Every record holds the letter's
 * whole history, so the newest per key is all there is to know, before compaction and after it
 * (compaction keeps exactly that one). Records that cannot be read are skipped.
 */
export function foldActions(records: readonly { key: string | null; value: string | null }[]): Map<string, DeadLetterAction[]> {
  const histories = new Map<string, DeadLetterAction[]>();
  for (const { key, value } of records) {
    if (!key) continue;
    if (value === null) {
      histories.delete(key);
      continue;
    }
    const history = parseHistory(value);
    if (history) histories.set(key, history);
  }
  return histories;
}

function parseHistory(value: string): DeadLetterAction[] | undefined {
  try {
    const parsed = JSON.parse(value) as { history?: unknown };
    if (!Array.isArray(parsed.history)) return undefined;
    return parsed.history.filter(
      (entry): entry is DeadLetterAction =>
        typeof entry === 'object' &&
        entry !== null &&
        (entry.action === 'replay' || entry.action === 'discard') &&
        typeof entry.by === 'string' &&
        typeof entry.why === 'string' &&
        typeof entry.at === 'string',
    );
  } catch {
    return undefined;
  }
}

/**
 * Why an action must not go ahead: `input` (who or why missing), `already-handled` (the letter
 * is no longer PENDING) or `beyond-inbox-retention` (a replay of an event older than the
 * consumers' inbox retention, which the groups that applied it may no longer recognise).
 */
export type RefusalCode = 'input' | 'already-handled' | 'beyond-inbox-retention';

export interface ActionCheck {
  action: DeadLetterActionName;
  status: DeadLetterStatus;
  force: boolean;
  by: string;
  why: string;
  /** When the event was first published (ce_time), else when it was dead-lettered; null if neither is known. */
  eventTime: string | null;
  now: Date;
  inboxRetentionDays: number;
}

/** Why an action is refused, or undefined when it may go ahead. Force overrides every refusal but missing input. */
export function refusalOf(check: ActionCheck): { code: RefusalCode; reason: string } | undefined {
  if (!check.by.trim()) return { code: 'input', reason: 'who acts must be given (--by)' };
  if (!check.why.trim()) return { code: 'input', reason: 'why must be given (--why): the record of this action says it' };
  if (check.force) return undefined;
  if (check.status !== 'PENDING') {
    return {
      code: 'already-handled',
      reason: `the dead letter is already ${check.status}; ${check.action} it again only on purpose (--force, or "force": true on the route)`,
    };
  }
  const published = check.eventTime === null ? Number.NaN : Date.parse(check.eventTime);
  if (check.action === 'replay' && !(check.now.getTime() - published <= check.inboxRetentionDays * 86_400_000)) {
    return {
      code: 'beyond-inbox-retention',
      reason:
        `the event is older than the inbox retention (${check.inboxRetentionDays} days) or its age is unknown: consumer groups that applied it ` +
        'may have purged its inbox row and would apply it again. Replay only if every handler of its type is safe to repeat (--force, or "force": true)',
    };
  }
  return undefined;
}

/** The history after one more action, as the actions topic stores it. */
export function withAction(history: readonly DeadLetterAction[], action: DeadLetterAction): { history: DeadLetterAction[] } {
  return { history: [...history, action] };
}
