import {
  type AfterSalesState,
  type BookReturnPickupRequest,
  type InspectReturnRequest,
  type ReceiveReturnRequest,
  type ReturnParcelStateChangedV1,
  returnInspected,
  type SubmitReturnParcelRequest,
  type WarehouseReturnsPageResponse,
  type WarehouseReturnsQuery,
} from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import { afterCommit, rowsOf } from '@mallard/platform';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ExchangesService } from '../exchanges/exchanges.service.js';
import { AfterSalesMetrics } from '../metrics/after-sales-metrics.js';
import { Purchase } from '../purchases/purchase.entity.js';
import { RefundsService } from '../refunds/refunds.service.js';
import { AfterSalesRequest, type ReturnParcel } from '../requests/after-sales-request.entity.js';
import { type AfterSalesRequestView, toWarehouseReturnView } from '../requests/request.view.js';
import { requestProblems } from '../requests/requests.problems.js';
import { RequestQueries, STAFF_VIEWER, type Viewer } from '../requests/requests.queries.js';
import { type RequestActor, RequestsService } from '../requests/requests.service.js';

/** The warehouses the caller may act for (the verified token's), or undefined: not limited. */
export type WarehouseScope = readonly string[] | undefined;

/**
 * Of a request (aliased `request`): every unit came from a sub-order that shipped from one of the
 * warehouses `:scope` (text[]), by what orders recorded at the split; a unit whose sub-order the
 * record lacks is outside. The warehouse's list and its steps both ask this, so staff see a
 * request exactly when they may act on it: one whose units came from two warehouses only with a
 * token naming both (or as an admin), never on a list where every step would be refused.
 */
const EVERY_UNIT_IN_SCOPE = `NOT EXISTS (
  SELECT 1 FROM jsonb_array_elements(request.lines) line
   WHERE NOT EXISTS (
     SELECT 1 FROM purchase p CROSS JOIN jsonb_array_elements(p.record -> 'subOrders') shipped
      WHERE p.order_id = request.order_id
        AND shipped ->> 'subOrderId' = line ->> 'subOrderId'
        AND shipped ->> 'warehouseId' = ANY(CAST(:scope AS text[]))))`;

/** Where a return waits on its warehouse: a pickup to book or goods to expect, goods to receive, goods to inspect. */
const WAITING_ON_THE_WAREHOUSE: readonly AfterSalesState[] = ['APPROVED', 'RETURN_SHIPPED', 'RETURN_RECEIVED'];

/**
 * The goods' way back (docs/domain.md §8): the shopper sends the return parcel or the merchant
 * books a pickup, logistics follows the parcel by the carrier's tracking, the warehouse receives it
 * (with or without a refund, the reason recorded) and inspects it; passed goods go back to sellable
 * stock, failed ones are booked as damaged (inventory, return.inspected); then the refund (an
 * exchange's replacement), or the end of the request without one.
 */
@Injectable()
export class ReturnsService {
  private readonly logger = new Logger(ReturnsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: RequestsService,
    private readonly queries: RequestQueries,
    private readonly refunds: RefundsService,
    private readonly exchanges: ExchangesService,
    private readonly publisher: EventPublisher,
    private readonly metrics: AfterSalesMetrics,
  ) {}

  shipped(requestId: string, buyerId: string, body: SubmitReturnParcelRequest): Promise<AfterSalesRequestView> {
    const shopper: RequestActor = { kind: 'SHOPPER', id: buyerId };
    return this.step(requestId, { kind: 'buyer', buyerId }, buyerId, async (manager, request) => {
      const returnParcel: ReturnParcel = { ...body, shippedAt: new Date().toISOString(), bookedBy: 'SHOPPER', pickupAt: null };
      await this.sendBack(manager, request, shopper, returnParcel, `${body.carrierCode} ${body.trackingNumber}`);
    });
  }

  /**
   * The returns and exchanges whose goods go back to a warehouse, oldest state change first: those
   * with a unit one of its sub-orders shipped, by what orders recorded at the split, and, for
   * warehouse staff, only those their steps take (the same predicate as inScope). A REFUND_ONLY
   * sends nothing back and is never listed. Answered in the warehouse's view.
   */
  async comingBack(query: WarehouseReturnsQuery, scope: WarehouseScope): Promise<WarehouseReturnsPageResponse> {
    if (scope !== undefined && !scope.includes(query.warehouseId)) throw requestProblems.warehouseNotYours(query.warehouseId);
    const listed = this.dataSource
      .getRepository(AfterSalesRequest)
      .createQueryBuilder('request')
      .where('request.state IN (:...states)', { states: query.state ? [query.state] : WAITING_ON_THE_WAREHOUSE })
      .andWhere("request.type <> 'REFUND_ONLY'")
      .andWhere(
        `EXISTS (SELECT 1 FROM purchase p
                   CROSS JOIN jsonb_array_elements(p.record -> 'subOrders') shipped
                   CROSS JOIN jsonb_array_elements(request.lines) line
                  WHERE p.order_id = request.order_id
                    AND shipped ->> 'subOrderId' = line ->> 'subOrderId'
                    AND shipped ->> 'warehouseId' = :warehouseId)`,
        { warehouseId: query.warehouseId },
      );
    if (scope !== undefined) listed.andWhere(EVERY_UNIT_IN_SCOPE, { scope: [...scope] });
    const [requests, total] = await listed
      .orderBy('request.stateChangedAt', 'ASC')
      .addOrderBy('request.id', 'ASC')
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
    const now = new Date();
    return {
      items: requests.map((request) => toWarehouseReturnView(request, now)),
      page: query.page,
      pageSize: query.pageSize,
      total,
    };
  }

  /** The merchant had a carrier fetch the goods from the shopper: from then on it is the return parcel. */
  pickupBooked(
    requestId: string,
    actor: RequestActor,
    scope: WarehouseScope,
    body: BookReturnPickupRequest,
  ): Promise<AfterSalesRequestView> {
    return this.step(requestId, STAFF_VIEWER, undefined, async (manager, request) => {
      await this.inScope(manager, request, scope);
      const pickupAt = new Date(body.pickupAt).toISOString();
      const returnParcel: ReturnParcel = {
        carrierCode: body.carrierCode,
        trackingNumber: body.trackingNumber,
        shippedAt: new Date().toISOString(),
        bookedBy: 'MERCHANT',
        pickupAt,
      };
      await this.sendBack(
        manager,
        request,
        actor,
        returnParcel,
        `pickup booked for ${pickupAt}: ${body.carrierCode} ${body.trackingNumber}`,
      );
    });
  }

  /**
   * Where logistics has the return parcel by the carrier's tracking. Not a step of the request (the
   * warehouse's receipt is): kept on its parcel, newest version wins, in one compare-and-set.
   */
  async trackingChanged(manager: EntityManager, change: ReturnParcelStateChangedV1): Promise<void> {
    const tracking = { state: change.to, at: change.occurredAt, version: change.version };
    const written: unknown[] = await manager.query(
      `UPDATE after_sales_request SET return_parcel = jsonb_set(return_parcel, '{tracking}', $2::jsonb)
        WHERE id = $1 AND return_parcel->>'trackingNumber' = $3
          AND coalesce((return_parcel #>> '{tracking,version}')::int, 0) < $4
        RETURNING id`,
      [change.requestId, JSON.stringify(tracking), change.trackingNumber, change.version],
    );
    if (rowsOf(written).length === 0) {
      this.logger.log(
        `return parcel ${change.returnParcelId} of request ${change.requestId}: version ${change.version} not newer, or not its parcel`,
      );
    }
  }

  private async sendBack(
    manager: EntityManager,
    request: AfterSalesRequest,
    actor: RequestActor,
    returnParcel: ReturnParcel,
    note: string,
  ) {
    if (request.type === 'REFUND_ONLY')
      throw requestProblems.stepRefused(request.id, request.state, 'take a return parcel (nothing is sent back)');
    await this.requests.move(manager, request, 'RETURN_SHIPPED', actor, 'take a return parcel', { set: { returnParcel }, note });
    await this.requests.publish(manager, request, 'returnShipped', actor, null, 'APPROVED');
  }

  received(requestId: string, actor: RequestActor, scope: WarehouseScope, body: ReceiveReturnRequest): Promise<AfterSalesRequestView> {
    return this.step(requestId, STAFF_VIEWER, undefined, async (manager, request) => {
      await this.inScope(manager, request, scope);
      if (request.type === 'REFUND_ONLY')
        throw requestProblems.stepRefused(request.id, request.state, 'be received (nothing is sent back)');
      if (!body.refund && !body.note)
        throw requestProblems.stepRefused(request.id, request.state, 'be received without a refund and without saying why');
      const from = request.state;
      await this.requests.move(manager, request, 'RETURN_RECEIVED', actor, 'be received', {
        set: { receivedAt: new Date(), refundOnReceipt: body.refund },
        note: body.refund ? (body.note ?? null) : `received without a refund: ${body.note}`,
      });
      await this.requests.publish(manager, request, 'returnReceived', actor, body.note ?? null, from);
      // The move above won its compare-and-set (a second receipt is refused): counted once, when it commits.
      const { type } = request;
      afterCommit(manager, () => this.metrics.returnsReceived.inc({ type }));
    });
  }

  /**
   * Passed goods go back to sellable stock, failed ones are booked as damaged. The refund (or the
   * exchange's replacement) follows unless staff received the goods without one, or the goods
   * failed inspection and the seller is not at fault (a change of mind returned broken): then the
   * request is CLOSED with the inspection's note.
   */
  inspected(requestId: string, actor: RequestActor, scope: WarehouseScope, body: InspectReturnRequest): Promise<AfterSalesRequestView> {
    return this.step(requestId, STAFF_VIEWER, undefined, async (manager, request) => {
      await this.inScope(manager, request, scope);
      if (request.state !== 'RETURN_RECEIVED' || request.inspectionPassed !== null) {
        throw requestProblems.stepRefused(request.id, request.state, 'be inspected');
      }
      request.inspectionPassed = body.passed;
      request.inspectionNote = body.note;
      await this.bookGoods(manager, request, body.passed);
      const goOn = request.refundOnReceipt === true && (body.passed || request.sellerAtFault);
      if (goOn && request.type === 'EXCHANGE') {
        await this.exchanges.ask(manager, request, actor, body.note);
        return;
      }
      if (goOn) {
        await this.refunds.issue(manager, request, actor, 'inspected', { note: body.note });
        return;
      }
      const why = request.refundOnReceipt ? `failed inspection, not the seller's fault: ${body.note}` : body.note;
      await this.requests.move(manager, request, 'CLOSED', actor, 'be closed', { note: why });
      await this.requests.publish(manager, request, 'closed', actor, why, 'RETURN_RECEIVED');
    });
  }

  /** Warehouse staff act only on returns to the warehouses their token names (absent: not limited). */
  private async inScope(manager: EntityManager, request: AfterSalesRequest, scope: WarehouseScope): Promise<void> {
    if (scope === undefined) return;
    const theirs = await manager
      .getRepository(AfterSalesRequest)
      .createQueryBuilder('request')
      .where('request.id = :id', { id: request.id })
      .andWhere(EVERY_UNIT_IN_SCOPE, { scope: [...scope] })
      .getExists();
    if (!theirs) throw requestProblems.requestNotFound(request.id);
  }

  /** One return.inspected per warehouse the units came from: back on its shelf, or booked as damaged. */
  private async bookGoods(manager: EntityManager, request: AfterSalesRequest, passed: boolean): Promise<void> {
    await manager.update(AfterSalesRequest, { id: request.id }, { inspectionPassed: passed, inspectionNote: request.inspectionNote });
    const purchase = await manager.findOneByOrFail(Purchase, { orderId: request.orderId });
    const warehouseOf = new Map(purchase.record.subOrders.map((subOrder) => [subOrder.subOrderId, subOrder.warehouseId]));
    const byWarehouse = new Map<string, Map<string, number>>();
    for (const line of request.lines) {
      const warehouseId = warehouseOf.get(line.subOrderId)!;
      const skus = byWarehouse.get(warehouseId) ?? new Map<string, number>();
      skus.set(line.skuId, (skus.get(line.skuId) ?? 0) + line.quantity);
      byWarehouse.set(warehouseId, skus);
    }
    for (const [warehouseId, skus] of [...byWarehouse].sort(([a], [b]) => a.localeCompare(b))) {
      await this.publisher.publish(manager, returnInspected, {
        subject: request.orderId,
        data: {
          orderId: request.orderId,
          requestId: request.id,
          restockId: `after-sales:${request.id}:${warehouseId}`,
          warehouseId,
          condition: passed ? 'SELLABLE' : 'DAMAGED',
          lines: [...skus].map(([skuId, quantity]) => ({ skuId, quantity })),
          inspectedAt: new Date().toISOString(),
        },
      });
    }
  }

  private async step(
    requestId: string,
    viewer: Viewer,
    buyerId: string | undefined,
    step: (manager: EntityManager, request: AfterSalesRequest) => Promise<void>,
  ): Promise<AfterSalesRequestView> {
    const request = await this.dataSource.transaction(async (manager) => {
      const locked = await this.requests.lock(manager, requestId, buyerId);
      await step(manager, locked);
      return locked;
    });
    return this.queries.view(this.dataSource.manager, request, viewer);
  }
}
