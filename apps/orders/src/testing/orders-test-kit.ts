/**
 * Orders' test kit against the real broker and database (no mocks): the catalogue as inventory
 * would publish it, and placements, views and cancels as the gateway would call them (signed
 * with a service token).
 */
import { randomUUID } from 'node:crypto';
import {
  paymentSucceeded,
  type SkuUpsertedV1,
  type StockAllocationV1,
  skuUpserted,
  stockDeducted,
  stockReserved,
} from '@mallard/contracts';
import { eventually, queryDatabase, sendEvent, serviceFetch, type TestService } from '@mallard/testing';
import type { OrderView } from '../order/order.view.js';

export const TEST_RECEIVER = {
  name: 'Li Lei',
  phone: '+8613800000000',
  address: { country: 'CN', city: 'Hangzhou', street: '1 West Lake Road' },
};

export interface OrderLineRequest {
  skuId: string;
  quantity: number;
}

/** A catalogue entry as inventory publishes it: on shelf, self-operated, held on order, 10.00 CNY, unless `overrides` says otherwise. */
export function catalogSku(skuId: string, overrides: Partial<SkuUpsertedV1> = {}): SkuUpsertedV1 {
  return {
    skuId,
    merchantId: 'mall',
    name: skuId,
    priceMinor: 1000,
    currency: 'CNY',
    onShelf: true,
    fulfilmentType: 'SELF_OPERATED',
    stockPolicy: 'RESERVE_ON_ORDER',
    scarce: false,
    revision: 1,
    ...overrides,
  };
}

/** Publishes the entries as inventory would, then waits until orders has every one of them in its catalogue. */
export async function seedCatalog(orders: TestService, entries: SkuUpsertedV1[]): Promise<void> {
  for (const entry of entries) await sendEvent(skuUpserted, entry.skuId, entry);
  await eventually(
    () =>
      queryDatabase<{ n: number }>(orders.databaseName, 'SELECT count(*)::int AS n FROM catalog_sku WHERE id = ANY($1)', [
        entries.map((entry) => entry.skuId),
      ]),
    ([row]) => row.n === new Set(entries.map((entry) => entry.skuId)).size,
  );
}

/** A placement request: the test receiver, paid online; `extra` adds a coupon and the like. */
export function orderRequest(lines: OrderLineRequest[], extra: object = {}): object {
  return { lines, receiver: TEST_RECEIVER, paymentMethod: 'ONLINE', ...extra };
}

/** Places an order for `buyer` as the gateway would; a retry passes the same `key`. */
export function placeOrder(orders: TestService, buyer: string, body: object, key: string = randomUUID()): Promise<Response> {
  return serviceFetch(`${orders.url}/internal/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-mallard-buyer': buyer, 'idempotency-key': key },
    body: JSON.stringify(body),
  });
}

export function cancelOrder(orders: TestService, buyer: string, orderId: string): Promise<Response> {
  return serviceFetch(`${orders.url}/internal/orders/${orderId}/cancel`, { method: 'POST', headers: { 'x-mallard-buyer': buyer } });
}

export async function orderView(orders: TestService, orderId: string): Promise<OrderView> {
  return (await (await serviceFetch(`${orders.url}/internal/orders/${orderId}`)).json()) as OrderView;
}

/** Sets or changes an order's billing details as the gateway would for `buyer`. */
export function changeBilling(orders: TestService, buyer: string, orderId: string, billing: object): Promise<Response> {
  return serviceFetch(`${orders.url}/internal/orders/${orderId}/billing`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'x-mallard-buyer': buyer },
    body: JSON.stringify(billing),
  });
}

/**
 * Takes a placed order through the saga as inventory and payments would: the reserve-on-order
 * lines held, the payment (`pay-<order id>`), then every line deducted where `allocations` says;
 * answers it split.
 */
export async function payAndSplit(orders: TestService, placed: OrderView, allocations: StockAllocationV1[]): Promise<OrderView> {
  const stateOf = async (id: string) => (await orderView(orders, id)).state;
  const held = allocations.filter(
    (allocation) => placed.lines.find((line) => line.id === allocation.lineId)!.stockPolicy === 'RESERVE_ON_ORDER',
  );
  await sendEvent(stockReserved, placed.id, {
    orderId: placed.id,
    allocations: held,
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  await eventually(
    () => stateOf(placed.id),
    (state) => state === 'AWAITING_PAYMENT',
  );
  await sendEvent(paymentSucceeded, placed.id, {
    orderId: placed.id,
    paymentId: `pay-${placed.id}`,
    amountMinor: placed.amounts.payable,
    currency: placed.currency,
    succeededAt: new Date().toISOString(),
  });
  await eventually(
    () => stateOf(placed.id),
    (state) => state === 'PAID',
  );
  await sendEvent(stockDeducted, placed.id, { orderId: placed.id, allocations });
  return eventually(
    () => orderView(orders, placed.id),
    (order) => order.state === 'SPLIT',
  );
}
