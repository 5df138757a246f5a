import { randomUUID } from 'node:crypto';
import { MessagingTables1764060000000 } from '@mallard/messaging';
import { IdempotentRequests1764060000100 } from '@mallard/platform';
import { dropDatabase, queryDatabase, startTestService, type TestService, uniqueSuffix, withPreviousRelease } from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlacementKeysShared1764061000004 } from '../migrations/1764061000004-placement-keys-shared.js';
import type { OrderView } from '../order/order.view.js';
import { ORDERS_MIGRATIONS, ordersService } from '../service.js';
import { catalogSku, orderRequest, placeOrder, seedCatalog } from '../testing/orders-test-kit.js';

const sku = catalogSku(`UPGRADE-${uniqueSuffix()}`);

/** The database as the previous release left it: everything up to the migration that shares the keys. */
async function undoKeySharing(databaseName: string): Promise<void> {
  const upgrade = ORDERS_MIGRATIONS.indexOf(PlacementKeysShared1764061000004);
  await withPreviousRelease(
    databaseName,
    [MessagingTables1764060000000, IdempotentRequests1764060000100, ...ORDERS_MIGRATIONS.slice(0, upgrade + 1)],
    (dataSource) => dataSource.query(`DELETE FROM idempotent_request WHERE scope = 'place-order'`),
    ORDERS_MIGRATIONS.slice(upgrade + 1),
  );
}

describe('orders: placement keys across the upgrade to idempotent_request, on real PostgreSQL', () => {
  let orders: TestService | undefined;
  let databaseName: string;

  const place = (service: TestService, buyer: string, key: string, quantity: number) =>
    placeOrder(service, buyer, orderRequest([{ skuId: sku.skuId, quantity }]), key);

  beforeAll(async () => {
    orders = await startTestService(ordersService);
    databaseName = orders.databaseName;
    await seedCatalog(orders, [sku]);
  });

  afterAll(async () => {
    await orders?.stop();
    if (databaseName) await dropDatabase(databaseName);
  });

  it('mirrors a claim made in either table into the other', async () => {
    const legacyOrder = randomUUID();
    await queryDatabase(
      databaseName,
      `INSERT INTO placement_request (buyer_id, idempotency_key, request_hash, order_id) VALUES ('buyer-mirror', 'from-legacy', 'h-1', $1)`,
      [legacyOrder],
    );
    expect(
      await queryDatabase(
        databaseName,
        `SELECT fingerprint, reference FROM idempotent_request WHERE scope = 'place-order' AND requester = 'buyer-mirror' AND request_key = 'from-legacy'`,
      ),
    ).toEqual([{ fingerprint: 'h-1', reference: legacyOrder }]);

    const newOrder = randomUUID();
    await queryDatabase(
      databaseName,
      `INSERT INTO idempotent_request (scope, requester, request_key, fingerprint, reference) VALUES ('place-order', 'buyer-mirror', 'from-new', 'h-2', $1)`,
      [newOrder],
    );
    expect(
      await queryDatabase(
        databaseName,
        `SELECT request_hash, order_id FROM placement_request WHERE buyer_id = 'buyer-mirror' AND idempotency_key = 'from-new'`,
      ),
    ).toEqual([{ request_hash: 'h-2', order_id: newOrder }]);

    // Other scopes stay out of placement_request.
    await queryDatabase(
      databaseName,
      `INSERT INTO idempotent_request (scope, requester, request_key, fingerprint) VALUES ('another-scope', 'buyer-mirror', 'other', 'h-3')`,
    );
    expect(await queryDatabase(databaseName, `SELECT 1 FROM placement_request WHERE idempotency_key = 'other'`)).toEqual([]);
  });

  it('answers a retry of a key the previous release remembered with the order it placed', async () => {
    const first = await place(orders!, 'buyer-upgrade', 'before-upgrade', 1);
    expect(first.status).toBe(201);
    const placed = (await first.json()) as OrderView;
    await orders!.stop();
    orders = undefined;

    // Back to the previous release's schema: the key is only in placement_request.
    await undoKeySharing(databaseName);
    expect(await queryDatabase(databaseName, `SELECT order_id FROM placement_request WHERE idempotency_key = 'before-upgrade'`)).toEqual([
      { order_id: placed.id },
    ]);
    expect(await queryDatabase(databaseName, `SELECT 1 FROM idempotent_request WHERE request_key = 'before-upgrade'`)).toEqual([]);

    // The upgrade runs the migration again.
    orders = await startTestService(ordersService, { DATABASE_NAME: databaseName });
    const retry = await place(orders, 'buyer-upgrade', 'before-upgrade', 1);
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as OrderView).id).toBe(placed.id);
    const reused = await place(orders, 'buyer-upgrade', 'before-upgrade', 2);
    expect(reused.status).toBe(422);
    expect(((await reused.json()) as { type: string }).type).toMatch(/idempotency-key-reused$/);
    const [{ n }] = await queryDatabase<{ n: number }>(
      databaseName,
      `SELECT count(*)::int AS n FROM parent_order WHERE buyer_id = 'buyer-upgrade'`,
    );
    expect(n).toBe(1);
  });
});
