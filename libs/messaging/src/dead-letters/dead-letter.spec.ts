import { describe, expect, it } from 'vitest';
import type { IncomingRecord } from '../broker/message-broker.js';
import {
  actionKeyOf,
  type DeadLetterAction,
  deadLetterDetailOf,
  deadLetterOf,
  foldActions,
  headerTexts,
  refusalOf,
  replayRecordOf,
  statusOf,
  withAction,
} from './dead-letter.js';
import { EXIT, runDlqCli } from './dlq.cli.js';

const record: IncomingRecord = {
  topic: 'mallard.dlq.inventory',
  partition: 0,
  offset: '7',
  key: Buffer.from('order-1'),
  value: Buffer.from('{"orderId":"order-1"}'),
  headers: {
    ce_id: 'evt-1',
    ce_type: 'order.placed',
    ce_dataversion: '2',
    ce_specversion: '1.0',
    ce_time: '2026-12-04T05:59:59.000Z',
    dlq_kind: 'handler-failed',
    dlq_reason: 'Error: boom',
    dlq_consumer_group: 'inventory',
    dlq_source_topic: 'mallard.orders.events',
    dlq_source_partition: '3',
    dlq_source_offset: '42',
    dlq_failed_at: '2026-12-04T06:00:00.000Z',
  },
};

const action = (name: 'replay' | 'discard', by = 'ana'): DeadLetterAction => ({
  action: name,
  by,
  why: `${name} because`,
  at: '2026-12-04T07:00:00.000Z',
  forced: false,
});

describe('dead letters', () => {
  it('reads a letter from the headers the consumer wrote', () => {
    expect(deadLetterOf('inventory', record)).toEqual({
      consumerGroup: 'inventory',
      id: '7',
      kind: 'handler-failed',
      reason: 'Error: boom',
      eventType: 'order.placed',
      eventId: 'evt-1',
      key: 'order-1',
      sourceTopic: 'mallard.orders.events',
      sourcePartition: 3,
      sourceOffset: '42',
      failedAt: '2026-12-04T06:00:00.000Z',
      publishedAt: '2026-12-04T05:59:59.000Z',
      status: 'PENDING',
      history: [],
    });
    const detail = deadLetterDetailOf('inventory', record);
    expect(detail.body).toBe('{"orderId":"order-1"}');
    expect(detail.headers.ce_id).toBe('evt-1');
  });

  it('reads a malformed letter without CloudEvents headers', () => {
    const letter = deadLetterOf('inventory', { ...record, key: null, headers: { dlq_kind: 'malformed', dlq_source_partition: 'x' } });
    expect(letter).toMatchObject({
      kind: 'malformed',
      eventType: null,
      eventId: null,
      key: null,
      sourcePartition: null,
      sourceTopic: null,
    });
  });

  it('takes the first value of a repeated header and text of buffers', () => {
    expect(headerTexts({ a: [Buffer.from('1'), Buffer.from('2')], b: Buffer.from('x'), c: 'y', d: undefined })).toEqual({
      a: '1',
      b: 'x',
      c: 'y',
    });
  });

  it('replays the original record to its source topic without the dlq_ headers', () => {
    expect(replayRecordOf(record)).toEqual({
      topic: 'mallard.orders.events',
      key: 'order-1',
      value: record.value,
      headers: { ce_id: 'evt-1', ce_type: 'order.placed', ce_dataversion: '2', ce_specversion: '1.0', ce_time: '2026-12-04T05:59:59.000Z' },
    });
    expect(() => replayRecordOf({ ...record, headers: { dlq_kind: 'malformed' } })).toThrow(/dlq_source_topic/);
  });

  it('gives the status of the newest action', () => {
    expect(statusOf([])).toBe('PENDING');
    expect(statusOf([action('replay')])).toBe('REPLAYED');
    expect(statusOf([action('replay'), action('discard')])).toBe('DISCARDED');
    expect(statusOf([action('discard'), action('replay')])).toBe('REPLAYED');
  });

  it('folds the actions topic to the newest history per letter, as compaction would', () => {
    const key = actionKeyOf('inventory', '7');
    expect(key).toBe('inventory:7');
    const first = withAction([], action('replay'));
    const second = withAction(first.history, action('replay', 'bo'));
    const histories = foldActions([
      { key, value: JSON.stringify(first) },
      { key: 'inventory:8', value: JSON.stringify(withAction([], action('discard'))) },
      { key, value: JSON.stringify(second) },
      { key: 'inventory:9', value: 'not json' },
      { key: null, value: JSON.stringify(first) },
      { key: 'inventory:8', value: null },
    ]);
    expect(histories.get(key)?.map((entry) => entry.by)).toEqual(['ana', 'bo']);
    expect(histories.has('inventory:8')).toBe(false);
    expect(histories.has('inventory:9')).toBe(false);
  });

  it('drops history entries that are not actions', () => {
    const histories = foldActions([{ key: 'k', value: JSON.stringify({ history: [action('replay'), { action: 'nuke', by: 'x' }] }) }]);
    expect(histories.get('k')).toEqual([action('replay')]);
  });

  describe('refusing an action', () => {
    const now = new Date('2026-12-04T07:00:00.000Z');
    const check = {
      action: 'replay' as const,
      status: 'PENDING' as const,
      force: false,
      by: 'ana',
      why: 'fixed',
      eventTime: '2026-12-01T07:00:00.000Z',
      now,
      inboxRetentionDays: 8,
    };

    it('lets a pending letter with who and why go ahead', () => {
      expect(refusalOf(check)).toBeUndefined();
      expect(refusalOf({ ...check, action: 'discard' })).toBeUndefined();
    });

    it('needs who and why, force or not', () => {
      expect(refusalOf({ ...check, by: ' ' })).toMatchObject({ code: 'input' });
      expect(refusalOf({ ...check, why: '  ', force: true })).toMatchObject({ code: 'input', reason: expect.stringMatching(/why/) });
    });

    it('needs force for a letter that is no longer pending', () => {
      expect(refusalOf({ ...check, status: 'REPLAYED' })).toMatchObject({
        code: 'already-handled',
        reason: expect.stringMatching(/already REPLAYED.*--force/),
      });
      expect(refusalOf({ ...check, action: 'discard', status: 'DISCARDED' })).toMatchObject({ code: 'already-handled' });
      expect(refusalOf({ ...check, status: 'DISCARDED' })).toMatchObject({ code: 'already-handled' });
      expect(refusalOf({ ...check, status: 'REPLAYED', force: true })).toBeUndefined();
    });

    it('needs force to replay an event older than the inbox retention, or of unknown age', () => {
      expect(refusalOf({ ...check, eventTime: '2026-11-26T07:00:00.000Z' })).toBeUndefined();
      expect(refusalOf({ ...check, eventTime: '2026-11-26T06:59:59.999Z' })).toMatchObject({ code: 'beyond-inbox-retention' });
      expect(refusalOf({ ...check, eventTime: null })).toMatchObject({ code: 'beyond-inbox-retention' });
      expect(refusalOf({ ...check, eventTime: 'yesterday' })).toMatchObject({ code: 'beyond-inbox-retention' });
      expect(refusalOf({ ...check, eventTime: null, force: true })).toBeUndefined();
      // Discarding sends nothing: age does not matter.
      expect(refusalOf({ ...check, action: 'discard', eventTime: null })).toBeUndefined();
    });
  });
});

describe('npm run dlq (arguments)', () => {
  const run = async (argv: string[]) => {
    const errors: string[] = [];
    const code = await runDlqCli(
      argv,
      {},
      () => undefined,
      (line) => errors.push(line),
    );
    return { code, errors: errors.join('\n') };
  };

  it('refuses what it cannot understand before talking to Kafka', async () => {
    expect(await run([])).toMatchObject({ code: EXIT.failed, errors: expect.stringMatching(/usage/) });
    expect(await run(['show', 'inventory'])).toMatchObject({
      code: EXIT.failed,
      errors: expect.stringMatching(/wrong arguments for show/),
    });
    expect(await run(['list', 'inventory', '--status', 'LOST'])).toMatchObject({
      code: EXIT.failed,
      errors: expect.stringMatching(/PENDING, REPLAYED, DISCARDED/),
    });
    expect(await run(['replay', 'inventory', '1', '--by'])).toMatchObject({
      code: EXIT.failed,
      errors: expect.stringMatching(/--by needs a value/),
    });
    expect(await run(['list', 'inventory', '--what'])).toMatchObject({
      code: EXIT.failed,
      errors: expect.stringMatching(/unknown option --what/),
    });
  });
});
