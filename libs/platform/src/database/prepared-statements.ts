import { createHash } from 'node:crypto';
import pg from 'pg';
import { errorChain } from './error-chain.js';

/**
 * Errors after which a connection's statement of that text is not to be used again: "cached plan
 * must not change result type" (a migration changed what it returns) and "prepared statement does
 * not exist" (the server lost it).
 */
const STALE_STATEMENT = new Set(['0A000', '26000']);
const STALE = Symbol('mallard.staleStatement');

/** Texts seen once per connection, remembered to name them on their second call; forgotten in bulk when full. */
const SEEN_LIMIT = 1_000;

/**
 * True for an error a connection's prepared statement caused by being out of date (a migration
 * changed its result, or the server lost it). The connection prepares the text again on its next
 * call, so running the work again is safe and succeeds: consumers retry it as an infrastructure
 * failure and `withLockRetry` runs the request again, instead of dead-lettering or answering 500.
 */
export function isStalePreparedStatement(error: unknown): boolean {
  for (const link of errorChain(error)) if ((link as { [STALE]?: boolean })[STALE] === true) return true;
  return false;
}

/**
 * A node-postgres client that runs each parameterised statement it sees a second time as a named
 * prepared statement on its connection, so PostgreSQL parses and analyses it once per connection
 * instead of on every call, and can keep a generic plan instead of planning it again. Over a
 * checkout, planning alone was about a fifth of PostgreSQL's CPU (docs/benchmarks.md, "Prepared
 * statements").
 *
 * - Only texts called twice are named, so one-off texts (ORM queries with lists of varying
 *   length) do not take the places of the hot ones; at most `limit` are named per connection,
 *   so the server's memory for plans stays bounded; the rest run unnamed, as before.
 * - A name starts with the text's hash, so one name means one SQL text on every connection,
 *   whatever reads it (a pooler, a log).
 * - A statement whose result shape a migration changed fails once (`cached plan must not change
 *   result type`), and one whose values node-postgres could not serialise is closed on the
 *   server: the text then gets a new name, so the next call prepares it again instead of
 *   failing on that connection for good, and the error is marked for a retry
 *   (`isStalePreparedStatement`).
 * - PgBouncer in transaction mode carries named statements only with `max_prepared_statements`
 *   set (the default from 1.24): otherwise DATABASE_PREPARED_STATEMENTS=0 turns this off.
 */
export function preparingClient(limit: number): typeof pg.Client {
  return class PreparingClient extends pg.Client {
    readonly #names = new Map<string, string>();
    readonly #seen = new Set<string>();
    #generation = 0;

    // biome-ignore lint/suspicious/noExplicitAny: node-postgres' query has a dozen overloads; this forwards them all
    override query(config: any, values?: any, callback?: any): any {
      if (typeof config !== 'string' || !Array.isArray(values) || values.length === 0) return super.query(config, values, callback);
      const name = this.#nameOf(config);
      if (name === undefined) return super.query(config, values, callback);
      const prepared: pg.QueryConfig = { text: config, name, values };
      const forget = (error: Error | null | undefined) => {
        if (!error) return;
        const code = (error as { code?: string }).code;
        // Not the server's answer (a value that could not be serialised): node-postgres closed
        // the statement on the server but still counts it as prepared.
        const stale = error instanceof pg.DatabaseError ? STALE_STATEMENT.has(code ?? '') : true;
        if (!stale || this.#names.get(config) !== name) return;
        this.#names.delete(config);
        if (error instanceof pg.DatabaseError) Object.defineProperty(error, STALE, { value: true });
      };
      if (typeof callback === 'function') {
        return super.query(prepared, (error: Error, result: pg.QueryResult) => {
          forget(error);
          callback(error, result);
        });
      }
      const result: Promise<unknown> = super.query(prepared);
      result.catch(forget);
      return result;
    }

    #nameOf(text: string): string | undefined {
      const known = this.#names.get(text);
      if (known !== undefined || this.#names.size >= limit) return known;
      if (!this.#seen.has(text)) {
        if (this.#seen.size >= SEEN_LIMIT) this.#seen.clear();
        this.#seen.add(text);
        return undefined;
      }
      this.#seen.delete(text);
      // A generation in the name: a renamed text never meets its stale statement again.
      const name = `mallard_${createHash('sha1').update(text).digest('hex').slice(0, 20)}_${this.#generation++}`;
      this.#names.set(text, name);
      return name;
    }
  };
}
