import type { AfterSalesQueuePageResponse, AfterSalesQueueQuery, AfterSalesState } from '@mallard/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AfterSalesConfig } from '../config/after-sales-config.js';
import { RefundsService } from '../refunds/refunds.service.js';
import { AfterSalesRequest } from '../requests/after-sales-request.entity.js';
import type { AfterSalesRequestView } from '../requests/request.view.js';
import { requestProblems } from '../requests/requests.problems.js';
import { RequestQueries, STAFF_VIEWER, type Viewer } from '../requests/requests.queries.js';
import { type RequestActor, RequestsService, SYSTEM_ACTOR } from '../requests/requests.service.js';
import { autoApproval } from './auto-approval.js';

const STAFF: Viewer = STAFF_VIEWER;

/**
 * The customer-service desk (docs/domain.md §8): the queue, and the decisions on a request, each a
 * step with who took it. A refund only is refunded as it is approved; a return then waits for its parcel.
 */
@Injectable()
export class DeskService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: RequestsService,
    private readonly queries: RequestQueries,
    private readonly refunds: RefundsService,
    private readonly config: AfterSalesConfig,
  ) {}

  async queue(query: AfterSalesQueueQuery): Promise<AfterSalesQueuePageResponse> {
    const state: AfterSalesState = query.state ?? 'REQUESTED';
    const builder = this.dataSource
      .getRepository(AfterSalesRequest)
      .createQueryBuilder('request')
      .where('request.state = :state', { state })
      .orderBy('request.stateChangedAt', 'ASC')
      .addOrderBy('request.id', 'ASC')
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize);
    if (query.type) builder.andWhere('request.type = :type', { type: query.type });
    if (query.merchantId) builder.andWhere('request.merchantId = :merchantId', { merchantId: query.merchantId });
    if (query.olderThan !== undefined) {
      builder.andWhere('request.stateChangedAt < :before', { before: new Date(Date.now() - query.olderThan * 1000) });
    }
    const [requests, total] = await builder.getManyAndCount();
    return {
      items: await this.queries.views(this.dataSource.manager, requests, STAFF),
      page: query.page,
      pageSize: query.pageSize,
      total,
    };
  }

  approve(requestId: string, actor: RequestActor, note: string | undefined): Promise<AfterSalesRequestView> {
    return this.decide(requestId, (manager, request) => this.approveLocked(manager, request, actor, note ?? null, false));
  }

  reject(requestId: string, actor: RequestActor, note: string): Promise<AfterSalesRequestView> {
    return this.decide(requestId, async (manager, request) => {
      const from = request.state;
      await this.requests.move(manager, request, 'REJECTED', actor, 'be rejected', { note });
      await this.requests.publish(manager, request, 'rejected', actor, note, from);
    });
  }

  requestEvidence(requestId: string, actor: RequestActor, note: string): Promise<AfterSalesRequestView> {
    return this.decide(requestId, async (manager, request) => {
      await this.requests.move(manager, request, 'AWAITING_EVIDENCE', actor, 'wait for more evidence', { note });
      await this.requests.publish(manager, request, 'evidenceRequested', actor, note, 'REQUESTED');
    });
  }

  /**
   * Ends an approved request that cannot go on, with the reason: its refund cannot be calculated,
   * payments refused it (then it was never paid and no longer counts as given back), or its
   * replacement cannot be shipped. Nothing is refunded by closing.
   */
  close(requestId: string, actor: RequestActor, note: string): Promise<AfterSalesRequestView> {
    return this.decide(requestId, async (manager, request) => {
      const from = request.state;
      const closable =
        ['APPROVED', 'RETURN_SHIPPED', 'RETURN_RECEIVED', 'EXCHANGING'].includes(from) ||
        (from === 'REFUNDING' && request.refundFailure !== null);
      if (!closable) throw requestProblems.closeRefused(request.id, from);
      await this.requests.move(manager, request, 'CLOSED', actor, 'be closed', { note, set: from === 'REFUNDING' ? { refund: null } : {} });
      await this.requests.publish(manager, request, 'closed', actor, note, from);
    });
  }

  /**
   * Approves a request waiting in REQUESTED when an auto-approval rule says so, recorded as
   * automatic with the rule; the caller holds the locks. True when it approved.
   */
  async approveAutomatically(manager: EntityManager, request: AfterSalesRequest, evidenceCount: number): Promise<boolean> {
    if (request.state !== 'REQUESTED') return false;
    let refundMinor: number | null = null;
    if (request.type === 'REFUND_ONLY') {
      // A refund that cannot be calculated is for a person to look at, whatever rule would approve it.
      const refund = await this.refunds.calculate(manager, request).catch(() => null);
      if (!refund) return false;
      // Judged with what after-sales already refunded on the order, so splitting a refund into
      // small requests does not slip under the limit.
      const [{ earlier }] = await manager.query(
        `SELECT COALESCE(SUM((refund->>'refundedMinor')::bigint), 0)::bigint AS earlier
         FROM after_sales_request WHERE order_id = $1 AND id <> $2 AND refund IS NOT NULL`,
        [request.orderId, request.id],
      );
      refundMinor = refund.refundedMinor + Number(earlier);
    }
    const decision = autoApproval({ type: request.type, sellerAtFault: request.sellerAtFault, refundMinor, evidenceCount }, this.config);
    if (!decision) return false;
    await this.approveLocked(manager, request, SYSTEM_ACTOR, decision.note, true);
    return true;
  }

  private async approveLocked(
    manager: EntityManager,
    request: AfterSalesRequest,
    actor: RequestActor,
    note: string | null,
    automatic: boolean,
  ) {
    const from = request.state;
    await this.requests.move(manager, request, 'APPROVED', actor, 'be approved', { note, automatic });
    if (request.type === 'REFUND_ONLY') return this.refunds.issue(manager, request, actor, 'approved', { note, from });
    await this.requests.publish(manager, request, 'approved', actor, note, from);
  }

  private async decide(
    requestId: string,
    step: (manager: EntityManager, request: AfterSalesRequest) => Promise<void>,
  ): Promise<AfterSalesRequestView> {
    const request = await this.dataSource.transaction(async (manager) => {
      const locked = await this.requests.lock(manager, requestId);
      await step(manager, locked);
      return locked;
    });
    return this.queries.view(this.dataSource.manager, request, STAFF);
  }
}
