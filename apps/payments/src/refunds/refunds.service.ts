import { newId, type RefundFailureReason, type RefundOrderRequest, refundFailed, refundSucceeded } from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import { findIdempotencyKey, fingerprint, type IdempotencyKeyRef, idempotently, withLockRetry } from '@mallard/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { nextSerial, updateReturning } from '../common/serial.js';
import { refuseUnstorableText } from '../common/text-checks.js';
import { PaymentsConfig } from '../config/payments-config.js';
import { Ledgers } from '../ledgers/ledgers.service.js';
import { Payment } from '../payment/payment.entity.js';
import { Tender } from '../payment/tender.entity.js';
import { pointsForRefund } from '../payment/tenders.js';
import { PaymentLog } from '../payment-log/payment-log.service.js';
import { CAPTURED_STATES, stateAfterRefund } from '../payment-log/payment-state.js';
import { Refund, type RefundSource } from './refund.entity.js';
import { type RefundView, toRefundView } from './refund.view.js';
import { keySpaceOf, STAFF_REFUND_ID } from './refund-keys.js';
import { RefundPart } from './refund-part.entity.js';
import { RefundSplitError, splitRefund } from './refund-split.js';
import { refundProblems } from './refunds.problems.js';

export interface RefundRequestInput {
  refundKey: string;
  orderId: string;
  paymentId?: string;
  amountMinor: number;
  currency: string;
  reason: string;
  source: RefundSource;
  requestedBy?: string | null;
}

export interface RefundOutcome {
  refund: Refund;
  parts: RefundPart[];
  /** False when the refundId had been seen before: this is the first refund, unchanged. */
  created: boolean;
  /** Provider parts are left to the refund worker. */
  needsDispatch: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The idempotency scope of refunds: a refund id is unique in its key space (refund-keys.ts), and
 * these keys are never purged, since a refund id must be recognised for as long as the refund exists.
 */
const REFUND = 'refund';

function refundKeyOf(input: Pick<RefundRequestInput, 'source' | 'refundKey'>): IdempotencyKeyRef {
  return { scope: REFUND, requester: keySpaceOf(input.source), key: input.refundKey };
}

/** What makes a repeat of a refund request the same request. */
function requestHashOf(input: RefundRequestInput): string {
  return fingerprint({
    orderId: input.orderId,
    paymentId: input.paymentId,
    amountMinor: input.amountMinor,
    currency: input.currency,
    reason: input.reason,
  });
}

export class RefundRejected extends Error {
  override readonly name = 'RefundRejected';
  constructor(
    readonly reason: RefundFailureReason,
    message: string,
  ) {
    super(message);
  }
}

/** What every refund.succeeded and refund.failed opens with: which refund, of which order and payment, for how much. */
function refundFacts(refund: Pick<Refund, 'orderId' | 'refundKey' | 'amountMinor' | 'currency'>, paymentId: string | null | undefined) {
  return {
    orderId: refund.orderId,
    refundId: refund.refundKey,
    ...(paymentId ? { paymentId } : {}),
    amountMinor: refund.amountMinor,
    currency: refund.currency,
  };
}

/**
 * Refunds along the original route. Under the payment's row lock (so racing refunds queue):
 * split the amount over the tenders by REFUND_ORDER, each at most what it has left, reserve it
 * on the tender (a CHECK keeps refunded ≤ paid), credit gift cards and points at once, and leave
 * provider parts to the refund worker. A refund completes when its last part did: the payment
 * moves to PARTIALLY_REFUNDED or REFUNDED and `refund.succeeded` is published.
 */
@Injectable()
export class RefundService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly ledgers: Ledgers,
    private readonly log: PaymentLog,
    private readonly config: PaymentsConfig,
  ) {}

  /**
   * A staff refund, in its own transaction (run again on a lock conflict). The currency is the
   * order's first payment's; a refund that cannot be made is a 422 problem.
   */
  async requestByStaff(orderId: string, request: RefundOrderRequest, requestedBy: string | null): Promise<RefundOutcome> {
    if (!STAFF_REFUND_ID.test(request.refundId)) throw refundProblems.refundIdInvalid();
    refuseUnstorableText({ texts: { reason: request.reason } });
    const currency = await this.currencyOfOrder(orderId);
    try {
      return await withLockRetry(() =>
        this.dataSource.transaction((manager) =>
          this.request(manager, {
            refundKey: request.refundId,
            orderId,
            paymentId: request.paymentId,
            amountMinor: request.amountMinor,
            currency: currency ?? 'XXX',
            reason: request.reason,
            source: 'STAFF',
            requestedBy,
          }),
        ),
      );
    } catch (error) {
      if (error instanceof RefundRejected) throw refundProblems.rejected(error);
      throw error;
    }
  }

  /** The currency of the order's first payment, if it has one. */
  private async currencyOfOrder(orderId: string): Promise<string | undefined> {
    const rows: { currency: string }[] = await this.dataSource.query(
      `SELECT currency FROM payment WHERE order_id = $1 ORDER BY created_at LIMIT 1`,
      [orderId],
    );
    return rows[0]?.currency.trim();
  }

  /** A refund with its parts, as staff see it. */
  async view(refundId: string): Promise<RefundView> {
    const manager = this.dataSource.manager;
    const refund = await manager.findOneByOrFail(Refund, { id: refundId });
    return toRefundView(refund, await manager.find(RefundPart, { where: { refundId }, order: { id: 'ASC' } }));
  }

  /**
   * Staff and event requests. A refund that cannot be made throws RefundRejected; for an event
   * the caller records the rejection (`reject`) so a redelivery is answered the same way.
   */
  async request(manager: EntityManager, input: RefundRequestInput): Promise<RefundOutcome> {
    const refundId = newId();
    return idempotently(
      manager,
      { ...refundKeyOf(input), fingerprint: requestHashOf(input), reference: refundId },
      {
        run: () => this.requestClaimed(manager, input, refundId),
        replay: (first) => this.madeBefore(manager, first.reference!),
        reused: () => refundProblems.refundIdReused(input.refundKey),
      },
    );
  }

  /** A repeated refund request gets the first refund as it is now, and nothing is dispatched again. */
  private async madeBefore(manager: EntityManager, refundId: string): Promise<RefundOutcome> {
    const refund = await manager.findOneByOrFail(Refund, { id: refundId });
    const parts = await manager.find(RefundPart, { where: { refundId }, order: { id: 'ASC' } });
    return { refund, parts, created: false, needsDispatch: false };
  }

  /** A refund whose key this request holds: find the payment, split the amount, make the refund. */
  private async requestClaimed(manager: EntityManager, input: RefundRequestInput, refundId: string): Promise<RefundOutcome> {
    // Refunds are asked for with other services' ids too; only one of our payment ids can match.
    if (input.paymentId !== undefined && !UUID.test(input.paymentId)) {
      throw new RefundRejected('NOTHING_TO_REFUND', `there is no payment ${input.paymentId}`);
    }
    const payment = input.paymentId
      ? await manager.findOne(Payment, { where: { id: input.paymentId, orderId: input.orderId }, lock: { mode: 'pessimistic_write' } })
      : await manager.findOne(Payment, {
          where: { orderId: input.orderId, state: In([...CAPTURED_STATES]) },
          order: { createdAt: 'ASC' },
          lock: { mode: 'pessimistic_write' },
        });
    if (!payment || !CAPTURED_STATES.includes(payment.state)) {
      throw new RefundRejected(
        'NOTHING_TO_REFUND',
        `order ${input.orderId} has no captured payment${input.paymentId ? ` ${input.paymentId}` : ''} to refund`,
      );
    }
    if (payment.currency !== input.currency)
      throw new RefundRejected('CURRENCY_MISMATCH', `the payment is in ${payment.currency}, the refund in ${input.currency}`);
    const tenders = await manager.find(Tender, { where: { paymentId: payment.id, state: 'CAPTURED' }, order: { position: 'ASC' } });
    let split: ReturnType<typeof splitRefund>;
    try {
      split = splitRefund(
        input.amountMinor,
        tenders.map((tender) => ({
          tenderId: tender.id,
          type: tender.type,
          position: tender.position,
          amountMinor: tender.amountMinor,
          refundedMinor: tender.refundedMinor,
        })),
        this.config.refundOrder,
      );
    } catch (error) {
      if (error instanceof RefundSplitError) throw new RefundRejected('EXCEEDS_REFUNDABLE', error.message);
      throw error;
    }
    return this.create(manager, refundId, payment, tenders, input, requestHashOf(input), split);
  }

  /** Records a refused event refund, so the same refundId is refused again without another look. */
  async reject(manager: EntityManager, input: RefundRequestInput, rejection: RefundRejected): Promise<void> {
    // The claim `request` made in this transaction names the refund, rejected or not.
    const claim = await findIdempotencyKey(manager, refundKeyOf(input));
    if (!claim?.reference) throw new Error(`refund ${input.refundKey} is rejected without the claim of its request`);
    const now = new Date();
    await manager.insert(Refund, {
      id: claim.reference,
      refundKey: input.refundKey,
      keySpace: keySpaceOf(input.source),
      requestHash: requestHashOf(input),
      serial: await nextSerial(manager, 'R', now),
      orderId: input.orderId,
      paymentId:
        input.paymentId && UUID.test(input.paymentId) && (await manager.existsBy(Payment, { id: input.paymentId }))
          ? input.paymentId
          : null,
      amountMinor: input.amountMinor,
      currency: input.currency,
      reason: input.reason,
      source: input.source,
      state: 'REJECTED',
      failure: `${rejection.reason}: ${rejection.message}`,
      requestedBy: input.requestedBy ?? null,
      createdAt: now,
      completedAt: now,
    });
    await this.publisher.publish(manager, refundFailed, {
      subject: input.orderId,
      data: {
        ...refundFacts(input, input.paymentId),
        reason: rejection.reason,
        refundedMinor: 0,
        detail: rejection.message.slice(0, 500),
        failedAt: now.toISOString(),
      },
    });
  }

  /** The provider took money for a payment we had already failed or cancelled: all of it goes back. */
  async refundLateCapture(manager: EntityManager, payment: Payment, providerTender: Tender): Promise<RefundOutcome> {
    const input: RefundRequestInput = {
      refundKey: `auto:${payment.id}`,
      orderId: payment.orderId,
      paymentId: payment.id,
      amountMinor: providerTender.amountMinor - providerTender.refundedMinor,
      currency: payment.currency,
      reason: payment.state === 'CANCELLED' ? 'CAPTURED_AFTER_CLOSE' : 'CAPTURED_AFTER_FAILURE',
      source: 'AUTO',
    };
    const requestHash = fingerprint({ auto: payment.id });
    const refundId = newId();
    return idempotently(
      manager,
      { ...refundKeyOf(input), fingerprint: requestHash, reference: refundId },
      {
        run: () =>
          this.create(manager, refundId, payment, [providerTender], input, requestHash, [
            { tenderId: providerTender.id, type: 'PROVIDER', amountMinor: input.amountMinor },
          ]),
        replay: (first) => this.madeBefore(manager, first.reference!),
        reused: () => refundProblems.refundIdReused(input.refundKey),
      },
    );
  }

  private async create(
    manager: EntityManager,
    refundId: string,
    payment: Payment,
    tenders: Tender[],
    input: RefundRequestInput,
    requestHash: string,
    split: { tenderId: string; type?: string; amountMinor: number }[],
  ): Promise<RefundOutcome> {
    const now = new Date();
    const refund = manager.create(Refund, {
      id: refundId,
      refundKey: input.refundKey,
      keySpace: keySpaceOf(input.source),
      requestHash,
      serial: await nextSerial(manager, 'R', now),
      orderId: payment.orderId,
      paymentId: payment.id,
      amountMinor: input.amountMinor,
      currency: payment.currency,
      reason: input.reason,
      source: input.source,
      state: 'PENDING',
      failure: null,
      requestedBy: input.requestedBy ?? null,
      createdAt: now,
      completedAt: null,
    });
    await manager.insert(Refund, refund);
    const ref = { orderId: payment.orderId, paymentId: payment.id, refundId: refund.id };
    const byId = new Map(tenders.map((tender) => [tender.id, tender]));
    const parts: RefundPart[] = [];
    // Lock order (lock-order.ts): reserve on the tenders, then the gift cards in code order, then points.
    const pointsOf = new Map<string, number | null>();
    for (const share of split) {
      const tender = byId.get(share.tenderId)!;
      const points =
        tender.type === 'POINTS' ? pointsForRefund(tender.points!, tender.amountMinor, tender.refundedMinor, share.amountMinor) : null;
      pointsOf.set(share.tenderId, points);
      // The CHECK (refunded_minor <= amount_minor) is the last line against over-refunding.
      const reserved = await updateReturning<{ id: string }>(
        manager,
        `UPDATE tender SET refunded_minor = refunded_minor + $2, refunded_points = refunded_points + $3 WHERE id = $1 AND state = 'CAPTURED' RETURNING id`,
        [tender.id, share.amountMinor, points ?? 0],
      );
      if (reserved.length === 0) throw new Error(`tender ${tender.id} is not captured; it cannot be refunded`);
      tender.refundedMinor += share.amountMinor;
    }
    const codes = split.map((share) => byId.get(share.tenderId)!.giftCardCode).filter((code): code is string => code !== null);
    if (codes.length > 0)
      await manager.query('SELECT code FROM gift_card WHERE code = ANY($1) ORDER BY code COLLATE "C" FOR UPDATE', [codes]);
    for (const share of split) {
      const tender = byId.get(share.tenderId)!;
      const points = pointsOf.get(share.tenderId) ?? null;
      if (tender.type === 'GIFT_CARD')
        await this.ledgers.creditGiftCard(manager, tender.giftCardCode!, share.amountMinor, ref, `refund ${refund.serial}`);
      if (tender.type === 'POINTS' && points! > 0)
        await this.ledgers.creditPoints(manager, payment.buyerId, points!, ref, `refund ${refund.serial}`);
      const internal = tender.type !== 'PROVIDER';
      const part = manager.create(RefundPart, {
        refundId: refund.id,
        tenderId: tender.id,
        type: tender.type,
        amountMinor: share.amountMinor,
        points,
        provider: tender.provider,
        providerRef: null,
        state: internal ? 'SUCCEEDED' : 'PENDING',
        attempts: 0,
        nextAttemptAt: now,
        lastError: null,
        completedAt: internal ? now : null,
      });
      await manager.insert(RefundPart, part);
      parts.push(part);
    }
    const needsDispatch = parts.some((part) => part.state === 'PENDING');
    if (!needsDispatch) await this.complete(manager, refund.id);
    return { refund: await manager.findOneByOrFail(Refund, { id: refund.id }), parts, created: true, needsDispatch };
  }

  /**
   * Ends a refund whose parts are all settled: payment state and log, then refund.succeeded,
   * or refund.failed when a provider part was refused (its reservation is released).
   */
  async complete(manager: EntityManager, refundId: string): Promise<void> {
    const refund = await manager.findOneByOrFail(Refund, { id: refundId });
    if (refund.state !== 'PENDING') return;
    const parts = await manager.find(RefundPart, { where: { refundId }, order: { id: 'ASC' } });
    if (parts.some((part) => part.state === 'PENDING')) return;
    const payment = await manager.findOneOrFail(Payment, { where: { id: refund.paymentId! }, lock: { mode: 'pessimistic_write' } });
    const now = new Date();
    const failed = parts.filter((part) => part.state === 'FAILED');
    // Compare-and-set: of two transactions completing the same refund, only one goes on.
    const completed = await updateReturning<{ id: string }>(
      manager,
      `UPDATE refund SET state = $2, completed_at = $3, failure = $4 WHERE id = $1 AND state = 'PENDING' RETURNING id`,
      [refundId, failed.length === 0 ? 'SUCCEEDED' : 'FAILED', now, failed.map((part) => part.lastError).join('; ') || null],
    );
    if (completed.length === 0) return;
    const succeeded = parts.filter((part) => part.state === 'SUCCEEDED');
    const givenBack = succeeded.reduce((sum, part) => sum + part.amountMinor, 0);
    for (const part of failed)
      await manager.query(`UPDATE tender SET refunded_minor = refunded_minor - $2 WHERE id = $1`, [part.tenderId, part.amountMinor]);
    if (givenBack > 0) {
      const refundedMinor = payment.refundedMinor + givenBack;
      const to = CAPTURED_STATES.includes(payment.state) ? stateAfterRefund(payment.amountMinor, refundedMinor) : 'REFUNDED';
      await this.log.transition(
        manager,
        payment,
        to,
        `refund ${refund.serial}`,
        { refundId: refund.refundKey, amountMinor: givenBack, reason: refund.reason },
        { refundedMinor },
      );
    }
    if (failed.length === 0) {
      await this.publisher.publish(manager, refundSucceeded, {
        subject: refund.orderId,
        data: {
          ...refundFacts(refund, payment.id),
          reason: refund.reason,
          parts: parts.map((part) => ({
            tender: part.type,
            amountMinor: part.amountMinor,
            ...(part.provider ? { provider: part.provider } : {}),
            ...(part.points !== null ? { points: part.points } : {}),
          })),
          succeededAt: now.toISOString(),
        },
      });
    } else {
      await this.publisher.publish(manager, refundFailed, {
        subject: refund.orderId,
        data: {
          ...refundFacts(refund, payment.id),
          reason: 'PROVIDER_REFUSED',
          refundedMinor: givenBack,
          detail:
            failed
              .map((part) => part.lastError)
              .join('; ')
              .slice(0, 500) || undefined,
          failedAt: now.toISOString(),
        },
      });
    }
  }
}
