import type { SkuUpsertedV1 } from '@mallard/contracts';
// These tests call orders directly, through the kit: every call is signed like the gateway's (service token).
import { dropDatabase, queryDatabase, startTestService, type TestService, uniqueSuffix } from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../order/order.view.js';
import { ordersService } from '../service.js';
import { cancelOrder, catalogSku, type OrderLineRequest, orderRequest, placeOrder, seedCatalog } from '../testing/orders-test-kit.js';

const suffix = uniqueSuffix();
const HELD = `HELD-${suffix}`;
const DROP_SHIPPED = `DROP-${suffix}`;
const catalog: SkuUpsertedV1[] = [
  catalogSku(HELD, { name: 'Held' }),
  catalogSku(DROP_SHIPPED, { merchantId: 'potter', name: 'Drop', fulfilmentType: 'DROP_SHIP', stockPolicy: 'DEDUCT_ON_PAYMENT' }),
];

describe('orders: caps on what one buyer keeps unpaid, on real Kafka and PostgreSQL', () => {
  let orders: TestService;

  const place = (buyer: string, lines: OrderLineRequest[]) => placeOrder(orders, buyer, orderRequest(lines));
  const cancel = (buyer: string, orderId: string) => cancelOrder(orders, buyer, orderId);

  beforeAll(async () => {
    orders = await startTestService(ordersService, { MAX_UNPAID_ORDERS_PER_BUYER: '3', MAX_HELD_UNITS_PER_BUYER: '5' });
    await seedCatalog(orders, catalog);
  });

  afterAll(async () => {
    await orders?.stop();
    if (orders) await dropDatabase(orders.databaseName);
  });

  it('lets exactly 3 of 10 parallel placements by one buyer through with a cap of 3 unpaid orders', async () => {
    const responses = await Promise.all(Array.from({ length: 10 }, () => place('buyer-hoarder', [{ skuId: HELD, quantity: 1 }])));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(3);
    expect(statuses.filter((status) => status === 422)).toHaveLength(7);
    const refused = responses.find((response) => response.status === 422)!;
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await refused.json()).toMatchObject({ type: expect.stringMatching(/too-many-unpaid-orders$/), limit: 3 });
    const [row] = await queryDatabase<{ n: number }>(
      orders.databaseName,
      `SELECT count(*)::int AS n FROM parent_order WHERE buyer_id = 'buyer-hoarder'`,
    );
    expect(row.n).toBe(3);

    // Another buyer is not affected, and closing an order frees a place.
    expect((await place('buyer-other', [{ skuId: HELD, quantity: 1 }])).status).toBe(201);
    const created = await Promise.all(
      responses.filter((response) => response.status === 201).map(async (response) => ((await response.json()) as OrderView).id),
    );
    expect((await cancel('buyer-hoarder', created[0])).status).toBe(200);
    expect((await place('buyer-hoarder', [{ skuId: HELD, quantity: 1 }])).status).toBe(201);
    expect((await place('buyer-hoarder', [{ skuId: HELD, quantity: 1 }])).status).toBe(422);
  });

  it('caps the units held in unpaid orders; deduct-on-payment lines hold nothing and do not count', async () => {
    const first = await place('buyer-bulk', [{ skuId: HELD, quantity: 4 }]);
    expect(first.status).toBe(201);
    const tooMany = await place('buyer-bulk', [{ skuId: HELD, quantity: 2 }]);
    expect(tooMany.status).toBe(422);
    expect(await tooMany.json()).toMatchObject({ type: expect.stringMatching(/too-many-held-units$/), limit: 5, held: 4, requested: 2 });
    expect((await place('buyer-bulk', [{ skuId: DROP_SHIPPED, quantity: 50 }])).status).toBe(201);
    expect((await place('buyer-bulk', [{ skuId: HELD, quantity: 1 }])).status).toBe(201);
  });

  it('holds the units cap under parallel placements too', async () => {
    const responses = await Promise.all(Array.from({ length: 6 }, () => place('buyer-parallel-units', [{ skuId: HELD, quantity: 2 }])));
    // 2 + 2 fit in 5; a third order of 2 would make 6.
    expect(responses.map((response) => response.status).filter((status) => status === 201)).toHaveLength(2);
    const [held] = await queryDatabase<{ units: number }>(
      orders.databaseName,
      `SELECT coalesce(sum(l.quantity), 0)::int AS units FROM order_line l JOIN parent_order o ON o.id = l.order_id WHERE o.buyer_id = 'buyer-parallel-units'`,
    );
    expect(held.units).toBe(4);
  });
});
