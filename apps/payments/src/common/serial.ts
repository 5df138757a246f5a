import type { EntityManager } from 'typeorm';

/**
 * Our transaction serial numbers: `P` (payment) or `R` (refund), the UTC date, and a
 * ten-digit number from one database sequence — `P20261125000000042`. Unique, sortable by
 * time within a day, and short and plain enough for every provider's merchant reference
 * (Alipay's out_trade_no allows 64 letters and digits).
 */
export async function nextSerial(manager: EntityManager, prefix: 'P' | 'R', now = new Date()): Promise<string> {
  const [row] = (await manager.query(`SELECT nextval('txn_serial_seq')::text AS n`)) as { n: string }[];
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `${prefix}${day}${row.n.padStart(10, '0')}`;
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
