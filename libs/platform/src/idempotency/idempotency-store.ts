import type { EntityManager } from 'typeorm';
import type { IdempotencyKeyRef, IdempotentRequest, RememberedRequest, StoredResponse } from './idempotent-request.js';

/** An EntityManager or a DataSource: anything that runs SQL. */
export interface SqlRunner {
  // biome-ignore lint/suspicious/noExplicitAny: TypeORM answers queries untyped
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

interface RememberedRow {
  scope: string;
  requester: string;
  request_key: string;
  fingerprint: string | null;
  reference: string | null;
  response_status: number | null;
  response_body: unknown;
  created_at: Date;
}

export type Claim = { claimed: true } | { claimed: false; first: RememberedRequest };

/** A key that is taken but gone when looked at again was purged in between; trying again is enough. */
const CLAIM_ATTEMPTS = 3;

/**
 * Takes the key for this request inside the caller's transaction, as its first lock. A request
 * that finds the key taken by a transaction still running waits for it: when that one commits,
 * this one is a retry and gets what it remembered; when it rolls back, the key was never taken
 * and this request claims it. So the work behind a key runs once, and a failed attempt leaves
 * the key free.
 */
export async function claimIdempotencyKey(manager: EntityManager, request: IdempotentRequest): Promise<Claim> {
  if (!manager.queryRunner?.isTransactionActive) {
    // Outside a transaction the claim would commit at once, and a failed attempt would keep the key.
    throw new Error(`claimIdempotencyKey(${request.scope}) needs the manager of the transaction that does the work`);
  }
  for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt += 1) {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO idempotent_request (scope, requester, request_key, fingerprint, reference) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [request.scope, request.requester, request.key, request.fingerprint, request.reference ?? null],
    );
    if (inserted.length > 0) return { claimed: true };
    const first = await findIdempotencyKey(manager, request);
    if (first) return { claimed: false, first };
  }
  throw new Error(`idempotency key ${request.scope}/${request.key} is neither free nor readable`);
}

/** What the first request with this key left, or null when the key is free (or not yet committed). */
export async function findIdempotencyKey(db: SqlRunner, ref: IdempotencyKeyRef): Promise<RememberedRequest | null> {
  const [row]: RememberedRow[] = await db.query(
    `SELECT scope, requester, request_key, fingerprint, reference, response_status, response_body, created_at
       FROM idempotent_request WHERE scope = $1 AND requester = $2 AND request_key = $3`,
    [ref.scope, ref.requester, ref.key],
  );
  return row ? toRemembered(row) : null;
}

/**
 * Keeps the answer of the first request, to be given again to its retries. In the claim's own
 * transaction, or later (after a call to a provider) on its own.
 */
export async function recordIdempotentResponse(db: SqlRunner, ref: IdempotencyKeyRef, response: StoredResponse): Promise<void> {
  await db.query(
    `UPDATE idempotent_request SET response_status = $4, response_body = $5::jsonb
      WHERE scope = $1 AND requester = $2 AND request_key = $3`,
    [ref.scope, ref.requester, ref.key, response.status, JSON.stringify(response.body ?? null)],
  );
}

export interface IdempotencyPurge {
  scope: string;
  /** Keys older than this are forgotten: a retry after that is a new request. */
  retentionHours: number;
  /** Rows per DELETE, so a purge never holds many locks or one long transaction. */
  batchSize: number;
  /** Asked between batches; true ends the purge early (the app is stopping). */
  stop?: () => boolean;
}

/**
 * Forgets one scope's keys older than its retention, a batch at a time; instances purging side
 * by side skip each other's rows. Scopes whose keys must outlive any retry (a refund id, a
 * provider's notification id) are simply never purged. Returns how many keys went.
 */
export async function purgeIdempotencyKeys(db: SqlRunner, purge: IdempotencyPurge): Promise<number> {
  let purged = 0;
  for (;;) {
    // TypeORM answers a DELETE with [rows, affected].
    const [, deleted]: [unknown[], number] = await db.query(
      `DELETE FROM idempotent_request
        WHERE (scope, requester, request_key) IN (
          SELECT scope, requester, request_key FROM idempotent_request
           WHERE scope = $1 AND created_at < now() - make_interval(hours => $2)
           ORDER BY created_at
           LIMIT $3
           FOR UPDATE SKIP LOCKED)`,
      [purge.scope, purge.retentionHours, purge.batchSize],
    );
    purged += deleted;
    if (deleted < purge.batchSize || purge.stop?.()) return purged;
  }
}

function toRemembered(row: RememberedRow): RememberedRequest {
  return {
    scope: row.scope,
    requester: row.requester,
    key: row.request_key,
    fingerprint: row.fingerprint,
    reference: row.reference,
    response: row.response_status === null ? null : { status: row.response_status, body: row.response_body },
    createdAt: row.created_at,
  };
}
