import { createValidationPipe, ProblemException } from '@mallard/platform';
import type { ArgumentMetadata } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { PostStockMovementRequest, PutCouponRequest, PutMerchantRequest, PutPromotionRequest, PutSkuRequest } from './admin.requests.js';
import { PayOrderRequest, ReconciliationRequest, RefundOrderRequest } from './payments.requests.js';
import { PlaceOrderRequest } from './place-order.request.js';

const pipe = createValidationPipe();
const check = async (metatype: ArgumentMetadata['metatype'], body: unknown): Promise<string[] | 'ok'> => {
  try {
    await pipe.transform(body, { type: 'body', metatype });
    return 'ok';
  } catch (error) {
    if (!(error instanceof ProblemException)) throw error;
    return (error.extensions.errors as Array<{ field: string }>).map((fieldError) => fieldError.field);
  }
};

const receiver = { name: 'Han Meimei', phone: '+8613900000000', address: { country: 'CN', city: 'Suzhou', street: '8 Garden Lane' } };
const order = { lines: [{ skuId: 'tea', quantity: 1 }], receiver, paymentMethod: 'ONLINE' };

describe('request DTOs', () => {
  it('require a receiver with an address, as objects, and a delivery slot that is an object', async () => {
    expect(await check(PlaceOrderRequest, order)).toBe('ok');
    expect(await check(PlaceOrderRequest, { ...order, deliverySlot: { date: '2026-12-01', from: '09:00', to: '12:00' } })).toBe('ok');
    const { receiver: _omitted, ...withoutReceiver } = order;
    expect(await check(PlaceOrderRequest, withoutReceiver)).toContain('receiver');
    expect(await check(PlaceOrderRequest, { ...order, receiver: [] })).toContain('receiver');
    expect(await check(PlaceOrderRequest, { ...order, receiver: [receiver] })).toContain('receiver');
    expect(await check(PlaceOrderRequest, { ...order, receiver: { name: 'a', phone: '+8613900000000' } })).toContain('receiver.address');
    expect(await check(PlaceOrderRequest, { ...order, receiver: { ...receiver, address: [] } })).toContain('receiver.address');
    expect(await check(PlaceOrderRequest, { ...order, deliverySlot: [] })).toContain('deliverySlot');
    expect(await check(PlaceOrderRequest, { ...order, lines: [[]] })).toContain('lines');
    expect(await check(PlaceOrderRequest, { ...order, lines: 'tea' })).toContain('lines');
  });

  it('take billing details of a shape orders can check: a company gives its tax id', async () => {
    const company = {
      type: 'COMPANY',
      title: 'Longjing Teahouse Co., Ltd.',
      taxId: '91350100M000100Y43',
      email: 'invoices@longjing.example',
    };
    expect(await check(PlaceOrderRequest, { ...order, billing: company })).toBe('ok');
    expect(await check(PlaceOrderRequest, { ...order, billing: { ...company, country: 'DE', taxId: 'DE123456789' } })).toBe('ok');
    expect(await check(PlaceOrderRequest, { ...order, billing: { type: 'PERSONAL', title: 'Han Meimei', email: 'han@example.com' } })).toBe(
      'ok',
    );
    const { taxId: _none, ...companyWithoutTaxId } = company;
    expect(await check(PlaceOrderRequest, { ...order, billing: companyWithoutTaxId })).toEqual(['billing.taxId']);
    expect(await check(PlaceOrderRequest, { ...order, billing: { ...company, taxId: '9135 0100' } })).toEqual(['billing.taxId']);
    expect(await check(PlaceOrderRequest, { ...order, billing: { ...company, type: 'CHARITY' } })).toEqual(['billing.type']);
    expect(await check(PlaceOrderRequest, { ...order, billing: { ...company, title: '  ' } })).toEqual(['billing.title']);
    expect(await check(PlaceOrderRequest, { ...order, billing: { ...company, title: 'x'.repeat(101) } })).toEqual(['billing.title']);
    expect(await check(PlaceOrderRequest, { ...order, billing: { ...company, email: 'not-an-address' } })).toEqual(['billing.email']);
    expect(await check(PlaceOrderRequest, { ...order, billing: { ...company, country: 'cn' } })).toEqual(['billing.country']);
    expect(await check(PlaceOrderRequest, { ...order, billing: [company] })).toContain('billing');
    expect(await check(PlaceOrderRequest, { ...order, billing: { ...company, vatNote: 'x' } })).toEqual(['billing.vatNote']);
  });

  it('refuse tenders that are not objects', async () => {
    expect(await check(PayOrderRequest, { tenders: [{ type: 'POINTS', points: 10 }] })).toBe('ok');
    expect(await check(PayOrderRequest, { tenders: [[]] })).toContain('tenders');
    expect(await check(PayOrderRequest, { tenders: [1] })).toContain('tenders');
    expect(await check(PayOrderRequest, { tenders: { type: 'POINTS', points: 10 } })).toContain('tenders');
  });

  it('refuse dates that are not in the calendar and amounts past the money bound', async () => {
    expect(await check(ReconciliationRequest, { provider: 'sandbox', date: '2020-02-29', csv: '' })).toBe('ok');
    expect(await check(ReconciliationRequest, { provider: 'sandbox', date: '2020-02-30', csv: '' })).toEqual(['date']);
    expect(await check(RefundOrderRequest, { refundId: 'r', amountMinor: 1e13, reason: 'x' })).toEqual(['amountMinor']);
  });

  it('bound every number of the back-office bodies', async () => {
    expect(await check(PutPromotionRequest, { kind: 'THRESHOLD', active: true, thresholdMinor: 10_000, discountMinor: 1_000 })).toBe('ok');
    expect(await check(PutPromotionRequest, { kind: 'THRESHOLD', active: true, thresholdMinor: 10_000, discountMinor: 1e300 })).toEqual([
      'discountMinor',
    ]);
    expect(await check(PutPromotionRequest, { kind: 'PERCENTAGE', active: true, basisPoints: 10_001 })).toEqual(['basisPoints']);
    expect(await check(PutCouponRequest, { kind: 'AMOUNT', active: true, amountMinor: 1.5 })).toEqual(['amountMinor']);
    expect(
      await check(PutSkuRequest, {
        merchantId: 'm',
        name: 'Tea',
        priceMinor: 2 ** 53,
        currency: 'CNY',
        onShelf: true,
        fulfilmentType: 'SELF_OPERATED',
      }),
    ).toEqual(['priceMinor']);
    expect(await check(PostStockMovementRequest, { skuId: 's', warehouseId: 'w', kind: 'RECEIPT', quantity: 1e7, reason: 'r' })).toEqual([
      'quantity',
    ]);
    expect(
      await check(PostStockMovementRequest, { skuId: 's', warehouseId: 'w', kind: 'RECEIPT', quantity: 5, reason: 'r', extra: 1 }),
    ).toEqual(['extra']);
  });

  it('take a merchant’s customer-service contact only as an object of a phone, hours and an http(s) chat URL', async () => {
    const merchant = { name: 'The Mall', defaultStockPolicy: 'RESERVE_ON_ORDER' };
    const contact = { phone: '+86 (571) 8888-0000', hours: 'Mon–Fri 09:00–18:00 CST', chatUrl: 'https://chat.example.com/the-mall' };
    expect(await check(PutMerchantRequest, merchant)).toBe('ok');
    expect(await check(PutMerchantRequest, { ...merchant, customerService: contact })).toBe('ok');
    expect(await check(PutMerchantRequest, { ...merchant, customerService: { chatUrl: 'http://chat.example.com' } })).toBe('ok');
    expect(await check(PutMerchantRequest, { ...merchant, customerService: null })).toBe('ok');
    expect(await check(PutMerchantRequest, { ...merchant, customerService: [contact] })).toContain('customerService');
    expect(await check(PutMerchantRequest, { ...merchant, customerService: 'call us' })).toContain('customerService');
    expect(await check(PutMerchantRequest, { ...merchant, customerService: { chatUrl: 'chat.example.com' } })).toEqual([
      'customerService.chatUrl',
    ]);
    expect(await check(PutMerchantRequest, { ...merchant, customerService: { chatUrl: 'javascript:alert(1)' } })).toEqual([
      'customerService.chatUrl',
    ]);
    expect(
      await check(PutMerchantRequest, { ...merchant, customerService: { chatUrl: `https://a.example.com/${'a'.repeat(480)}` } }),
    ).toEqual(['customerService.chatUrl']);
    expect(await check(PutMerchantRequest, { ...merchant, customerService: { phone: '--' } })).toEqual(['customerService.phone']);
    expect(await check(PutMerchantRequest, { ...merchant, customerService: { phone: '1'.repeat(41) } })).toEqual(['customerService.phone']);
    expect(await check(PutMerchantRequest, { ...merchant, customerService: { hours: '' } })).toEqual(['customerService.hours']);
    expect(await check(PutMerchantRequest, { ...merchant, customerService: { hours: 'h'.repeat(201) } })).toEqual([
      'customerService.hours',
    ]);
    expect(await check(PutMerchantRequest, { ...merchant, customerService: { email: 'cs@example.com' } })).toEqual([
      'customerService.email',
    ]);
  });
});
