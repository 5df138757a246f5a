import { stockDeducted, stockDeductionFailed, stockReleased, stockReservationFailed, stockReserved } from '@mallard/contracts';
import { dropDatabase, eventually, queryDatabase } from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelled, InventoryHarness, paid, placed } from '../testing/inventory-harness.js';

describe('a flash sale against two inventory instances on real Kafka and PostgreSQL', () => {
  let inventory: InventoryHarness;

  beforeAll(async () => {
    inventory = await InventoryHarness.start({}, { instances: 2 });
  });

  afterAll(async () => {
    await inventory?.stop();
  });

  /** Samples the SKU's stock while the orders pour in; every sample must be sane. */
  const watch = (skuId: string) => {
    const samples: { onHand: number; held: number; available: number }[] = [];
    let running = true;
    const done = (async () => {
      while (running) {
        const levels = await inventory.query<{ on_hand: number; held: number }>('SELECT on_hand, held FROM stock_level WHERE sku_id = $1', [
          skuId,
        ]);
        for (const level of levels) samples.push({ onHand: level.on_hand, held: level.held, available: level.on_hand - level.held });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    return async () => {
      running = false;
      await done;
      return samples;
    };
  };

  it('holds exactly the 50 units there are for 300 one-unit orders, and never oversells', async () => {
    const sku = await inventory.stockedSku({ w1: 20, w2: 30 });
    const orders = Array.from({ length: 300 }, () => placed([{ skuId: sku.skuId, quantity: 1 }]));
    const stopWatching = watch(sku.skuId);
    const started = Date.now();
    await inventory.send(orders);

    const answered = () =>
      orders.filter(
        (o) =>
          inventory.published.of(stockReserved, o.data.orderId).length +
            inventory.published.of(stockReservationFailed, o.data.orderId).length >
          0,
      );
    await eventually(
      async () => answered().length,
      (count) => count === 300,
      { timeoutMs: 60_000 },
    );
    const elapsed = Date.now() - started;
    const samples = await stopWatching();

    const reserved = orders.filter((o) => inventory.published.of(stockReserved, o.data.orderId).length > 0);
    const refused = orders.filter((o) => inventory.published.of(stockReservationFailed, o.data.orderId).length > 0);
    expect(reserved).toHaveLength(50);
    expect(refused).toHaveLength(250);
    for (const order of orders) {
      expect(
        inventory.published.of(stockReserved, order.data.orderId).length +
          inventory.published.of(stockReservationFailed, order.data.orderId).length,
      ).toBe(1);
    }
    const levels = await inventory.query('SELECT warehouse_id, on_hand, held FROM stock_level WHERE sku_id = $1 ORDER BY warehouse_id', [
      sku.skuId,
    ]);
    expect(levels).toEqual([
      { warehouse_id: sku.warehouseIds[0], on_hand: 20, held: 20 },
      { warehouse_id: sku.warehouseIds[1], on_hand: 30, held: 30 },
    ]);
    const [{ holds }] = await inventory.query<{ holds: number }>('SELECT count(*)::int AS holds FROM stock_hold WHERE sku_id = $1', [
      sku.skuId,
    ]);
    expect(holds).toBe(50);
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.every((sample) => sample.available >= 0 && sample.held >= 0)).toBe(true);
    expect(await inventory.ledgerMismatches()).toEqual([]);
    console.log(`flash sale: 300 orders answered in ${elapsed} ms by two instances (${samples.length} stock samples, none below zero)`);

    // Everyone who got a unit pays: every hold becomes a deduction, nothing is left.
    await inventory.send(reserved.map(paid));
    await eventually(
      async () => reserved.filter((o) => inventory.published.of(stockDeducted, o.data.orderId).length === 1).length,
      (count) => count === 50,
    );
    expect(await inventory.query('SELECT on_hand, held FROM stock_level WHERE sku_id = $1', [sku.skuId])).toEqual([
      { on_hand: 0, held: 0 },
      { on_hand: 0, held: 0 },
    ]);
    expect(await inventory.ledgerMismatches()).toEqual([]);
  });

  it('deducts exactly the stock there is when 120 deduct-on-payment orders are paid at once', async () => {
    const sku = await inventory.stockedSku({ w1: 7, w2: 8 }, { policy: 'DEDUCT_ON_PAYMENT' });
    const orders = Array.from({ length: 120 }, () => placed([{ skuId: sku.skuId, quantity: 1, policy: 'DEDUCT_ON_PAYMENT' }]));
    await inventory.send(orders);
    await eventually(
      async () => orders.filter((o) => inventory.published.of(stockReserved, o.data.orderId).length > 0).length,
      (count) => count === 120,
    );
    expect(await inventory.query('SELECT sum(held)::int AS held FROM stock_level WHERE sku_id = $1', [sku.skuId])).toEqual([{ held: 0 }]);

    await inventory.send(orders.map(paid));
    const outcome = () => ({
      deducted: orders.filter((o) => inventory.published.of(stockDeducted, o.data.orderId).length > 0).length,
      failed: orders.filter((o) => inventory.published.of(stockDeductionFailed, o.data.orderId).length > 0).length,
    });
    await eventually(
      async () => outcome(),
      ({ deducted, failed }) => deducted + failed === 120,
      { timeoutMs: 60_000 },
    );
    expect(outcome()).toEqual({ deducted: 15, failed: 105 });
    expect(
      await inventory.query('SELECT sum(on_hand)::int AS on_hand, sum(held)::int AS held FROM stock_level WHERE sku_id = $1', [sku.skuId]),
    ).toEqual([{ on_hand: 0, held: 0 }]);
    const states = await inventory.query<{ state: string; n: number }>(
      'SELECT state, count(*)::int AS n FROM order_stock WHERE order_id = ANY($1::uuid[]) GROUP BY state ORDER BY state',
      [orders.map((o) => o.data.orderId)],
    );
    expect(states).toEqual([
      { state: 'DEDUCTED', n: 15 },
      { state: 'DEDUCTION_FAILED', n: 105 },
    ]);
    expect(await inventory.ledgerMismatches()).toEqual([]);
  });
});

describe('two inventory instances applying runs of orders that share SKUs', () => {
  let inventory: InventoryHarness | undefined;

  beforeAll(async () => {
    inventory = await InventoryHarness.start({}, { instances: 2 });
  });

  afterAll(async () => {
    await inventory?.stop();
  });

  it('hold and release every unit without a deadlock', async () => {
    // Each instance applies several events of a partition in one transaction. Without the run's
    // locks taken first in one order (lockStockOfBatch), one run locking SKU a then b while the
    // other's locked b then a deadlocked: PostgreSQL broke it after a second and the run was
    // applied again one event at a time, with the same outcome, so only the database's count
    // of deadlocks tells.
    const harness = inventory!;
    const skus: { skuId: string }[] = [];
    // One after the other: the first makes the warehouses the others stock too.
    for (let sku = 0; sku < 3; sku += 1) skus.push(await harness.stockedSku({ w1: 500, w2: 500 }));
    const orders = Array.from({ length: 360 }, (_, index) =>
      placed(
        index % 4 === 3
          ? [
              { skuId: skus[index % 3].skuId, quantity: 1 },
              { skuId: skus[(index + 1) % 3].skuId, quantity: 1 },
            ]
          : [{ skuId: skus[index % 3].skuId, quantity: 1 }],
      ),
    );
    const cancelledOnes = orders.filter((_, index) => index % 5 === 0);
    await harness.send(orders);
    await harness.send(cancelledOnes.map((order) => cancelled(order.data.orderId)));

    await eventually(
      async () => ({
        reserved: orders.filter((o) => harness.published.of(stockReserved, o.data.orderId).length > 0).length,
        released: cancelledOnes.filter((o) => harness.published.of(stockReleased, o.data.orderId).length > 0).length,
      }),
      ({ reserved, released }) => reserved === orders.length && released === cancelledOnes.length,
      { timeoutMs: 60_000 },
    );
    expect(orders.filter((o) => harness.published.of(stockReservationFailed, o.data.orderId).length > 0)).toEqual([]);
    const units = orders.reduce((sum, order) => sum + order.data.lines.length, 0);
    const releasedUnits = cancelledOnes.reduce((sum, order) => sum + order.data.lines.length, 0);
    const [{ held }] = await harness.query<{ held: number }>('SELECT sum(held)::int AS held FROM stock_level WHERE sku_id = ANY($1)', [
      skus.map((sku) => sku.skuId),
    ]);
    expect(held).toBe(units - releasedUnits);
    expect(await harness.ledgerMismatches()).toEqual([]);

    // A backend hands its statistics (its deadlocks among them) over when it exits at the latest:
    // stop the instances, then read the count of this test's own database.
    inventory = undefined;
    await harness.stop({ keepDatabase: true });
    try {
      await eventually(
        () =>
          queryDatabase<{ n: number }>(
            harness.databaseName,
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
          ),
        ([{ n }]) => n === 0,
      );
      const [{ deadlocks }] = await queryDatabase<{ deadlocks: number }>(
        harness.databaseName,
        'SELECT deadlocks::int AS deadlocks FROM pg_stat_database WHERE datname = current_database()',
      );
      expect(deadlocks).toBe(0);
    } finally {
      await dropDatabase(harness.databaseName);
    }
  });
});
