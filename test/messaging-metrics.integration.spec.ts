import { DEAD_LETTER_KINDS, stockReserved, Topics } from '@mallard/contracts';
import { OutboxRelay } from '@mallard/messaging';
import { dropDatabase, eventually, readTopic, sendEvent, sendRaw, startTestService, type TestService } from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersService } from '../apps/orders/src/service.js';
import { catalogSku, orderRequest, placeOrder, seedCatalog } from '../apps/orders/src/testing/orders-test-kit.js';

/** A metric's samples in Prometheus' text format, by their labels as written. */
function samples(text: string, name: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const cut = line.lastIndexOf(' ');
    found.set(line.slice(name.length, cut), Number(line.slice(cut + 1)));
  }
  return found;
}

describe('messaging metrics of a service on real Kafka and PostgreSQL', () => {
  let orders: TestService;
  const TEA = `metrics-tea-${Date.now()}`;

  beforeAll(async () => {
    orders = await startTestService(ordersService);
    await seedCatalog(orders, [catalogSku(TEA)]);
  });

  afterAll(async () => {
    await orders?.stop();
    if (orders) await dropDatabase(orders.databaseName);
  });

  const scrape = async () => (await fetch(`${orders.url}/metrics`)).text();

  it('shows the outbox backlog and its oldest event while the relay is stopped, and the group’s lag per consumed partition', async () => {
    // Everything so far relayed: the outbox empties.
    await eventually(scrape, (text) => [...samples(text, 'outbox_backlog_events').values()][0] === 0);
    const relay = orders.app.get(OutboxRelay);
    await relay.stop();
    try {
      expect((await placeOrder(orders, 'alice', orderRequest([{ skuId: TEA, quantity: 1 }]))).status).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const text = await scrape();
      expect([...samples(text, 'outbox_backlog_events').values()][0]).toBeGreaterThanOrEqual(1);
      expect([...samples(text, 'outbox_oldest_event_age_seconds').values()][0]).toBeGreaterThanOrEqual(1);
    } finally {
      relay.start();
    }
    await eventually(scrape, (text) => [...samples(text, 'outbox_backlog_events').values()][0] === 0);

    const lag = samples(await scrape(), 'consumer_lag_messages');
    // Six partitions of each topic orders consumes, each measured, none behind for long.
    const inventoryPartitions = [...lag.keys()].filter((labels) => labels.includes('topic="mallard.inventory.events"'));
    expect(inventoryPartitions).toHaveLength(6);
    // The group the service consumes as (its own per test run).
    const group = orders.config.KAFKA_CONSUMER_GROUP ?? 'orders';
    expect(inventoryPartitions.every((labels) => labels.includes(`consumer_group="${group}"`))).toBe(true);
    for (const value of lag.values()) expect(value).toBeGreaterThanOrEqual(0);
  });

  it('counts each record written to the dead-letter topic by group and kind, every kind of the group from 0', async () => {
    const group = orders.config.KAFKA_CONSUMER_GROUP!;
    const deadLetters = async () => samples(await scrape(), 'dead_letters_total');
    const label = (kind: string) => `{group="${group}",kind="${kind}",service="orders"}`;
    const before = await deadLetters();
    expect([...before.keys()].sort()).toEqual(DEAD_LETTER_KINDS.map(label).sort());
    for (const value of before.values()) expect(value).toBe(0);

    // Not a CloudEvent at all, and an event orders handles whose payload breaks its contract.
    await sendRaw(Topics.inventory, [{ key: 'poison', value: 'not a cloud event' }]);
    const invalidId = await sendEvent(stockReserved, 'poison-order', {} as never);
    const letters = await readTopic(`mallard.dlq.${group}`, 2, 30_000);
    expect(letters.map((letter) => letter.headers.dlq_kind).sort()).toEqual(['invalid', 'malformed']);
    expect(letters.find((letter) => letter.headers.dlq_kind === 'invalid')?.headers.ce_id).toBe(invalidId);

    const after = await eventually(deadLetters, (found) => found.get(label('invalid')) === 1 && found.get(label('malformed')) === 1);
    for (const kind of DEAD_LETTER_KINDS.filter((kind) => kind !== 'invalid' && kind !== 'malformed')) {
      expect(after.get(label(kind)), kind).toBe(0);
    }
  });
});
