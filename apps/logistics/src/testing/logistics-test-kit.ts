import { randomUUID } from 'node:crypto';
import type { FulfilmentType, OrderSplitV2 } from '@mallard/contracts';

export interface SplitPart {
  warehouseId: string;
  fulfilmentType?: FulfilmentType;
  merchantId?: string;
  shippingFeeMinor?: number;
  lines: { skuId: string; quantity: number; merchandiseMinor: number; shippingFeeShareMinor?: number }[];
}

/** An order.split v2 as orders publishes it, for the parts given (the first carries the fee it names). */
export function orderSplitOf(parts: SplitPart[], overrides: Partial<OrderSplitV2> = {}): OrderSplitV2 {
  return {
    orderId: randomUUID(),
    buyerId: 'buyer-1',
    currency: 'CNY',
    paidAt: new Date().toISOString(),
    receiver: { name: 'Han Meimei', phone: '+8613900000000', address: { country: 'CN', city: 'Suzhou', street: '8 Garden Lane' } },
    subOrders: parts.map((part, position) => {
      const lines = part.lines.map((line) => {
        const shippingFeeShareMinor = line.shippingFeeShareMinor ?? 0;
        return {
          lineId: randomUUID(),
          skuId: line.skuId,
          skuName: `SKU ${line.skuId}`,
          quantity: line.quantity,
          merchandiseMinor: line.merchandiseMinor,
          shippingFeeShareMinor,
          paidAmountMinor: line.merchandiseMinor + shippingFeeShareMinor,
        };
      });
      return {
        subOrderId: randomUUID(),
        position,
        warehouseId: part.warehouseId,
        merchantId: part.merchantId ?? 'mall',
        fulfilmentType: part.fulfilmentType ?? 'SELF_OPERATED',
        shippingFeeMinor: part.shippingFeeMinor ?? 0,
        paidMinor: lines.reduce((sum, line) => sum + line.paidAmountMinor, 0),
        lines,
      };
    }),
    ...overrides,
  };
}
