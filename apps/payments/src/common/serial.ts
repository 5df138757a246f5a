import type { EntityManager } from 'typeorm';

/**
 * Our transaction serial numbers: `P` (payment) or `R` (refund), the UTC date, and a
 * ten-digit number from one database sequence — `P20261125000000042`. Unique, sortable by
 * time within a day, and short and plain enough for every provider's merchant reference
 * (Alipay's out_trade_no allows 64 letters and digits).
 */
export async function nextSerial(manager: EntityManager, prefix: 'P' | 'R', now = new Date()): Promise<string> {
  const [row] = (await manager.query(`SELECT ${nextSerialSql('$1')} AS serial`, [serialPrefix(prefix, now)])) as { serial: string }[];
  return row.serial;
}

/** The serial's letter and UTC date, to which the database adds the number. */
export function serialPrefix(prefix: 'P' | 'R', now = new Date()): string {
  return `${prefix}${now.toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/**
 * The next serial as an SQL expression, so the statement that writes its row also draws it;
 * `prefix` is the placeholder of serialPrefix's value. The number is padded to ten digits and,
 * like padStart, never cut once it outgrows them. One row per statement: PostgreSQL evaluates the
 * uncorrelated subquery once, so every row of a multi-row insert would get the same serial.
 */
export function nextSerialSql(prefix: string): string {
  return `(SELECT ${prefix}::text || lpad(n, greatest(length(n), 10), '0') FROM (SELECT nextval('txn_serial_seq')::text AS n) AS s)`;
}

/**
 * Rows of an `UPDATE … RETURNING`: TypeORM's raw query answers UPDATE and DELETE with
 * `[rows, affected]` on PostgreSQL, other statements with the rows.
 */
export async function updateReturning<T>(manager: EntityManager, sql: string, parameters: unknown[]): Promise<T[]> {
  const result: unknown = await manager.query(sql, parameters);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
