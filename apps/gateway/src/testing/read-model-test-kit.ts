/**
 * The gateway's test kit for its read model: one order's events as orders, logistics, payments and
 * after-sales publish them, sent straight to their topics, and the read model's rows as the gateway
 * keeps them.
 */
import { randomUUID } from 'node:crypto';
import {
  type AfterSalesRequestChangedV1,
  type AfterSalesState,
  type EventDefinition,
  orderCancelled,
  orderPaid,
  orderPlaced,
  orderSplitV2,
  type ParcelState,
  parcelStateChanged,
  refundSucceeded,
  type SubOrderState,
  subOrderStateChanged,
} from '@mallard/contracts';
import { queryDatabase, sendEvent } from '@mallard/testing';

/** The events of one order, each sent as its owner would; ids are made up once, so a step can be sent again. */
export class OrderEvents {
  readonly subOrderIds: string[] = [];
  private readonly parcels = new Map<string, string>();

  constructor(
    readonly buyerId: string,
    readonly orderId: string = randomUUID(),
    readonly lines: readonly { quantity: number; paidAmountMinor: number }[] = [{ quantity: 2, paidAmountMinor: 5000 }],
  ) {}

  get payableMinor(): number {
    return this.lines.reduce((sum, line) => sum + line.paidAmountMinor, 0);
  }

  placed(placedAt: Date = new Date()): Promise<string> {
    return sendEvent(orderPlaced, this.orderId, {
      orderId: this.orderId,
      buyerId: this.buyerId,
      currency: 'CNY',
      payableMinor: this.payableMinor,
      lines: this.lines.map((line, index) => ({
        lineId: `line-${index}`,
        skuId: `SKU-${index}`,
        merchantId: 'mall',
        fulfilmentType: 'SELF_OPERATED' as const,
        stockPolicy: 'RESERVE_ON_ORDER' as const,
        quantity: line.quantity,
        paidAmountMinor: line.paidAmountMinor,
      })),
      placedAt: placedAt.toISOString(),
      paymentDueAt: new Date(placedAt.getTime() + 3_600_000).toISOString(),
    });
  }

  cancelled(): Promise<string> {
    return sendEvent(orderCancelled, this.orderId, {
      orderId: this.orderId,
      reason: 'SHOPPER_CANCELLED',
      cancelledAt: new Date().toISOString(),
    });
  }

  paid(): Promise<string> {
    return sendEvent(orderPaid, this.orderId, {
      orderId: this.orderId,
      paymentId: `pay-${this.orderId}`,
      lines: this.lines.map((line, index) => ({
        lineId: `line-${index}`,
        skuId: `SKU-${index}`,
        stockPolicy: 'RESERVE_ON_ORDER' as const,
        quantity: line.quantity,
      })),
    });
  }

  /** The id of sub-order number `index`, made on first use: logistics may report on it before the split arrives. */
  subOrderId(index: number): string {
    while (this.subOrderIds.length <= index) this.subOrderIds.push(randomUUID());
    return this.subOrderIds[index];
  }

  /** Splits the order into `count` sub-orders, one warehouse each. */
  split(count: number): Promise<string> {
    this.subOrderId(count - 1);
    return sendEvent(orderSplitV2, this.orderId, {
      orderId: this.orderId,
      buyerId: this.buyerId,
      currency: 'CNY',
      paidAt: new Date().toISOString(),
      receiver: { name: 'Li Lei', phone: '+8613800000000', address: { country: 'CN', city: 'Hangzhou', street: '1 Lake Road' } },
      subOrders: this.subOrderIds.slice(0, count).map((subOrderId, position) => ({
        subOrderId,
        position,
        warehouseId: `wh-${position}`,
        merchantId: 'mall',
        fulfilmentType: 'SELF_OPERATED' as const,
        shippingFeeMinor: 0,
        paidMinor: position === 0 ? this.payableMinor : 0,
        lines: [
          {
            lineId: randomUUID(),
            skuId: `SKU-${position}`,
            skuName: `SKU ${position}`,
            quantity: 1,
            merchandiseMinor: 0,
            shippingFeeShareMinor: 0,
            paidAmountMinor: 0,
          },
        ],
      })),
    });
  }

  /** Sub-order number `index` (of the split) moved to `to`, its `version`-th change. */
  subOrder(index: number, to: SubOrderState, version: number): Promise<string> {
    return sendEvent(subOrderStateChanged, this.orderId, {
      orderId: this.orderId,
      subOrderId: this.subOrderId(index),
      warehouseId: `wh-${index}`,
      merchantId: 'mall',
      fulfilmentType: 'SELF_OPERATED',
      to,
      version,
      actor: { kind: 'STAFF', id: 'picker-1' },
      changedAt: new Date().toISOString(),
    });
  }

  /** The parcel named `name` (made on first use) of sub-order number `index` moved to `to`, its `version`-th change. */
  parcel(name: string, index: number, to: ParcelState, version: number): Promise<string> {
    if (!this.parcels.has(name)) this.parcels.set(name, randomUUID());
    return sendEvent(parcelStateChanged, this.orderId, {
      orderId: this.orderId,
      subOrderId: this.subOrderId(index),
      parcelId: this.parcels.get(name)!,
      version,
      to,
      lines: [{ lineId: randomUUID(), skuId: `SKU-${index}`, quantity: 1 }],
      source: 'CARRIER',
      occurredAt: new Date().toISOString(),
    });
  }

  refunded(amountMinor: number, refundId: string = randomUUID(), reason = 'SHOPPER_RETURNED'): Promise<string> {
    return sendEvent(refundSucceeded, this.orderId, {
      orderId: this.orderId,
      refundId,
      paymentId: `pay-${this.orderId}`,
      amountMinor,
      currency: 'CNY',
      reason,
      parts: [{ tender: 'POINTS', amountMinor, points: amountMinor }],
      succeededAt: new Date().toISOString(),
    });
  }

  /** Step `version` of the after-sales request `requestId` of this order (`step`: after-sales.requested…), leaving it in `state`. */
  afterSales(
    step: EventDefinition<AfterSalesRequestChangedV1>,
    requestId: string,
    state: AfterSalesState,
    version: number,
  ): Promise<string> {
    return sendEvent(step, this.orderId, {
      requestId,
      orderId: this.orderId,
      buyerId: this.buyerId,
      merchantId: 'mall',
      type: 'RETURN_AND_REFUND',
      reason: 'DAMAGED',
      sellerAtFault: true,
      state,
      version,
      lines: [{ subOrderId: this.subOrderId(0), lineId: randomUUID(), skuId: 'SKU-0', quantity: 1 }],
      actor: { kind: version === 1 ? 'SHOPPER' : 'CUSTOMER_SERVICE', id: version === 1 ? this.buyerId : 'cs-1' },
      occurredAt: new Date().toISOString(),
    });
  }
}

export interface OrderViewRow {
  order_id: string;
  buyer_id: string | null;
  orders_state: string | null;
  shopper_status: string | null;
  interception_flag: string;
  refunded_flag: string;
  exception_flag: boolean;
  after_sales_flag: boolean;
  status_version: number;
}

/** The read model's row of each order (absent: not heard of), as the gateway's database has it. */
export async function orderViews(databaseName: string, orderIds: readonly string[]): Promise<Map<string, OrderViewRow>> {
  const rows = await queryDatabase<OrderViewRow>(
    databaseName,
    `SELECT order_id, buyer_id, orders_state, shopper_status, interception_flag, refunded_flag, exception_flag, after_sales_flag,
            status_version
     FROM order_view WHERE order_id = ANY($1::uuid[])`,
    [orderIds],
  );
  return new Map(rows.map((row) => [row.order_id, row]));
}
