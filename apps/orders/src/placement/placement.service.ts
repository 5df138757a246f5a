import type { PlaceOrderRequest } from '@mallard/contracts';
import { newId, orderPlaced } from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import { answerRetry, findIdempotencyKey, fingerprint, type IdempotentRequest, idempotently, type RetryAnswers } from '@mallard/platform';
import { type PricedOrder, PricingError, type PricingInput, priceOrder } from '@mallard/pricing';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { BillingService } from '../billing/billing.service.js';
import type { BillingDetails } from '../billing/billing-details.js';
import type { OrderBilling } from '../billing/order-billing.entity.js';
import { CatalogSku } from '../catalog/catalog-sku.entity.js';
import { OrdersConfig, shippingRuleOf } from '../config/orders-config.js';
import { OrderQueries } from '../order/order.queries.js';
import { type OrderView, toOrderView } from '../order/order.view.js';
import type { OrderLine } from '../order/order-line.entity.js';
import { UNPAID_STATES } from '../order/order-state.js';
import type { ParentOrder, PricingTerms } from '../order/parent-order.entity.js';
import { PromotionBook } from '../promotions/promotion-book.js';
import { placementProblems } from './placement.problems.js';
import { checkUnpaidAllowance } from './unpaid-allowance.js';

/** The idempotency scope of placements; the requester is the buyer. */
const PLACE_ORDER = 'place-order';

export interface PlacementResult {
  order: OrderView;
  /** False when the Idempotency-Key had already placed this order. */
  created: boolean;
}

/**
 * Places a parent order: checks every SKU against the catalog and the billing tax id against
 * its country, prices the cart, counts limited SKUs against the buyer's purchase limit, and
 * writes the order (with its billing details, when given) and its `order.placed` event in one
 * transaction. Stock is held afterwards by inventory (the saga).
 */
@Injectable()
export class PlacementService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly promotions: PromotionBook,
    private readonly queries: OrderQueries,
    private readonly config: OrdersConfig,
    private readonly billingDetails: BillingService,
  ) {}

  async place(buyerId: string, idempotencyKey: string, request: PlaceOrderRequest): Promise<PlacementResult> {
    if (request.lines.length > this.config.MAX_LINES_PER_ORDER) throw placementProblems.tooManyLines(this.config.MAX_LINES_PER_ORDER);
    const seen = new Set<string>();
    for (const line of request.lines) {
      if (seen.has(line.skuId)) throw placementProblems.duplicateSku(line.skuId);
      seen.add(line.skuId);
    }
    const requestHash = fingerprint(request);

    // A retry of a placed order gets that order, whatever changed since (price, coupon, limit):
    // an error now would make the client place it a second time under a new key.
    const key = { scope: PLACE_ORDER, requester: buyerId, key: idempotencyKey };
    const [previous, skus] = await Promise.all([
      findIdempotencyKey(this.dataSource, key),
      this.dataSource.getRepository(CatalogSku).findBy({ id: In([...seen]) }),
    ]);
    if (previous) return answerRetry(previous, requestHash, this.retryAnswers(this.dataSource.manager));
    const billing = request.billing ? this.billingDetails.checked(request.billing) : null;
    const byId = new Map(skus.map((sku) => [sku.id, sku]));
    const unknown = request.lines.filter((line) => !byId.has(line.skuId)).map((line) => line.skuId);
    if (unknown.length > 0) throw placementProblems.unknownSkus(unknown);
    const offShelf = request.lines.filter((line) => !byId.get(line.skuId)!.onShelf).map((line) => line.skuId);
    if (offShelf.length > 0) throw placementProblems.offShelf(offShelf);
    const currencies = [...new Set(skus.map((sku) => sku.currency))];
    if (currencies.length > 1) throw placementProblems.mixedCurrencies(currencies);
    for (const line of request.lines) {
      const limit = byId.get(line.skuId)!.purchaseLimit;
      if (limit !== null && line.quantity > limit) throw placementProblems.purchaseLimit(line.skuId, limit);
    }

    const orderId = newId();
    const lineIds = request.lines.map(() => newId());
    const [active, coupon] = await Promise.all([
      this.promotions.active(),
      request.couponCode ? this.promotions.coupon(request.couponCode) : Promise.resolve(undefined),
    ]);
    if (request.couponCode && !coupon) throw placementProblems.couponNotFound(request.couponCode);
    const shipping = shippingRuleOf(this.config);
    const priced = this.price({
      currency: currencies[0],
      lines: request.lines.map((line, index) => ({
        lineId: lineIds[index],
        skuId: line.skuId,
        unitPriceMinor: byId.get(line.skuId)!.priceMinor,
        quantity: line.quantity,
      })),
      itemPromotions: active.itemPromotions,
      orderPromotions: active.orderPromotions,
      coupon,
      shipping,
    });

    // A coupon the cart does not qualify for is refused rather than silently dropped.
    if (priced.coupon && !priced.coupon.accepted) throw placementProblems.couponNotApplicable(priced.coupon.code, priced.coupon.reason);
    // Kept with the order: the book and the settings change, and after-sales re-prices with these.
    const terms: PricingTerms = {
      orderPromotions: active.orderPromotions,
      ...(coupon && priced.coupon?.accepted ? { coupon } : {}),
      shipping,
    };

    const claim: IdempotentRequest = { ...key, fingerprint: requestHash, reference: orderId };
    return this.dataSource.transaction((manager) =>
      idempotently(manager, claim, {
        ...this.retryAnswers(manager),
        run: () => this.placeClaimed(manager, { orderId, buyerId, request, priced, terms, byId, billing }),
      }),
    );
  }

  /** The placement itself, once this request holds its Idempotency-Key. */
  private async placeClaimed(
    manager: EntityManager,
    input: {
      orderId: string;
      buyerId: string;
      request: PlaceOrderRequest;
      priced: PricedOrder;
      terms: PricingTerms;
      byId: Map<string, CatalogSku>;
      billing: BillingDetails | null;
    },
  ): Promise<PlacementResult> {
    const { orderId, buyerId, request, priced, terms, byId, billing } = input;
    await this.checkUnpaidAllowance(manager, buyerId, request, byId);
    await this.countAgainstLimits(manager, buyerId, request, byId);
    const now = new Date();
    const paymentDueAt = new Date(now.getTime() + this.config.PAYMENT_WINDOW_SECONDS * 1000);
    const view = await this.insertOrder(manager, { orderId, buyerId, request, priced, terms, byId, billing, now, paymentDueAt });
    await this.publisher.publish(manager, orderPlaced, {
      subject: orderId,
      data: {
        orderId,
        buyerId,
        currency: priced.currency,
        payableMinor: priced.payableMinor,
        placedAt: now.toISOString(),
        paymentDueAt: paymentDueAt.toISOString(),
        lines: priced.lines.map((line) => {
          const sku = byId.get(line.skuId)!;
          return {
            lineId: line.lineId,
            skuId: line.skuId,
            merchantId: sku.merchantId,
            fulfilmentType: sku.fulfilmentType,
            stockPolicy: sku.stockPolicy,
            quantity: line.quantity,
            paidAmountMinor: line.paidAmountMinor,
          };
        }),
      },
    });
    return { order: view, created: true };
  }

  /** A cart the engine cannot price (e.g. a misconfigured promotion) is refused, not a 500. */
  private price(input: PricingInput): PricedOrder {
    try {
      return priceOrder(input);
    } catch (error) {
      if (error instanceof PricingError) throw placementProblems.pricingRefused(error.code, error.message);
      throw error;
    }
  }

  /**
   * Refuses an order that would take the buyer past MAX_UNPAID_ORDERS_PER_BUYER or
   * MAX_HELD_UNITS_PER_BUYER. A transaction-scoped advisory lock per buyer serialises the
   * buyer's parallel placements: each counts only after the previous one committed (READ
   * COMMITTED gives every statement a fresh snapshot), so together they cannot pass the caps.
   * Lock order in placement: the Idempotency-Key row (idempotent_request), this buyer lock, then purchase_tally
   * rows in SKU order. Closing an order (the saga) takes the order row then purchase_tally
   * rows and never this lock, so the two cannot wait on each other in a cycle.
   */
  private async checkUnpaidAllowance(
    manager: EntityManager,
    buyerId: string,
    request: PlaceOrderRequest,
    byId: Map<string, CatalogSku>,
  ): Promise<void> {
    const allowance = { maxUnpaidOrders: this.config.MAX_UNPAID_ORDERS_PER_BUYER, maxHeldUnits: this.config.MAX_HELD_UNITS_PER_BUYER };
    if (allowance.maxUnpaidOrders === 0 && allowance.maxHeldUnits === 0) return;
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`orders.unpaid-allowance:${buyerId}`]);
    const [standing]: { unpaid_orders: number; held_units: number }[] = await manager.query(
      `SELECT count(DISTINCT o.id)::int AS unpaid_orders,
              coalesce(sum(l.quantity) FILTER (WHERE l.stock_policy = 'RESERVE_ON_ORDER'), 0)::int AS held_units
         FROM parent_order o LEFT JOIN order_line l ON l.order_id = o.id
        WHERE o.buyer_id = $1 AND o.state = ANY($2::text[])`,
      [buyerId, UNPAID_STATES],
    );
    const requestedHeldUnits = request.lines
      .filter((line) => byId.get(line.skuId)!.stockPolicy === 'RESERVE_ON_ORDER')
      .reduce((units, line) => units + line.quantity, 0);
    const verdict = checkUnpaidAllowance(
      allowance,
      { unpaidOrders: standing.unpaid_orders, heldUnits: standing.held_units },
      requestedHeldUnits,
    );
    if (verdict.ok) return;
    if (verdict.exceeded === 'UNPAID_ORDERS') throw placementProblems.tooManyUnpaidOrders(verdict.limit);
    throw placementProblems.tooManyHeldUnits(verdict.limit, verdict.current, verdict.requested);
  }

  /**
   * Raises the buyer's tally of each limited SKU only while it stays within the limit; the
   * row lock of the upsert serialises a buyer's parallel orders, so together they cannot
   * exceed it.
   */
  private async countAgainstLimits(
    manager: EntityManager,
    buyerId: string,
    request: PlaceOrderRequest,
    byId: Map<string, CatalogSku>,
  ): Promise<void> {
    const limited = request.lines
      .map((line) => ({ line, limit: byId.get(line.skuId)!.purchaseLimit }))
      .filter((entry): entry is { line: PlaceOrderRequest['lines'][number]; limit: number } => entry.limit !== null)
      .sort((a, b) => a.line.skuId.localeCompare(b.line.skuId));
    for (const { line, limit } of limited) {
      const counted: unknown[] = await manager.query(
        `INSERT INTO purchase_tally AS t (buyer_id, sku_id, quantity) VALUES ($1, $2, $3)
         ON CONFLICT (buyer_id, sku_id) DO UPDATE SET quantity = t.quantity + EXCLUDED.quantity
         WHERE t.quantity + EXCLUDED.quantity <= $4
         RETURNING quantity`,
        [buyerId, line.skuId, line.quantity, limit],
      );
      if (counted.length === 0) throw placementProblems.purchaseLimit(line.skuId, limit);
    }
  }

  /** Writes the order, its lines and its first history row; returns them as the API shows them. */
  private async insertOrder(
    manager: EntityManager,
    input: {
      orderId: string;
      buyerId: string;
      request: PlaceOrderRequest;
      priced: PricedOrder;
      terms: PricingTerms;
      byId: Map<string, CatalogSku>;
      billing: BillingDetails | null;
      now: Date;
      paymentDueAt: Date;
    },
  ): Promise<OrderView> {
    const { orderId, buyerId, request, priced, terms, byId, billing, now, paymentDueAt } = input;
    const order: Omit<ParentOrder, 'lines' | 'subOrders'> = {
      id: orderId,
      buyerId,
      state: 'PLACED',
      stateReason: null,
      currency: priced.currency,
      receiver: request.receiver,
      deliverySlot: request.deliverySlot ?? null,
      paymentMethod: request.paymentMethod,
      couponCode: priced.coupon?.code ?? null,
      itemsTotal: priced.itemsTotalMinor,
      itemDiscount: priced.itemDiscountMinor,
      orderDiscount: priced.orderDiscountMinor,
      shippingFee: priced.shippingFeeMinor,
      payable: priced.payableMinor,
      appliedDiscounts: priced.applied,
      pricingTerms: terms,
      placedAt: now,
      paymentDueAt,
      paidAt: null,
      paymentId: null,
      interceptionRequestedAt: null,
      updatedAt: now,
    };
    const lines: Omit<OrderLine, 'order'>[] = priced.lines.map((line, position) => {
      const sku = byId.get(line.skuId)!;
      return {
        id: line.lineId,
        orderId,
        position,
        skuId: line.skuId,
        skuName: sku.name,
        merchantId: sku.merchantId,
        fulfilmentType: sku.fulfilmentType,
        stockPolicy: sku.stockPolicy,
        quantity: line.quantity,
        unitPrice: line.unitPriceMinor,
        lineAmount: line.lineAmountMinor,
        itemDiscount: line.itemDiscountMinor,
        orderDiscountShare: line.orderDiscountShareMinor,
        shippingFeeShare: line.shippingFeeShareMinor,
        paidAmount: line.paidAmountMinor,
        taxRateBasisPoints: sku.taxRateBasisPoints,
        // What this line added to the buyer's purchase-limit tally, so a cancel gives back exactly that.
        limitCounted: sku.purchaseLimit === null ? 0 : line.quantity,
        allocations: [],
      };
    });
    const placedChange = { id: '0', orderId, fromState: null, toState: 'PLACED', reason: null, at: now };
    // Plain SQL on the hot path: the ORM's query building cost more CPU than the inserts.
    await manager.query(
      `INSERT INTO parent_order (id, buyer_id, state, state_reason, currency, receiver, delivery_slot, payment_method, coupon_code,
         items_total, item_discount, order_discount, shipping_fee, payable, applied_discounts, pricing_terms, placed_at, payment_due_at, paid_at, payment_id, updated_at)
       VALUES ($1, $2, 'PLACED', NULL, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, NULL, NULL, $15)`,
      [
        orderId,
        buyerId,
        order.currency,
        JSON.stringify(order.receiver),
        order.deliverySlot === null ? null : JSON.stringify(order.deliverySlot),
        order.paymentMethod,
        order.couponCode,
        order.itemsTotal,
        order.itemDiscount,
        order.orderDiscount,
        order.shippingFee,
        order.payable,
        JSON.stringify(order.appliedDiscounts),
        JSON.stringify(terms),
        now,
        paymentDueAt,
      ],
    );
    const column = <K extends keyof (typeof lines)[number]>(key: K) => lines.map((line) => line[key]);
    await manager.query(
      `INSERT INTO order_line (id, order_id, position, sku_id, sku_name, merchant_id, fulfilment_type, stock_policy, quantity,
         unit_price, line_amount, item_discount, order_discount_share, shipping_fee_share, paid_amount, limit_counted, tax_rate_bp)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[],
         $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[], $16::int[], $17::int[])`,
      [
        column('id'),
        column('orderId'),
        column('position'),
        column('skuId'),
        column('skuName'),
        column('merchantId'),
        column('fulfilmentType'),
        column('stockPolicy'),
        column('quantity'),
        column('unitPrice'),
        column('lineAmount'),
        column('itemDiscount'),
        column('orderDiscountShare'),
        column('shippingFeeShare'),
        column('paidAmount'),
        column('limitCounted'),
        column('taxRateBasisPoints'),
      ],
    );
    const placed = `INSERT INTO order_state_change (order_id, from_state, to_state, reason, at) VALUES ($1, NULL, 'PLACED', NULL, $2)`;
    if (billing) {
      // Billing details ride on the history row's statement, so an order with them costs no
      // round trip more than one without.
      await manager.query(
        `WITH billing AS (
           INSERT INTO order_billing (order_id, type, title, tax_id, country, email, version, updated_at)
           VALUES ($1, $3, $4, $5, $6, $7, 1, $2))
         ${placed}`,
        [orderId, now, billing.type, billing.title, billing.taxId, billing.country, billing.email],
      );
    } else {
      await manager.query(placed, [orderId, now]);
    }
    const billingRow: OrderBilling | null = billing ? { orderId, ...billing, version: 1, updatedAt: now, lockedAt: null } : null;
    // Built from what was just written: reading it back would cost three more round trips.
    return toOrderView(order as ParentOrder, lines as OrderLine[], [], [placedChange], [], billingRow);
  }

  /** A retry of a request that already placed its order answers with that order as it is now. */
  private retryAnswers(manager: EntityManager): RetryAnswers<PlacementResult> {
    return {
      replay: async (first) => ({ order: (await this.queries.view(first.reference!, manager))!, created: false }),
      reused: () => placementProblems.idempotencyKeyReused(),
    };
  }
}
