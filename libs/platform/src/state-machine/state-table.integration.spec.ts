import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureDatabase, withDatabase } from '../database/ensure-database.js';
import { StateMachine } from './state-machine.js';
import { StateTable } from './state-table.js';

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const databaseName = `state_table_${randomBytes(4).toString('hex')}`;

type Ticket = 'OPEN' | 'ANSWERED' | 'CLOSED';
const tickets = new StateMachine<Ticket>({
  name: 'ticket',
  transitions: { OPEN: ['ANSWERED', 'CLOSED'], ANSWERED: ['ANSWERED', 'CLOSED'], CLOSED: [] },
  initial: ['OPEN'],
  terminal: ['CLOSED'],
});
const table = new StateTable<Ticket, { id: string; owner: string }>(tickets, {
  table: 'ticket',
  historyTable: 'ticket_change',
  returning: ['id', 'owner'],
});

describe('StateTable (compare-and-set with a history row, on PostgreSQL)', () => {
  let dataSource: DataSource;

  const history = async (id: string) =>
    (await dataSource.query('SELECT from_state, to_state, owner, reason FROM ticket_change WHERE ticket_id = $1 ORDER BY seq', [id])) as {
      from_state: string;
      to_state: string;
      owner: string;
      reason: string;
    }[];
  const stateOf = async (id: string) =>
    ((await dataSource.query('SELECT state, answers FROM ticket WHERE id = $1', [id])) as { state: string; answers: number }[])[0];

  beforeAll(async () => {
    await ensureDatabase(serverUrl, databaseName);
    dataSource = await new DataSource({ type: 'postgres', url: withDatabase(serverUrl, databaseName), extra: { max: 4 } }).initialize();
    await dataSource.query(
      `CREATE TABLE ticket (id text PRIMARY KEY, owner text NOT NULL, state text NOT NULL, answers int NOT NULL DEFAULT 0, updated_at timestamptz)`,
    );
    await dataSource.query(
      `CREATE TABLE ticket_change (seq bigserial PRIMARY KEY, ticket_id text NOT NULL, owner text NOT NULL, from_state text, to_state text NOT NULL, reason text, detail jsonb)`,
    );
    await dataSource.query(`CREATE TABLE ticket_reply (ticket_id text NOT NULL, body text NOT NULL, at timestamptz NOT NULL)`);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await client.end();
  });

  beforeEach(async () => {
    await dataSource.query(`TRUNCATE ticket, ticket_change, ticket_reply`);
    await dataSource.query(`INSERT INTO ticket (id, owner, state) VALUES ('t1', 'ada', 'OPEN')`);
  });

  it('moves the row, writes the other columns and the history row (given the returned row)', async () => {
    const outcome = await dataSource.transaction((manager) =>
      table.transition(manager, {
        id: 't1',
        from: 'OPEN',
        to: 'ANSWERED',
        set: { answers: 1, updated_at: new Date() },
        history: (row) => ({
          ticket_id: row.id,
          owner: row.owner,
          from_state: 'OPEN',
          to_state: 'ANSWERED',
          reason: 'replied',
          detail: { by: 'bob' },
        }),
      }),
    );
    expect(outcome).toEqual({ outcome: 'moved', row: { id: 't1', owner: 'ada' } });
    expect(await stateOf('t1')).toEqual({ state: 'ANSWERED', answers: 1 });
    expect(await history('t1')).toEqual([{ from_state: 'OPEN', to_state: 'ANSWERED', owner: 'ada', reason: 'replied' }]);
  });

  it('of two writers that read the same state, one wins; the loser writes no history row', async () => {
    const close = (reason: string) =>
      dataSource.transaction((manager) =>
        table.transition(manager, {
          id: 't1',
          from: 'OPEN',
          to: reason === 'answered' ? 'ANSWERED' : 'CLOSED',
          history: { ticket_id: 't1', owner: 'ada', from_state: 'OPEN', to_state: reason === 'answered' ? 'ANSWERED' : 'CLOSED', reason },
        }),
      );
    const outcomes = await Promise.all([close('answered'), close('closed')]);
    const winners = outcomes.filter((outcome) => outcome.outcome === 'moved');
    const losers = outcomes.filter((outcome) => outcome.outcome === 'lost-race');
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    const { state } = await stateOf('t1');
    expect(losers[0]).toEqual({ outcome: 'lost-race', current: state });
    const written = await history('t1');
    expect(written).toHaveLength(1);
    expect(written[0].to_state).toBe(state);
  });

  it('writes the move, its history row and what goes with it in one statement, and none of them when it loses', async () => {
    const at = new Date('2026-01-02T03:04:05.000Z');
    const answer = (manager: EntityManager) =>
      table.transition(manager, {
        id: 't1',
        from: 'OPEN',
        to: 'ANSWERED',
        set: { answers: 1, updated_at: at },
        history: {
          ticket_id: 't1',
          owner: 'ada',
          from_state: 'OPEN',
          to_state: 'ANSWERED',
          reason: 'replied',
          detail: JSON.stringify({ by: 'bob' }),
        },
        alsoWrite: (bind) => `INSERT INTO ticket_reply (ticket_id, body, at) SELECT moved.id, ${bind('hello')}, ${bind(at)} FROM moved`,
      });
    const statements: string[] = [];
    const outcome = await dataSource.transaction((manager) => {
      const query = manager.query.bind(manager);
      manager.query = (sql: string, parameters?: unknown[]) => {
        statements.push(sql);
        return query(sql, parameters);
      };
      return answer(manager);
    });
    expect(outcome).toEqual({ outcome: 'moved', row: { id: 't1', owner: 'ada' } });
    expect(statements).toHaveLength(1);
    expect(await history('t1')).toEqual([{ from_state: 'OPEN', to_state: 'ANSWERED', owner: 'ada', reason: 'replied' }]);
    expect(await dataSource.query('SELECT detail FROM ticket_change')).toEqual([{ detail: { by: 'bob' } }]);
    expect(await dataSource.query('SELECT ticket_id, body, at FROM ticket_reply')).toEqual([{ ticket_id: 't1', body: 'hello', at }]);
    expect(await dataSource.transaction(answer)).toEqual({ outcome: 'lost-race', current: 'ANSWERED' });
    expect(await history('t1')).toHaveLength(1);
    expect(await dataSource.query('SELECT count(*)::int AS n FROM ticket_reply')).toEqual([{ n: 1 }]);
  });

  it('a stale copy loses without writing, and reports the state that won', async () => {
    await dataSource.query(`UPDATE ticket SET state = 'CLOSED' WHERE id = 't1'`);
    const outcome = await table.transition(dataSource.manager, {
      id: 't1',
      from: 'OPEN',
      to: 'ANSWERED',
      history: { ticket_id: 't1', owner: 'ada', to_state: 'ANSWERED' },
    });
    expect(outcome).toEqual({ outcome: 'lost-race', current: 'CLOSED' });
    expect(await history('t1')).toEqual([]);
    expect(await table.transition(dataSource.manager, { id: 'gone', from: 'OPEN', to: 'CLOSED', history: {} })).toEqual({
      outcome: 'lost-race',
      current: undefined,
    });
  });

  it('writes nothing for a move that is refused or already done', async () => {
    expect(
      await table.transition(dataSource.manager, {
        id: 't1',
        from: 'OPEN',
        to: 'OPEN',
        history: { ticket_id: 't1', owner: 'ada', to_state: 'OPEN' },
      }),
    ).toEqual({
      outcome: 'already-there',
      state: 'OPEN',
    });
    await dataSource.query(`UPDATE ticket SET state = 'CLOSED' WHERE id = 't1'`);
    expect(
      await table.transition(dataSource.manager, {
        id: 't1',
        from: 'CLOSED',
        to: 'ANSWERED',
        history: { ticket_id: 't1', owner: 'ada', to_state: 'ANSWERED' },
      }),
    ).toEqual({ outcome: 'refused', from: 'CLOSED', to: 'ANSWERED' });
    expect(await history('t1')).toEqual([]);
  });

  it('writes a self-move the machine lists (ANSWERED → ANSWERED) like any other', async () => {
    await dataSource.query(`UPDATE ticket SET state = 'ANSWERED' WHERE id = 't1'`);
    const outcome = await table.transition(dataSource.manager, {
      id: 't1',
      from: 'ANSWERED',
      to: 'ANSWERED',
      set: { answers: 2 },
      history: { ticket_id: 't1', owner: 'ada', from_state: 'ANSWERED', to_state: 'ANSWERED', reason: 'replied again' },
    });
    expect(outcome.outcome).toBe('moved');
    expect(await stateOf('t1')).toEqual({ state: 'ANSWERED', answers: 2 });
    expect(await history('t1')).toHaveLength(1);
  });

  it('rolls the state change back when the history row cannot be written', async () => {
    await expect(
      dataSource.transaction((manager) =>
        table.transition(manager, { id: 't1', from: 'OPEN', to: 'CLOSED', history: { ticket_id: 't1', to_state: 'CLOSED' } }),
      ),
    ).rejects.toThrow(/owner/);
    expect((await stateOf('t1')).state).toBe('OPEN');
  });

  it('writes no history where the table keeps none, and insists on the row where it does', async () => {
    const untracked = new StateTable<Ticket>(tickets, { table: 'ticket' });
    expect((await untracked.transition(dataSource.manager, { id: 't1', from: 'OPEN', to: 'CLOSED' })).outcome).toBe('moved');
    expect((await stateOf('t1')).state).toBe('CLOSED');
    expect(await history('t1')).toEqual([]);
    await expect(table.transition(dataSource.manager, { id: 't1', from: 'CLOSED', to: 'CLOSED' })).rejects.toThrow(
      /needs its "ticket_change" row/,
    );
  });

  it('refuses table or column names that are not plain SQL names', async () => {
    expect(() => new StateTable(tickets, { table: 'ticket; DROP TABLE ticket', historyTable: 'ticket_change' })).toThrow(/not a plain/);
    await expect(
      table.transition(dataSource.manager, { id: 't1', from: 'OPEN', to: 'CLOSED', set: { 'state = state; --': 1 }, history: {} }),
    ).rejects.toThrow(/not a plain/);
  });
});
