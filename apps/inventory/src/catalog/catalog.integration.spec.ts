import { type MerchantUpsertedV1, merchantUpserted, type SkuUpsertedV1, skuUpserted } from '@mallard/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InventoryHarness } from '../testing/inventory-harness.js';

const PROBLEM = 'application/problem+json';

describe('inventory catalog and stock over HTTP (real Kafka and PostgreSQL)', () => {
  let inventory: InventoryHarness;

  beforeAll(async () => {
    // Not the 1300 default, so the tests see the setting read rather than a constant.
    inventory = await InventoryHarness.start({ DEFAULT_TAX_RATE_BASIS_POINTS: '600' });
    await inventory.http('PUT', '/internal/merchants/m-acme', { name: 'Acme', defaultStockPolicy: 'RESERVE_ON_ORDER' });
    await inventory.http('PUT', '/internal/warehouses/w-mall', { name: 'Mall warehouse', fulfilmentType: 'SELF_OPERATED' });
    await inventory.http('PUT', '/internal/warehouses/w-mall-2', { name: 'Mall warehouse 2', fulfilmentType: 'SELF_OPERATED' });
  });

  afterAll(async () => {
    await inventory?.stop();
  });

  const kettle = {
    merchantId: 'm-acme',
    name: 'Kettle',
    priceMinor: 2999,
    currency: 'EUR',
    onShelf: true,
    fulfilmentType: 'SELF_OPERATED',
  };

  /** Books a stock movement of sku-stocked in w-mall, unless `where` names another SKU or warehouse. */
  const bookMovement = (kind: string, quantity: number, reason: string, where: { skuId?: string; warehouseId?: string } = {}) =>
    inventory.http('POST', '/internal/stock/movements', { skuId: 'sku-stocked', warehouseId: 'w-mall', kind, quantity, reason, ...where });

  it('creates and replaces merchants and warehouses with PUT', async () => {
    const created = await inventory.http('PUT', '/internal/merchants/m-new', { name: 'New', defaultStockPolicy: 'DEDUCT_ON_PAYMENT' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'm-new', name: 'New', defaultStockPolicy: 'DEDUCT_ON_PAYMENT' });
    const replaced = await inventory.http('PUT', '/internal/merchants/m-new', { name: 'Renamed', defaultStockPolicy: 'DEDUCT_ON_PAYMENT' });
    expect(replaced.status).toBe(200);
    expect((await inventory.http('GET', '/internal/merchants/m-new')).body.name).toBe('Renamed');

    const dropShip = await inventory.http('PUT', '/internal/warehouses/w-new-farm', {
      name: 'Farm',
      merchantId: 'm-new',
      fulfilmentType: 'DROP_SHIP',
    });
    expect(dropShip.status).toBe(201);
    expect(dropShip.body).toMatchObject({ id: 'w-new-farm', merchantId: 'm-new', fulfilmentType: 'DROP_SHIP' });

    const noMerchant = await inventory.http('PUT', '/internal/warehouses/w-orphan', { name: 'Orphan', fulfilmentType: 'DROP_SHIP' });
    expect(noMerchant.status).toBe(422);
    expect(noMerchant.body.type).toContain('warehouse-needs-merchant');
    const unknownMerchant = await inventory.http('PUT', '/internal/warehouses/w-orphan', {
      name: 'Orphan',
      merchantId: 'm-nobody',
      fulfilmentType: 'DROP_SHIP',
    });
    expect(unknownMerchant.status).toBe(422);
    expect(unknownMerchant.body.type).toContain('unknown-merchant');
  });

  it('keeps a merchant’s customer-service contact and publishes merchant.upserted with each creation and change', async () => {
    const merchant = { name: 'Contact Co', defaultStockPolicy: 'RESERVE_ON_ORDER' };
    const contact = { phone: '+86 (571) 8888-0000', hours: 'Mon–Fri 09:00–18:00 CST', chatUrl: 'https://chat.example.com/contact-co' };
    const created = await inventory.http('PUT', '/internal/merchants/m-contact', { ...merchant, customerService: contact });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'm-contact', customerService: contact });
    expect((await inventory.http('GET', '/internal/merchants/m-contact')).body).toMatchObject({ customerService: contact });

    // The same merchant again changes nothing and publishes nothing; another contact, or none, is a change.
    expect((await inventory.http('PUT', '/internal/merchants/m-contact', { ...merchant, customerService: contact })).status).toBe(200);
    const phoneOnly = await inventory.http('PUT', '/internal/merchants/m-contact', {
      ...merchant,
      customerService: { phone: '400-800-0000' },
    });
    expect(phoneOnly.body.customerService).toEqual({ phone: '400-800-0000' });
    const without = await inventory.http('PUT', '/internal/merchants/m-contact', merchant);
    expect(without.body.customerService).toBeNull();

    const events = await inventory.published.waitFor<MerchantUpsertedV1>(merchantUpserted, 'm-contact', 3);
    expect(events.map((event) => event.data)).toEqual([
      { merchantId: 'm-contact', name: 'Contact Co', customerService: contact, changedAt: created.body.updatedAt },
      { merchantId: 'm-contact', name: 'Contact Co', customerService: { phone: '400-800-0000' }, changedAt: phoneOnly.body.updatedAt },
      { merchantId: 'm-contact', name: 'Contact Co', changedAt: without.body.updatedAt },
    ]);
    expect(events.every((event) => event.partitionkey === 'm-contact' && event.source === 'mallard/inventory')).toBe(true);

    // A contact that is not an object, or whose fields break the rules, is a 400 and changes nothing.
    for (const [customerService, field] of [
      [[contact], 'customerService'],
      ['+86 571', 'customerService'],
      [{ ...contact, chatUrl: 'chat.example.com/contact-co' }, 'customerService.chatUrl'],
      [{ chatUrl: 'javascript:alert(1)' }, 'customerService.chatUrl'],
      [{ chatUrl: 'ftp://chat.example.com/contact-co' }, 'customerService.chatUrl'],
      [{ chatUrl: `https://chat.example.com/${'a'.repeat(480)}` }, 'customerService.chatUrl'],
      [{ phone: 'call us' }, 'customerService.phone'],
      [{ phone: '1'.repeat(41) }, 'customerService.phone'],
      [{ hours: 'h'.repeat(201) }, 'customerService.hours'],
      [{ email: 'cs@example.com' }, 'customerService.email'],
    ] as const) {
      const refused = await inventory.http('PUT', '/internal/merchants/m-contact', { ...merchant, customerService });
      expect(refused.status, JSON.stringify(customerService)).toBe(400);
      expect(refused.contentType).toContain(PROBLEM);
      expect(refused.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    }
    expect((await inventory.http('GET', '/internal/merchants/m-contact')).body.customerService).toBeNull();
  });

  it('creates a SKU, publishes sku.upserted with the effective policy, and bumps the revision on each change only', async () => {
    const created = await inventory.http('PUT', '/internal/skus/sku-kettle', kettle);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'sku-kettle',
      stockPolicy: null,
      effectiveStockPolicy: 'RESERVE_ON_ORDER',
      revision: 1,
      scarce: false,
      purchaseLimit: null,
    });

    const same = await inventory.http('PUT', '/internal/skus/sku-kettle', kettle);
    expect(same.status).toBe(200);
    expect(same.body.revision).toBe(1);

    const patched = await inventory.http('PATCH', '/internal/skus/sku-kettle', { priceMinor: 2499, purchaseLimit: 2, scarce: true });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ priceMinor: 2499, purchaseLimit: 2, scarce: true, revision: 2 });
    const cleared = await inventory.http('PATCH', '/internal/skus/sku-kettle', { purchaseLimit: null, stockPolicy: 'DEDUCT_ON_PAYMENT' });
    expect(cleared.body).toMatchObject({
      purchaseLimit: null,
      stockPolicy: 'DEDUCT_ON_PAYMENT',
      effectiveStockPolicy: 'DEDUCT_ON_PAYMENT',
      revision: 3,
    });

    const events = await inventory.published.waitFor<SkuUpsertedV1>(skuUpserted, 'sku-kettle', 3);
    expect(events.map((event) => event.data.revision)).toEqual([1, 2, 3]);
    // The kettle as it was PUT, with the merchant's policy and no limit.
    expect(events[0].data).toEqual({
      skuId: 'sku-kettle',
      ...kettle,
      stockPolicy: 'RESERVE_ON_ORDER',
      scarce: false,
      taxRateBasisPoints: 600,
      revision: 1,
    });
    expect(events[1].data).toMatchObject({ priceMinor: 2499, purchaseLimit: 2, scarce: true });
    expect(events[2].data.purchaseLimit).toBeUndefined();
    expect(events.every((event) => event.partitionkey === 'sku-kettle' && event.source === 'mallard/inventory')).toBe(true);
    expect((await inventory.http('GET', '/internal/skus/sku-kettle')).body).toMatchObject({ revision: 3, priceMinor: 2499 });
  });

  it('republishes the SKUs that follow a merchant default when the default changes', async () => {
    await inventory.http('PUT', '/internal/merchants/m-policy', { name: 'Policy', defaultStockPolicy: 'RESERVE_ON_ORDER' });
    await inventory.http('PUT', '/internal/skus/sku-follows', { ...kettle, merchantId: 'm-policy' });
    await inventory.http('PUT', '/internal/skus/sku-own', { ...kettle, merchantId: 'm-policy', stockPolicy: 'RESERVE_ON_ORDER' });
    await inventory.http('PUT', '/internal/merchants/m-policy', { name: 'Policy', defaultStockPolicy: 'DEDUCT_ON_PAYMENT' });

    const follows = await inventory.published.waitFor<SkuUpsertedV1>(skuUpserted, 'sku-follows', 2);
    expect(follows.map((event) => [event.data.revision, event.data.stockPolicy])).toEqual([
      [1, 'RESERVE_ON_ORDER'],
      [2, 'DEDUCT_ON_PAYMENT'],
    ]);
    expect((await inventory.http('GET', '/internal/skus/sku-own')).body.revision).toBe(1);
    expect((await inventory.http('GET', '/internal/skus/sku-follows')).body).toMatchObject({
      revision: 2,
      effectiveStockPolicy: 'DEDUCT_ON_PAYMENT',
    });
  });

  it("resolves a SKU's tax rate (its own, its merchant's default, the setting) and republishes the followers of a changed default", async () => {
    const merchant = { name: 'Tax', defaultStockPolicy: 'RESERVE_ON_ORDER' };
    const created = await inventory.http('PUT', '/internal/merchants/m-tax', merchant);
    expect(created.body).toMatchObject({ defaultTaxRateBasisPoints: null, effectiveDefaultTaxRateBasisPoints: 600 });
    const follows = await inventory.http('PUT', '/internal/skus/sku-tax-follows', { ...kettle, merchantId: 'm-tax' });
    expect(follows.body).toMatchObject({ taxRateBasisPoints: null, effectiveTaxRateBasisPoints: 600, revision: 1 });
    const own = await inventory.http('PUT', '/internal/skus/sku-tax-own', { ...kettle, merchantId: 'm-tax', taxRateBasisPoints: 900 });
    expect(own.body).toMatchObject({ taxRateBasisPoints: 900, effectiveTaxRateBasisPoints: 900, revision: 1 });
    // 0 is a rate of its own (exempt goods), not "inherit".
    const exempt = await inventory.http('PUT', '/internal/skus/sku-tax-exempt', { ...kettle, merchantId: 'm-tax', taxRateBasisPoints: 0 });
    expect(exempt.body).toMatchObject({ taxRateBasisPoints: 0, effectiveTaxRateBasisPoints: 0 });

    // The setting's own value, now kept by the merchant, changes no SKU's rate: nothing is republished.
    const sameRate = await inventory.http('PUT', '/internal/merchants/m-tax', { ...merchant, defaultTaxRateBasisPoints: 600 });
    expect(sameRate.body).toMatchObject({ defaultTaxRateBasisPoints: 600, effectiveDefaultTaxRateBasisPoints: 600 });
    const changed = await inventory.http('PUT', '/internal/merchants/m-tax', { ...merchant, defaultTaxRateBasisPoints: 1_300 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ defaultTaxRateBasisPoints: 1_300, effectiveDefaultTaxRateBasisPoints: 1_300 });
    expect((await inventory.http('GET', '/internal/merchants/m-tax')).body.effectiveDefaultTaxRateBasisPoints).toBe(1_300);

    const republished = await inventory.published.waitFor<SkuUpsertedV1>(skuUpserted, 'sku-tax-follows', 2);
    expect(republished.map((event) => [event.data.revision, event.data.taxRateBasisPoints])).toEqual([
      [1, 600],
      [2, 1_300],
    ]);
    expect((await inventory.http('GET', '/internal/skus/sku-tax-follows')).body).toMatchObject({
      taxRateBasisPoints: null,
      effectiveTaxRateBasisPoints: 1_300,
      revision: 2,
    });
    // The SKUs with their own rate were left alone.
    for (const id of ['sku-tax-own', 'sku-tax-exempt']) expect((await inventory.http('GET', `/internal/skus/${id}`)).body.revision).toBe(1);

    // A whole SKU without its rate goes back to following the merchant; PATCH null does the same.
    const reset = await inventory.http('PUT', '/internal/skus/sku-tax-own', { ...kettle, merchantId: 'm-tax' });
    expect(reset.body).toMatchObject({ taxRateBasisPoints: null, effectiveTaxRateBasisPoints: 1_300, revision: 2 });
    const patched = await inventory.http('PATCH', '/internal/skus/sku-tax-exempt', { taxRateBasisPoints: null });
    expect(patched.body).toMatchObject({ taxRateBasisPoints: null, effectiveTaxRateBasisPoints: 1_300, revision: 2 });
    const ownEvents = await inventory.published.waitFor<SkuUpsertedV1>(skuUpserted, 'sku-tax-own', 2);
    expect(ownEvents.map((event) => event.data.taxRateBasisPoints)).toEqual([900, 1_300]);

    // Back to the setting: every follower (now three) is republished, in one transaction with the merchant.
    await inventory.http('PUT', '/internal/merchants/m-tax', merchant);
    for (const id of ['sku-tax-follows', 'sku-tax-own', 'sku-tax-exempt']) {
      const events = await inventory.published.waitFor<SkuUpsertedV1>(skuUpserted, id, 3);
      expect(events.at(-1)?.data, id).toMatchObject({ revision: 3, taxRateBasisPoints: 600 });
    }

    // Rates are whole basis points from 0 to 10 000; anything else is a 400 and changes nothing.
    for (const [path, body, field] of [
      ['/internal/skus/sku-tax-follows', { ...kettle, merchantId: 'm-tax', taxRateBasisPoints: 10_001 }, 'taxRateBasisPoints'],
      ['/internal/skus/sku-tax-follows', { ...kettle, merchantId: 'm-tax', taxRateBasisPoints: 12.5 }, 'taxRateBasisPoints'],
      ['/internal/skus/sku-tax-follows', { ...kettle, merchantId: 'm-tax', taxRateBasisPoints: -1 }, 'taxRateBasisPoints'],
      ['/internal/skus/sku-tax-follows', { ...kettle, merchantId: 'm-tax', taxRateBasisPoints: '1300' }, 'taxRateBasisPoints'],
      ['/internal/merchants/m-tax', { ...merchant, defaultTaxRateBasisPoints: 10_001 }, 'defaultTaxRateBasisPoints'],
      ['/internal/merchants/m-tax', { ...merchant, defaultTaxRateBasisPoints: 12.5 }, 'defaultTaxRateBasisPoints'],
    ] as const) {
      const refused = await inventory.http('PUT', path, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.contentType).toContain(PROBLEM);
      expect(refused.body.errors.map((error: { field: string }) => error.field)).toEqual([field]);
    }
    expect((await inventory.http('GET', '/internal/skus/sku-tax-follows')).body.revision).toBe(3);
    expect((await inventory.http('GET', '/internal/merchants/m-tax')).body.defaultTaxRateBasisPoints).toBeNull();
  });

  it('refuses unknown and malformed fields with 400 problem+json, unknown SKUs with 404, business refusals with 422', async () => {
    const unknownField = await inventory.http('PUT', '/internal/skus/sku-x', { ...kettle, colour: 'red' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.contentType).toContain(PROBLEM);
    expect(unknownField.body).toMatchObject({ type: 'https://mallard.dev/problems/validation-failed', status: 400 });
    expect(unknownField.body.errors).toEqual([{ field: 'colour', messages: ['property colour should not exist'] }]);

    const bad = await inventory.http('PUT', '/internal/skus/sku-x', {
      ...kettle,
      priceMinor: 12.5,
      currency: 'euro',
      fulfilmentType: 'TELEPORT',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['currency', 'fulfilmentType', 'priceMinor']);

    const nullName = await inventory.http('PATCH', '/internal/skus/sku-kettle', { name: null });
    expect(nullName.status).toBe(400);
    const badId = await inventory.http('GET', '/internal/skus/bad%20id');
    expect(badId.status).toBe(400);
    const nulId = await inventory.http('PUT', '/internal/skus/sku%00x', kettle);
    expect(nulId.status).toBe(400);
    expect(nulId.contentType).toContain(PROBLEM);

    // Out-of-range numbers are refused when saved, not when an order meets them.
    for (const body of [
      { ...kettle, priceMinor: 1e300 },
      { ...kettle, priceMinor: 1_000_000_000_001 },
      { ...kettle, purchaseLimit: 1e9 },
    ]) {
      const outOfRange = await inventory.http('PUT', '/internal/skus/sku-x', body);
      expect(outOfRange.status, JSON.stringify(body)).toBe(400);
      expect(outOfRange.contentType).toContain(PROBLEM);
    }
    // Text PostgreSQL cannot store is refused up front, never a 500.
    for (const [method, path, body] of [
      ['PUT', '/internal/skus/sku-x', { ...kettle, name: 'ket\u0000tle' }],
      ['PUT', '/internal/skus/sku-x', { ...kettle, name: 'ket\ud800tle' }],
      ['PATCH', '/internal/skus/sku-kettle', { name: '\udc00' }],
      ['PUT', '/internal/merchants/m-nul', { name: 'a\u0000', defaultStockPolicy: 'RESERVE_ON_ORDER' }],
      ['PUT', '/internal/warehouses/w-nul', { name: 'a\u0000', fulfilmentType: 'SELF_OPERATED' }],
      [
        'POST',
        '/internal/stock/movements',
        { skuId: 'sku-kettle', warehouseId: 'w-mall', kind: 'RECEIPT', quantity: 1, reason: 'count\u0000' },
      ],
    ] as const) {
      const answer = await inventory.http(method, path, body);
      expect(answer.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(answer.contentType).toContain(PROBLEM);
    }
    // A surrogate pair (an emoji) is ordinary text.
    expect((await inventory.http('PATCH', '/internal/skus/sku-kettle', { name: 'Kettle \ud83d\udd25' })).status).toBe(200);
    const hugeMovement = await bookMovement('RECEIPT', 1e15, 'typo', { skuId: 'sku-kettle' });
    expect(hugeMovement.status).toBe(400);

    const missing = await inventory.http('GET', '/internal/skus/sku-nowhere');
    expect(missing.status).toBe(404);
    expect(missing.contentType).toContain(PROBLEM);
    expect(missing.body).toMatchObject({ type: 'https://mallard.dev/problems/sku-not-found', skuId: 'sku-nowhere' });
    expect((await inventory.http('PATCH', '/internal/skus/sku-nowhere', { onShelf: false })).status).toBe(404);
    expect((await inventory.http('GET', '/internal/skus/sku-nowhere/stock')).status).toBe(404);

    const unknownMerchant = await inventory.http('PUT', '/internal/skus/sku-x', { ...kettle, merchantId: 'm-nobody' });
    expect(unknownMerchant.status).toBe(422);
    expect(unknownMerchant.contentType).toContain(PROBLEM);
    await inventory.http('PUT', '/internal/merchants/m-other', { name: 'Other', defaultStockPolicy: 'RESERVE_ON_ORDER' });
    const merchantChange = await inventory.http('PUT', '/internal/skus/sku-kettle', { ...kettle, merchantId: 'm-other' });
    expect(merchantChange.status).toBe(422);
    expect(merchantChange.body.type).toContain('sku-merchant-immutable');
    expect(await inventory.query('SELECT 1 FROM sku WHERE id = $1', ['sku-x'])).toEqual([]);
  });

  it('books receipts and adjustments in the ledger and reports stock per warehouse and in total', async () => {
    await inventory.http('PUT', '/internal/skus/sku-stocked', kettle);
    const receipt = await bookMovement('RECEIPT', 10, 'delivery 1');
    expect(receipt.status).toBe(201);
    expect(receipt.body).toMatchObject({
      movement: { skuId: 'sku-stocked', warehouseId: 'w-mall', kind: 'RECEIPT', onHandDelta: 10, heldDelta: 0, reason: 'delivery 1' },
      level: { warehouseId: 'w-mall', onHand: 10, held: 0, available: 10 },
    });
    await bookMovement('RECEIPT', 4, 'delivery 2', { warehouseId: 'w-mall-2' });
    const adjusted = await bookMovement('ADJUSTMENT', -3, 'count');
    expect(adjusted.status).toBe(201);
    expect(adjusted.body.level).toMatchObject({ onHand: 7, available: 7 });

    const below = await bookMovement('ADJUSTMENT', -8, 'count');
    expect(below.status).toBe(422);
    expect(below.body).toMatchObject({ type: 'https://mallard.dev/problems/stock-below-held', onHand: 7, held: 0 });
    const negativeReceipt = await bookMovement('RECEIPT', -1, 'x');
    expect(negativeReceipt.status).toBe(422);
    const holdByHand = await bookMovement('HOLD', 1, 'x');
    expect(holdByHand.status).toBe(400);
    const zero = await bookMovement('ADJUSTMENT', 0, 'x');
    expect(zero.status).toBe(400);
    const unknownSku = await bookMovement('RECEIPT', 1, 'x', { skuId: 'sku-nowhere' });
    expect(unknownSku.status).toBe(422);
    expect(unknownSku.body.type).toContain('unknown-sku');
    const wrongWarehouse = await bookMovement('RECEIPT', 1, 'x', { warehouseId: 'w-new-farm' });
    expect(wrongWarehouse.status).toBe(422);
    expect(wrongWarehouse.body.type).toContain('warehouse-not-allowed');

    const stock = await inventory.http('GET', '/internal/skus/sku-stocked/stock');
    expect(stock.status).toBe(200);
    expect(stock.body).toMatchObject({
      skuId: 'sku-stocked',
      warehouses: [
        { warehouseId: 'w-mall', onHand: 7, held: 0, available: 7 },
        { warehouseId: 'w-mall-2', onHand: 4, held: 0, available: 4 },
      ],
      totals: { onHand: 11, held: 0, available: 11 },
    });
    const ledger = await inventory.http('GET', '/internal/stock/movements?skuId=sku-stocked');
    expect(ledger.body.map((m: { kind: string; onHandDelta: number }) => `${m.kind}${m.onHandDelta}`)).toEqual([
      'ADJUSTMENT-3',
      'RECEIPT4',
      'RECEIPT10',
    ]);
    expect(await inventory.ledgerMismatches()).toEqual([]);

    const fulfilmentChange = await inventory.http('PATCH', '/internal/skus/sku-stocked', { fulfilmentType: 'DROP_SHIP' });
    expect(fulfilmentChange.status).toBe(422);
    expect(fulfilmentChange.body.type).toContain('sku-stock-incompatible');
  });

  it('books a receipt once per Idempotency-Key', async () => {
    await inventory.http('PUT', '/internal/skus/sku-idem', kettle);
    const body = { skuId: 'sku-idem', warehouseId: 'w-mall', kind: 'RECEIPT', quantity: 5, reason: 'delivery' };
    const first = await inventory.http('POST', '/internal/stock/movements', body, { 'idempotency-key': 'delivery-42' });
    const [second, third] = await Promise.all([
      inventory.http('POST', '/internal/stock/movements', body, { 'idempotency-key': 'delivery-42' }),
      inventory.http('POST', '/internal/stock/movements', body, { 'idempotency-key': 'delivery-42' }),
    ]);
    expect([first.status, second.status, third.status]).toEqual([201, 201, 201]);
    expect(second.body.movement.id).toBe(first.body.movement.id);
    expect(third.headers.get('idempotent-replayed')).toBe('true');
    expect((await inventory.http('GET', '/internal/skus/sku-idem/stock')).body.totals.onHand).toBe(5);
    const reused = await inventory.http(
      'POST',
      '/internal/stock/movements',
      { ...body, quantity: 6 },
      { 'idempotency-key': 'delivery-42' },
    );
    expect(reused.status).toBe(409);
  });

  it('lists several SKUs with their available stock and names the unknown ones', async () => {
    const list = await inventory.http('GET', '/internal/skus?ids=sku-stocked,sku-nowhere,sku-kettle,sku-stocked');
    expect(list.status).toBe(200);
    expect(list.body.missing).toEqual(['sku-nowhere']);
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual(['sku-stocked', 'sku-kettle']);
    expect(list.body.items[0]).toMatchObject({ onShelf: true, priceMinor: 2999, stock: { onHand: 11, held: 0, available: 11 } });
    expect(list.body.items[1].stock).toEqual({ onHand: 0, held: 0, available: 0 });

    expect((await inventory.http('GET', '/internal/skus')).status).toBe(400);
    expect((await inventory.http('GET', '/internal/skus?ids=a&sort=asc')).status).toBe(400);
  });
});
