/**
 * Rebuilding the read model from the topics, on real Kafka and PostgreSQL: the gateway fills it
 * from events, the rebuild empties it and replays every event under a fresh consumer group, and
 * the statuses come out as they were; the gateway then resumes under its own group.
 */

import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { afterSalesRequested, Topics } from '@mallard/contracts';
import {
  dropDatabase,
  eventually,
  infrastructure,
  queryDatabase,
  startTestService,
  TEST_SERVICE_TOKEN_SECRET,
  TEST_TOPIC_PREFIX,
  type TestService,
  uniqueSuffix,
  wireTopic,
} from '@mallard/testing';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayService } from '../service.js';
import { OrderEvents, orderViews } from '../testing/read-model-test-kit.js';
import { RebuildRefused, rebuildReadModel } from './read-model-rebuild.js';

const run = uniqueSuffix();

/** Everything the read model holds, in a stable order, status versions aside (they count the changes a replay happened to see). */
async function readModelContents(databaseName: string): Promise<unknown> {
  const table = (sql: string) => queryDatabase(databaseName, sql);
  return {
    orders: await table(
      `SELECT order_id, buyer_id, placed_at, orders_state, state_reason, currency, payable, item_count, paid_amount, refunded_amount,
              shopper_status, interception_flag, refunded_flag, exception_flag, after_sales_flag
       FROM order_view ORDER BY order_id`,
    ),
    subOrders: await table('SELECT sub_order_id, order_id, state, version FROM sub_order_view ORDER BY sub_order_id'),
    parcels: await table('SELECT parcel_id, order_id, sub_order_id, state, version FROM parcel_view ORDER BY parcel_id'),
    refunds: await table('SELECT refund_id, order_id, amount FROM refund_view ORDER BY refund_id'),
    afterSales: await table('SELECT request_id, order_id, state, type, version, updated_at FROM after_sales_view ORDER BY request_id'),
  };
}

describe('npm run rebuild-read-model', () => {
  let gateway: TestService | undefined;
  let databaseName: string;
  let consumerGroup: string;
  const buyer = `rebuild-buyer-${run}`;
  const unpaid = new OrderEvents(buyer);
  const closed = new OrderEvents(buyer);
  const delivering = new OrderEvents(buyer);
  const troubled = new OrderEvents(buyer);
  const all = [unpaid, closed, delivering, troubled];

  const rebuildEnv = () => ({
    KAFKA_BROKERS: infrastructure().kafkaBrokers,
    DATABASE_URL: infrastructure().databaseUrl,
    DATABASE_NAME: databaseName,
    DATABASE_POOL_SIZE: '5',
    KAFKA_CONSUMER_GROUP: consumerGroup,
    KAFKA_TOPIC_PREFIX: TEST_TOPIC_PREFIX,
    SERVICE_TOKEN_SECRET: TEST_SERVICE_TOKEN_SECRET,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
  });

  beforeAll(async () => {
    gateway = await startTestService(gatewayService, { RATE_LIMIT_PER_MINUTE: '0' });
    databaseName = gateway.databaseName;
    consumerGroup = gateway.config.KAFKA_CONSUMER_GROUP!;
  });

  afterAll(async () => {
    await gateway?.stop();
    if (databaseName) await dropDatabase(databaseName);
  });

  it('empties the read model, replays every topic from the beginning and gets the same statuses; the gateway then resumes', async () => {
    await unpaid.placed();
    await closed.placed();
    await closed.cancelled();
    // Paid, in two sub-orders, both shipped, one of two parcels delivered, part refunded, a return asked for.
    await delivering.placed();
    await delivering.paid();
    await delivering.split(2);
    await delivering.subOrder(0, 'SHIPPED', 1);
    await delivering.subOrder(1, 'SHIPPED', 1);
    await delivering.parcel('first', 0, 'DELIVERED', 2);
    await delivering.parcel('second', 1, 'IN_TRANSIT', 1);
    await delivering.refunded(1000);
    await delivering.afterSales(afterSalesRequested, randomUUID(), 'REQUESTED', 1);
    // Events from logistics may come before the order's own: the read model waits for nothing.
    await troubled.parcel('lost', 0, 'EXCEPTION', 1);
    await troubled.placed();
    await troubled.paid();
    await troubled.split(1);
    await troubled.subOrder(0, 'SHIPPED', 2);

    const expected = {
      [unpaid.orderId]: ['PENDING_PAYMENT', 'NONE', false, false],
      [closed.orderId]: ['CLOSED', 'NONE', false, false],
      [delivering.orderId]: ['PARTIALLY_DELIVERED', 'PARTIAL', false, true],
      [troubled.orderId]: ['SHIPPED', 'NONE', true, false],
    };
    const statuses = async () =>
      Object.fromEntries(
        [...(await orderViews(databaseName, Object.keys(expected))).values()].map((row) => [
          row.order_id,
          [row.shopper_status, row.refunded_flag, row.exception_flag, row.after_sales_flag],
        ]),
      );
    expect(await eventually(statuses, (now) => isDeepStrictEqual(now, expected), { timeoutMs: 30_000 })).toEqual(expected);
    const before = await readModelContents(databaseName);

    // While the gateway consumes, a rebuild would race it: refused, and nothing is touched.
    await expect(rebuildReadModel(rebuildEnv())).rejects.toBeInstanceOf(RebuildRefused);
    expect(await readModelContents(databaseName)).toEqual(before);

    await gateway!.stop();
    gateway = undefined;
    const lines: string[] = [];
    const outcome = await rebuildReadModel(rebuildEnv(), { report: (line) => lines.push(line), checkEveryMs: 200 });

    expect(outcome).toMatchObject({ generation: 1, deadLettered: 0 });
    expect(outcome.consumerGroup).toMatch(new RegExp(`^${consumerGroup}-rebuild-\\d{14}$`));
    expect(outcome.applied).toBe(17);
    expect(lines.at(-1)).toMatch(/generation 1 rebuilt/);
    expect(await readModelContents(databaseName)).toEqual(before);
    const [rebuild] = await queryDatabase<{ generation: number; consumer_group: string; finished_at: Date | null }>(
      databaseName,
      'SELECT generation, consumer_group, finished_at FROM read_model_rebuild',
    );
    expect(rebuild).toMatchObject({ generation: 1, consumer_group: outcome.consumerGroup });
    expect(rebuild.finished_at).not.toBeNull();
    // Nobody consumes under the replay's group again: its inbox rows would only lie there.
    expect(await queryDatabase(databaseName, 'SELECT 1 FROM inbox_message WHERE consumer_group = $1', [outcome.consumerGroup])).toEqual([]);

    // The gateway resumes under its own group, from its own offsets: the next change is applied.
    gateway = await startTestService(gatewayService, {
      RATE_LIMIT_PER_MINUTE: '0',
      DATABASE_NAME: databaseName,
      KAFKA_CONSUMER_GROUP: consumerGroup,
    });
    await delivering.parcel('second', 1, 'DELIVERED', 2);
    await eventually(
      async () => (await orderViews(databaseName, [delivering.orderId])).get(delivering.orderId)?.shopper_status,
      (status) => status === 'DELIVERED',
      { timeoutMs: 30_000 },
    );
    expect(
      (
        await orderViews(
          databaseName,
          all.map((order) => order.orderId),
        )
      ).get(closed.orderId)?.shopper_status,
    ).toBe('CLOSED');
  });

  it('refuses to rebuild from topics whose first records retention has deleted, unless told to accept the loss', async () => {
    await gateway!.stop();
    gateway = undefined;
    const admin = new Kafka({
      clientId: `rebuild-spec-${run}`,
      brokers: infrastructure().kafkaBrokers.split(','),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      const topic = wireTopic(Topics.orders);
      const filled = (await admin.fetchTopicOffsets(topic)).find((partition) => Number(partition.high) > 0)!;
      await admin.deleteTopicRecords({ topic, partitions: [{ partition: filled.partition, offset: filled.high }] });
    } finally {
      await admin.disconnect();
    }
    const before = await readModelContents(databaseName);

    const refused = await rebuildReadModel(rebuildEnv()).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RebuildRefused);
    expect((refused as Error).message).toMatch(/retention has deleted the first records of mallard\.orders\.events partition \d/);
    expect(await readModelContents(databaseName)).toEqual(before);
    expect(await queryDatabase(databaseName, 'SELECT generation FROM read_model_rebuild')).toEqual([{ generation: 1 }]);

    const partial = await rebuildReadModel(rebuildEnv(), { allowPartial: true, checkEveryMs: 200 });
    expect(partial.generation).toBe(2);
    // The orders whose orders-topic events are gone lost what those said; logistics', payments' and after-sales' part is back.
    expect(partial.applied).toBeLessThan(18);
    expect(partial.applied).toBeGreaterThan(0);
  });
});
