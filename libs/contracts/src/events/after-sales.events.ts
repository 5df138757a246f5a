import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  AFTER_SALES_ACTOR_KINDS,
  AFTER_SALES_REASONS,
  AFTER_SALES_STATES,
  AFTER_SALES_TYPES,
  type AfterSalesActorKind,
  type AfterSalesReason,
  type AfterSalesState,
  type AfterSalesType,
  RETURN_PARCEL_BOOKERS,
  type ReturnParcelBooker,
} from '../after-sales.js';
import { CURRENCY_PATTERN } from '../commerce.js';
import { defineEvent, type EventDefinition } from '../event-registry.js';
import { Topics } from '../topics.js';
import { RestockRequestedV1 } from './orders.events.js';

export class AfterSalesActorV1 {
  @IsIn(AFTER_SALES_ACTOR_KINDS) kind: AfterSalesActorKind;
  @IsOptional() @IsString() id?: string;
}

/** The parcel the goods come back in, as the shopper or the merchant named it. */
export class AfterSalesReturnParcelV1 {
  @IsString() carrierCode: string;
  @IsString() trackingNumber: string;
  @IsIn(RETURN_PARCEL_BOOKERS) bookedBy: ReturnParcelBooker;
  /** A booked pickup's time. */
  @IsOptional() @IsISO8601() pickupAt?: string;
}

export class AfterSalesUnitsV1 {
  @IsUUID() subOrderId: string;
  @IsUUID() lineId: string;
  @IsString() skuId: string;
  @IsInt() @Min(1) quantity: number;
}

/**
 * Every step of an after-sales request is published with the request as it stands after it, so a
 * reader (the gateway's read model) needs no other source: `version` goes up by one per step, and
 * the newest wins whatever the arrival order.
 */
export class AfterSalesRequestChangedV1 {
  @IsUUID() requestId: string;
  @IsUUID() orderId: string;
  @IsString() buyerId: string;
  @IsString() merchantId: string;
  @IsIn(AFTER_SALES_TYPES) type: AfterSalesType;
  @IsIn(AFTER_SALES_REASONS) reason: AfterSalesReason;
  @IsBoolean() sellerAtFault: boolean;
  @IsOptional() @IsIn(AFTER_SALES_STATES) from?: AfterSalesState;
  @IsIn(AFTER_SALES_STATES) state: AfterSalesState;
  @IsInt() @Min(1) version: number;
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => AfterSalesUnitsV1) lines: AfterSalesUnitsV1[];
  @ValidateNested() @Type(() => AfterSalesActorV1) actor: AfterSalesActorV1;
  /** Staff's reason or note, a rejection's reason. */
  @IsOptional() @IsString() @MaxLength(1000) note?: string;
  /** What the shopper gets back, once calculated. */
  @IsOptional() @IsInt() @Min(0) refundMinor?: number;
  /** Once the goods are on their way back; logistics follows it by the carriers' webhooks. */
  @IsOptional() @ValidateNested() @Type(() => AfterSalesReturnParcelV1) returnParcel?: AfterSalesReturnParcelV1;
  @IsISO8601() occurredAt: string;
}

const step = (type: string, description: string): EventDefinition<AfterSalesRequestChangedV1> =>
  defineEvent({
    type,
    version: 1,
    topic: Topics.afterSales,
    payload: AfterSalesRequestChangedV1,
    description: `${description} Key: orderId.`,
  });

export const afterSalesRequested = step(
  'after-sales.requested',
  'A shopper asked for a refund, a return or an exchange of delivered units.',
);
export const afterSalesEvidenceRequested = step(
  'after-sales.evidence-requested',
  'Customer service asked the shopper for more evidence before deciding.',
);
export const afterSalesEvidenceAdded = step(
  'after-sales.evidence-added',
  'The shopper added evidence: a request that waited for it is back in the queue (from AWAITING_EVIDENCE), one waiting for a decision stays REQUESTED.',
);
export const afterSalesApproved = step(
  'after-sales.approved',
  'Customer service (or an auto-approval rule) approved the request: a refund follows, or a return parcel is expected.',
);
export const afterSalesRejected = step('after-sales.rejected', 'The request was rejected, with the reason.');
export const afterSalesReturnShipped = step(
  'after-sales.return-shipped',
  'The goods are on their way back: the shopper sent the return parcel, or the merchant booked a pickup (returnParcel: carrier and tracking number).',
);
export const afterSalesReturnReceived = step('after-sales.return-received', 'The warehouse received the return parcel.');
export const afterSalesInspected = step(
  'after-sales.inspected',
  'The warehouse inspected the returned goods: passed goods went back to sellable stock, failed ones to damaged.',
);
export const afterSalesRefunded = step('after-sales.refunded', 'Payments gave the request’s refund back along the original route.');
export const afterSalesExchanged = step('after-sales.exchanged', 'A replacement sub-order was made for the returned units.');
export const afterSalesExchangeFailed = step(
  'after-sales.exchange-failed',
  'No warehouse of the merchant had the whole replacement: the exchange is refunded instead.',
);
export const afterSalesClosed = step(
  'after-sales.closed',
  'The request ended without a refund (a return received without refunding it, or failed inspection), with the reason.',
);

export class AfterSalesRefundLineV1 {
  @IsUUID() subOrderId: string;
  @IsUUID() lineId: string;
  @IsString() skuId: string;
  @IsInt() @Min(1) quantity: number;
  @IsInt() @Min(0) paidMinor: number;
  @IsInt() @Min(0) clawbackMinor: number;
  @IsInt() @Min(0) releasedMinor: number;
  @IsInt() @Min(0) shippingMinor: number;
  @IsInt() @Min(0) refundedMinor: number;
}

export class AfterSalesRefundRequestedV1 {
  @IsUUID() orderId: string;
  /** Idempotency handle for payments: `after-sales:<requestId>`. */
  @IsString() refundId: string;
  @IsUUID() requestId: string;
  @IsInt() @Min(1) amountMinor: number;
  @Matches(CURRENCY_PATTERN) currency: string;
  /** The breakdown the amount is the sum of (docs/domain.md §8). */
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => AfterSalesRefundLineV1) lines: AfterSalesRefundLineV1[];
}

export const afterSalesRefundRequested = defineEvent({
  type: 'after-sales.refund-requested',
  version: 1,
  topic: Topics.afterSales,
  payload: AfterSalesRefundRequestedV1,
  description:
    'After-sales asks payments to give an approved request’s refund back along the original route; payments answers with refund.succeeded or refund.failed under the same refundId. Key: orderId.',
});

export class ReturnRestockLineV1 {
  @IsString() skuId: string;
  @IsInt() @Min(1) quantity: number;
}

export const RETURN_CONDITIONS = ['SELLABLE', 'DAMAGED'] as const;
export type ReturnCondition = (typeof RETURN_CONDITIONS)[number];

export class ReturnInspectedV1 {
  @IsUUID() orderId: string;
  @IsUUID() requestId: string;
  /** Idempotency handle for inventory: `after-sales:<requestId>`. */
  @IsString() restockId: string;
  @IsString() warehouseId: string;
  /** SELLABLE goes back on the shelf (RETURN); DAMAGED is booked out of it (DAMAGED). */
  @IsIn(RETURN_CONDITIONS) condition: ReturnCondition;
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => ReturnRestockLineV1) lines: ReturnRestockLineV1[];
  @IsISO8601() inspectedAt: string;
}

export const returnInspected = defineEvent({
  type: 'return.inspected',
  version: 1,
  topic: Topics.afterSales,
  payload: ReturnInspectedV1,
  description: 'Returned goods were inspected at the warehouse; inventory books them back to sellable stock or as damaged. Key: orderId.',
});

export class ExchangeLineV1 {
  /** The order line the replacement stands for. */
  @IsUUID() lineId: string;
  /** The SKU to send: the same as bought, or a variant at the same price. */
  @IsString() skuId: string;
  @IsInt() @Min(1) quantity: number;
}

export class ExchangeRequestedV1 {
  @IsUUID() orderId: string;
  @IsUUID() requestId: string;
  /** The id the replacement sub-order is to have, chosen here so that every service names it alike. */
  @IsUUID() replacementSubOrderId: string;
  @IsString() buyerId: string;
  @IsString() merchantId: string;
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => ExchangeLineV1) lines: ExchangeLineV1[];
  @IsISO8601() requestedAt: string;
}

export const exchangeRequested = defineEvent({
  type: 'exchange.requested',
  version: 1,
  topic: Topics.afterSales,
  payload: ExchangeRequestedV1,
  description:
    'An exchange’s goods came back: inventory deducts the replacement from one warehouse of the merchant (replacement.stock-deducted or replacement.stock-unavailable), and logistics ships it as a sub-order. Key: orderId.',
});

/**
 * An exchange's replacement came back to the warehouse it was deducted from without reaching the
 * shopper: its sub-order was stopped before anything left, or a parcel of it was returned to sender.
 * Orders does not know replacements (nothing was paid for them), so after-sales asks for the restock.
 */
export const replacementRestockRequested = defineEvent({
  type: 'replacement.restock-requested',
  version: 1,
  topic: Topics.afterSales,
  payload: RestockRequestedV1,
  description:
    'Units of an exchange’s replacement come back to its warehouse (the replacement sub-order stopped: SUB_ORDER_STOPPED; a parcel of it returned to sender: PARCEL_RETURNED); inventory books a RETURN, once per restockId. Key: orderId.',
});

export const AFTER_SALES_EVENTS = [
  afterSalesRequested,
  afterSalesEvidenceRequested,
  afterSalesEvidenceAdded,
  afterSalesApproved,
  afterSalesRejected,
  afterSalesReturnShipped,
  afterSalesReturnReceived,
  afterSalesInspected,
  afterSalesRefunded,
  afterSalesExchanged,
  afterSalesExchangeFailed,
  afterSalesClosed,
  afterSalesRefundRequested,
  returnInspected,
  exchangeRequested,
  replacementRestockRequested,
];
