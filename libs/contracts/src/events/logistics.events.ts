import { Type } from 'class-transformer';
import { ArrayMinSize, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Min, ValidateNested } from 'class-validator';
import { PARCEL_STATES, type ParcelState, SUB_ORDER_STATES, type SubOrderState } from '../api/shopper-status.js';
import { FULFILMENT_TYPES, type FulfilmentType } from '../commerce.js';
import { defineEvent } from '../event-registry.js';
import { Topics } from '../topics.js';

/** Who moved a sub-order: staff of ours, the merchant, the platform, our warehouse system, or logistics itself. */
export const SUB_ORDER_ACTOR_KINDS = ['STAFF', 'MERCHANT', 'PLATFORM', 'WAREHOUSE_SYSTEM', 'SYSTEM'] as const;
export type SubOrderActorKind = (typeof SUB_ORDER_ACTOR_KINDS)[number];

export class SubOrderActorV1 {
  @IsIn(SUB_ORDER_ACTOR_KINDS) kind: SubOrderActorKind;
  @IsOptional() @IsString() id?: string;
}

export class SubOrderStateChangedV1 {
  @IsUUID() orderId: string;
  @IsUUID() subOrderId: string;
  @IsString() warehouseId: string;
  @IsString() merchantId: string;
  @IsIn(FULFILMENT_TYPES) fulfilmentType: FulfilmentType;
  /** Absent when logistics took the sub-order on (its first state). */
  @IsOptional() @IsIn(SUB_ORDER_STATES) from?: SubOrderState;
  @IsIn(SUB_ORDER_STATES) to: SubOrderState;
  /** Goes up by one with every change of the sub-order, so a reader keeps the newest whatever the arrival order. */
  @IsInt() @Min(1) version: number;
  @ValidateNested() @Type(() => SubOrderActorV1) actor: SubOrderActorV1;
  @IsOptional() @IsString() reason?: string;
  @IsISO8601() changedAt: string;
}

export const subOrderStateChanged = defineEvent({
  type: 'sub-order.state-changed',
  version: 1,
  topic: Topics.logistics,
  payload: SubOrderStateChangedV1,
  description:
    'A sub-order moved in the warehouse or at its merchant (AWAITING_PICK on arrival, PICKING, PACKED, SHIPPED…), with who moved it. Key: orderId.',
});

/** Who a parcel's change comes from: our staff, a merchant, a platform, our warehouse system, or a carrier's tracking. */
export const PARCEL_SOURCES = ['STAFF', 'MERCHANT', 'PLATFORM', 'WAREHOUSE_SYSTEM', 'CARRIER'] as const;
export type ParcelSource = (typeof PARCEL_SOURCES)[number];

export class ParcelLineV1 {
  @IsUUID() lineId: string;
  @IsString() skuId: string;
  @IsInt() @Min(1) quantity: number;
}

export class ParcelStateChangedV1 {
  @IsUUID() orderId: string;
  @IsUUID() subOrderId: string;
  @IsUUID() parcelId: string;
  /** Goes up by one with every change of the parcel. */
  @IsInt() @Min(1) version: number;
  /** Absent when the parcel was made (packed, or reported shipped). */
  @IsOptional() @IsIn(PARCEL_STATES) from?: ParcelState;
  @IsIn(PARCEL_STATES) to: ParcelState;
  @IsOptional() @IsString() carrierCode?: string;
  @IsOptional() @IsString() trackingNumber?: string;
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => ParcelLineV1) lines: ParcelLineV1[];
  @IsIn(PARCEL_SOURCES) source: ParcelSource;
  /** When it happened, by the reporter's clock (a carrier's scan time). */
  @IsISO8601() occurredAt: string;
}

export const parcelStateChanged = defineEvent({
  type: 'parcel.state-changed',
  version: 1,
  topic: Topics.logistics,
  payload: ParcelStateChangedV1,
  description:
    'A parcel was made or moved to another normalised state (PACKED, PICKED_UP, IN_TRANSIT, DELIVERED, REJECTED…); never backwards. Key: orderId.',
});

/** Why a sub-order could not be stopped: it is the shopper's after-sales from here. */
export const INTERCEPTION_REFUSAL_REASONS = [
  /** Some or all of its parcels are with a carrier. */
  'ALREADY_SHIPPED',
  /** The purchase from the third-party platform was placed: the platform ships it. */
  'PURCHASED_FROM_PLATFORM',
  /** The merchant answered that it had already shipped. */
  'MERCHANT_SHIPPED',
] as const;
export type InterceptionRefusalReason = (typeof INTERCEPTION_REFUSAL_REASONS)[number];

export class SubOrderInterceptionRefusedV1 {
  @IsUUID() orderId: string;
  @IsUUID() subOrderId: string;
  @IsIn(SUB_ORDER_STATES) state: SubOrderState;
  @IsIn(INTERCEPTION_REFUSAL_REASONS) reason: InterceptionRefusalReason;
  @IsISO8601() refusedAt: string;
}

export const subOrderInterceptionRefused = defineEvent({
  type: 'sub-order.interception-refused',
  version: 1,
  topic: Topics.logistics,
  payload: SubOrderInterceptionRefusedV1,
  description:
    'A shopper asked to stop a paid order, and this sub-order could not be stopped (already shipped): it stays, and the shopper is pointed to after-sales. Key: orderId.',
});

export class PlatformPurchaseFailedV1 {
  @IsUUID() orderId: string;
  @IsUUID() subOrderId: string;
  @IsInt() @Min(1) attempts: number;
  @IsString() error: string;
  @IsISO8601() failedAt: string;
}

export const platformPurchaseFailed = defineEvent({
  type: 'platform-purchase.failed',
  version: 1,
  topic: Topics.logistics,
  payload: PlatformPurchaseFailedV1,
  description:
    'The third-party platform would not take the purchase of a sub-order (refused, or kept failing): staff must settle it; the shopper’s order shows an exception. Key: orderId.',
});

/** A return parcel of an after-sales request, as the carrier's tracking moves it. */
export class ReturnParcelStateChangedV1 {
  @IsUUID() orderId: string;
  @IsUUID() requestId: string;
  @IsUUID() returnParcelId: string;
  /** Goes up by one with every change of the return parcel. */
  @IsInt() @Min(1) version: number;
  /** Absent when logistics started following the parcel. */
  @IsOptional() @IsIn(PARCEL_STATES) from?: ParcelState;
  @IsIn(PARCEL_STATES) to: ParcelState;
  @IsString() carrierCode: string;
  @IsString() trackingNumber: string;
  /** The carrier's words for the checkpoint that moved it, and where. */
  @IsOptional() @IsString() message?: string;
  @IsOptional() @IsString() location?: string;
  /** When it happened, by the carrier's clock. */
  @IsISO8601() occurredAt: string;
}

export const returnParcelStateChanged = defineEvent({
  type: 'return-parcel.state-changed',
  version: 1,
  topic: Topics.logistics,
  payload: ReturnParcelStateChangedV1,
  description:
    'A return parcel of an after-sales request moved by its carrier’s tracking (IN_TRANSIT, DELIVERED to the warehouse…); never backwards. Key: orderId.',
});

export const LOGISTICS_EVENTS = [
  subOrderStateChanged,
  parcelStateChanged,
  subOrderInterceptionRefused,
  platformPurchaseFailed,
  returnParcelStateChanged,
];
