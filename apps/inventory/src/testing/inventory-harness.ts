/**
 * Inventory's test kit against the real broker and database (no mocks): the service's instances
 * and what it publishes come from libs/testing; here is what only inventory needs (order events
 * as orders would send them, stocked SKUs, the ledger's consistency).
 */
import { randomUUID } from 'node:crypto';
import {
  type CloudEvent,
  type EventDefinition,
  type ExchangeRequestedV1,
  exchangeRequested,
  newCloudEvent,
  type OrderCancelledV1,
  type OrderPaidV1,
  type OrderPlacedV1,
  orderCancelled,
  orderPaid,
  orderPlaced,
  type RestockRequestedV1,
  type ReturnCondition,
  type ReturnInspectedV1,
  replacementRestockRequested,
  returnInspected,
  type StockPolicy,
  Topics,
} from '@mallard/contracts';
import {
  PublishedEvents,
  type ServiceResponse,
  sendEvents,
  startTestServiceGroup,
  type TestService,
  TestServiceGroup,
  uniqueSuffix,
} from '@mallard/testing';
import type { InventoryConfig } from '../config/inventory-config.js';
import { inventoryService } from '../service.js';

export interface OrderLineSpec {
  skuId: string;
  quantity?: number;
  policy?: StockPolicy;
  lineId?: string;
}

export class InventoryHarness extends TestServiceGroup<InventoryConfig> {
  /** Ends the ids of the warehouses stockedSku makes. */
  readonly suffix = uniqueSuffix();

  private constructor(
    instances: readonly TestService<InventoryConfig>[],
    /** Every event inventory published since the harness started. */
    readonly published: PublishedEvents,
  ) {
    super(instances);
  }

  /** Starts `instances` copies of inventory on one database and consumer group, and collects what they publish. */
  static async start(env: Record<string, string> = {}, { instances = 1 } = {}): Promise<InventoryHarness> {
    const group = await startTestServiceGroup(inventoryService, env, { instances });
    try {
      return new InventoryHarness(group.instances, await PublishedEvents.collect([Topics.inventory], inventoryService.name));
    } catch (error) {
      await group.stop();
      throw error;
    }
  }

  /** Stops the collector and the instances together: a stopping consumer waits out its fetch long-poll (up to 5 s). */
  override async stop({ keepDatabase = false } = {}): Promise<void> {
    await Promise.all([this.published.stop(), super.stop({ keepDatabase })]);
  }

  /** Sends order events the way orders' outbox relay would (binary CloudEvents, keyed by order id); after-sales' with its topic. */
  send(events: CloudEvent[], topic: string = Topics.orders): Promise<void> {
    return sendEvents(topic, events);
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
    sku: { policy?: StockPolicy | null; onShelf?: boolean; merchantPolicy?: StockPolicy; merchantId?: string } = {},
  ): Promise<{ skuId: string; merchantId: string; warehouseIds: string[] }> {
    // A new merchant unless the SKU is to be another one of a merchant made before.
    const merchantId = sku.merchantId ?? `m-${randomUUID().slice(0, 8)}`;
    const skuId = `sku-${randomUUID().slice(0, 8)}`;
    if (sku.merchantId === undefined) {
      await this.expectStatus(
        this.http('PUT', `/internal/merchants/${merchantId}`, {
          name: 'Test merchant',
          defaultStockPolicy: sku.merchantPolicy ?? 'RESERVE_ON_ORDER',
        }),
        201,
      );
    }
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
      if (units > 0) await this.receive(skuId, warehouseId, units);
    }
    return { skuId, merchantId, warehouseIds };
  }

  /** A RECEIPT of units of a SKU into a warehouse (whose level is made if it is new). */
  async receive(skuId: string, warehouseId: string, quantity: number): Promise<void> {
    await this.expectStatus(
      this.http('POST', '/internal/stock/movements', { skuId, warehouseId, kind: 'RECEIPT', quantity, reason: 'test stock' }),
      201,
    );
  }

  private async expectStatus(request: Promise<ServiceResponse>, status: number): Promise<ServiceResponse> {
    const result = await request;
    if (result.status !== status) throw new Error(`expected HTTP ${status}, got ${result.status}: ${JSON.stringify(result.body)}`);
    return result;
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

// ---------------------------------------------------------------------------------------------
// After-sales events as after-sales would publish them (send them with Topics.afterSales)
// ---------------------------------------------------------------------------------------------

/** return.inspected of a request's returned goods at a warehouse; restockId `after-sales:<requestId>`. */
export function inspected(
  orderId: string,
  requestId: string,
  warehouseId: string,
  condition: ReturnCondition,
  lines: { skuId: string; quantity: number }[],
): CloudEvent<ReturnInspectedV1> {
  return newCloudEvent({
    type: returnInspected.type,
    version: returnInspected.version,
    source: 'mallard/after-sales',
    subject: orderId,
    data: {
      orderId,
      requestId,
      restockId: `after-sales:${requestId}`,
      warehouseId,
      condition,
      lines,
      inspectedAt: new Date().toISOString(),
    },
  });
}

/** replacement.restock-requested: an exchange's replacement back at its warehouse, keyed `restockId`. */
export function replacementBack(
  orderId: string,
  restockId: string,
  warehouseId: string,
  lines: { skuId: string; quantity: number }[],
): CloudEvent<RestockRequestedV1> {
  return newCloudEvent({
    type: replacementRestockRequested.type,
    version: replacementRestockRequested.version,
    source: 'mallard/after-sales',
    subject: orderId,
    data: { orderId, restockId, warehouseId, reason: 'PARCEL_RETURNED', lines },
  });
}

/** exchange.requested of a request's replacement (a new request and replacement sub-order unless given). */
export function exchangeAsked(
  orderId: string,
  merchantId: string,
  lines: { lineId?: string; skuId: string; quantity: number }[],
  ids: { requestId?: string; replacementSubOrderId?: string } = {},
): CloudEvent<ExchangeRequestedV1> {
  return newCloudEvent({
    type: exchangeRequested.type,
    version: exchangeRequested.version,
    source: 'mallard/after-sales',
    subject: orderId,
    data: {
      orderId,
      requestId: ids.requestId ?? randomUUID(),
      replacementSubOrderId: ids.replacementSubOrderId ?? randomUUID(),
      buyerId: 'buyer-1',
      merchantId,
      lines: lines.map((line) => ({ lineId: line.lineId ?? randomUUID(), skuId: line.skuId, quantity: line.quantity })),
      requestedAt: new Date().toISOString(),
    },
  });
}
