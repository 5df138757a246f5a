import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payments, refunds and provider callbacks keep their idempotency keys in idempotent_request:
 * scope `pay` (requester the buyer, with the answer once recorded), `refund` (requester the key
 * space) and `provider-event` (requester the provider). The keys already known are copied over
 * from payment_request, refund and provider_event.
 *
 * During a rolling update, pods of the previous release still dedupe in those tables while new
 * ones claim in idempotent_request, so triggers keep both sides in step (ON CONFLICT DO NOTHING
 * and the IS DISTINCT FROM guards end the echo):
 * - `pay` in both directions, claims and recorded answers alike. A claim made by a new pod is
 *   copied before the payment row exists, so payment_request.order_id may now be null (the
 *   previous release never reads it). Two generations recording the answer of one key at the
 *   same instant can deadlock on the two rows; payments retries deadlocks (withLockRetry), and
 *   the retry replays the answer that won.
 * - `refund` and `provider-event` from the legacy table only: new pods write the refund or the
 *   provider_event row in the transaction of their claim, which is what the previous release
 *   looks for.
 * Inserts of one key take one transaction-scoped advisory lock in every generation (for refunds
 * the very lock the previous release takes), so they queue instead of deadlocking.
 *
 * The release after the one that brings this migration drops these triggers, their functions and
 * payment_request, once no pod of the previous release is left (docs/architecture.md,
 * "Upgrading"); refund and provider_event stay, being the money trail.
 */
export class PaymentKeysShared1764063000003 implements MigrationInterface {
  name = 'PaymentKeysShared1764063000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of COPY_KEYS) await queryRunner.query(sql);
    await queryRunner.query('ALTER TABLE payment_request ALTER COLUMN order_id DROP NOT NULL');
    for (const sql of FUNCTIONS) await queryRunner.query(sql);
    for (const [name, definition] of TRIGGERS) await queryRunner.query(`CREATE TRIGGER ${name} ${definition}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The legacy tables received every claim while the triggers ran, so the previous release finds them all.
    for (const [name, definition] of [...TRIGGERS].reverse()) {
      const table = /\bON (\w+)/.exec(definition)![1];
      await queryRunner.query(`DROP TRIGGER ${name} ON ${table}`);
    }
    for (const name of FUNCTION_NAMES) await queryRunner.query(`DROP FUNCTION ${name}`);
    await queryRunner.query('DELETE FROM payment_request WHERE order_id IS NULL');
    await queryRunner.query('ALTER TABLE payment_request ALTER COLUMN order_id SET NOT NULL');
  }
}

const COPY_KEYS = [
  `INSERT INTO idempotent_request (scope, requester, request_key, fingerprint, reference, response_status, response_body, created_at)
   SELECT 'pay', buyer_id, idempotency_key, request_hash, payment_id::text, status, response, created_at FROM payment_request
   ON CONFLICT DO NOTHING`,
  `INSERT INTO idempotent_request (scope, requester, request_key, fingerprint, reference, created_at)
   SELECT 'refund', key_space, refund_key, request_hash, id::text, created_at FROM refund
   ON CONFLICT DO NOTHING`,
  `INSERT INTO idempotent_request (scope, requester, request_key, fingerprint, reference, created_at)
   SELECT 'provider-event', provider, event_id, NULL, NULL, received_at FROM provider_event
   ON CONFLICT DO NOTHING`,
];

const FUNCTION_NAMES = [
  'lock_payment_key(text)',
  'payment_request_lock_key()',
  'payment_request_copy_claim()',
  'payment_request_copy_answer()',
  'pay_key_lock()',
  'pay_key_copy_claim()',
  'pay_key_copy_answer()',
  'refund_copy_claim()',
  'refund_key_lock()',
  'provider_event_lock_key()',
  'provider_event_copy_claim()',
  'provider_event_key_lock()',
];

const FUNCTIONS = [
  `CREATE FUNCTION lock_payment_key(name text) RETURNS void LANGUAGE sql AS $$
     SELECT pg_advisory_xact_lock(hashtextextended(name, 0))
   $$`,
  `CREATE FUNCTION payment_request_lock_key() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     PERFORM lock_payment_key('pay:' || NEW.buyer_id || ':' || NEW.idempotency_key);
     RETURN NEW;
   END $$`,
  `CREATE FUNCTION payment_request_copy_claim() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO idempotent_request (scope, requester, request_key, fingerprint, reference, response_status, response_body, created_at)
     VALUES ('pay', NEW.buyer_id, NEW.idempotency_key, NEW.request_hash, NEW.payment_id::text, NEW.status, NEW.response, NEW.created_at)
     ON CONFLICT DO NOTHING;
     RETURN NULL;
   END $$`,
  `CREATE FUNCTION payment_request_copy_answer() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     UPDATE idempotent_request SET response_status = NEW.status, response_body = NEW.response
      WHERE scope = 'pay' AND requester = NEW.buyer_id AND request_key = NEW.idempotency_key
        AND (response_status IS DISTINCT FROM NEW.status OR response_body IS DISTINCT FROM NEW.response);
     RETURN NULL;
   END $$`,
  `CREATE FUNCTION pay_key_lock() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     PERFORM lock_payment_key('pay:' || NEW.requester || ':' || NEW.request_key);
     RETURN NEW;
   END $$`,
  `CREATE FUNCTION pay_key_copy_claim() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO payment_request (buyer_id, idempotency_key, request_hash, order_id, payment_id, status, response, created_at)
     VALUES (NEW.requester, NEW.request_key, NEW.fingerprint, NULL, NEW.reference::uuid, NEW.response_status, NEW.response_body, NEW.created_at)
     ON CONFLICT DO NOTHING;
     RETURN NULL;
   END $$`,
  `CREATE FUNCTION pay_key_copy_answer() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     UPDATE payment_request SET status = NEW.response_status, response = NEW.response_body
      WHERE buyer_id = NEW.requester AND idempotency_key = NEW.request_key
        AND (status IS DISTINCT FROM NEW.response_status OR response IS DISTINCT FROM NEW.response_body);
     RETURN NULL;
   END $$`,
  `CREATE FUNCTION refund_copy_claim() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO idempotent_request (scope, requester, request_key, fingerprint, reference, created_at)
     VALUES ('refund', NEW.key_space, NEW.refund_key, NEW.request_hash, NEW.id::text, NEW.created_at)
     ON CONFLICT DO NOTHING;
     RETURN NULL;
   END $$`,
  // The lock the previous release takes in RefundService.request before it looks for the refund.
  `CREATE FUNCTION refund_key_lock() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     PERFORM pg_advisory_xact_lock(hashtext('refund:' || NEW.requester || ':' || NEW.request_key));
     RETURN NEW;
   END $$`,
  `CREATE FUNCTION provider_event_lock_key() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     PERFORM lock_payment_key('provider-event:' || NEW.provider || ':' || NEW.event_id);
     RETURN NEW;
   END $$`,
  `CREATE FUNCTION provider_event_copy_claim() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO idempotent_request (scope, requester, request_key, fingerprint, reference, created_at)
     VALUES ('provider-event', NEW.provider, NEW.event_id, NULL, NULL, NEW.received_at)
     ON CONFLICT DO NOTHING;
     RETURN NULL;
   END $$`,
  `CREATE FUNCTION provider_event_key_lock() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     PERFORM lock_payment_key('provider-event:' || NEW.requester || ':' || NEW.request_key);
     RETURN NEW;
   END $$`,
];

/** Name and definition of each trigger, in creation order. */
const TRIGGERS: [string, string][] = [
  ['payment_request_lock_key', 'BEFORE INSERT ON payment_request FOR EACH ROW EXECUTE FUNCTION payment_request_lock_key()'],
  ['payment_request_copy_claim', 'AFTER INSERT ON payment_request FOR EACH ROW EXECUTE FUNCTION payment_request_copy_claim()'],
  [
    'payment_request_copy_answer',
    `AFTER UPDATE OF status, response ON payment_request FOR EACH ROW
     WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.response IS DISTINCT FROM NEW.response)
     EXECUTE FUNCTION payment_request_copy_answer()`,
  ],
  ['pay_key_lock', `BEFORE INSERT ON idempotent_request FOR EACH ROW WHEN (NEW.scope = 'pay') EXECUTE FUNCTION pay_key_lock()`],
  ['pay_key_copy_claim', `AFTER INSERT ON idempotent_request FOR EACH ROW WHEN (NEW.scope = 'pay') EXECUTE FUNCTION pay_key_copy_claim()`],
  [
    'pay_key_copy_answer',
    `AFTER UPDATE OF response_status, response_body ON idempotent_request FOR EACH ROW
     WHEN (NEW.scope = 'pay' AND (OLD.response_status IS DISTINCT FROM NEW.response_status OR OLD.response_body IS DISTINCT FROM NEW.response_body))
     EXECUTE FUNCTION pay_key_copy_answer()`,
  ],
  ['refund_copy_claim', 'AFTER INSERT ON refund FOR EACH ROW EXECUTE FUNCTION refund_copy_claim()'],
  ['refund_key_lock', `BEFORE INSERT ON idempotent_request FOR EACH ROW WHEN (NEW.scope = 'refund') EXECUTE FUNCTION refund_key_lock()`],
  ['provider_event_lock_key', 'BEFORE INSERT ON provider_event FOR EACH ROW EXECUTE FUNCTION provider_event_lock_key()'],
  ['provider_event_copy_claim', 'AFTER INSERT ON provider_event FOR EACH ROW EXECUTE FUNCTION provider_event_copy_claim()'],
  [
    'provider_event_key_lock',
    `BEFORE INSERT ON idempotent_request FOR EACH ROW WHEN (NEW.scope = 'provider-event') EXECUTE FUNCTION provider_event_key_lock()`,
  ],
];
