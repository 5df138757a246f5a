import {
  type AfterSalesReason,
  type OrderCompensatedV1,
  type OrderPurchaseRecordedV1,
  PARCEL_STATES,
  type ParcelState,
  type ParcelStateChangedV1,
} from '@mallard/contracts';
import { Injectable } from '@nestjs/common';
import { type EntityManager, Not } from 'typeorm';
import type { EarlierRefund, PurchasedOrder } from '../refunds/refund-calculation.js';
import { asEarlierRefund } from '../refunds/refund-calculation.js';
import { AfterSalesRequest } from '../requests/after-sales-request.entity.js';
import type { ParcelFacts, PieceFacts, UnitsRef } from '../requests/request-eligibility.js';
import { Compensation } from './compensation.entity.js';
import { Parcel } from './parcel.entity.js';
import { Purchase } from './purchase.entity.js';
import { compensationAsEarlierRefund, piecesOf, purchasedOrderOf } from './purchased-order.js';

/** From PICKED_UP on, a carrier has (or had) the parcel. */
const HANDED_OVER_RANK = PARCEL_STATES.indexOf('PICKED_UP');
const handedOver = (state: ParcelState) => PARCEL_STATES.indexOf(state) >= HANDED_OVER_RANK;

/** Everything after-sales knows of one order, read under the order's lock. */
export interface OrderFacts {
  purchase: Purchase;
  order: PurchasedOrder;
  pieces: PieceFacts[];
  parcels: ParcelFacts[];
}

/**
 * After-sales' copy of what happened to an order elsewhere: orders' figures at the split, its
 * compensations, and logistics' parcels. Each is written once per fact and never goes backwards.
 */
@Injectable()
export class PurchasesService {
  async recorded(manager: EntityManager, record: OrderPurchaseRecordedV1): Promise<void> {
    await manager.query(
      'INSERT INTO purchase (order_id, buyer_id, currency, record, recorded_at) VALUES ($1, $2, $3, $4, now()) ON CONFLICT (order_id) DO NOTHING',
      [record.orderId, record.buyerId, record.currency, JSON.stringify(record)],
    );
  }

  async compensated(manager: EntityManager, compensation: OrderCompensatedV1): Promise<void> {
    await manager.query(
      'INSERT INTO compensation (id, order_id, record, recorded_at) VALUES ($1, $2, $3, now()) ON CONFLICT (id) DO NOTHING',
      [compensation.compensationId, compensation.orderId, JSON.stringify(compensation)],
    );
  }

  /** Keeps each parcel's newest state, when a carrier first had it, and when it was delivered. */
  async parcelChanged(manager: EntityManager, change: ParcelStateChangedV1): Promise<void> {
    const at = change.occurredAt;
    await manager.query(
      `INSERT INTO parcel (id, order_id, sub_order_id, state, version, lines, handed_over_at, delivered_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, version = EXCLUDED.version, lines = EXCLUDED.lines,
         handed_over_at = COALESCE(parcel.handed_over_at, EXCLUDED.handed_over_at),
         delivered_at = COALESCE(EXCLUDED.delivered_at, parcel.delivered_at)
       WHERE parcel.version < EXCLUDED.version`,
      [
        change.parcelId,
        change.orderId,
        change.subOrderId,
        change.to,
        change.version,
        JSON.stringify(change.lines),
        handedOver(change.to) ? at : null,
        change.to === 'DELIVERED' ? at : null,
      ],
    );
  }

  /** The order's facts, or null when after-sales has not heard of it (not split yet). */
  async facts(manager: EntityManager, orderId: string): Promise<OrderFacts | null> {
    const purchase = await manager.findOne(Purchase, { where: { orderId } });
    if (!purchase) return null;
    const parcels = await manager.find(Parcel, { where: { orderId } });
    return {
      purchase,
      order: purchasedOrderOf(purchase.record),
      pieces: piecesOf(purchase.record),
      parcels: parcels.map((parcel) => ({
        subOrderId: parcel.subOrderId,
        state: parcel.state,
        lines: parcel.lines,
        handedOverAt: parcel.handedOverAt,
        deliveredAt: parcel.deliveredAt,
      })),
    };
  }

  /** Units the order's requests claim: every request but rejected ones, and `except`. */
  async claimed(manager: EntityManager, orderId: string, except?: string): Promise<(UnitsRef & { reason: AfterSalesReason })[]> {
    const requests = await manager.find(AfterSalesRequest, { where: { orderId, state: Not('REJECTED') } });
    return requests
      .filter((request) => request.id !== except)
      .flatMap((request) => request.lines.map((line) => ({ ...line, reason: request.reason })));
  }

  /** What was given back before a refund: orders' compensations and after-sales refunds already asked of payments. */
  async earlierRefunds(manager: EntityManager, orderId: string, except: string): Promise<EarlierRefund[]> {
    const compensations = await manager.find(Compensation, { where: { orderId }, order: { recordedAt: 'ASC', id: 'ASC' } });
    const requests = await manager.find(AfterSalesRequest, { where: { orderId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return [
      ...compensations.map((row) => compensationAsEarlierRefund(row.record)).filter((refund) => refund !== null),
      ...requests.filter((request) => request.id !== except && request.refund !== null).map((request) => asEarlierRefund(request.refund!)),
    ];
  }
}
