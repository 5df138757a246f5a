/**
 * Test harness for the inventory service against the real broker and database (no mocks).
 *
 * It runs the real service definition (its own database and consumer group, the test file's
 * topic prefix from libs/testing), drives it with order events in the contract's CloudEvents
 * Kafka binding (sendRaw), and collects what inventory publishes with a dedicated consumer group.
 */
import { randomUUID } from 'node:crypto';
import {
  type CloudEvent,
  type EventDefinition,
  fromKafkaRecord,
  newCloudEvent,
  type OrderCancelledV1,
  type OrderPaidV1,
  type OrderPlacedV1,
  orderCancelled,
  orderPaid,
  orderPlaced,
  type StockPolicy,
  Topics,
  toKafkaRecord,
} from '@mallard/contracts';
import { KafkaJsBroker, type MessageConsumer } from '@mallard/messaging';
import {
  dropDatabase,
  eventually,
  infrastructure,
  queryDatabase,
  sendRaw,
  serviceFetch,
  startTestService,
  TEST_TOPIC_PREFIX,
  type TestService,
  uniqueSuffix,
} from '@mallard/testing';
import { pino } from 'pino';
import type { InventoryConfig } from '../config/inventory-config.js';
import { inventoryService } from '../service.js';

export interface HttpResult<T = any> {
  status: number;
  contentType: string;
  headers: Headers;
  body: T;
}

export interface OrderLineSpec {
  skuId: string;
  quantity?: number;
  policy?: StockPolicy;
  lineId?: string;
}

export class InventoryHarness {
  private readonly instances: TestService<InventoryConfig>[] = [];
  private collector?: MessageConsumer;
  private broker?: KafkaJsBroker;
  /** Every event inventory published so far, in arrival order. */
  readonly published: CloudEvent<any>[] = [];

  readonly suffix = uniqueSuffix();

  private constructor() {}

  /**
   * Starts `instances` copies of the service on one database and one consumer group, together,
   * so the group forms once instead of rebalancing for each newcomer.
   */
  static async start(env: Record<string, string> = {}, { instances = 1 } = {}): Promise<InventoryHarness> {
    const harness = new InventoryHarness();
    const shared = { DATABASE_NAME: `test_inventory_${harness.suffix}`, KAFKA_CONSUMER_GROUP: `inventory-test-${harness.suffix}` };
    const started = await Promise.allSettled(
      Array.from({ length: instances }, () => startTestService(inventoryService, { ...env, ...shared })),
    );
    for (const result of started) if (result.status === 'fulfilled') harness.instances.push(result.value);
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) {
      await harness.stop();
      throw failure.reason;
    }
    await harness.startCollector();
    return harness;
  }

  get service(): TestService<InventoryConfig> {
    return this.instances[0];
  }

  get databaseName(): string {
    return this.service.databaseName;
  }

  get consumerGroup(): string {
    return this.service.config.KAFKA_CONSUMER_GROUP!;
  }

  async stop({ keepDatabase = false } = {}): Promise<void> {
    const databaseName = this.instances[0]?.databaseName;
    // All at once: a stopping Kafka consumer waits out its fetch long-poll (up to 5 s), and one by
    // one each instance's departure would also make the others rebalance first.
    await Promise.all([
      this.collector?.stop().catch(() => undefined),
      ...this.instances.splice(0).map((instance) => instance.stop().catch(() => undefined)),
    ]);
    await this.broker?.close().catch(() => undefined);
    if (databaseName && !keepDatabase) await dropDatabase(databaseName);
  }

  async http<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
    const response = await serviceFetch(`${this.service.url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      headers: response.headers,
      body: text ? JSON.parse(text) : undefined,
    };
  }

  query<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
    return queryDatabase<T>(this.databaseName, sql, params);
  }

  /** Sends order events the way orders' outbox relay would (binary CloudEvents, keyed by order id). */
  async send(events: CloudEvent[], topic: string = Topics.orders): Promise<void> {
    const messages = events.map((event) => {
      const record = toKafkaRecord(event);
      return { key: record.key, value: record.value.toString(), headers: record.headers };
    });
    for (let start = 0; start < messages.length; start += 500) await sendRaw(topic, messages.slice(start, start + 500));
  }

  /** Inventory's published events of one type (and order or SKU, the subject). */
  eventsOf<T = any>(definition: EventDefinition, subject?: string): CloudEvent<T>[] {
    return this.published.filter(
      (event) => event.type === definition.type && (subject === undefined || event.subject === subject),
    ) as CloudEvent<T>[];
  }

  async waitForEvents<T = any>(
    definition: EventDefinition,
    subject: string | undefined,
    count = 1,
    timeoutMs = 20_000,
  ): Promise<CloudEvent<T>[]> {
    return eventually(
      async () => this.eventsOf<T>(definition, subject),
      (events) => events.length >= count,
      { timeoutMs },
    );
  }

  /** Waits until the service handled (or skipped as a duplicate) the event and relayed what it wrote. */
  async waitUntilHandled(eventId: string): Promise<void> {
    await eventually(
      () => this.query('SELECT 1 FROM inbox_message WHERE event_id = $1', [eventId]),
      (rows) => rows.length === 1,
    );
    await eventually(
      () => this.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox_message'),
      (rows) => rows[0].n === 0,
    );
  }

  /** Rows where a stock level differs from its ledger sums or its held units from the live holds. */
  async ledgerMismatches(): Promise<unknown[]> {
    return this.query(`
      SELECT l.sku_id, l.warehouse_id, l.on_hand, l.held, m.on_hand AS ledger_on_hand, m.held AS ledger_held, h.held AS holds
        FROM stock_level l
        LEFT JOIN (SELECT sku_id, warehouse_id, sum(on_hand_delta)::int AS on_hand, sum(held_delta)::int AS held
                     FROM stock_movement GROUP BY sku_id, warehouse_id) m USING (sku_id, warehouse_id)
        LEFT JOIN (SELECT sku_id, warehouse_id, sum(quantity)::int AS held FROM stock_hold GROUP BY sku_id, warehouse_id) h
               USING (sku_id, warehouse_id)
       WHERE l.on_hand <> COALESCE(m.on_hand, 0) OR l.held <> COALESCE(m.held, 0) OR l.held <> COALESCE(h.held, 0)
          OR l.held < 0 OR l.on_hand < l.held`);
  }

  async orderState(orderId: string): Promise<string | undefined> {
    const [row] = await this.query<{ state: string }>('SELECT state FROM order_stock WHERE order_id = $1', [orderId]);
    return row?.state;
  }

  /** A merchant, a warehouse per id given, and a SKU with stock in them, through the HTTP API. */
  async stockedSku(
    stock: Record<string, number>,
    sku: { policy?: StockPolicy | null; onShelf?: boolean; merchantPolicy?: StockPolicy } = {},
  ): Promise<{ skuId: string; merchantId: string; warehouseIds: string[] }> {
    const merchantId = `m-${randomUUID().slice(0, 8)}`;
    const skuId = `sku-${randomUUID().slice(0, 8)}`;
    await this.expectStatus(
      this.http('PUT', `/internal/merchants/${merchantId}`, {
        name: 'Test merchant',
        defaultStockPolicy: sku.merchantPolicy ?? 'RESERVE_ON_ORDER',
      }),
      201,
    );
    await this.expectStatus(
      this.http('PUT', `/internal/skus/${skuId}`, {
        merchantId,
        name: `Test SKU ${skuId}`,
        priceMinor: 1000,
        currency: 'EUR',
        onShelf: sku.onShelf ?? true,
        fulfilmentType: 'SELF_OPERATED',
        stockPolicy: sku.policy ?? null,
      }),
      201,
    );
    const warehouseIds: string[] = [];
    for (const [warehouse, units] of Object.entries(stock)) {
      const warehouseId = `${warehouse}-${this.suffix}`;
      const existing = await this.http('GET', `/internal/warehouses/${warehouseId}`);
      if (existing.status === 404) {
        await this.expectStatus(
          this.http('PUT', `/internal/warehouses/${warehouseId}`, { name: warehouse, fulfilmentType: 'SELF_OPERATED' }),
          201,
        );
      }
      warehouseIds.push(warehouseId);
      if (units > 0) {
        await this.expectStatus(
          this.http('POST', '/internal/stock/movements', { skuId, warehouseId, kind: 'RECEIPT', quantity: units, reason: 'test stock' }),
          201,
        );
      }
    }
    return { skuId, merchantId, warehouseIds };
  }

  private async expectStatus(request: Promise<HttpResult>, status: number): Promise<HttpResult> {
    const result = await request;
    if (result.status !== status) throw new Error(`expected HTTP ${status}, got ${result.status}: ${JSON.stringify(result.body)}`);
    return result;
  }

  private async startCollector(): Promise<void> {
    this.broker = new KafkaJsBroker({
      clientId: `inventory-test-reader-${this.suffix}`,
      brokers: infrastructure().kafkaBrokers.split(','),
      logger: pino({ level: 'silent' }),
      topicPrefix: TEST_TOPIC_PREFIX,
    });
    this.collector = this.broker.consumer({
      groupId: `inventory-test-reader-${this.suffix}`,
      topics: [Topics.inventory],
      partitionsConcurrently: 6,
    });
    await this.collector.start(async (batch, control) => {
      for (const record of batch.records) this.published.push(fromKafkaRecord(record));
      // Resolving the offset moves the fetch position on; without it the batch comes again.
      if (batch.records.length > 0) await control.commit(batch.records.at(-1)!.offset);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Order events as orders would publish them
// ---------------------------------------------------------------------------------------------

const asOrders = <T extends object>(definition: EventDefinition<T>, orderId: string, data: NoInfer<T>): CloudEvent<T> =>
  newCloudEvent({ type: definition.type, version: definition.version, source: 'mallard/orders', subject: orderId, data });

export function placed(lines: OrderLineSpec[], orderId: string = randomUUID()): CloudEvent<OrderPlacedV1> {
  const now = new Date();
  return asOrders(orderPlaced, orderId, {
    orderId,
    buyerId: 'buyer-1',
    currency: 'EUR',
    payableMinor: 1000 * lines.length,
    lines: lines.map((line, index) => ({
      lineId: line.lineId ?? `line-${index + 1}`,
      skuId: line.skuId,
      merchantId: 'm-any',
      fulfilmentType: 'SELF_OPERATED' as const,
      stockPolicy: line.policy ?? 'RESERVE_ON_ORDER',
      quantity: line.quantity ?? 1,
      paidAmountMinor: 1000,
    })),
    placedAt: now.toISOString(),
    paymentDueAt: new Date(now.getTime() + 86_400_000).toISOString(),
  });
}

export function paid(order: CloudEvent<OrderPlacedV1>): CloudEvent<OrderPaidV1> {
  return asOrders(orderPaid, order.data.orderId, {
    orderId: order.data.orderId,
    paymentId: `pay-${order.data.orderId.slice(0, 8)}`,
    lines: order.data.lines.map(({ lineId, skuId, stockPolicy, quantity }) => ({ lineId, skuId, stockPolicy, quantity })),
  });
}

export function cancelled(orderId: string): CloudEvent<OrderCancelledV1> {
  return asOrders(orderCancelled, orderId, { orderId, reason: 'SHOPPER_CANCELLED', cancelledAt: new Date().toISOString() });
}

/** The same event again, as a redelivery (same id) or as a republished fact (new id). */
export function again<T>(event: CloudEvent<T>, { newId = false } = {}): CloudEvent<T> {
  return newId ? { ...event, id: randomUUID() } : { ...event };
}
