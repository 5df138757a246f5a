import pg from 'pg';

/**
 * Errors after which a connection's statement of that text is not to be used again: "cached plan
 * must not change result type" (a migration changed what it returns) and "prepared statement does
 * not exist" (node-postgres closes a statement whose parameters it failed to serialise).
 */
const STALE_STATEMENT = new Set(['0A000', '26000']);

/**
 * A node-postgres client that runs each parameterised statement as a named prepared statement on
 * its connection, so PostgreSQL parses and analyses it once per connection instead of on every
 * call, and can keep a generic plan instead of planning it again. Over a checkout, planning alone
 * was about a fifth of PostgreSQL's CPU (docs/benchmarks.md, "Prepared statements").
 *
 * At most `limit` statements are named per connection, so a service that builds many distinct
 * texts (ORM queries with lists of varying length) cannot fill the server's memory with plans;
 * the rest run unnamed, as before. A statement whose result shape a migration changed fails once
 * (`cached plan must not change result type`); its text then gets a new name, so the next call
 * prepares it again instead of failing on that connection for good. PgBouncer in transaction mode
 * before 1.21 cannot carry named statements: DATABASE_PREPARED_STATEMENTS=0 turns this off.
 */
export function preparingClient(limit: number): typeof pg.Client {
  return class PreparingClient extends pg.Client {
    readonly #names = new Map<string, string>();
    #prepared = 0;

    // biome-ignore lint/suspicious/noExplicitAny: node-postgres' query has a dozen overloads; this forwards them all
    override query(config: any, values?: any, callback?: any): any {
      if (typeof config !== 'string' || !Array.isArray(values) || values.length === 0) return super.query(config, values, callback);
      const name = this.#nameOf(config);
      if (name === undefined) return super.query(config, values, callback);
      const prepared: pg.QueryConfig = { text: config, name, values };
      const forget = (error: Error | null | undefined) => {
        if (STALE_STATEMENT.has((error as { code?: string } | null | undefined)?.code ?? '') && this.#names.get(config) === name)
          this.#names.delete(config);
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
      const name = `mallard_${++this.#prepared}`;
      this.#names.set(text, name);
      return name;
    }
  };
}
