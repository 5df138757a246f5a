import {
  type AfterSalesActorKind,
  type AfterSalesRequestChangedV1,
  type AfterSalesReturnParcelV1,
  type AfterSalesState,
  afterSalesApproved,
  afterSalesClosed,
  afterSalesEvidenceAdded,
  afterSalesEvidenceRequested,
  afterSalesExchanged,
  afterSalesExchangeFailed,
  afterSalesInspected,
  afterSalesRefunded,
  afterSalesRejected,
  afterSalesRequested,
  afterSalesReturnReceived,
  afterSalesReturnShipped,
  type EventDefinition,
} from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import { StateTable } from '@mallard/platform';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AfterSalesRequest, type ReturnParcel } from './after-sales-request.entity.js';
import { AfterSalesStep } from './after-sales-step.entity.js';
import { AFTER_SALES_REQUEST } from './request-machine.js';
import { requestProblems } from './requests.problems.js';

export interface RequestActor {
  kind: AfterSalesActorKind;
  id: string | null;
}

export const SYSTEM_ACTOR: RequestActor = { kind: 'SYSTEM', id: null };

/** What happened, as the event that tells it (docs/events.md, after-sales). */
export const REQUEST_EVENTS = {
  requested: afterSalesRequested,
  evidenceRequested: afterSalesEvidenceRequested,
  evidenceAdded: afterSalesEvidenceAdded,
  approved: afterSalesApproved,
  rejected: afterSalesRejected,
  returnShipped: afterSalesReturnShipped,
  returnReceived: afterSalesReturnReceived,
  inspected: afterSalesInspected,
  refunded: afterSalesRefunded,
  exchanged: afterSalesExchanged,
  exchangeFailed: afterSalesExchangeFailed,
  closed: afterSalesClosed,
} satisfies Record<string, EventDefinition<AfterSalesRequestChangedV1>>;
export type RequestEvent = keyof typeof REQUEST_EVENTS;

export interface StepOptions {
  note?: string | null;
  automatic?: boolean;
  /** Other columns written with the state (by property name). */
  set?: Partial<AfterSalesRequest>;
}

const REQUEST_TABLE = new StateTable<AfterSalesState, { id: string }>(AFTER_SALES_REQUEST, { table: 'after_sales_request' });

/**
 * The requests' one way of changing: under the locks of docs/domain.md §8 ("Locks": the order's
 * purchase row, then the request row), a compare-and-set on the state read, the version up by one,
 * the step in the history, all in the caller's transaction; the caller then publishes what
 * happened with `publish`.
 */
@Injectable()
export class RequestsService {
  constructor(private readonly publisher: EventPublisher) {}

  /** The first lock of every change to an order's requests: its purchase row. Null when after-sales does not know the order. */
  async lockOrder(manager: EntityManager, orderId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT order_id FROM purchase WHERE order_id = $1 FOR UPDATE', [orderId]);
    return rows.length > 0;
  }

  /** The request, with its order locked first and then itself; 404 for another shopper's. */
  async lock(manager: EntityManager, requestId: string, buyerId?: string): Promise<AfterSalesRequest> {
    const found = await manager.findOne(AfterSalesRequest, { where: { id: requestId } });
    if (!found || (buyerId !== undefined && found.buyerId !== buyerId)) throw requestProblems.requestNotFound(requestId);
    await this.lockOrder(manager, found.orderId);
    const locked = await manager.findOne(AfterSalesRequest, { where: { id: requestId }, lock: { mode: 'pessimistic_write' } });
    if (!locked) throw requestProblems.requestNotFound(requestId);
    return locked;
  }

  /** The first step of a new request. */
  async open(manager: EntityManager, request: AfterSalesRequest, actor: RequestActor): Promise<void> {
    await manager.insert(AfterSalesRequest, request);
    await this.recordStep(manager, request.id, null, request.state, actor, { at: request.createdAt });
  }

  /** Moves a request the caller locked; refused moves are the caller's 409 (`step` words it). */
  async move(
    manager: EntityManager,
    request: AfterSalesRequest,
    to: AfterSalesState,
    actor: RequestActor,
    step: string,
    options: StepOptions = {},
  ): Promise<void> {
    const from = request.state;
    if (!AFTER_SALES_REQUEST.canMove(from, to)) throw requestProblems.stepRefused(request.id, from, step);
    const at = new Date();
    const columns = { ...options.set, version: request.version + 1, stateChangedAt: at, updatedAt: at };
    const written = await REQUEST_TABLE.transition(manager, {
      id: request.id,
      from,
      to,
      set: columnsOf(manager, columns),
    });
    // The caller holds the row lock: nobody else can have moved it.
    if (written.outcome !== 'moved')
      throw new Error(`after-sales request ${request.id}: ${from} → ${to} was not written (${written.outcome})`);
    Object.assign(request, columns, { state: to });
    await this.recordStep(manager, request.id, from, to, actor, { note: options.note ?? null, automatic: options.automatic ?? false, at });
  }

  /**
   * A step that leaves the request where it is (evidence added while it waits for a decision): in
   * the history like any step, the version up by one so readers take it, compare-and-set on the
   * state and version read.
   */
  async recordInPlace(manager: EntityManager, request: AfterSalesRequest, actor: RequestActor, note: string): Promise<void> {
    const at = new Date();
    const written = await manager
      .createQueryBuilder()
      .update(AfterSalesRequest)
      .set({ version: request.version + 1, updatedAt: at })
      .where('id = :id AND state = :state AND version = :version', { id: request.id, state: request.state, version: request.version })
      .execute();
    // The caller holds the row lock: nobody else can have moved it.
    if (written.affected !== 1) throw new Error(`after-sales request ${request.id}: step in ${request.state} was not written`);
    Object.assign(request, { version: request.version + 1, updatedAt: at });
    await this.recordStep(manager, request.id, request.state, request.state, actor, { note, at });
  }

  /** Tells the other services what happened, with the request as it now stands. */
  async publish(
    manager: EntityManager,
    request: AfterSalesRequest,
    event: RequestEvent,
    actor: RequestActor,
    note?: string | null,
    from?: AfterSalesState,
  ) {
    await this.publisher.publish(manager, REQUEST_EVENTS[event], {
      subject: request.orderId,
      data: {
        requestId: request.id,
        orderId: request.orderId,
        buyerId: request.buyerId,
        merchantId: request.merchantId,
        type: request.type,
        reason: request.reason,
        sellerAtFault: request.sellerAtFault,
        ...(from ? { from } : {}),
        state: request.state,
        version: request.version,
        lines: request.lines.map(({ subOrderId, lineId, skuId, quantity }) => ({ subOrderId, lineId, skuId, quantity })),
        actor: { kind: actor.kind, ...(actor.id ? { id: actor.id } : {}) },
        ...(note ? { note: note.slice(0, 1000) } : {}),
        ...(request.refund ? { refundMinor: request.refund.refundedMinor } : {}),
        ...(request.returnParcel ? { returnParcel: returnParcelOf(request.returnParcel) } : {}),
        occurredAt: request.updatedAt.toISOString(),
      },
    });
  }

  private async recordStep(
    manager: EntityManager,
    requestId: string,
    from: AfterSalesState | null,
    to: AfterSalesState,
    actor: RequestActor,
    step: { note?: string | null; automatic?: boolean; at: Date },
  ): Promise<void> {
    await manager.insert(AfterSalesStep, {
      requestId,
      fromState: from,
      toState: to,
      actorKind: actor.kind,
      actorId: actor.id,
      automatic: step.automatic ?? false,
      note: step.note ?? null,
      at: step.at,
    });
  }
}

/** Entity properties to the column names the state table writes, JSON columns serialised as TypeORM would. */
function columnsOf(manager: EntityManager, values: Partial<AfterSalesRequest>): Record<string, unknown> {
  const metadata = manager.connection.getMetadata(AfterSalesRequest);
  const columns: Record<string, unknown> = {};
  for (const [property, value] of Object.entries(values)) {
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`after_sales_request has no column for ${property}`);
    columns[column.databaseName] = column.type === 'jsonb' && value !== null ? JSON.stringify(value) : value;
  }
  return columns;
}

/** The return parcel as the step events carry it. */
function returnParcelOf(parcel: ReturnParcel): AfterSalesReturnParcelV1 {
  return {
    carrierCode: parcel.carrierCode,
    trackingNumber: parcel.trackingNumber,
    bookedBy: parcel.bookedBy ?? 'SHOPPER',
    ...(parcel.pickupAt ? { pickupAt: parcel.pickupAt } : {}),
  };
}
