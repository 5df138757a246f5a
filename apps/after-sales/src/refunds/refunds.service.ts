import { type AfterSalesState, afterSalesRefundRequested, type RefundFailedV1, type RefundSucceededV1 } from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PurchasesService } from '../purchases/purchases.service.js';
import { AfterSalesRequest } from '../requests/after-sales-request.entity.js';
import { requestProblems } from '../requests/requests.problems.js';
import { type RequestActor, type RequestEvent, RequestsService, SYSTEM_ACTOR } from '../requests/requests.service.js';
import { calculateRefund, type RefundCalculation } from './refund-calculation.js';
import { RefundError } from './refund-error.js';

/** The prefix of the refund ids after-sales gives payments: one refund per request. */
const REFUND_ID_PREFIX = 'after-sales:';
export const refundIdOf = (requestId: string) => `${REFUND_ID_PREFIX}${requestId}`;

/**
 * A request's refund, calculated when it is due (on approval of a refund only, once a return is
 * received and inspected) from what was really paid and what was given back before, re-amortised
 * (refund-calculation.ts), then asked of payments along the original route.
 */
@Injectable()
export class RefundsService {
  private readonly logger = new Logger(RefundsService.name);

  constructor(
    private readonly purchases: PurchasesService,
    private readonly requests: RequestsService,
    private readonly publisher: EventPublisher,
  ) {}

  /** What the request would refund now, for a locked order; throws the problem when it cannot be calculated. */
  async calculate(manager: EntityManager, request: AfterSalesRequest): Promise<RefundCalculation> {
    const facts = await this.purchases.facts(manager, request.orderId);
    if (!facts) throw requestProblems.orderNotFound(request.orderId);
    const earlier = await this.purchases.earlierRefunds(manager, request.orderId, request.id);
    try {
      return calculateRefund(facts.order, earlier, {
        lines: request.lines.map(({ subOrderId, lineId, quantity }) => ({ subOrderId, lineId, quantity })),
        sellerAtFault: request.sellerAtFault,
      });
    } catch (error) {
      if (error instanceof RefundError) throw requestProblems.refundNotCalculable(error.code, error.message);
      throw error;
    }
  }

  /**
   * Calculates and asks for the refund of a request the caller locked (with its order): REFUNDING
   * until payments answers, or REFUNDED at once when the clawback leaves nothing to pay back.
   */
  async issue(
    manager: EntityManager,
    request: AfterSalesRequest,
    actor: RequestActor,
    event: RequestEvent,
    told: { note?: string | null; from?: AfterSalesState } = {},
  ): Promise<void> {
    // The event tells the whole action (an approval that also asked for the refund) from where it began.
    const from = told.from ?? request.state;
    const refund = await this.calculate(manager, request);
    if (refund.refundedMinor === 0) {
      await this.requests.move(manager, request, 'REFUNDED', actor, 'be refunded', {
        set: { refund, refundedAt: new Date() },
        note: 'nothing to pay back: the kept goods lost benefit worth all the returned goods paid',
      });
    } else {
      await this.requests.move(manager, request, 'REFUNDING', actor, 'be refunded', { set: { refund } });
      await this.publisher.publish(manager, afterSalesRefundRequested, {
        subject: request.orderId,
        data: {
          orderId: request.orderId,
          refundId: refundIdOf(request.id),
          requestId: request.id,
          amountMinor: refund.refundedMinor,
          currency: refund.currency,
          lines: refund.lines.map((line) => ({ ...line })),
        },
      });
    }
    await this.requests.publish(manager, request, event, actor, told.note ?? null, from);
  }

  /** Payments gave the money back: the request is REFUNDED. Other refunds (orders', staff's) are not ours. */
  async succeeded(manager: EntityManager, event: RefundSucceededV1): Promise<void> {
    const request = await this.requestOf(manager, event.refundId);
    if (request?.state !== 'REFUNDING') return;
    await this.requests.move(manager, request, 'REFUNDED', SYSTEM_ACTOR, 'be refunded', {
      set: { refundedAt: new Date(event.succeededAt), refundFailure: null },
    });
    await this.requests.publish(manager, request, 'refunded', SYSTEM_ACTOR, null, 'REFUNDING');
  }

  /** Payments could not: the request stays REFUNDING with the reason, for staff to settle by hand. */
  async failed(manager: EntityManager, event: RefundFailedV1): Promise<void> {
    const request = await this.requestOf(manager, event.refundId);
    if (request?.state !== 'REFUNDING') return;
    const failure = `${event.reason}${event.detail ? `: ${event.detail}` : ''}`;
    await manager.update(AfterSalesRequest, { id: request.id }, { refundFailure: failure, updatedAt: new Date() });
    this.logger.error(`after-sales request ${request.id}: payments could not refund it (${failure})`);
  }

  private async requestOf(manager: EntityManager, refundId: string): Promise<AfterSalesRequest | null> {
    if (!refundId.startsWith(REFUND_ID_PREFIX)) return null;
    const requestId = refundId.slice(REFUND_ID_PREFIX.length);
    if (!/^[0-9a-f-]{36}$/.test(requestId)) return null;
    const found = await manager.findOne(AfterSalesRequest, { where: { id: requestId } });
    return found ? this.requests.lock(manager, requestId) : null;
  }
}
