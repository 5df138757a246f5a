import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { CREDIT_NOTE_REASONS, type CreditNoteReason } from '../api/invoices.responses.js';
import { BILLING_TYPES, type BillingType, COUNTRY_PATTERN } from '../billing.js';
import { CURRENCY_PATTERN, FULFILMENT_TYPES, type FulfilmentType, STOCK_POLICIES, type StockPolicy } from '../commerce.js';
import { defineEvent } from '../event-registry.js';
import { Topics } from '../topics.js';

export class OrderLineV1 {
  @IsString() lineId: string;
  @IsString() skuId: string;
  @IsString() merchantId: string;
  @IsIn(FULFILMENT_TYPES) fulfilmentType: FulfilmentType;
  @IsIn(STOCK_POLICIES) stockPolicy: StockPolicy;
  @IsInt() @Min(1) quantity: number;
  /** What the shopper pays for this line, after every discount and with its shipping share. */
  @IsInt() @Min(0) paidAmountMinor: number;
}

export class OrderPlacedV1 {
  @IsUUID() orderId: string;
  @IsString() buyerId: string;
  @Matches(CURRENCY_PATTERN) currency: string;
  @IsInt() @Min(0) payableMinor: number;
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => OrderLineV1) lines: OrderLineV1[];
  @IsISO8601() placedAt: string;
  /** The order is closed unpaid after this moment. */
  @IsISO8601() paymentDueAt: string;
}

export const orderPlaced = defineEvent({
  type: 'order.placed',
  version: 1,
  topic: Topics.orders,
  payload: OrderPlacedV1,
  description: 'A shopper placed a priced order; inventory holds its reserve-on-order lines. Key: orderId.',
});

export const ORDER_CANCEL_REASONS = ['SHOPPER_CANCELLED', 'PAYMENT_WINDOW_ELAPSED', 'STOCK_UNAVAILABLE', 'HOLD_EXPIRED'] as const;
export type OrderCancelReason = (typeof ORDER_CANCEL_REASONS)[number];

export class OrderCancelledV1 {
  @IsUUID() orderId: string;
  @IsIn(ORDER_CANCEL_REASONS) reason: OrderCancelReason;
  @IsISO8601() cancelledAt: string;
}

export const orderCancelled = defineEvent({
  type: 'order.cancelled',
  version: 1,
  topic: Topics.orders,
  payload: OrderCancelledV1,
  description: 'An unpaid order was closed; any stock held for it is released. Key: orderId.',
});

export class PaidLineV1 {
  @IsString() lineId: string;
  @IsString() skuId: string;
  @IsIn(STOCK_POLICIES) stockPolicy: StockPolicy;
  @IsInt() @Min(1) quantity: number;
}

export class OrderPaidV1 {
  @IsUUID() orderId: string;
  @IsString() paymentId: string;
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => PaidLineV1) lines: PaidLineV1[];
}

export const orderPaid = defineEvent({
  type: 'order.paid',
  version: 1,
  topic: Topics.orders,
  payload: OrderPaidV1,
  description: 'Payment for an order was accepted; inventory now deducts its stock. Key: orderId.',
});

export class SubOrderLineV1 {
  @IsString() lineId: string;
  @IsString() skuId: string;
  @IsInt() @Min(1) quantity: number;
  @IsInt() @Min(0) paidAmountMinor: number;
}

export class SubOrderV1 {
  @IsString() subOrderId: string;
  @IsString() warehouseId: string;
  @IsString() merchantId: string;
  @IsIn(FULFILMENT_TYPES) fulfilmentType: FulfilmentType;
  @IsInt() @Min(0) shippingFeeMinor: number;
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => SubOrderLineV1) lines: SubOrderLineV1[];
}

export class OrderSplitV1 {
  @IsUUID() orderId: string;
  @IsString() buyerId: string;
  @Matches(CURRENCY_PATTERN) currency: string;
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => SubOrderV1) subOrders: SubOrderV1[];
}

export const orderSplit = defineEvent({
  type: 'order.split',
  version: 1,
  topic: Topics.orders,
  payload: OrderSplitV1,
  description:
    'Superseded by v2, which orders publishes since; kept so that messages still on the topic decode. A paid order became sub-orders. Key: orderId.',
});

export class SplitAddressV2 {
  @Matches(/^[A-Z]{2}$/) country: string;
  @IsOptional() @IsString() province?: string;
  @IsString() city: string;
  @IsOptional() @IsString() district?: string;
  @IsString() street: string;
  @IsOptional() @IsString() postalCode?: string;
}

/** Who receives the parcels: not necessarily the buyer. */
export class SplitReceiverV2 {
  @IsString() name: string;
  @IsString() phone: string;
  @ValidateNested() @Type(() => SplitAddressV2) address: SplitAddressV2;
}

export class SplitDeliverySlotV2 {
  @Matches(/^\d{4}-\d{2}-\d{2}$/) date: string;
  @Matches(/^\d{2}:\d{2}$/) from: string;
  @Matches(/^\d{2}:\d{2}$/) to: string;
}

/** A sub-order's piece of an order line: `paidAmountMinor` = `merchandiseMinor` + `shippingFeeShareMinor`. */
export class SubOrderLineV2 {
  @IsString() lineId: string;
  @IsString() skuId: string;
  @IsString() skuName: string;
  @IsInt() @Min(1) quantity: number;
  @IsInt() @Min(0) merchandiseMinor: number;
  @IsInt() @Min(0) shippingFeeShareMinor: number;
  @IsInt() @Min(0) paidAmountMinor: number;
}

export class SubOrderV2 {
  @IsUUID() subOrderId: string;
  /** 0 for the first sub-order, the one that carries the shipping fee under FIRST_SUB_ORDER. */
  @IsInt() @Min(0) position: number;
  @IsString() warehouseId: string;
  @IsString() merchantId: string;
  @IsIn(FULFILMENT_TYPES) fulfilmentType: FulfilmentType;
  @IsInt() @Min(0) shippingFeeMinor: number;
  /** What the shopper paid for this sub-order: its lines' paid amounts, its shipping fee included. */
  @IsInt() @Min(0) paidMinor: number;
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => SubOrderLineV2) lines: SubOrderLineV2[];
}

export class OrderSplitV2 {
  @IsUUID() orderId: string;
  @IsString() buyerId: string;
  @Matches(CURRENCY_PATTERN) currency: string;
  /** When the payment succeeded: the third-party platform purchase window starts here. */
  @IsISO8601() paidAt: string;
  @ValidateNested() @Type(() => SplitReceiverV2) receiver: SplitReceiverV2;
  @IsOptional() @ValidateNested() @Type(() => SplitDeliverySlotV2) deliverySlot?: SplitDeliverySlotV2;
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => SubOrderV2) subOrders: SubOrderV2[];
}

export const orderSplitV2 = defineEvent({
  type: 'order.split',
  version: 2,
  topic: Topics.orders,
  payload: OrderSplitV2,
  description:
    'A paid order with its stock deducted became sub-orders, one per warehouse/merchant and fulfilment type, with the receiver, the delivery slot and what each line paid in each sub-order. Key: orderId.',
});

export const ORDER_FAILURE_REASONS = ['STOCK_UNAVAILABLE_AFTER_PAYMENT'] as const;

export class OrderFailedV1 {
  @IsUUID() orderId: string;
  @IsIn(ORDER_FAILURE_REASONS) reason: (typeof ORDER_FAILURE_REASONS)[number];
  @IsISO8601() failedAt: string;
}

export const orderFailed = defineEvent({
  type: 'order.failed',
  version: 1,
  topic: Topics.orders,
  payload: OrderFailedV1,
  description: 'A paid order could not be fulfilled; its money is refunded (see refund.requested). Key: orderId.',
});

export const REFUND_REASONS = [
  'STOCK_UNAVAILABLE_AFTER_PAYMENT',
  'PAID_AFTER_CLOSE',
  'ORDER_CANCELLED_AFTER_PAYMENT',
  /** A sub-order stopped by an interception (a shopper's cancel after payment). */
  'SUB_ORDER_STOPPED',
  /** A parcel the shopper rejected at the door. */
  'PARCEL_REJECTED',
] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];

export class RefundRequestedV1 {
  @IsUUID() orderId: string;
  /** Idempotency handle for payments: one refund per id, however often the event arrives. */
  @IsString() refundId: string;
  @IsOptional() @IsString() paymentId?: string;
  @IsInt() @Min(1) amountMinor: number;
  @Matches(CURRENCY_PATTERN) currency: string;
  @IsIn(REFUND_REASONS) reason: RefundReason;
  /** The sub-order the refund is for, when it is for one (SUB_ORDER_STOPPED, PARCEL_REJECTED). */
  @IsOptional() @IsUUID() subOrderId?: string;
  /** The rejected parcel (PARCEL_REJECTED). */
  @IsOptional() @IsUUID() parcelId?: string;
}

export const refundRequested = defineEvent({
  type: 'refund.requested',
  version: 1,
  topic: Topics.orders,
  payload: RefundRequestedV1,
  description: 'Orders asks payments to give money back along the original route. Key: orderId.',
});

export class OrderInterceptionRequestedV1 {
  @IsUUID() orderId: string;
  @IsString() buyerId: string;
  @IsISO8601() requestedAt: string;
}

export const orderInterceptionRequested = defineEvent({
  type: 'order.interception-requested',
  version: 1,
  topic: Topics.orders,
  payload: OrderInterceptionRequestedV1,
  description:
    'The shopper cancelled a paid order: logistics asks each of its sub-orders to stop. Published after order.split, once. Key: orderId.',
});

export const RESTOCK_REASONS = [
  /** A sub-order stopped before any of it left: its deducted units go back on the shelf. */
  'SUB_ORDER_STOPPED',
  /** A parcel came back to us (RETURNED_TO_SENDER). */
  'PARCEL_RETURNED',
] as const;
export type RestockReason = (typeof RESTOCK_REASONS)[number];

export class RestockLineV1 {
  @IsString() skuId: string;
  @IsInt() @Min(1) quantity: number;
}

export class RestockRequestedV1 {
  @IsUUID() orderId: string;
  /** Idempotency handle for inventory: one restock per id, however often the event arrives. */
  @IsString() restockId: string;
  @IsString() warehouseId: string;
  @IsIn(RESTOCK_REASONS) reason: RestockReason;
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => RestockLineV1) lines: RestockLineV1[];
}

export const restockRequested = defineEvent({
  type: 'restock.requested',
  version: 1,
  topic: Topics.orders,
  payload: RestockRequestedV1,
  description:
    'Units of a paid order come back to a warehouse (a stopped sub-order, a returned parcel); inventory books a RETURN. Key: orderId.',
});

/** A line as priced at purchase, with its shares after the split (docs/domain.md §2). */
export class PurchasedLineV1 {
  @IsUUID() lineId: string;
  @IsString() skuId: string;
  @IsString() skuName: string;
  @IsString() merchantId: string;
  @IsInt() @Min(0) unitPriceMinor: number;
  @IsInt() @Min(1) quantity: number;
  @IsInt() @Min(0) itemDiscountMinor: number;
  @IsInt() @Min(0) orderDiscountShareMinor: number;
  @IsInt() @Min(0) shippingFeeShareMinor: number;
  /** unitPrice × quantity − itemDiscount − orderDiscountShare + shippingFeeShare. */
  @IsInt() @Min(0) paidAmountMinor: number;
}

/** A sub-order's piece of a line: what it paid for its goods and its share of the sub-order's fee. */
export class PurchasedPieceV1 {
  @IsUUID() lineId: string;
  @IsInt() @Min(1) quantity: number;
  @IsInt() @Min(0) merchandiseMinor: number;
  @IsInt() @Min(0) shippingFeeShareMinor: number;
}

export class PurchasedSubOrderV1 {
  @IsUUID() subOrderId: string;
  @IsString() warehouseId: string;
  @IsString() merchantId: string;
  @IsIn(FULFILMENT_TYPES) fulfilmentType: FulfilmentType;
  @IsInt() @Min(0) shippingFeeMinor: number;
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => PurchasedPieceV1) pieces: PurchasedPieceV1[];
}

export class ShippingTermsV1 {
  @IsInt() @Min(0) flatFeeMinor: number;
  /** Merchandise at or above this shipped free; absent: the fee was always charged. */
  @IsOptional() @IsInt() @Min(0) freeFromMinor?: number;
}

/**
 * The rules the order was priced with, kept as of the purchase: the order promotions in force
 * (pricing's OrderPromotion rules), the coupon's rule when one applied, and the shipping rule.
 * The rules are @mallard/pricing's shapes; a consumer validates them with pricing's validators.
 */
export class PricingTermsV1 {
  @IsArray() @IsObject({ each: true }) orderPromotions: Record<string, unknown>[];
  @IsOptional() @IsObject() coupon?: Record<string, unknown>;
  @ValidateNested() @Type(() => ShippingTermsV1) shipping: ShippingTermsV1;
}

export class OrderPurchaseRecordedV1 {
  @IsUUID() orderId: string;
  @IsString() buyerId: string;
  @Matches(CURRENCY_PATTERN) currency: string;
  @IsISO8601() paidAt: string;
  /** The order's shipping fee: its sub-orders' fees summed. */
  @IsInt() @Min(0) shippingFeeMinor: number;
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => PurchasedLineV1) lines: PurchasedLineV1[];
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => PurchasedSubOrderV1) subOrders: PurchasedSubOrderV1[];
  @ValidateNested() @Type(() => PricingTermsV1) terms: PricingTermsV1;
}

export const orderPurchaseRecorded = defineEvent({
  type: 'order.purchase-recorded',
  version: 1,
  topic: Topics.orders,
  payload: OrderPurchaseRecordedV1,
  description:
    'A paid order was split: what each line and each sub-order paid, and the promotion, coupon and shipping rules it was priced with; after-sales refunds from these figures. Published with order.split. Key: orderId.',
});

export const COMPENSATION_KINDS = ['SUB_ORDER_STOPPED', 'PARCEL_REJECTED', 'PARCEL_RETURNED'] as const;
export type CompensationKind = (typeof COMPENSATION_KINDS)[number];

export class CompensatedLineV1 {
  @IsUUID() lineId: string;
  @IsString() skuId: string;
  @IsInt() @Min(1) quantity: number;
  /** What these units paid for their goods and were refunded (0 for PARCEL_RETURNED: its refusal refunded them). */
  @IsInt() @Min(0) amountMinor: number;
}

export class OrderCompensatedV1 {
  @IsUUID() orderId: string;
  /** `<kind>:<sub-order or parcel id>`: one per cause. */
  @IsString() compensationId: string;
  @IsIn(COMPENSATION_KINDS) kind: CompensationKind;
  @IsUUID() subOrderId: string;
  @IsOptional() @IsUUID() parcelId?: string;
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => CompensatedLineV1) lines: CompensatedLineV1[];
  /** The sub-order's shipping fee given back with it. */
  @IsInt() @Min(0) shippingFeeRefundedMinor: number;
  /** Everything refunded: the lines' amounts and the fee. */
  @IsInt() @Min(0) refundMinor: number;
  @IsISO8601() compensatedAt: string;
}

export const orderCompensated = defineEvent({
  type: 'order.compensated',
  version: 1,
  topic: Topics.orders,
  payload: OrderCompensatedV1,
  description:
    'Orders gave units of a paid order back without an after-sales request: a sub-order stopped, a parcel refused at the door, or one returned to sender (restocked, refunded by its refusal). Key: orderId.',
});

/** The billing details as they are after the change (docs/domain.md §1). */
export class OrderBillingChangedV1 {
  @IsUUID() orderId: string;
  @IsString() buyerId: string;
  /** 2 for the first change after placement (or 1 when the order had none), one more each time: the newest wins. */
  @IsInt() @Min(1) version: number;
  @IsIn(BILLING_TYPES) type: BillingType;
  @IsString() title: string;
  /** Null for a person who gave none. */
  @IsOptional() @IsString() taxId: string | null;
  @Matches(COUNTRY_PATTERN) country: string;
  @IsEmail() email: string;
  @IsISO8601() changedAt: string;
}

export const orderBillingChanged = defineEvent({
  type: 'order.billing-changed',
  version: 1,
  topic: Topics.orders,
  payload: OrderBillingChangedV1,
  description:
    'The shopper set or changed an order’s billing details (who the invoice is made out to), with the whole details as they are now and their version. Not published for the details given at placement: those are on the order. Key: orderId.',
});

/** An invoice or credit note as issued: what a mailer, a ledger or a tax filing needs to fetch it. */
class IssuedDocumentV1 {
  /** `<issuer>-<sequence>`: gap-free per issuer, invoices and credit notes alike. */
  @IsString() number: string;
  @IsString() issuerId: string;
  @IsInt() @Min(1) sequence: number;
  @IsUUID() orderId: string;
  @IsString() buyerId: string;
  @IsUUID() subOrderId: string;
  @IsString() merchantId: string;
  @Matches(CURRENCY_PATTERN) currency: string;
  @IsInt() totalMinor: number;
  @IsInt() taxMinor: number;
  /** Where the electronic document goes (the billing details' email). */
  @IsEmail() email: string;
  @IsISO8601() issuedAt: string;
}

export class InvoiceIssuedV1 extends IssuedDocumentV1 {
  /** The invoice it replaces, when staff reissued it. */
  @IsOptional() @IsString() replaces?: string;
}

export const invoiceIssued = defineEvent({
  type: 'invoice.issued',
  version: 1,
  topic: Topics.orders,
  payload: InvoiceIssuedV1,
  description:
    'A sub-order’s invoice was issued (its goods delivered, the shopper asked, or staff issued or reissued it), made out to the order’s billing details; fetch it as JSON or PDF at GET /api/v1/invoices/{number}. Key: orderId.',
});

export class CreditNoteIssuedV1 extends IssuedDocumentV1 {
  /** The invoice it corrects. */
  @IsString() corrects: string;
  @IsIn(CREDIT_NOTE_REASONS) reason: CreditNoteReason;
  /** The refund it follows (reason REFUND). */
  @IsOptional() @IsString() refundId?: string;
}

export const creditNoteIssued = defineEvent({
  type: 'credit-note.issued',
  version: 1,
  topic: Topics.orders,
  payload: CreditNoteIssuedV1,
  description:
    'A credit note was issued against an invoice: for a refund made after it (its lines are the refund’s breakdown, totalMinor is minus the refund’s share of this sub-order) or for the invoice’s replacement by staff. Key: orderId.',
});

export const ORDER_EVENTS = [
  orderPlaced,
  orderCancelled,
  orderPaid,
  orderSplit,
  orderSplitV2,
  orderFailed,
  refundRequested,
  orderInterceptionRequested,
  restockRequested,
  orderPurchaseRecorded,
  orderCompensated,
  orderBillingChanged,
  invoiceIssued,
  creditNoteIssued,
];
