import { ApiProperty } from '@nestjs/swagger';
import { FULFILMENT_TYPES, type FulfilmentType } from '../commerce.js';
import {
  INTERCEPTION_REFUSAL_REASONS,
  type InterceptionRefusalReason,
  SUB_ORDER_ACTOR_KINDS,
  type SubOrderActorKind,
} from '../events/logistics.events.js';
import { nullableObject } from './nullable-object.js';
import { DeliverySlotResponse, ReceiverResponse } from './orders.responses.js';
import { PARCEL_STATES, type ParcelState, SUB_ORDER_STATES, type SubOrderState } from './shopper-status.js';

const UUID_EXAMPLE = '9b2f0c3e-5d1a-4e8b-8f2c-6a7d3e1b0c55';
const INSTANT_EXAMPLE = '2026-11-25T10:00:00.000Z';

/** What a warehouse needs of a line: which SKU and how many; no prices. */
export class SubOrderItemResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE, description: 'The order line' }) lineId: string;
  @ApiProperty({ example: 'tea' }) skuId: string;
  @ApiProperty({ example: 'West Lake Longjing tea, 250 g' }) skuName: string;
  @ApiProperty({ type: 'integer', example: 2 }) quantity: number;
}

export class ParcelItemResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE, description: 'The order line' }) lineId: string;
  @ApiProperty({ example: 'tea' }) skuId: string;
  @ApiProperty({ type: 'integer', example: 1 }) quantity: number;
}

export class ActorResponse {
  @ApiProperty({ enum: SUB_ORDER_ACTOR_KINDS }) kind: SubOrderActorKind;
  @ApiProperty({ type: 'string', nullable: true, example: 'staff-7', description: 'Who, when a person did it' }) id: string | null;
}

export class SubOrderChangeResponse {
  @ApiProperty({
    enum: [...SUB_ORDER_STATES, null],
    type: 'string',
    nullable: true,
    description: 'Null when logistics took the sub-order on',
  })
  from: SubOrderState | null;
  @ApiProperty({ enum: SUB_ORDER_STATES }) to: SubOrderState;
  @ApiProperty({ type: () => ActorResponse }) actor: ActorResponse;
  @ApiProperty({ type: 'string', nullable: true, example: 'ORDER_SPLIT' }) reason: string | null;
  @ApiProperty({ format: 'date-time', example: INSTANT_EXAMPLE }) at: string;
}

/** One line of a parcel's tracking history, as its carrier (or the platform, or our warehouse system) reported it. */
export class ParcelCheckpointResponse {
  @ApiProperty({ format: 'date-time', example: INSTANT_EXAMPLE, description: 'When it happened, by the reporter’s clock' })
  occurredAt: string;
  @ApiProperty({ enum: [...PARCEL_STATES, null], nullable: true, description: 'The normalised state it says; null: history only' })
  state: ParcelState | null;
  @ApiProperty({ example: 'aftership' }) provider: string;
  @ApiProperty({ example: 'InTransit_002', description: 'The reporter’s own word for it' }) providerStatus: string;
  @ApiProperty({ example: 'Departed the facility' }) message: string;
  @ApiProperty({ type: 'string', nullable: true, example: 'Hangzhou' }) location: string | null;
}

/** A parcel as logistics keeps it: its lines, its carrier and where it is. */
export class ParcelResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id: string;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) subOrderId: string;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) orderId: string;
  @ApiProperty({ enum: PARCEL_STATES }) state: ParcelState;
  @ApiProperty({ type: 'string', nullable: true, example: 'sf-express', description: 'Null until a carrier has it' }) carrierCode:
    | string
    | null;
  @ApiProperty({ type: 'string', nullable: true, example: 'SF1234567890123' }) trackingNumber: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: INSTANT_EXAMPLE }) handedOverAt: string | null;
  @ApiProperty({ type: () => [ParcelItemResponse] }) lines: ParcelItemResponse[];
  @ApiProperty({ type: () => [ParcelCheckpointResponse], description: 'Every checkpoint reported, oldest first' })
  tracking: ParcelCheckpointResponse[];
}

/** A sub-order as its warehouse or merchant works on it. */
export class WarehouseSubOrderResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id: string;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) orderId: string;
  @ApiProperty({ example: 'wh-east' }) warehouseId: string;
  @ApiProperty({ example: 'the-mall' }) merchantId: string;
  @ApiProperty({ enum: FULFILMENT_TYPES }) fulfilmentType: FulfilmentType;
  @ApiProperty({ enum: SUB_ORDER_STATES }) state: SubOrderState;
  @ApiProperty({ type: 'integer', example: 3, description: 'Goes up by one with every change' }) version: number;
  @ApiProperty({ type: () => ReceiverResponse }) receiver: ReceiverResponse;
  @ApiProperty(nullableObject(DeliverySlotResponse)) deliverySlot: DeliverySlotResponse | null;
  @ApiProperty({ format: 'date-time', example: INSTANT_EXAMPLE, description: 'For a replacement: when logistics took it on' })
  paidAt: string;
  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    example: UUID_EXAMPLE,
    description:
      'The after-sales request (an exchange) whose replacement this sub-order sends; null for a sub-order of the order as bought',
  })
  replacementFor: string | null;
  @ApiProperty({ type: () => [SubOrderItemResponse] }) lines: SubOrderItemResponse[];
  @ApiProperty({ type: () => [ParcelResponse] }) parcels: ParcelResponse[];
  @ApiProperty({ type: () => [SubOrderChangeResponse], description: 'Every change of state, oldest first' })
  history: SubOrderChangeResponse[];
}

export class WarehouseSubOrderPageResponse {
  @ApiProperty({ type: () => [WarehouseSubOrderResponse], description: 'Oldest first: the next to work on comes first' })
  items: WarehouseSubOrderResponse[];
  @ApiProperty({ type: 'integer', example: 1 }) page: number;
  @ApiProperty({ type: 'integer', example: 50 }) pageSize: number;
}

/** Where the shopper's request to stop a sub-order stands (null: never asked). */
export class SubOrderInterceptionResponse {
  @ApiProperty({ enum: ['REQUESTED', 'STOPPED', 'REFUSED'], description: 'REQUESTED: waiting for the merchant' }) outcome:
    | 'REQUESTED'
    | 'STOPPED'
    | 'REFUSED';
  @ApiProperty({
    type: 'string',
    nullable: true,
    enum: [...INTERCEPTION_REFUSAL_REASONS, null],
    description: 'Why it could not be stopped; the way from here is after-sales',
  })
  reason: InterceptionRefusalReason | null;
}

/** One sub-order's way to the shopper: its warehouse or merchant status and its parcels with their tracking. */
export class ShipmentResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) subOrderId: string;
  @ApiProperty({ enum: FULFILMENT_TYPES }) fulfilmentType: FulfilmentType;
  @ApiProperty({ enum: SUB_ORDER_STATES }) state: SubOrderState;
  @ApiProperty(nullableObject(SubOrderInterceptionResponse)) interception: SubOrderInterceptionResponse | null;
  @ApiProperty({ type: () => [ParcelResponse] }) parcels: ParcelResponse[];
}

/**
 * Logistics' answer to GET /internal/parcels?trackingNumber=… (internal: the gateway finds orders
 * by it): each parcel carrying the number, a shipment's or an after-sales return's, newest first.
 */
export interface TrackedParcel {
  id: string;
  kind: 'SHIPMENT' | 'RETURN';
  orderId: string;
  carrierCode: string;
  trackingNumber: string;
  createdAt: string;
}
