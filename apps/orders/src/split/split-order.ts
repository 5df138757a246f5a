import type { FulfilmentType } from '@mallard/contracts';
import { apportion } from '@mallard/money';
import type { ShippingFeeSplit } from '../config/orders-config.js';
import { allocateShippingToSubOrders } from '../pricing/index.js';

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

export interface PlannedSubOrder {
  key: string;
  warehouseId: string;
  merchantId: string;
  fulfilmentType: FulfilmentType;
  shippingFee: number;
  lines: { lineId: string; skuId: string; quantity: number; paidAmount: number }[];
}

/**
 * One sub-order per (warehouse, merchant, fulfilment type). A line served by several
 * warehouses is cut by quantity, its merchandise amount apportioned to the cent; the order's
 * shipping fee goes to the sub-orders per the configured rule. Sub-orders come in the order of
 * their first line, so the "first sub-order" is stable.
 */
export function splitOrder(lines: SplittableLine[], shippingFee: number, mode: ShippingFeeSplit): PlannedSubOrder[] {
  const groups = new Map<string, PlannedSubOrder>();
  for (const line of lines) {
    const allocations = [...line.allocations].sort((a, b) => a.warehouseId.localeCompare(b.warehouseId));
    const allocated = allocations.reduce((sum, allocation) => sum + allocation.quantity, 0);
    if (allocations.length === 0 || allocated !== line.quantity) {
      throw new Error(`line ${line.lineId} has ${allocated} of ${line.quantity} units allocated`);
    }
    // The shipping share is carried by the sub-orders' own fee, not by their lines.
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
      group.lines.push({ lineId: line.lineId, skuId: line.skuId, quantity: allocation.quantity, paidAmount: amounts[index] });
      groups.set(key, group);
    });
  }
  const subOrders = [...groups.values()];
  const fees = allocateShippingToSubOrders(
    shippingFee,
    subOrders.map((subOrder) => subOrder.key),
    mode,
  );
  for (const subOrder of subOrders) subOrder.shippingFee = fees.get(subOrder.key) ?? 0;
  return subOrders;
}
