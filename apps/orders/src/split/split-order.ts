import type { FulfilmentType } from '@mallard/contracts';
import { apportion } from '@mallard/money';
import { allocateShippingToSubOrders } from '@mallard/pricing';
import type { ShippingFeeSplit } from '../config/orders-config.js';

export interface SplittableLine {
  lineId: string;
  skuId: string;
  merchantId: string;
  fulfilmentType: FulfilmentType;
  quantity: number;
  paidAmount: number;
  shippingFeeShare: number;
  allocations: { warehouseId: string; quantity: number }[];
}

/** The part of an order line one sub-order fulfils. `paidAmount` = `merchandise` + `shippingFeeShare`. */
export interface PlannedSubOrderLine {
  lineId: string;
  skuId: string;
  quantity: number;
  merchandise: number;
  shippingFeeShare: number;
  paidAmount: number;
}

export interface PlannedSubOrder {
  key: string;
  warehouseId: string;
  merchantId: string;
  fulfilmentType: FulfilmentType;
  shippingFee: number;
  lines: PlannedSubOrderLine[];
}

/** An order line's figures once split: the sum of its pieces in the sub-orders. */
export interface SplitLineShares {
  shippingFeeShare: number;
  paidAmount: number;
}

export interface SplitPlan {
  subOrders: PlannedSubOrder[];
  lines: Map<string, SplitLineShares>;
}

/**
 * One sub-order per (warehouse, merchant, fulfilment type), in the order of their first line
 * so the "first sub-order" is stable (docs/domain.md §4).
 *
 * - A line served by several warehouses is cut by quantity, its merchandise (what it paid
 *   less its shipping share) apportioned to the cent.
 * - The order's shipping fee goes to the sub-orders by the configured rule.
 * - Each sub-order's fee is then apportioned over its own pieces by merchandise, and every
 *   order line's shipping share and paid amount become the sum of its pieces. At placement the
 *   fee was spread over every line because the warehouses were not known yet; from the split
 *   on, a line's figures agree with its sub-orders', and refunds use these (one source of truth).
 */
export function splitOrder(lines: SplittableLine[], shippingFee: number, mode: ShippingFeeSplit): SplitPlan {
  const groups = new Map<string, PlannedSubOrder>();
  for (const line of lines) {
    const allocations = [...line.allocations].sort((a, b) => a.warehouseId.localeCompare(b.warehouseId));
    const allocated = allocations.reduce((sum, allocation) => sum + allocation.quantity, 0);
    if (allocations.length === 0 || allocated !== line.quantity) {
      throw new Error(`line ${line.lineId} has ${allocated} of ${line.quantity} units allocated`);
    }
    const merchandise = line.paidAmount - line.shippingFeeShare;
    const amounts = apportion(
      merchandise,
      allocations.map((allocation) => allocation.quantity),
    );
    allocations.forEach((allocation, index) => {
      const key = `${allocation.warehouseId}|${line.merchantId}|${line.fulfilmentType}`;
      const group = groups.get(key) ?? {
        key,
        warehouseId: allocation.warehouseId,
        merchantId: line.merchantId,
        fulfilmentType: line.fulfilmentType,
        shippingFee: 0,
        lines: [],
      };
      group.lines.push({
        lineId: line.lineId,
        skuId: line.skuId,
        quantity: allocation.quantity,
        merchandise: amounts[index],
        shippingFeeShare: 0,
        paidAmount: amounts[index],
      });
      groups.set(key, group);
    });
  }
  const subOrders = [...groups.values()];
  const fees = allocateShippingToSubOrders(
    shippingFee,
    subOrders.map((subOrder) => subOrder.key),
    mode,
  );
  const shares = new Map<string, SplitLineShares>(lines.map((line) => [line.lineId, { shippingFeeShare: 0, paidAmount: 0 }]));
  for (const subOrder of subOrders) {
    subOrder.shippingFee = fees.get(subOrder.key) ?? 0;
    const pieceShares = apportion(
      subOrder.shippingFee,
      subOrder.lines.map((piece) => piece.merchandise),
    );
    subOrder.lines.forEach((piece, index) => {
      piece.shippingFeeShare = pieceShares[index];
      piece.paidAmount = piece.merchandise + piece.shippingFeeShare;
      const line = shares.get(piece.lineId)!;
      line.shippingFeeShare += piece.shippingFeeShare;
      line.paidAmount += piece.paidAmount;
    });
  }
  return { subOrders, lines: shares };
}
