import { ApiProperty } from '@nestjs/swagger';
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
  RETURN_SHIPPING_PAYERS,
  type ReturnParcelBooker,
  type ReturnShippingPayer,
  WAREHOUSE_RETURN_STATES,
  type WarehouseReturnState,
} from '../after-sales.js';
import { nullableObject } from './nullable-object.js';
import { PARCEL_STATES, type ParcelState } from './shopper-status.js';

const UUID_EXAMPLE = '9b2f0c3e-5d1a-4e8b-8f2c-6a7d3e1b0c55';
const INSTANT_EXAMPLE = '2026-11-25T10:00:00.000Z';

export class AfterSalesLineResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) subOrderId: string;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) lineId: string;
  @ApiProperty({ example: 'tea' }) skuId: string;
  @ApiProperty({ type: 'integer', example: 1 }) quantity: number;
  @ApiProperty({ type: 'string', nullable: true, example: null, description: 'EXCHANGE: the SKU sent instead' })
  replacementSkuId: string | null;
}

/** The customer-service contact of the merchant concerned (kept with the merchant in the catalog). */
export class CustomerServiceContactResponse {
  @ApiProperty({ example: 'the-mall' }) merchantId: string;
  @ApiProperty({ type: 'string', nullable: true, example: 'The Mall' }) name: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '+86 571 0000 0000' }) phone: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: 'Mon–Fri 09:00–18:00 CST' }) hours: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: 'https://chat.example.com/the-mall' }) chatUrl: string | null;
}

export class ReturnShippingResponse {
  @ApiProperty({
    enum: RETURN_SHIPPING_PAYERS,
    description: 'Who pays for sending the goods back: the merchant when the seller is at fault',
  })
  payer: ReturnShippingPayer;
  @ApiProperty({ example: 'The seller is at fault (DAMAGED): the merchant pays the return shipping.' }) explanation: string;
}

export class ReturnParcelResponse {
  @ApiProperty({ example: 'sf-express' }) carrierCode: string;
  @ApiProperty({ example: 'SF1234567890' }) trackingNumber: string;
  @ApiProperty({
    format: 'date-time',
    example: INSTANT_EXAMPLE,
    description: 'When the shopper sent it, or the merchant booked the pickup',
  })
  shippedAt: string;
  @ApiProperty({ enum: RETURN_PARCEL_BOOKERS, example: 'SHOPPER', description: 'The shopper sent it, or the merchant booked a pickup' })
  bookedBy: ReturnParcelBooker;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null, description: 'A booked pickup’s time' })
  pickupAt: string | null;
  @ApiProperty({
    enum: [...PARCEL_STATES, null],
    nullable: true,
    example: 'IN_TRANSIT',
    description: 'Where the carrier’s tracking has it; null until the carrier first reports on it',
  })
  trackingState: ParcelState | null;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    example: INSTANT_EXAMPLE,
    description: 'When it reached that state, by the carrier’s clock',
  })
  trackingStateAt: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null }) receivedAt: string | null;
  @ApiProperty({ type: 'boolean', nullable: true, example: null, description: 'The inspection’s outcome, once inspected' })
  inspectionPassed: boolean | null;
  @ApiProperty({ type: 'string', nullable: true, example: null }) inspectionNote: string | null;
}

/** One line of the refund: paid − clawback + released + shipping = refunded (docs/domain.md §8). */
export class AfterSalesRefundLineResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) subOrderId: string;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) lineId: string;
  @ApiProperty({ example: 'tea' }) skuId: string;
  @ApiProperty({ type: 'integer', example: 1 }) quantity: number;
  @ApiProperty({ type: 'integer', example: 4000, description: 'What these units paid for their goods' }) paid: number;
  @ApiProperty({ type: 'integer', example: 2000, description: 'Benefit the kept goods lost (a threshold no longer reached)' })
  clawback: number;
  @ApiProperty({ type: 'integer', example: 0, description: 'Benefit withheld earlier that no longer applies, given back' })
  released: number;
  @ApiProperty({ type: 'integer', example: 0, description: 'Shipping fee refunded with these units' }) shipping: number;
  @ApiProperty({ type: 'integer', example: 2000 }) refunded: number;
}

export class AfterSalesRefundResponse {
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ type: () => [AfterSalesRefundLineResponse] }) lines: AfterSalesRefundLineResponse[];
  @ApiProperty({ type: 'integer', example: 4000 }) paid: number;
  @ApiProperty({ type: 'integer', example: 2000 }) clawback: number;
  @ApiProperty({ type: 'integer', example: 0 }) released: number;
  @ApiProperty({ type: 'integer', example: 0 }) shipping: number;
  @ApiProperty({ type: 'integer', example: 2000, description: 'What the shopper gets back' }) refunded: number;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null, description: 'When payments gave it back' })
  refundedAt: string | null;
  @ApiProperty({
    type: 'string',
    nullable: true,
    example: null,
    description:
      'Why payments could not give it back (refund.failed), for customer service to settle: close the request, and refund by hand',
  })
  failure: string | null;
}

export class EvidenceFileResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id: string;
  @ApiProperty({ enum: ['image/jpeg', 'image/png', 'image/webp', 'video/mp4'] }) contentType: string;
  @ApiProperty({ type: 'integer', example: 182_044 }) size: number;
  @ApiProperty({
    example:
      '/api/v1/after-sales/9b2f0c3e-5d1a-4e8b-8f2c-6a7d3e1b0c55/evidence/4d7c2a91-0b3e-4f6a-9c58-1e2d3f4a5b6c?expires=1764064800&signature=q3Jm0yXo8C1sV1pZq2V0kq0N9l2Tt1cZ5n0m4b7ZyXw',
    description: 'A signed link that works for a few minutes; ask for the request again for a fresh one',
  })
  url: string;
  @ApiProperty({ format: 'date-time', example: INSTANT_EXAMPLE }) uploadedAt: string;
}

export class AfterSalesActorResponse {
  @ApiProperty({ enum: AFTER_SALES_ACTOR_KINDS }) kind: AfterSalesActorKind;
  @ApiProperty({ type: 'string', nullable: true, example: 'cs-3' }) id: string | null;
}

export class AfterSalesStepResponse {
  @ApiProperty({ enum: [...AFTER_SALES_STATES, null], type: 'string', nullable: true, description: 'Null for the request itself' })
  from: AfterSalesState | null;
  @ApiProperty({ enum: AFTER_SALES_STATES }) to: AfterSalesState;
  @ApiProperty({ type: () => AfterSalesActorResponse }) actor: AfterSalesActorResponse;
  @ApiProperty({ example: false, description: 'Decided by an auto-approval rule, not by a person' }) automatic: boolean;
  @ApiProperty({ type: 'string', nullable: true, example: 'AUTO_REFUND_ONLY_UNDER: 1500 ≤ 5000' }) note: string | null;
  @ApiProperty({ format: 'date-time', example: INSTANT_EXAMPLE }) at: string;
}

/** An after-sales request, as its shopper and customer service see it. */
export class AfterSalesRequestResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id: string;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) orderId: string;
  @ApiProperty({ example: 'alice' }) buyerId: string;
  @ApiProperty({ example: 'the-mall' }) merchantId: string;
  @ApiProperty({ enum: AFTER_SALES_TYPES }) type: AfterSalesType;
  @ApiProperty({ enum: AFTER_SALES_REASONS }) reason: AfterSalesReason;
  @ApiProperty({ example: true }) sellerAtFault: boolean;
  @ApiProperty({ enum: AFTER_SALES_STATES }) state: AfterSalesState;
  @ApiProperty({ type: 'string', nullable: true, example: 'The lid was cracked on arrival' }) description: string | null;
  @ApiProperty({ type: () => [AfterSalesLineResponse] }) lines: AfterSalesLineResponse[];
  @ApiProperty({ type: () => CustomerServiceContactResponse }) contact: CustomerServiceContactResponse;
  @ApiProperty(nullableObject(ReturnShippingResponse, 'Who pays to send the goods back; null for REFUND_ONLY'))
  returnShipping: ReturnShippingResponse | null;
  @ApiProperty(nullableObject(ReturnParcelResponse, 'The parcel the goods come back in, once sent'))
  returnParcel: ReturnParcelResponse | null;
  @ApiProperty(
    nullableObject(
      AfterSalesRefundResponse,
      'The refund, line by line, once calculated (on approval of a refund only, on inspection of a return)',
    ),
  )
  refund: AfterSalesRefundResponse | null;
  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    example: null,
    description: 'EXCHANGE: the sub-order that ships the replacement, once the returned goods were inspected',
  })
  replacementSubOrderId: string | null;
  @ApiProperty({ type: () => [EvidenceFileResponse] }) evidence: EvidenceFileResponse[];
  @ApiProperty({ type: () => [AfterSalesStepResponse], description: 'Every step, oldest first, with who took it' })
  history: AfterSalesStepResponse[];
  @ApiProperty({ format: 'date-time', example: INSTANT_EXAMPLE }) createdAt: string;
  @ApiProperty({ format: 'date-time', example: INSTANT_EXAMPLE }) updatedAt: string;
  @ApiProperty({ type: 'integer', example: 5400, description: 'Seconds since the request last changed state' }) ageSeconds: number;
}

export class AfterSalesRequestListResponse {
  @ApiProperty({ type: () => [AfterSalesRequestResponse] }) items: AfterSalesRequestResponse[];
}

export class AfterSalesQueuePageResponse {
  @ApiProperty({ type: () => [AfterSalesRequestResponse] }) items: AfterSalesRequestResponse[];
  @ApiProperty({ type: 'integer', example: 1 }) page: number;
  @ApiProperty({ type: 'integer', example: 50 }) pageSize: number;
  @ApiProperty({ type: 'integer', example: 3 }) total: number;
}

/** What goes back to a warehouse: a return or an exchange (a refund only sends nothing back). */
export const WAREHOUSE_RETURN_TYPES = ['RETURN_AND_REFUND', 'EXCHANGE'] as const satisfies readonly AfterSalesType[];

/**
 * A return or exchange as the warehouse its goods come back to sees it: what to expect, receive
 * and inspect. Without what is between the shopper and customer service: the buyer, their
 * description and evidence, the history with its notes, the refund.
 */
export class WarehouseReturnResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id: string;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) orderId: string;
  @ApiProperty({ example: 'the-mall' }) merchantId: string;
  @ApiProperty({ enum: WAREHOUSE_RETURN_TYPES, example: 'RETURN_AND_REFUND' }) type: (typeof WAREHOUSE_RETURN_TYPES)[number];
  @ApiProperty({ enum: AFTER_SALES_REASONS, example: 'DAMAGED' }) reason: AfterSalesReason;
  @ApiProperty({ example: true, description: 'The seller is at fault: goods that fail inspection are refunded all the same' })
  sellerAtFault: boolean;
  @ApiProperty({ enum: WAREHOUSE_RETURN_STATES, example: 'RETURN_SHIPPED' }) state: WarehouseReturnState;
  @ApiProperty({ type: () => [AfterSalesLineResponse], description: 'The units coming back' }) lines: AfterSalesLineResponse[];
  @ApiProperty(nullableObject(ReturnParcelResponse, 'The parcel the goods come back in, once sent or picked up'))
  returnParcel: ReturnParcelResponse | null;
  @ApiProperty({ format: 'date-time', example: INSTANT_EXAMPLE }) createdAt: string;
  @ApiProperty({ format: 'date-time', example: INSTANT_EXAMPLE }) updatedAt: string;
  @ApiProperty({ type: 'integer', example: 5400, description: 'Seconds since the request last changed state' }) ageSeconds: number;
}

/** GET /api/v1/warehouse/after-sales */
export class WarehouseReturnsPageResponse {
  @ApiProperty({ type: () => [WarehouseReturnResponse] }) items: WarehouseReturnResponse[];
  @ApiProperty({ type: 'integer', example: 1 }) page: number;
  @ApiProperty({ type: 'integer', example: 50 }) pageSize: number;
  @ApiProperty({ type: 'integer', example: 3 }) total: number;
}
