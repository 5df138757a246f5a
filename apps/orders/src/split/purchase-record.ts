import type { OrderPurchaseRecordedV1 } from '@mallard/contracts';
import type { PricingTerms } from '../order/parent-order.entity.js';
import type { PlannedSubOrder, SplitPlan } from './split-order.js';

/** An order line as priced at placement (OrderLine): the figures the split does not change. */
export interface RecordedLine {
  id: string;
  skuId: string;
  skuName: string;
  merchantId: string;
  unitPrice: number;
  quantity: number;
  itemDiscount: number;
  orderDiscountShare: number;
}

export interface PurchaseRecordInput {
  orderId: string;
  buyerId: string;
  currency: string;
  paidAt: Date;
  /** The order's lines in their position order. */
  lines: readonly RecordedLine[];
  /** The split of those lines; its sub-orders with the ids they were stored under, in position order. */
  plan: Pick<SplitPlan, 'lines'> & { subOrders: readonly (PlannedSubOrder & { id: string })[] };
  terms: PricingTerms;
}

/**
 * What order.purchase-recorded says of a split order: each line's placement figures with its
 * shares after the split, and each sub-order's pieces. They add up as after-sales checks them
 * (docs/domain.md §4): a line's paid amount is its amount less its discounts plus its shipping
 * share, its pieces add up to its quantity, goods and share, and a sub-order's pieces' shares to
 * its fee, since the split only moved shipping shares between lines and kept each line's goods.
 */
export function purchaseRecord(input: PurchaseRecordInput): OrderPurchaseRecordedV1 {
  const { plan, terms } = input;
  const subOrders = plan.subOrders.map((subOrder) => ({
    subOrderId: subOrder.id,
    warehouseId: subOrder.warehouseId,
    merchantId: subOrder.merchantId,
    fulfilmentType: subOrder.fulfilmentType,
    shippingFeeMinor: subOrder.shippingFee,
    pieces: subOrder.lines.map((piece) => ({
      lineId: piece.lineId,
      quantity: piece.quantity,
      merchandiseMinor: piece.merchandise,
      shippingFeeShareMinor: piece.shippingFeeShare,
    })),
  }));
  return {
    orderId: input.orderId,
    buyerId: input.buyerId,
    currency: input.currency,
    paidAt: input.paidAt.toISOString(),
    shippingFeeMinor: subOrders.reduce((sum, subOrder) => sum + subOrder.shippingFeeMinor, 0),
    lines: input.lines.map((line) => {
      const split = plan.lines.get(line.id);
      if (!split) throw new Error(`line ${line.id} is not in the split`);
      return {
        lineId: line.id,
        skuId: line.skuId,
        skuName: line.skuName,
        merchantId: line.merchantId,
        unitPriceMinor: line.unitPrice,
        quantity: line.quantity,
        itemDiscountMinor: line.itemDiscount,
        orderDiscountShareMinor: line.orderDiscountShare,
        shippingFeeShareMinor: split.shippingFeeShare,
        paidAmountMinor: split.paidAmount,
      };
    }),
    subOrders,
    terms: {
      orderPromotions: terms.orderPromotions.map((promotion) => ({ ...promotion })),
      ...(terms.coupon ? { coupon: { ...terms.coupon } } : {}),
      shipping: {
        flatFeeMinor: terms.shipping.flatFeeMinor,
        ...(terms.shipping.freeFromMinor !== undefined ? { freeFromMinor: terms.shipping.freeFromMinor } : {}),
      },
    },
  };
}
