import { apportion } from '@mallard/money';
import { allocateShippingToSubOrders, type PricingInput, priceOrder, type SubOrderShippingMode } from '@mallard/pricing';
import type { PurchasedOrder, PurchasedSubOrder } from '../refunds/refund-calculation.js';

/** Which units of which lines a sub-order holds, in the order the sub-orders were made. */
export interface SubOrderPlan {
  subOrderId: string;
  lines: { lineId: string; quantity: number }[];
}

/**
 * An order as orders would keep it after pricing `cart` and splitting it as `plan` says: a line's
 * merchandise cut over its pieces by quantity, the fee given to the sub-orders by `mode`, each
 * sub-order's fee shared over its pieces by merchandise, and each line's shipping share and paid
 * amount made the sums of its pieces (docs/domain.md §4). The plan must hold every unit once.
 */
export function purchasedOrder(
  cart: PricingInput,
  plan: readonly SubOrderPlan[],
  mode: SubOrderShippingMode = 'FIRST_SUB_ORDER',
): PurchasedOrder {
  const priced = priceOrder(cart);
  const subOrders: PurchasedSubOrder[] = plan.map(({ subOrderId }) => ({ subOrderId, shippingFeeMinor: 0, pieces: [] }));
  for (const line of priced.lines) {
    const holders = plan.flatMap((subOrder, index) =>
      subOrder.lines.filter((held) => held.lineId === line.lineId).map((held) => ({ index, held })),
    );
    const merchandise = line.paidAmountMinor - line.shippingFeeShareMinor;
    const cut = apportion(
      merchandise,
      holders.map(({ held }) => held.quantity),
    );
    holders.forEach(({ index, held }, i) => {
      subOrders[index].pieces.push({ lineId: line.lineId, quantity: held.quantity, merchandiseMinor: cut[i], shippingFeeShareMinor: 0 });
    });
  }
  const fees = allocateShippingToSubOrders(
    priced.shippingFeeMinor,
    subOrders.map((subOrder) => subOrder.subOrderId),
    mode,
  );
  for (const subOrder of subOrders) {
    subOrder.shippingFeeMinor = fees.get(subOrder.subOrderId) ?? 0;
    const shares = apportion(
      subOrder.shippingFeeMinor,
      subOrder.pieces.map((piece) => piece.merchandiseMinor),
    );
    subOrder.pieces.forEach((piece, i) => {
      piece.shippingFeeShareMinor = shares[i];
    });
  }
  const pieces = subOrders.flatMap((subOrder) => subOrder.pieces);
  return {
    currency: priced.currency,
    lines: priced.lines.map((line) => {
      const own = pieces.filter((piece) => piece.lineId === line.lineId);
      const shipping = own.reduce((total, piece) => total + piece.shippingFeeShareMinor, 0);
      return {
        lineId: line.lineId,
        skuId: line.skuId,
        unitPriceMinor: line.unitPriceMinor,
        quantity: line.quantity,
        itemDiscountMinor: line.itemDiscountMinor,
        orderDiscountShareMinor: line.orderDiscountShareMinor,
        shippingFeeShareMinor: shipping,
        paidAmountMinor: line.paidAmountMinor - line.shippingFeeShareMinor + shipping,
      };
    }),
    orderPromotions: cart.orderPromotions,
    ...(cart.coupon === undefined || priced.coupon?.accepted !== true ? {} : { coupon: cart.coupon }),
    shippingFeeMinor: priced.shippingFeeMinor,
    shipping: cart.shipping,
    subOrders,
  };
}

/** One sub-order holding the whole cart. */
export const oneSubOrder = (cart: PricingInput, subOrderId = 'S1'): SubOrderPlan[] => [
  { subOrderId, lines: cart.lines.map(({ lineId, quantity }) => ({ lineId, quantity })) },
];
