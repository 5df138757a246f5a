import { newId, type PayOrderRequest, paymentFailed, paymentSucceeded } from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import {
  fingerprint,
  type IdempotencyKeyRef,
  idempotently,
  type RememberedRequest,
  recordIdempotentResponse,
  rowsOf,
  withLockRetry,
} from '@mallard/platform';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { nextSerialSql, serialPrefix } from '../common/serial.js';
import { PaymentsConfig } from '../config/payments-config.js';
import { Ledgers } from '../ledgers/ledgers.service.js';
import { type PlacedOrder, recordPlacedOrder, snapshotSaysClosed } from '../orders/placed-order.js';
import { PaymentLog } from '../payment-log/payment-log.service.js';
import { ACTIVE_PAYMENT_STATES } from '../payment-log/payment-state.js';
import { PaymentProviders } from '../providers/payment-providers.js';
import { inLedgerLockOrder } from './lock-order.js';
import { Payment } from './payment.entity.js';
import { paymentProblems, type StoredProblem } from './payment.problems.js';
import { type PaymentView, toPaymentView } from './payment.view.js';
import { paymentFacts } from './payment-facts.js';
import { PaymentOutcomes } from './payment-outcomes.js';
import { Tender } from './tender.entity.js';
import { TenderSettlement } from './tender-settlement.js';
import { type PlannedTender, planTenders, TenderError, type TenderInput } from './tenders.js';

/** The idempotency scope of payment requests; the requester is the buyer. */
export const PAY = 'pay';

export interface PayAnswer {
  status: number;
  body: unknown;
}

/**
 * Pays a parent order with one or more tenders. Step 1, one transaction: claim the
 * Idempotency-Key, lock the order's row, refuse a closed or already-paying order, debit gift
 * cards and points, write the payment (CREATED, then SUCCEEDED or PENDING) with its log rows and,
 * without a provider part, `payment.succeeded`. Step 2, only with a provider part: ask the
 * provider for the charge (outside any transaction) and record what the shopper needs to pay it.
 * The first answer is stored with the key and replayed for a retry.
 */
@Injectable()
export class PaymentService {
  private readonly logger = new Logger(PaymentService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly ledgers: Ledgers,
    private readonly log: PaymentLog,
    private readonly settlement: TenderSettlement,
    private readonly providers: PaymentProviders,
    private readonly config: PaymentsConfig,
    private readonly outcomes: PaymentOutcomes,
  ) {}

  /**
   * The payment route. `snapshot` is orders' copy of the order, which the gateway sends because
   * paying right after placing can beat order.placed here. Each step runs again on a lock conflict.
   */
  async payOrder(
    buyerId: string,
    orderId: string,
    idempotencyKey: string,
    request: PayOrderRequest,
    snapshot?: PlacedOrder,
  ): Promise<PayAnswer> {
    // Orders' word beats what payments has consumed so far: order.cancelled may still be on its way.
    if (snapshot && snapshotSaysClosed(snapshot)) throw paymentProblems.orderClosed(orderId, snapshot.state!);
    // Recorded as order.placed would record it, committed before the payment's transaction: in
    // it, order.placed's insert of the same row would wait for the whole payment, which goes on to
    // lock the buyer's points account that a consumer batch holding order.placed may hold too.
    if (snapshot) await withLockRetry(() => recordPlacedOrder(this.dataSource.manager, snapshot));
    return withLockRetry(() => this.pay(buyerId, orderId, idempotencyKey, request));
  }

  /** The payment now, or null when there is none (or, with a buyer, none of that buyer's). */
  async find(paymentId: string, buyerId?: string): Promise<PaymentView | null> {
    const payment = await this.dataSource.getRepository(Payment).findOneBy({ id: paymentId });
    if (!payment || (buyerId !== undefined && payment.buyerId !== buyerId)) return null;
    return this.view(this.dataSource.manager, paymentId);
  }

  private async pay(buyerId: string, orderId: string, idempotencyKey: string, request: PayOrderRequest): Promise<PayAnswer> {
    const key: IdempotencyKeyRef = { scope: PAY, requester: buyerId, key: idempotencyKey };
    const paymentId = newId();
    const claim = { ...key, fingerprint: fingerprint({ orderId, tenders: request.tenders }), reference: paymentId };
    const first = await this.dataSource.transaction((manager) =>
      idempotently<{ replay?: RememberedRequest; created?: { answer?: PayAnswer } }>(manager, claim, {
        run: async () => ({ created: await this.start(manager, key, orderId, paymentId, request) }),
        replay: (remembered) => ({ replay: remembered }),
        reused: () => paymentProblems.idempotencyKeyReused(),
      }),
    );
    if (first.replay) {
      if (first.replay.response) return first.replay.response;
      // The first attempt stopped between its two steps (a crash): finish it now.
      return this.finish(first.replay.reference!, key);
    }
    if (first.created?.answer) return first.created.answer;
    return this.finish(paymentId, key);
  }

  private async start(
    manager: EntityManager,
    key: IdempotencyKeyRef,
    orderId: string,
    paymentId: string,
    request: PayOrderRequest,
  ): Promise<{ answer?: PayAnswer }> {
    const { requester: buyerId, key: idempotencyKey } = key;
    // Lock order (lock-order.ts): the order's row, then its live payment. The order's row
    // serialises every attempt to pay it; the partial unique index on payment(order_id) would
    // stop a second live payment even without it. The live payment is locked too, so a provider
    // callback (which locks only the payment) cannot capture it between our look and our move.
    const order = await lockPayableOrder(manager, orderId);
    if (!order || order.buyer_id !== buyerId || order.payable_minor === null || order.currency === null) {
      if (order?.state === 'CLOSED' && order.buyer_id === null) throw paymentProblems.orderClosed(orderId, order.close_reason);
      throw paymentProblems.orderNotFound(orderId);
    }
    if (order.state === 'CLOSED') throw paymentProblems.orderClosed(orderId, order.close_reason);
    const payableMinor = Number(order.payable_minor);
    const currency = order.currency;
    const [live] = rowsOf<{ id: string }>(
      await manager.query(
        `SELECT id FROM payment
          WHERE order_id = $1 AND (state = ANY($2::text[]) OR (state = 'REFUNDED' AND succeeded_at IS NOT NULL))
          FOR UPDATE`,
        [orderId, ACTIVE_PAYMENT_STATES],
      ),
    );
    // Read whole only when there is one (rare): it is locked already.
    const active = live ? await manager.findOneByOrFail(Payment, { id: live.id }) : null;
    if (active && active.state !== 'PENDING') throw paymentProblems.alreadyPaying(orderId, active.id, active.state);

    let plan: ReturnType<typeof planTenders>;
    try {
      plan = planTenders(payableMinor, request.tenders as TenderInput[], this.config.POINTS_PER_CURRENCY_UNIT);
    } catch (error) {
      if (error instanceof TenderError) throw paymentProblems.tenders(error);
      throw error;
    }
    const providerPart = plan.providerPart;
    if (providerPart && !this.providers.get(providerPart.provider!).accepts(currency)) {
      throw paymentProblems.providerUnavailable(providerPart.provider!, currency);
    }

    if (active) {
      // The compare-and-set loses if the provider's capture committed first: that payment stands.
      // Our own cards are locked with the superseded payment's, all in code order before any points.
      const ourCards = plan.tenders.flatMap((tender) => (tender.giftCardCode ? [tender.giftCardCode] : []));
      if (!(await this.outcomes.supersede(manager, active, ourCards))) {
        const current = await manager.findOneByOrFail(Payment, { id: active.id });
        throw paymentProblems.alreadyPaying(orderId, current.id, current.state);
      }
    }

    const now = new Date();
    const payment: Payment = {
      id: paymentId,
      serial: '',
      orderId,
      buyerId,
      currency,
      amountMinor: plan.totalMinor,
      state: 'CREATED',
      provider: providerPart?.provider ?? null,
      providerRef: null,
      clientAction: null,
      refundedMinor: 0,
      createdAt: now,
      updatedAt: now,
      succeededAt: null,
    };
    payment.serial = await insertPayment(manager, payment, plan.tenders, { idempotencyKey });

    // Gift cards in code order, then points (lock-order.ts), so no two transactions deadlock on them.
    const ref = { orderId, paymentId };
    for (const tender of inLedgerLockOrder(plan.tenders.map((tender, position) => ({ ...tender, position })))) {
      if (tender.type === 'GIFT_CARD')
        await this.ledgers.debitGiftCard(manager, tender.giftCardCode!, tender.amountMinor, currency, ref, `payment ${payment.serial}`);
      if (tender.type === 'POINTS') await this.ledgers.debitPoints(manager, buyerId, tender.points!, ref, `payment ${payment.serial}`);
    }

    if (providerPart) {
      await this.log.transition(manager, payment, 'PENDING', 'awaiting provider', {
        provider: providerPart.provider,
        amountMinor: providerPart.amountMinor,
      });
      return {};
    }
    // The tenders are captured by the move's own statement (TenderSettlement.captureWithMove).
    await this.log.transition(
      manager,
      payment,
      'SUCCEEDED',
      'paid by gift cards and points',
      null,
      { succeededAt: now },
      this.settlement.captureWithMove(now),
    );
    await this.publisher.publish(manager, paymentSucceeded, {
      subject: orderId,
      data: { ...paymentFacts(payment), succeededAt: now.toISOString() },
    });
    // The tenders as this transaction wrote them: every one held at insert, captured by the move.
    const tenders = plan.tenders.map((tender, position) => ({ ...tender, position, state: 'CAPTURED' as const, refundedMinor: 0 }));
    const answer = { status: 201, body: toPaymentView(payment, tenders) };
    await recordIdempotentResponse(manager, key, answer);
    return { answer };
  }

  /** Step 2: the provider's charge. Asking again for the same payment starts no second charge. */
  private async finish(paymentId: string, key: IdempotencyKeyRef): Promise<PayAnswer> {
    const payment = await this.dataSource.getRepository(Payment).findOneByOrFail({ id: paymentId });
    const provider = this.providers.get(payment.provider!);
    const providerTender = await this.dataSource.getRepository(Tender).findOneByOrFail({ paymentId, type: 'PROVIDER' });
    let answer: PayAnswer;
    if (payment.state !== 'PENDING' || payment.clientAction) {
      answer = { status: 201, body: await this.view(this.dataSource.manager, paymentId) };
    } else {
      try {
        const intent = await provider.createIntent({
          paymentId,
          serial: payment.serial,
          orderId: payment.orderId,
          amountMinor: providerTender.amountMinor,
          currency: payment.currency,
        });
        answer = await this.dataSource.transaction(async (manager) => {
          await manager.query(
            `UPDATE payment SET provider_ref = COALESCE(provider_ref, $2), client_action = $3, updated_at = now() WHERE id = $1`,
            [paymentId, intent.providerRef, JSON.stringify(intent.clientAction)],
          );
          return { status: 201, body: await this.view(manager, paymentId) };
        });
      } catch (error) {
        this.logger.warn(`${payment.provider} refused to start payment ${payment.serial}: ${(error as Error).message}`);
        await this.failToStart(paymentId, (error as Error).message);
        const problem = paymentProblems.providerFailed(payment.provider!, paymentId);
        answer = { status: 502, body: problem.toProblem() };
      }
    }
    await recordIdempotentResponse(this.dataSource, key, answer);
    if (answer.status >= 400) {
      throw paymentProblems.storedAnswer(answer.status, answer.body as StoredProblem, paymentId);
    }
    return answer;
  }

  private async failToStart(paymentId: string, message: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const payment = await manager.findOne(Payment, { where: { id: paymentId }, lock: { mode: 'pessimistic_write' } });
      if (payment?.state !== 'PENDING') return;
      if (!(await this.log.tryTransition(manager, payment, 'FAILED', 'provider error', { message: message.slice(0, 500) }))) return;
      await this.settlement.release(manager, payment, `payment ${payment.serial} failed to start`);
      await this.publisher.publish(manager, paymentFailed, {
        subject: payment.orderId,
        data: { ...paymentFacts(payment), reason: 'PROVIDER_ERROR', failedAt: new Date().toISOString() },
      });
    });
  }

  async view(manager: EntityManager, paymentId: string): Promise<PaymentView> {
    const payment = await manager.findOneByOrFail(Payment, { id: paymentId });
    return toPaymentView(payment, await manager.find(Tender, { where: { paymentId } }));
  }
}

interface LockedOrder {
  buyer_id: string | null;
  currency: string | null;
  payable_minor: string | null;
  state: 'OPEN' | 'CLOSED';
  close_reason: string | null;
}

const ORDER_COLUMNS = 'buyer_id, currency, payable_minor, state, close_reason';

/** The order's row, locked (lock-order.ts, step 1). */
async function lockPayableOrder(manager: EntityManager, orderId: string): Promise<LockedOrder | undefined> {
  return rowsOf<LockedOrder>(
    await manager.query(`SELECT ${ORDER_COLUMNS} FROM payable_order WHERE order_id = $1 FOR UPDATE`, [orderId]),
  )[0];
}

/**
 * The payment (CREATED), its tenders (HELD) and its first log row, in one statement; answers the
 * serial it drew.
 */
async function insertPayment(
  manager: EntityManager,
  payment: Payment,
  tenders: readonly PlannedTender[],
  detail: { idempotencyKey: string },
): Promise<string> {
  const [row] = rowsOf<{ serial: string }>(
    await manager.query(
      `WITH created AS (
         INSERT INTO payment (id, serial, order_id, buyer_id, currency, amount_minor, state, provider, refunded_minor, created_at, updated_at)
         VALUES ($1, ${nextSerialSql('$2')}, $3, $4, $5, $6, 'CREATED', $7, 0, $8, $8)
         RETURNING id, serial, order_id),
       tenders AS (
         INSERT INTO tender (payment_id, position, type, amount_minor, gift_card_code, points, provider, state)
         SELECT created.id, t.position, t.type, t.amount_minor, t.gift_card_code, t.points, t.provider, 'HELD'
           FROM created, unnest($9::int[], $10::text[], $11::bigint[], $12::text[], $13::bigint[], $14::text[])
             AS t (position, type, amount_minor, gift_card_code, points, provider)),
       logged AS (
         INSERT INTO payment_log (payment_id, order_id, from_state, to_state, reason, detail)
         SELECT id, order_id, NULL, 'CREATED', 'created', $15::jsonb FROM created)
       SELECT serial FROM created`,
      [
        payment.id,
        serialPrefix('P', payment.createdAt),
        payment.orderId,
        payment.buyerId,
        payment.currency,
        payment.amountMinor,
        payment.provider,
        payment.createdAt,
        tenders.map((_, position) => position),
        tenders.map((tender) => tender.type),
        tenders.map((tender) => tender.amountMinor),
        tenders.map((tender) => tender.giftCardCode),
        tenders.map((tender) => tender.points),
        tenders.map((tender) => tender.provider),
        JSON.stringify({ ...detail, tenders: tenders.map(({ type, amountMinor }) => ({ type, amountMinor })) }),
      ],
    ),
  );
  return row.serial;
}
