import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Placements keep their Idempotency-Keys in idempotent_request (scope `place-order`, requester
 * the buyer) instead of placement_request: the keys already remembered are copied over.
 *
 * During a rolling update, pods of the previous release still claim keys in placement_request
 * while new ones claim them in idempotent_request. Triggers copy every claim made in either table
 * into the other (ON CONFLICT DO NOTHING ends the echo), so a retry is recognised whichever
 * generation answers it. Both tables' inserts first take one transaction-scoped advisory lock per
 * key, so two generations claiming the same key queue on it instead of deadlocking on each
 * other's rows. The release after the one that brings this migration drops these triggers, their
 * functions and placement_request, once no pod of the previous release is left
 * (docs/architecture.md, "Upgrading").
 */
export class PlacementKeysShared1764061000004 implements MigrationInterface {
  name = 'PlacementKeysShared1764061000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      INSERT INTO idempotent_request (scope, requester, request_key, fingerprint, reference, created_at)
      SELECT 'place-order', buyer_id, idempotency_key, request_hash, order_id::text, created_at FROM placement_request
      ON CONFLICT DO NOTHING`);
    await queryRunner.query(`
      CREATE FUNCTION lock_placement_key(buyer text, request_key text) RETURNS void LANGUAGE sql AS $$
        SELECT pg_advisory_xact_lock(hashtextextended('place-order:' || buyer || ':' || request_key, 0))
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION placement_request_lock_key() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM lock_placement_key(NEW.buyer_id, NEW.idempotency_key);
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION placement_request_copy_claim() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO idempotent_request (scope, requester, request_key, fingerprint, reference, created_at)
        VALUES ('place-order', NEW.buyer_id, NEW.idempotency_key, NEW.request_hash, NEW.order_id::text, NEW.created_at)
        ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION place_order_key_lock() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM lock_placement_key(NEW.requester, NEW.request_key);
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION place_order_key_copy_claim() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO placement_request (buyer_id, idempotency_key, request_hash, order_id, created_at)
        VALUES (NEW.requester, NEW.request_key, NEW.fingerprint, NEW.reference::uuid, NEW.created_at)
        ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER placement_request_lock_key BEFORE INSERT ON placement_request
      FOR EACH ROW EXECUTE FUNCTION placement_request_lock_key()`);
    await queryRunner.query(`
      CREATE TRIGGER placement_request_copy_claim AFTER INSERT ON placement_request
      FOR EACH ROW EXECUTE FUNCTION placement_request_copy_claim()`);
    await queryRunner.query(`
      CREATE TRIGGER place_order_key_lock BEFORE INSERT ON idempotent_request
      FOR EACH ROW WHEN (NEW.scope = 'place-order') EXECUTE FUNCTION place_order_key_lock()`);
    await queryRunner.query(`
      CREATE TRIGGER place_order_key_copy_claim AFTER INSERT ON idempotent_request
      FOR EACH ROW WHEN (NEW.scope = 'place-order') EXECUTE FUNCTION place_order_key_copy_claim()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // placement_request received every claim while the triggers ran, so the previous release finds them all.
    await queryRunner.query('DROP TRIGGER place_order_key_copy_claim ON idempotent_request');
    await queryRunner.query('DROP TRIGGER place_order_key_lock ON idempotent_request');
    await queryRunner.query('DROP TRIGGER placement_request_copy_claim ON placement_request');
    await queryRunner.query('DROP TRIGGER placement_request_lock_key ON placement_request');
    for (const fn of ['place_order_key_copy_claim', 'place_order_key_lock', 'placement_request_copy_claim', 'placement_request_lock_key']) {
      await queryRunner.query(`DROP FUNCTION ${fn}()`);
    }
    await queryRunner.query('DROP FUNCTION lock_placement_key(text, text)');
  }
}
