import type { AfterSalesReason, AfterSalesState, AfterSalesType, ParcelState, ReturnParcelBooker } from '@mallard/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { RefundCalculation } from '../refunds/refund-calculation.js';
import type { ReturnShipping } from './request-terms.js';

export interface RequestedUnits {
  subOrderId: string;
  lineId: string;
  skuId: string;
  quantity: number;
  /** EXCHANGE: the SKU sent instead (null: the same). */
  replacementSkuId?: string | null;
}

/** The parcel the shopper sent the goods back in. */
export interface ReturnParcel {
  carrierCode: string;
  trackingNumber: string;
  /** When the shopper sent it, or the merchant booked the pickup. */
  shippedAt: string;
  /** Absent on parcels recorded before pickups could be booked: the shopper's. */
  bookedBy?: ReturnParcelBooker;
  pickupAt?: string | null;
  /** Where logistics last saw it by the carrier's tracking, and its version of the parcel (newest wins). */
  tracking?: { state: ParcelState; at: string; version: number } | null;
}

/** A shopper's request about delivered units of one merchant: refund only, return and refund, or exchange. */
@Entity('after_sales_request')
@Index(['orderId'])
@Index(['state', 'stateChangedAt'])
export class AfterSalesRequest {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('text', { name: 'buyer_id' }) buyerId: string;
  @Column('text', { name: 'merchant_id' }) merchantId: string;
  @Column('text') type: AfterSalesType;
  @Column('text') reason: AfterSalesReason;
  @Column('boolean', { name: 'seller_at_fault' }) sellerAtFault: boolean;
  @Column('text') state: AfterSalesState;
  /** Up by one per step; the events carry it so readers keep the newest. */
  @Column('int') version: number;
  @Column('text', { nullable: true }) description: string | null;
  @Column('jsonb') lines: RequestedUnits[];
  @Column('jsonb', { name: 'return_shipping', nullable: true }) returnShipping: ReturnShipping | null;
  @Column('jsonb', { name: 'return_parcel', nullable: true }) returnParcel: ReturnParcel | null;
  @Column('timestamptz', { name: 'received_at', nullable: true }) receivedAt: Date | null;
  /** Set on receipt: false when staff received the goods without refunding them. */
  @Column('boolean', { name: 'refund_on_receipt', nullable: true }) refundOnReceipt: boolean | null;
  @Column('boolean', { name: 'inspection_passed', nullable: true }) inspectionPassed: boolean | null;
  @Column('text', { name: 'inspection_note', nullable: true }) inspectionNote: string | null;
  /** The refund as calculated when it was asked of payments; with it, the request counts as an earlier refund. */
  @Column('jsonb', { nullable: true }) refund: RefundCalculation | null;
  /** Why payments could not refund it (refund.failed), for staff. */
  @Column('text', { name: 'refund_failure', nullable: true }) refundFailure: string | null;
  @Column('timestamptz', { name: 'refunded_at', nullable: true }) refundedAt: Date | null;
  /** EXCHANGE: the sub-order that ships the replacement, named when it is asked for. */
  @Column('uuid', { name: 'replacement_sub_order_id', nullable: true }) replacementSubOrderId: string | null;
  /** Where the replacement ships from, once logistics took it on: where its units go back to. */
  @Column('text', { name: 'replacement_warehouse_id', nullable: true }) replacementWarehouseId: string | null;
  @Column('timestamptz', { name: 'state_changed_at' }) stateChangedAt: Date;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
