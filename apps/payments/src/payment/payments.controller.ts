import { PayOrderRequest, RefundOrderRequest } from '@mallard/contracts';
import {
  ACTOR_HEADER,
  BUYER_HEADER,
  ORDER_SNAPSHOT_HEADER,
  ProblemException,
  requireBuyer,
  requireIdempotencyKey,
} from '@mallard/platform';
import { Body, Controller, Get, Headers, NotFoundException, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { withLockRetry } from '../common/lock-retry.js';
import { refuseUnstorableText } from '../common/text-checks.js';
import { parseOrderSnapshot, recordPlacedOrder, snapshotSaysClosed } from '../orders/placed-order.js';
import { STAFF_REFUND_ID } from '../refunds/refund.entities.js';
import { RefundRejected, RefundService } from '../refunds/refund.service.js';
import { RefundWorker } from '../refunds/refund-worker.js';
import { MoneyTrail } from './money-trail.js';
import { PayService } from './pay.service.js';
import { Payment } from './payment.entities.js';
import { paymentProblems } from './payment.problems.js';

/** Payments' internal API; the gateway exposes it under /api/v1. */
@Controller('internal')
export class PaymentsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly pay: PayService,
    private readonly trail: MoneyTrail,
    private readonly refunds: RefundService,
    private readonly worker: RefundWorker,
  ) {}

  /** 201 with the payment (SUCCEEDED, or PENDING with the provider's next step); a retry gets the first answer. */
  @Post('orders/:orderId/payments')
  async create(
    @Param('orderId', new ParseUUIDPipe()) orderId: string,
    @Headers(BUYER_HEADER) buyerId: string | undefined,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers(ORDER_SNAPSHOT_HEADER) orderSnapshot: string | undefined,
    @Body() request: PayOrderRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const key = requireIdempotencyKey(idempotencyKey);
    const buyer = requireBuyer(buyerId);
    // Paying right after placing can beat order.placed here; the gateway then brings the order.
    if (orderSnapshot !== undefined) {
      const snapshot = parseOrderSnapshot(orderSnapshot, orderId, buyer);
      // Orders' word beats what payments has consumed so far: order.cancelled may still be on its way.
      if (snapshotSaysClosed(snapshot)) throw paymentProblems.orderClosed(orderId, snapshot.state!);
      await withLockRetry(() => recordPlacedOrder(this.dataSource.manager, snapshot));
    }
    const answer = await withLockRetry(() => this.pay.pay(buyer, orderId, key, request));
    void reply.status(answer.status);
    return answer.body;
  }

  /** The payment now; with a buyer header only that buyer's. */
  @Get('payments/:paymentId')
  async get(
    @Param('paymentId', new ParseUUIDPipe()) paymentId: string,
    @Headers(BUYER_HEADER) buyerId: string | undefined,
  ): Promise<unknown> {
    const payment = await this.dataSource.getRepository(Payment).findOneBy({ id: paymentId });
    if (!payment || (buyerId !== undefined && payment.buyerId !== buyerId)) throw new NotFoundException(`no payment ${paymentId}`);
    return this.pay.view(this.dataSource.manager, paymentId);
  }

  @Get('orders/:orderId/money-trail')
  async moneyTrail(@Param('orderId', new ParseUUIDPipe()) orderId: string): Promise<unknown> {
    const trail = await this.trail.of(orderId);
    if (!trail)
      throw new ProblemException({
        status: 404,
        slug: 'order-not-found',
        title: 'Order not found',
        detail: `payments knows nothing of order ${orderId}`,
      });
    return trail;
  }

  /** A staff refund: 201 when made (or started), 200 for a repeat of the same refundId. */
  @Post('orders/:orderId/refunds')
  async refund(
    @Param('orderId', new ParseUUIDPipe()) orderId: string,
    @Headers(ACTOR_HEADER) actor: string | undefined,
    @Body() request: RefundOrderRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    if (!STAFF_REFUND_ID.test(request.refundId)) {
      throw new ProblemException({
        status: 400,
        slug: 'refund-id-invalid',
        title: 'Invalid refundId',
        detail: 'a staff refundId is 1–128 letters, digits, ".", "_" or "-", starting with a letter or digit',
        extensions: { field: 'refundId' },
      });
    }
    refuseUnstorableText({ texts: { reason: request.reason } });
    const currency = await this.dataSource
      .query(`SELECT currency FROM payment WHERE order_id = $1 ORDER BY created_at LIMIT 1`, [orderId])
      .then((rows: { currency: string }[]) => rows[0]?.currency.trim());
    let outcome: Awaited<ReturnType<RefundService['request']>>;
    try {
      outcome = await withLockRetry(() =>
        this.dataSource.transaction((manager) =>
          this.refunds.request(manager, {
            refundKey: request.refundId,
            orderId,
            paymentId: request.paymentId,
            amountMinor: request.amountMinor,
            currency: currency ?? 'XXX',
            reason: request.reason,
            source: 'STAFF',
            requestedBy: actor ?? null,
          }),
        ),
      );
    } catch (error) {
      if (error instanceof RefundRejected) {
        throw new ProblemException({
          status: 422,
          slug: `refund-${error.reason.toLowerCase().replaceAll('_', '-')}`,
          title: 'The refund cannot be made',
          detail: error.message,
          extensions: { reason: error.reason },
        });
      }
      throw error;
    }
    if (outcome.needsDispatch) this.worker.wake();
    void reply.status(outcome.created ? 201 : 200);
    const refund = await this.trail.of(orderId);
    return ((refund?.refunds ?? []) as { id: string }[]).find((entry) => entry.id === outcome.refund.id);
  }
}
