import { describe, expect, it } from 'vitest';
import { eventIdOf, isNewer, KEEP_ALIVE, positionOfEventId, reconnectDelay, serverSentEvent } from './server-sent-events.js';

describe('status stream positions', () => {
  it('round-trips a position through its event id', () => {
    expect(eventIdOf({ generation: 2, version: 17 })).toBe('2.17');
    expect(positionOfEventId('2.17')).toEqual({ generation: 2, version: 17 });
    expect(positionOfEventId(' 0.3 ')).toEqual({ generation: 0, version: 3 });
  });

  it('takes anything but <generation>.<version> for no position', () => {
    for (const id of [undefined, '', '17', '1.2.3', '-1.2', 'a.b', '1.', `${'9'.repeat(10)}.1`])
      expect(positionOfEventId(id), String(id)).toBeNull();
  });

  it('orders positions by generation first: a rebuild starts versions again, and its positions are still newer', () => {
    expect(isNewer({ generation: 0, version: 1 }, null)).toBe(true);
    expect(isNewer({ generation: 0, version: 5 }, { generation: 0, version: 4 })).toBe(true);
    expect(isNewer({ generation: 0, version: 4 }, { generation: 0, version: 4 })).toBe(false);
    expect(isNewer({ generation: 0, version: 3 }, { generation: 0, version: 4 })).toBe(false);
    expect(isNewer({ generation: 1, version: 1 }, { generation: 0, version: 40 })).toBe(true);
    expect(isNewer({ generation: 0, version: 40 }, { generation: 1, version: 1 })).toBe(false);
  });
});

describe('the event-stream wire format', () => {
  it('writes an event as id, type and one line of JSON data, ended by a blank line', () => {
    expect(serverSentEvent('0.2', 'status', { status: 'PAID', note: 'two\nlines' })).toBe(
      'id: 0.2\nevent: status\ndata: {"status":"PAID","note":"two\\nlines"}\n\n',
    );
  });

  it('writes the reconnect delay and the keep-alive as blocks a client skips', () => {
    expect(reconnectDelay(3000)).toBe('retry: 3000\n\n');
    expect(KEEP_ALIVE.startsWith(':')).toBe(true);
    expect(KEEP_ALIVE.endsWith('\n\n')).toBe(true);
  });
});
