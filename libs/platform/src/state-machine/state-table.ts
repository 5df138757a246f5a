import type { EntityManager } from 'typeorm';
import type { StateMachine } from './state-machine.js';

/** Where the things of one state machine live. Names come from code, never from input. */
export interface StateTableOptions {
  /** The table holding the things: 'payment', 'sub_order'. */
  table: string;
  /** Its key column; 'id' unless told. */
  idColumn?: string;
  /** Its state column; 'state' unless told. */
  stateColumn?: string;
  /** The table one row per change goes to: 'payment_log', 'order_state_change'; none for things whose changes are not kept. */
  historyTable?: string;
  /** Columns the UPDATE returns on a win; the key column unless told. */
  returning?: readonly string[];
}

export interface StateChange<S extends string, R> {
  id: string | number;
  /** The state the caller read (under its row lock); the change is written only if it still holds. */
  from: S;
  to: S;
  /** Other columns written with the state, by column name ('updated_at', 'paid_at'). */
  set?: Record<string, unknown>;
  /**
   * The history row's columns (required when the table has a history). Given as values, the row
   * is written by the same statement as the UPDATE; given as a function of the row the UPDATE
   * returned, it takes a second statement.
   */
  history?: Record<string, unknown> | ((row: R) => Record<string, unknown>);
  /**
   * Another write that belongs to the change (the order's lines with it), made in the same
   * statement and only when the move wins: SQL that joins `moved`, the moved row as the UPDATE
   * returned it; `bind` adds a value and answers its placeholder. Its row locks come after the
   * thing's own, which the UPDATE has taken by then. It must not write the thing's own table (a
   * row updated twice in one statement keeps only the first update, silently) nor hold a WITH
   * of its own (it is one of the statement's CTEs).
   */
  alsoWrite?: AlsoWrite;
}

export type AlsoWrite = (bind: (value: unknown) => string) => string;

export type StateChangeOutcome<S extends string, R> =
  /** This transaction changed the state and wrote the history row. */
  | { outcome: 'moved'; row: R }
  /** Already in `to` (and `to` → `to` is no move of the machine): nothing written. */
  | { outcome: 'already-there'; state: S }
  /** The machine does not allow `from` → `to`: nothing written; the caller maps it to its problem. */
  | { outcome: 'refused'; from: S; to: S }
  /** Someone else moved it off `from` first (or it is gone): nothing written, `current` is what won. */
  | { outcome: 'lost-race'; current: S | undefined };

const IDENTIFIER = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

function quoted(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a plain lower-case SQL name: ${name}`);
  return name
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
}

/**
 * Writes the changes of one state machine's things: the machine's decision, then a
 * compare-and-set `UPDATE <table> SET <state> = $to, … WHERE <id> = $id AND <state> = $from
 * RETURNING …`, and the history row only when that UPDATE won, in the same transaction. So of
 * two writers that read the same state, one moves the thing and logs it; the other gets
 * `lost-race` and leaves no trace.
 */
export class StateTable<S extends string, R extends Record<string, unknown> = Record<string, unknown>> {
  readonly #table: string;
  readonly #id: string;
  readonly #state: string;
  readonly #history?: string;
  readonly #returning: string;

  constructor(
    readonly machine: StateMachine<S, string>,
    options: StateTableOptions,
  ) {
    this.#table = quoted(options.table);
    this.#id = quoted(options.idColumn ?? 'id');
    this.#state = quoted(options.stateColumn ?? 'state');
    this.#history = options.historyTable === undefined ? undefined : quoted(options.historyTable);
    this.#returning = (options.returning ?? [options.idColumn ?? 'id']).map(quoted).join(', ');
  }

  /** Runs in the caller's transaction, or in one of its own when the manager has none. */
  transition(manager: EntityManager, change: StateChange<S, R>): Promise<StateChangeOutcome<S, R>> {
    if (this.#history && !change.history) return Promise.reject(new Error(`${this.machine.name}: a change needs its ${this.#history} row`));
    const decision = this.machine.decide(change.from, change.to);
    if (decision.kind === 'already-there') return Promise.resolve({ outcome: 'already-there', state: decision.state });
    if (decision.kind === 'refused') return Promise.resolve({ outcome: 'refused', from: decision.from, to: decision.to });
    if (manager.queryRunner?.isTransactionActive) return this.#write(manager, change);
    return manager.transaction((inTransaction) => this.#write(inTransaction, change));
  }

  async #write(manager: EntityManager, change: StateChange<S, R>): Promise<StateChangeOutcome<S, R>> {
    const parameters: unknown[] = [change.id, change.from, change.to];
    const bind = (value: unknown): string => {
      parameters.push(value);
      return `$${parameters.length}`;
    };
    const sets = [`${this.#state} = $3`];
    for (const [column, value] of Object.entries(change.set ?? {})) sets.push(`${quoted(column)} = ${bind(value)}`);
    // One statement for the move, its history row and any write that goes with it: each a
    // data-modifying CTE over `moved`, so none of them happens unless the compare-and-set won.
    const writes = [
      `moved AS (UPDATE ${this.#table} SET ${sets.join(', ')} WHERE ${this.#id} = $1 AND ${this.#state} = $2 RETURNING ${this.#returning})`,
    ];
    const history = this.#history ? change.history : undefined;
    if (this.#history && history && typeof history !== 'function') {
      const columns = Object.keys(history).map(quoted);
      const into = columns.length > 0 ? `${this.#history} (${columns.join(', ')})` : this.#history;
      // The parameters of INSERT … SELECT take the types of the columns they go to, as in VALUES.
      writes.push(`logged AS (INSERT INTO ${into} SELECT ${Object.values(history).map(bind).join(', ')} FROM moved)`);
    }
    if (change.alsoWrite) writes.push(`also AS (${change.alsoWrite(bind)})`);
    const updated = rowsOf<R>(await manager.query(`WITH ${writes.join(', ')} SELECT * FROM moved`, parameters));
    if (updated.length === 0) {
      // A fresh snapshot: the statement's own may predate the winner's commit.
      const [current] = rowsOf<{ state: S }>(
        await manager.query(`SELECT ${this.#state} AS state FROM ${this.#table} WHERE ${this.#id} = $1`, [change.id]),
      );
      return { outcome: 'lost-race', current: current?.state };
    }
    const [row] = updated;
    if (typeof history === 'function') {
      const values = history(row);
      const columns = Object.keys(values);
      await manager.query(
        `INSERT INTO ${this.#history} (${columns.map(quoted).join(', ')}) VALUES (${columns.map((_, index) => `$${index + 1}`).join(', ')})`,
        Object.values(values),
      );
    }
    return { outcome: 'moved', row };
  }
}

/** TypeORM answers UPDATE and DELETE with `[rows, affected]` on PostgreSQL, other statements with the rows. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
