import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BILLING_TYPES, type BillingType } from '../billing.js';
import {
  FULFILMENT_TYPES,
  type FulfilmentType,
  PAYMENT_METHODS,
  type PaymentMethod,
  STOCK_POLICIES,
  type StockPolicy,
} from '../commerce.js';
import { nullableObject } from './nullable-object.js';
import {
  INTERCEPTION_FLAGS,
  type InterceptionFlag,
  REFUNDED_FLAGS,
  type RefundedFlag,
  SHOPPER_ORDER_STATUSES,
  type ShopperOrderStatus,
} from './shopper-status.js';

/**
 * The answers of the orders API as they travel on the wire (apps/orders order.view.ts and the
 * gateway's "buy again"). Money is integer minor units of the order's `currency`; instants are
 * ISO 8601 strings.
 */

/** The parent order's life (apps/orders order-state.ts). */
export const ORDER_STATES = ['PLACED', 'AWAITING_PAYMENT', 'PAID', 'SPLIT', 'CANCELLED', 'FAILED'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

/** How a line of an old order compares with today's catalogue and stock. */
export const REORDER_LINE_STATUSES = ['OK', 'OFF_SHELF', 'INSUFFICIENT_STOCK', 'PRICE_CHANGED', 'DISCONTINUED'] as const;
export type ReorderLineStatus = (typeof REORDER_LINE_STATUSES)[number];

const UUID_EXAMPLE = '0b8e6f1c-4a1d-4c53-9a57-2f0d5f4c7e21';

export class AddressResponse {
  @ApiProperty({ example: 'CN' }) country: string;
  @ApiPropertyOptional({ example: 'Zhejiang' }) province?: string;
  @ApiProperty({ example: 'Hangzhou' }) city: string;
  @ApiPropertyOptional({ example: 'Xihu' }) district?: string;
  @ApiProperty({ example: '18 Wensan Road' }) street: string;
  @ApiPropertyOptional({ example: '310000' }) postalCode?: string;
}

export class ReceiverResponse {
  @ApiProperty({ example: 'Li Lei' }) name: string;
  @ApiProperty({ example: '+8613800000000' }) phone: string;
  @ApiProperty({ type: () => AddressResponse }) address: AddressResponse;
}

export class DeliverySlotResponse {
  @ApiProperty({ example: '2026-12-01', description: 'A calendar day, YYYY-MM-DD' }) date: string;
  @ApiProperty({ example: '09:00' }) from: string;
  @ApiProperty({ example: '12:00' }) to: string;
}

/** Who the invoice is made out to (docs/domain.md §1). */
export class BillingDetailsResponse {
  @ApiProperty({ enum: BILLING_TYPES }) type: BillingType;
  @ApiProperty({ example: 'Hangzhou Longjing Teahouse Co., Ltd.', description: 'The person’s or the company’s name' }) title: string;
  @ApiProperty({ type: 'string', nullable: true, example: '91350100M000100Y43', description: 'Null for a person who gave none' })
  taxId: string | null;
  @ApiProperty({ example: 'CN', description: 'The tax id’s country, ISO 3166-1 alpha-2' }) country: string;
  @ApiProperty({ format: 'email', example: 'invoices@longjing.example', description: 'Where the electronic invoice is sent' })
  email: string;
  @ApiProperty({ type: 'integer', example: 1, description: '1 as placed, one more with each change' }) version: number;
  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:00:00.000Z' }) updatedAt: string;
}

export class OrderAmountsResponse {
  @ApiProperty({ type: 'integer', example: 12800, description: 'Sum of the lines before any discount' }) itemsTotal: number;
  @ApiProperty({ type: 'integer', example: 500, description: 'Discounts on single items' }) itemDiscount: number;
  @ApiProperty({ type: 'integer', example: 1000, description: 'Discounts on the whole order (promotion and coupon)' })
  orderDiscount: number;
  @ApiProperty({ type: 'integer', example: 800 }) shippingFee: number;
  @ApiProperty({ type: 'integer', example: 12100, description: 'What the shopper pays' }) payable: number;
}

export class AppliedDiscountResponse {
  @ApiProperty({ enum: ['promotion', 'coupon'] }) source: 'promotion' | 'coupon';
  @ApiProperty({ description: 'The promotion id, or the coupon code', example: 'WELCOME10' }) id: string;
  @ApiProperty({ description: 'The kind of the promotion or coupon', example: 'THRESHOLD' }) kind: string;
  @ApiProperty({ type: 'integer', example: 1000 }) discountMinor: number;
}

export class LineAllocationResponse {
  @ApiProperty({ example: 'WH-HZ-1' }) warehouseId: string;
  @ApiProperty({ type: 'integer', example: 2 }) quantity: number;
}

export class OrderLineResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id: string;
  @ApiProperty({ example: 'SKU-TEA-001' }) skuId: string;
  @ApiProperty({ description: 'The SKU’s name when the order was placed', example: 'Longjing tea 250 g' }) name: string;
  @ApiProperty({ example: 'M-1' }) merchantId: string;
  @ApiProperty({ enum: FULFILMENT_TYPES }) fulfilmentType: FulfilmentType;
  @ApiProperty({ enum: STOCK_POLICIES }) stockPolicy: StockPolicy;
  @ApiProperty({ type: 'integer', example: 2 }) quantity: number;
  @ApiProperty({ type: 'integer', example: 4500 }) unitPrice: number;
  @ApiProperty({ type: 'integer', example: 9000, description: 'unitPrice × quantity' }) lineAmount: number;
  @ApiProperty({ type: 'integer', example: 500 }) itemDiscount: number;
  @ApiProperty({ type: 'integer', example: 700, description: 'This line’s share of the order discount' }) orderDiscountShare: number;
  @ApiProperty({ type: 'integer', example: 560, description: 'This line’s share of the shipping fee' }) shippingFeeShare: number;
  @ApiProperty({ type: 'integer', example: 8360, description: 'lineAmount − itemDiscount − orderDiscountShare + shippingFeeShare' })
  paidAmount: number;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 1300,
    description: 'The tax rate included in the price when the order was placed, in basis points (1300 = 13 %); null when not known',
  })
  taxRateBasisPoints: number | null;
  @ApiProperty({ type: () => [LineAllocationResponse], description: 'The warehouses serving the line, once inventory allocated it' })
  allocations: LineAllocationResponse[];
}

export class SubOrderLineResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE, description: 'The order line this part comes from' }) lineId: string;
  @ApiProperty({ example: 'SKU-TEA-001' }) skuId: string;
  @ApiProperty({ type: 'integer', example: 2 }) quantity: number;
  @ApiProperty({ type: 'integer', example: 7560, description: 'What these units cost after every discount' }) merchandise: number;
  @ApiProperty({ type: 'integer', example: 800, description: 'Their share of the sub-order’s shipping fee' }) shippingFeeShare: number;
  @ApiProperty({ type: 'integer', example: 8360, description: 'merchandise + shippingFeeShare: what a refund of these units gives back' })
  paidAmount: number;
}

/** The part of a paid order one warehouse or merchant fulfils in one way. */
export class CompensatedLineResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) lineId: string;
  @ApiProperty({ type: 'integer', example: 1 }) quantity: number;
}

/** What orders gave back for part of a sub-order: the refund it asked payments for and the units it restocked. */
export class SubOrderCompensationResponse {
  @ApiProperty({
    enum: ['SUB_ORDER_STOPPED', 'PARCEL_REJECTED', 'PARCEL_RETURNED'],
    description: 'Stopped by an interception; a parcel refused (refunded); a parcel back with us (restocked, no money)',
  })
  kind: 'SUB_ORDER_STOPPED' | 'PARCEL_REJECTED' | 'PARCEL_RETURNED';
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: UUID_EXAMPLE }) parcelId: string | null;
  @ApiProperty({ type: 'integer', example: 2665, description: 'Refunded along the original route, the shipping fee included' })
  refundAmount: number;
  @ApiProperty({ type: 'integer', example: 365, description: 'Of which the sub-order’s shipping fee' }) shippingFeeRefunded: number;
  @ApiProperty({ type: () => [CompensatedLineResponse] }) lines: CompensatedLineResponse[];
  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:11:12.000Z' }) at: string;
}

export class SubOrderResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id: string;
  @ApiProperty({ example: 'WH-HZ-1' }) warehouseId: string;
  @ApiProperty({ example: 'M-1' }) merchantId: string;
  @ApiProperty({ enum: FULFILMENT_TYPES }) fulfilmentType: FulfilmentType;
  @ApiProperty({ type: 'integer', example: 800, description: 'Spread over its lines’ shippingFeeShare' }) shippingFee: number;
  @ApiProperty({ type: () => [SubOrderLineResponse] }) lines: SubOrderLineResponse[];
  @ApiProperty({
    type: () => [SubOrderCompensationResponse],
    description: 'What was refunded or restocked for it, oldest first: a stop after the shopper cancelled, a refused or returned parcel',
  })
  compensations: SubOrderCompensationResponse[];
}

export class OrderStateChangeResponse {
  @ApiProperty({ enum: [...ORDER_STATES, null], nullable: true, type: 'string', description: 'Null for the placement itself' })
  from: OrderState | null;
  @ApiProperty({ enum: ORDER_STATES }) to: OrderState;
  @ApiProperty({ type: 'string', nullable: true, example: 'paid' }) reason: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:11:12.000Z' }) at: string;
}

/** An order with its lines, amounts, sub-orders and history. */
/** What else a shopper should know of an order, beside its status (docs/logistics.md, "The shopper's order status"). */
export class ShopperStatusFlagsResponse {
  @ApiProperty({ enum: INTERCEPTION_FLAGS, description: 'Where a cancel after payment stands' }) interception: InterceptionFlag;
  @ApiProperty({ enum: REFUNDED_FLAGS, description: 'How much of what was paid came back' }) refunded: RefundedFlag;
  @ApiProperty({ example: false, description: 'A parcel needs attention (a carrier exception, a failed delivery, lost)' })
  exception: boolean;
  @ApiProperty({ example: false, description: 'An after-sales case is open' }) afterSales: boolean;
}

const SHOPPER_STATUS_DESCRIPTION =
  'The one status a shopper sees, rolled up from the sub-orders and parcels (docs/logistics.md); `state` is orders’ own saga state';

export class OrderResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id: string;
  @ApiProperty({ example: 'alice' }) buyerId: string;
  @ApiProperty({ enum: SHOPPER_ORDER_STATUSES, description: SHOPPER_STATUS_DESCRIPTION }) status: ShopperOrderStatus;
  @ApiProperty({ type: () => ShopperStatusFlagsResponse }) flags: ShopperStatusFlagsResponse;
  @ApiProperty({ enum: ORDER_STATES }) state: OrderState;
  @ApiProperty({ type: 'string', nullable: true, example: null, description: 'Why the order is where it is (cancel or failure reason)' })
  stateReason: string | null;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ enum: PAYMENT_METHODS }) paymentMethod: PaymentMethod;
  @ApiProperty({ type: 'string', nullable: true, example: 'WELCOME10' }) couponCode: string | null;
  @ApiProperty({ type: () => ReceiverResponse }) receiver: ReceiverResponse;
  @ApiProperty(nullableObject(DeliverySlotResponse)) deliverySlot: DeliverySlotResponse | null;
  @ApiProperty(nullableObject(BillingDetailsResponse, 'Who the invoice is made out to; null when the shopper gave no billing details'))
  billing: BillingDetailsResponse | null;
  @ApiProperty({ type: () => OrderAmountsResponse }) amounts: OrderAmountsResponse;
  @ApiProperty({ type: () => [AppliedDiscountResponse] }) appliedDiscounts: AppliedDiscountResponse[];
  @ApiProperty({ type: () => [OrderLineResponse] }) lines: OrderLineResponse[];
  @ApiProperty({ type: () => [SubOrderResponse], description: 'Empty until the order is paid and split' }) subOrders: SubOrderResponse[];
  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:00:00.000Z' }) placedAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:30:00.000Z' }) paymentDueAt: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2026-11-25T10:11:12.000Z' }) paidAt: string | null;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    example: '2026-11-25T10:20:00.000Z',
    description: 'When the shopper cancelled after paying: each sub-order is asked to stop (docs/logistics.md, "Interception")',
  })
  interceptionRequestedAt: string | null;
  @ApiProperty({ type: () => [OrderStateChangeResponse], description: 'Every change of state, oldest first' })
  history: OrderStateChangeResponse[];
}

/** One order in the shopper's list. */
export class OrderSummaryResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id: string;
  @ApiProperty({ enum: SHOPPER_ORDER_STATUSES, description: SHOPPER_STATUS_DESCRIPTION }) status: ShopperOrderStatus;
  @ApiProperty({ type: () => ShopperStatusFlagsResponse }) flags: ShopperStatusFlagsResponse;
  @ApiProperty({ enum: ORDER_STATES }) state: OrderState;
  @ApiProperty({ type: 'string', nullable: true, example: 'SHOPPER_CANCELLED' }) stateReason: string | null;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ type: 'integer', example: 12100 }) payable: number;
  @ApiProperty({ type: 'integer', example: 3, description: 'Units over all lines' }) itemCount: number;
  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:00:00.000Z' }) placedAt: string;
}

/** GET /api/v1/me/order-counts: how many of the shopper's orders are in each status. */
export class OrderCountsResponse {
  @ApiProperty({ type: 'integer', example: 1 }) PENDING_PAYMENT: number;
  @ApiProperty({ type: 'integer', example: 0 }) PAID: number;
  @ApiProperty({ type: 'integer', example: 0 }) PARTIALLY_SHIPPED: number;
  @ApiProperty({ type: 'integer', example: 2 }) SHIPPED: number;
  @ApiProperty({ type: 'integer', example: 0 }) PARTIALLY_DELIVERED: number;
  @ApiProperty({ type: 'integer', example: 5 }) DELIVERED: number;
  @ApiProperty({ type: 'integer', example: 12 }) COMPLETED: number;
  @ApiProperty({ type: 'integer', example: 1 }) CANCELLED: number;
  @ApiProperty({ type: 'integer', example: 3 }) CLOSED: number;
}

/**
 * The data of one event of GET /api/v1/orders/{id}/status-stream (text/event-stream, event type
 * `status`): the order's shopper status and flags as they are now.
 */
export class OrderStatusEventResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) orderId: string;
  @ApiProperty({ enum: SHOPPER_ORDER_STATUSES, description: 'The one status a shopper sees, rolled up from the sub-orders and parcels' })
  status: ShopperOrderStatus;
  @ApiProperty({ type: () => ShopperStatusFlagsResponse }) flags: ShopperStatusFlagsResponse;
}

/** A page of the shopper's orders, newest first. */
export class OrderPageResponse {
  @ApiProperty({ type: () => [OrderSummaryResponse] }) items: OrderSummaryResponse[];
  @ApiProperty({ type: 'integer', example: 1 }) page: number;
  @ApiProperty({ type: 'integer', example: 20 }) pageSize: number;
  @ApiProperty({ type: 'integer', example: 42, description: 'The shopper’s orders over all pages' }) total: number;
}

/** One order customer service found (GET /api/v1/admin/orders): as a shopper's list shows it, with whose it is. */
export class StaffOrderSummaryResponse extends OrderSummaryResponse {
  @ApiProperty({ example: 'alice', description: 'The buyer who placed it' }) buyerId: string;
}

/** GET /api/v1/admin/orders: one page of the orders a buyer placed, or of the orders whose parcels carry a tracking number. */
export class StaffOrderPageResponse {
  @ApiProperty({ type: () => [StaffOrderSummaryResponse] }) items: StaffOrderSummaryResponse[];
  @ApiProperty({ type: 'integer', example: 1 }) page: number;
  @ApiProperty({ type: 'integer', example: 20 }) pageSize: number;
  @ApiProperty({ type: 'integer', example: 3, description: 'The orders found, over all pages' }) total: number;
}

/** One line of an old order checked against today's catalogue and stock. */
export class ReorderLineResponse {
  @ApiProperty({ example: 'SKU-CUP-002' }) skuId: string;
  @ApiProperty({ description: 'Today’s name, or the old one for a SKU that is gone', example: 'Celadon cup' }) name: string;
  @ApiProperty({ type: 'integer', example: 1 }) quantity: number;
  @ApiProperty({ enum: REORDER_LINE_STATUSES, description: 'The first check that fails, or OK' }) status: ReorderLineStatus;
  @ApiProperty({ type: 'integer', example: 4500 }) oldUnitPrice: number;
  @ApiProperty({ type: 'integer', nullable: true, example: 4700, description: 'Null for a discontinued SKU' }) newUnitPrice: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 12, description: 'Units available now; null for a discontinued SKU' })
  available: number | null;
}

/** "Buy again": every old line with its status, and the new order when one was placed. */
export class ReorderResponse {
  @ApiProperty({ type: () => [ReorderLineResponse] }) proposal: ReorderLineResponse[];
  @ApiProperty(nullableObject(OrderResponse, 'The order of the OK lines, when "place" was asked for'))
  order: OrderResponse | null;
}
