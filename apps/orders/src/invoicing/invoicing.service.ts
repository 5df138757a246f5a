import {
  type BillingDetailsRequest,
  creditNoteIssued,
  invoiceIssued,
  orderBillingChanged,
  type ParcelStateChangedV1,
  type RefundSucceededV1,
} from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { BillingService } from '../billing/billing.service.js';
import { OrderBilling } from '../billing/order-billing.entity.js';
import { Compensation } from '../compensation/compensation.entity.js';
import { OrdersConfig } from '../config/orders-config.js';
import { orderProblems } from '../order/order.problems.js';
import { OrderLine } from '../order/order-line.entity.js';
import { OrderTransitions } from '../order/order-transitions.js';
import { ParentOrder } from '../order/parent-order.entity.js';
import { SubOrder } from '../order/sub-order.entity.js';
import { type CreditNoteFigures, creditNoteFigures, type RefundedLine } from './credit-note-figures.js';
import { DeliveredParcel } from './delivered-parcel.entity.js';
import { subOrderDelivered } from './invoice-due.js';
import { type InvoiceFigures, type InvoiceLineFigures, invoiceFigures } from './invoice-figures.js';
import { takeInvoiceNumber } from './invoice-numbers.js';
import { InvoiceRecord } from './invoice-record.entity.js';
import { type InvoiceRefusal, invoicingProblems } from './invoicing.problems.js';
import { refundedLines, type SpreadableSubOrder, spreadStaffRefund, staffRefundLines } from './refund-breakdown.js';
import { SettledRefund, type SettledRefundKind } from './settled-refund.entity.js';

/** Parcel states after which no more of a sub-order's units are on their way: time to see whether it is all delivered. */
const PARCEL_ENDS = new Set(['DELIVERED', 'REJECTED', 'RETURNING', 'RETURNED_TO_SENDER']);

/** Who issued a document that no person asked for: a delivery, a refund. */
export const SYSTEM_ISSUER = 'system';

/** A document about to be numbered and written. */
type Planned =
  | { kind: 'INVOICE'; subOrder: SubOrder; figures: InvoiceFigures; replaces: InvoiceRecord | null }
  | {
      kind: 'CREDIT_NOTE';
      subOrder: SubOrder;
      corrects: string;
      reason: 'REFUND' | 'REISSUE';
      refundId: string | null;
      figures: CreditNoteFigures;
    };

/** What an issuance works from, read under the order's lock. */
interface OrderBooks {
  order: ParentOrder;
  billing: OrderBilling | null;
  subOrders: SubOrder[];
  figures: Map<string, InvoiceFigures>;
  documents: InvoiceRecord[];
  compensations: Compensation[];
}

/**
 * Invoices and credit notes (docs/domain.md §2, "Invoices" and "Credit notes"): a sub-order's
 * invoice once its goods are delivered or when the shopper or staff ask, and a credit note for
 * every refund of an invoiced sub-order, whichever of the refund and the invoice comes first.
 *
 * Lock order, as every change of an order: the order's row first; then the billing details; the
 * issuers' counters last, in issuer order, so two issuances never wait on each other crosswise.
 */
@Injectable()
export class InvoicingService {
  private readonly logger = new Logger(InvoicingService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: OrderTransitions,
    private readonly publisher: EventPublisher,
    private readonly billingService: BillingService,
    private readonly config: OrdersConfig,
  ) {}

  /** A parcel delivered is recorded; once a sub-order's units are all delivered or given back, it is invoiced. */
  async parcelChanged(manager: EntityManager, event: ParcelStateChangedV1): Promise<void> {
    if (!PARCEL_ENDS.has(event.to)) return;
    if (event.to === 'DELIVERED') {
      await manager
        .createQueryBuilder()
        .insert()
        .into(DeliveredParcel)
        .values({
          parcelId: event.parcelId,
          orderId: event.orderId,
          subOrderId: event.subOrderId,
          lines: event.lines.map((line) => ({ lineId: line.lineId, quantity: line.quantity })),
          deliveredAt: new Date(event.occurredAt),
        })
        .orIgnore()
        .execute();
    }
    const books = await this.books(manager, event.orderId);
    if (!books?.billing) return;
    const subOrder = books.subOrders.find((candidate) => candidate.id === event.subOrderId);
    if (!subOrder || this.inForce(books, subOrder.id)) return;
    const delivered = await manager.find(DeliveredParcel, { where: { subOrderId: subOrder.id } });
    const givenBack = books.compensations.filter((row) => row.subOrderId === subOrder.id && row.kind !== 'PARCEL_RETURNED');
    const due = subOrderDelivered(
      subOrder.lines,
      delivered.flatMap((parcel) => parcel.lines),
      givenBack.flatMap((row) => row.lines),
    );
    if (due) await this.issue(manager, books, [subOrder], SYSTEM_ISSUER);
  }

  /**
   * Payments refunded part of a split order: the refund is kept with where its lines come from,
   * and credited on every invoice it touches that exists already. Refunds of orders never split
   * (closed, failed, or a second capture's) touch no invoice and are not kept.
   */
  async refundSucceeded(manager: EntityManager, event: RefundSucceededV1): Promise<void> {
    const books = await this.books(manager, event.orderId);
    if (!books || books.subOrders.length === 0) return;
    const kind = refundKind(event.refundId, event.orderId);
    if (!kind) return;
    if (kind === 'STAFF' && event.paymentId !== books.order.paymentId) return;
    const spread = kind === 'STAFF' ? spreadStaffRefund(event.amountMinor, await this.spreadable(manager, books)) : null;
    if (spread?.length === 0) this.logger.warn(`staff refund ${event.refundId} of order ${event.orderId}: no sub-order to credit it on`);
    await manager
      .createQueryBuilder()
      .insert()
      .into(SettledRefund)
      .values({
        refundId: event.refundId,
        orderId: event.orderId,
        kind,
        amountMinor: event.amountMinor,
        spread,
        succeededAt: new Date(event.succeededAt),
      })
      .orIgnore()
      .execute();
    if (books.billing) await this.issue(manager, books, [], SYSTEM_ISSUER);
  }

  /** After-sales' refund breakdown reached orders (maybe after payments' news of it): credit what is owed. */
  async afterSalesRefundRecorded(manager: EntityManager, orderId: string): Promise<void> {
    const books = await this.books(manager, orderId);
    if (books?.billing) await this.issue(manager, books, [], SYSTEM_ISSUER);
  }

  /**
   * The shopper (or staff) asks for the invoices: every sub-order not stopped whole gets one now,
   * delivered or not. Asking again issues nothing more.
   */
  async request(
    orderId: string,
    buyerId: string | null,
    issuedBy: string,
  ): Promise<{ issued: InvoiceRecord[]; documents: InvoiceRecord[] }> {
    return this.dataSource.transaction(async (manager) => {
      const books = await this.books(manager, orderId);
      if (!books || (buyerId !== null && books.order.buyerId !== buyerId)) throw orderProblems.notFound(orderId);
      const refusal = requestRefusal(books);
      if (refusal) throw invoicingProblems.notIssuable(orderId, refusal);
      const stopped = new Set(books.compensations.filter((row) => row.kind === 'SUB_ORDER_STOPPED').map((row) => row.subOrderId));
      const wanted = books.subOrders.filter((subOrder) => !stopped.has(subOrder.id) && !this.inForce(books, subOrder.id));
      const issued = await this.issue(manager, books, wanted, issuedBy);
      return { issued, documents: books.documents };
    });
  }

  /**
   * Staff replace an invoice in force (a wrong title, say): a credit note takes it back whole and a
   * new invoice, with the same figures and the billing details as they are now (changed first, when
   * staff give new ones), takes its place. Refunds after it are credited on the new one.
   */
  async reissue(
    number: string,
    issuedBy: string,
    billing: BillingDetailsRequest | undefined,
  ): Promise<{ issued: InvoiceRecord[]; documents: InvoiceRecord[] }> {
    const details = billing ? this.billingService.checked(billing) : null;
    return this.dataSource.transaction(async (manager) => {
      const found = await manager.findOne(InvoiceRecord, { where: { number } });
      if (!found) throw invoicingProblems.notFound(number);
      const books = await this.books(manager, found.orderId);
      const invoice = books?.documents.find((document) => document.number === number);
      if (!books || !invoice) throw invoicingProblems.notFound(number);
      if (invoice.kind !== 'INVOICE' || invoice.replacedBy) throw invoicingProblems.notReissuable(number, invoice.replacedBy);
      if (details) books.billing = await this.replaceBilling(manager, books, details);
      const subOrder = books.subOrders.find((candidate) => candidate.id === invoice.subOrderId)!;
      const lines = invoice.lines as InvoiceLineFigures[];
      const planned: Planned[] = [
        {
          kind: 'CREDIT_NOTE',
          subOrder,
          corrects: invoice.number,
          reason: 'REISSUE',
          refundId: null,
          figures: creditNoteFigures(lines, lines.map(wholeLine)),
        },
        {
          kind: 'INVOICE',
          subOrder,
          figures: {
            subOrderId: subOrder.id,
            lines,
            totalMinor: invoice.totalMinor,
            taxMinor: invoice.taxMinor,
            taxByRate: invoice.taxByRate,
          },
          replaces: invoice,
        },
      ];
      const issued = await this.write(manager, books, planned, issuedBy);
      return { issued, documents: books.documents };
    });
  }

  /** The order's invoices and credit notes, oldest first; with a buyer, only that buyer's order is found. */
  async list(orderId: string, buyerId: string | null): Promise<InvoiceRecord[]> {
    const order = await this.dataSource.manager.findOne(ParentOrder, { where: { id: orderId } });
    if (!order || (buyerId !== null && order.buyerId !== buyerId)) throw orderProblems.notFound(orderId);
    return this.dataSource.getRepository(InvoiceRecord).find({ where: { orderId }, order: { issuedAt: 'ASC', number: 'ASC' } });
  }

  /** One document; with a buyer, only one of that buyer's orders is found. */
  async find(number: string, buyerId: string | null): Promise<InvoiceRecord> {
    const document = await this.dataSource.getRepository(InvoiceRecord).findOne({ where: { number } });
    if (!document) throw invoicingProblems.notFound(number);
    if (buyerId !== null) {
      const order = await this.dataSource.manager.findOne(ParentOrder, { where: { id: document.orderId } });
      if (!order || order.buyerId !== buyerId) throw invoicingProblems.notFound(number);
    }
    return document;
  }

  /**
   * Issues the invoices of `subOrders` (those without one in force) and every credit note owed:
   * a settled refund's share of an invoiced sub-order not credited yet.
   */
  private async issue(
    manager: EntityManager,
    books: OrderBooks,
    subOrders: readonly SubOrder[],
    issuedBy: string,
  ): Promise<InvoiceRecord[]> {
    const planned: Planned[] = subOrders
      .filter((subOrder) => !this.inForce(books, subOrder.id))
      .map((subOrder) => ({ kind: 'INVOICE', subOrder, figures: books.figures.get(subOrder.id)!, replaces: null }));
    const invoiceLinesOf = (subOrderId: string): { number: string | null; lines: InvoiceLineFigures[] } | null => {
      const current = this.inForce(books, subOrderId);
      if (current) return { number: current.number, lines: current.lines as InvoiceLineFigures[] };
      const fresh = planned.find((document) => document.kind === 'INVOICE' && document.subOrder.id === subOrderId);
      return fresh?.kind === 'INVOICE' ? { number: null, lines: fresh.figures.lines } : null;
    };
    const credited = new Set(
      books.documents.filter((document) => document.reason === 'REFUND').map((document) => `${document.refundId}/${document.subOrderId}`),
    );
    const refunds = await manager.find(SettledRefund, {
      where: { orderId: books.order.id },
      order: { succeededAt: 'ASC', refundId: 'ASC' },
    });
    for (const refund of refunds) {
      for (const slice of this.slicesOf(books, refund)) {
        const invoice = invoiceLinesOf(slice.subOrderId);
        if (!invoice || credited.has(`${refund.refundId}/${slice.subOrderId}`)) continue;
        const lines = slice.lines(invoice.lines);
        if (lines.length === 0) continue;
        planned.push({
          kind: 'CREDIT_NOTE',
          subOrder: books.subOrders.find((candidate) => candidate.id === slice.subOrderId)!,
          // A fresh invoice's number is known once numbered: `write` fills it in.
          corrects: invoice.number ?? '',
          reason: 'REFUND',
          refundId: refund.refundId,
          figures: creditNoteFigures(invoice.lines, lines),
        });
      }
    }
    return this.write(manager, books, planned, issuedBy);
  }

  /**
   * Numbers and writes the planned documents, issuers in order (the counters' lock order), each
   * issuer's invoices before its credit notes; locks the billing details on the order's first
   * invoice; publishes each document.
   */
  private async write(manager: EntityManager, books: OrderBooks, planned: Planned[], issuedBy: string): Promise<InvoiceRecord[]> {
    if (planned.length === 0) return [];
    const billing = books.billing!;
    const now = new Date();
    const ordered = planned
      .map((document) => ({ document, issuerId: this.issuerOf(document.subOrder.merchantId) }))
      .sort((a, b) =>
        a.issuerId < b.issuerId
          ? -1
          : a.issuerId > b.issuerId
            ? 1
            : a.document.kind === b.document.kind
              ? 0
              : a.document.kind === 'INVOICE'
                ? -1
                : 1,
      );
    const invoiceNumberOf = new Map<string, string>();
    const written: InvoiceRecord[] = [];
    for (const { document, issuerId } of ordered) {
      const { number, sequence } = await takeInvoiceNumber(manager, issuerId);
      const record: InvoiceRecord = {
        number,
        issuerId,
        sequence,
        kind: document.kind,
        orderId: books.order.id,
        subOrderId: document.subOrder.id,
        merchantId: document.subOrder.merchantId,
        corrects: document.kind === 'CREDIT_NOTE' ? document.corrects || invoiceNumberOf.get(document.subOrder.id)! : null,
        reason: document.kind === 'CREDIT_NOTE' ? document.reason : null,
        refundId: document.kind === 'CREDIT_NOTE' ? document.refundId : null,
        replacedBy: null,
        currency: books.order.currency,
        totalMinor: document.figures.totalMinor,
        taxMinor: document.figures.taxMinor,
        billedTo: { type: billing.type, title: billing.title, taxId: billing.taxId, country: billing.country, email: billing.email },
        lines: document.figures.lines,
        taxByRate: document.figures.taxByRate,
        issuedAt: now,
        issuedBy,
      };
      if (document.kind === 'INVOICE' && document.replaces) {
        // Out of force before its replacement is written (one invoice in force per sub-order); the
        // reference to the replacement is checked at commit.
        const replaced = await manager.update(
          InvoiceRecord,
          { number: document.replaces.number, replacedBy: IsNull() },
          { replacedBy: number },
        );
        if (replaced.affected !== 1) throw invoicingProblems.notReissuable(document.replaces.number, document.replaces.replacedBy);
        document.replaces.replacedBy = number;
      }
      await manager.insert(InvoiceRecord, record);
      if (document.kind === 'INVOICE') invoiceNumberOf.set(document.subOrder.id, number);
      const common = {
        number,
        issuerId,
        sequence,
        orderId: books.order.id,
        buyerId: books.order.buyerId,
        subOrderId: record.subOrderId,
        merchantId: record.merchantId,
        currency: record.currency,
        totalMinor: record.totalMinor,
        taxMinor: record.taxMinor,
        email: billing.email,
        issuedAt: now.toISOString(),
      };
      if (document.kind === 'INVOICE') {
        await this.publisher.publish(manager, invoiceIssued, {
          subject: books.order.id,
          data: { ...common, ...(document.replaces ? { replaces: document.replaces.number } : {}) },
        });
      } else {
        await this.publisher.publish(manager, creditNoteIssued, {
          subject: books.order.id,
          data: {
            ...common,
            corrects: record.corrects!,
            reason: document.reason,
            ...(record.refundId ? { refundId: record.refundId } : {}),
          },
        });
      }
      written.push(record);
    }
    if (!billing.lockedAt) {
      await manager.update(OrderBilling, { orderId: books.order.id }, { lockedAt: now });
      billing.lockedAt = now;
    }
    books.documents.push(...written);
    return written;
  }

  /** Where a settled refund's lines are, per sub-order, once the invoice's lines are known. */
  private slicesOf(
    books: OrderBooks,
    refund: SettledRefund,
  ): { subOrderId: string; lines: (invoice: InvoiceLineFigures[]) => RefundedLine[] }[] {
    if (refund.kind === 'STAFF') {
      return (refund.spread ?? []).map((slice) => ({ subOrderId: slice.subOrderId, lines: () => staffRefundLines(slice) }));
    }
    const rows =
      refund.kind === 'COMPENSATION'
        ? books.compensations.filter((row) => `${books.order.id}:${row.id}` === refund.refundId)
        : books.compensations.filter(
            (row) => row.kind === 'AFTER_SALES_REFUND' && row.id.startsWith(`AFTER_SALES_REFUND:${afterSalesRequestOf(refund.refundId)}:`),
          );
    return rows.map((row) => ({ subOrderId: row.subOrderId, lines: (invoice) => refundedLines(invoice, row) }));
  }

  /** What each piece of the order has left to give back, for a staff refund's spread. */
  private async spreadable(manager: EntityManager, books: OrderBooks): Promise<SpreadableSubOrder[]> {
    const staff = await manager.find(SettledRefund, { where: { orderId: books.order.id, kind: 'STAFF' } });
    const staffGiven = staff.flatMap((refund) => refund.spread ?? []);
    return [...books.subOrders]
      .sort((a, b) => a.position - b.position)
      .map((subOrder) => {
        const given = books.compensations.filter((row) => row.subOrderId === subOrder.id && row.kind !== 'PARCEL_RETURNED');
        const feeGiven = given.reduce((sum, row) => sum + row.shippingFeeRefunded, 0);
        return {
          subOrderId: subOrder.id,
          pieces: subOrder.lines.map((piece) => {
            const goods = given
              .flatMap((row) => row.lines)
              .filter((line) => line.lineId === piece.lineId)
              .reduce((sum, line) => sum + line.amount, 0);
            const staffed = staffGiven
              .filter((slice) => slice.subOrderId === subOrder.id)
              .flatMap((slice) => slice.lines)
              .filter((line) => line.lineId === piece.lineId)
              .reduce((sum, line) => sum + line.amountMinor, 0);
            const fee = Math.min(piece.shippingFeeShare ?? 0, feeGiven);
            return { lineId: piece.lineId, remainingMinor: piece.paidAmount - goods - fee - staffed };
          }),
        };
      });
  }

  /** Reads the order under its row lock, with everything an issuance works from; null for an order this database never had. */
  private async books(manager: EntityManager, orderId: string): Promise<OrderBooks | null> {
    const order = await this.transitions.lock(manager, orderId);
    if (!order) return null;
    // One after the other: a transaction's statements share its connection.
    const billing = await manager.findOne(OrderBilling, { where: { orderId } });
    const subOrders = await manager.find(SubOrder, { where: { orderId }, order: { position: 'ASC' } });
    const lines = await manager.find(OrderLine, { where: { orderId }, order: { position: 'ASC' } });
    const documents = await manager.find(InvoiceRecord, { where: { orderId }, order: { issuedAt: 'ASC', number: 'ASC' } });
    const compensations = await manager.find(Compensation, { where: { orderId }, order: { createdAt: 'ASC' } });
    const figures =
      subOrders.length === 0
        ? []
        : invoiceFigures(
            lines.map((line) => ({
              lineId: line.id,
              skuId: line.skuId,
              name: line.skuName,
              quantity: line.quantity,
              unitPriceMinor: line.unitPrice,
              itemDiscountMinor: line.itemDiscount,
              orderDiscountShareMinor: line.orderDiscountShare,
              taxRateBasisPoints: line.taxRateBasisPoints ?? this.config.INVOICE_FALLBACK_TAX_RATE_BASIS_POINTS,
            })),
            subOrders.map((subOrder) => ({
              subOrderId: subOrder.id,
              pieces: subOrder.lines.map((piece) => ({
                lineId: piece.lineId,
                quantity: piece.quantity,
                merchandiseMinor: piece.merchandise ?? piece.paidAmount,
                shippingFeeShareMinor: piece.shippingFeeShare ?? 0,
              })),
            })),
          );
    return {
      order,
      billing,
      subOrders,
      figures: new Map(figures.map((invoice) => [invoice.subOrderId, invoice])),
      documents,
      compensations,
    };
  }

  private inForce(books: OrderBooks, subOrderId: string): InvoiceRecord | undefined {
    return books.documents.find((document) => document.kind === 'INVOICE' && document.subOrderId === subOrderId && !document.replacedBy);
  }

  private issuerOf(merchantId: string): string {
    return this.config.INVOICE_ISSUERS[merchantId] ?? merchantId;
  }

  /** Staff's new details for a reissue: written past the lock the first invoice set, published as any change. */
  private async replaceBilling(
    manager: EntityManager,
    books: OrderBooks,
    details: ReturnType<BillingService['checked']>,
  ): Promise<OrderBilling> {
    const now = new Date();
    const version = (books.billing?.version ?? 0) + 1;
    const billing = Object.assign(books.billing ?? new OrderBilling(), {
      orderId: books.order.id,
      ...details,
      version,
      updatedAt: now,
      lockedAt: books.billing?.lockedAt ?? null,
    });
    await manager.save(OrderBilling, billing);
    await this.publisher.publish(manager, orderBillingChanged, {
      subject: books.order.id,
      data: {
        orderId: books.order.id,
        buyerId: books.order.buyerId,
        version,
        type: billing.type,
        title: billing.title,
        taxId: billing.taxId,
        country: billing.country,
        email: billing.email,
        changedAt: now.toISOString(),
      },
    });
    return billing;
  }
}

/** Why the invoices of an order cannot be asked for now, or null. */
function requestRefusal(books: OrderBooks): InvoiceRefusal | null {
  switch (books.order.state) {
    case 'PLACED':
    case 'AWAITING_PAYMENT':
      return 'NOT_PAID';
    case 'CANCELLED':
      return 'ORDER_CANCELLED';
    case 'FAILED':
      return 'ORDER_FAILED';
    case 'PAID':
      return 'NOT_SPLIT_YET';
  }
  return books.billing ? null : 'BILLING_DETAILS_MISSING';
}

/**
 * Whose refund an id names (payments keeps the requester's id): orders' compensations are
 * `<orderId>:<compensation id>`, after-sales' `after-sales:<request id>`, and a staff member's has
 * no colon (payments refuses one that has). Others (`auto:…`, `<orderId>:<reason>:<payment>`) are
 * refunds before the split or of a payment the order never took: no invoice knows them.
 */
export function refundKind(refundId: string, orderId: string): SettledRefundKind | null {
  if (!refundId.includes(':')) return 'STAFF';
  if (refundId.startsWith('after-sales:')) return 'AFTER_SALES';
  const compensation = refundId.startsWith(`${orderId}:`) ? refundId.slice(orderId.length + 1) : '';
  return /^(SUB_ORDER_STOPPED|PARCEL_REJECTED):/.test(compensation) ? 'COMPENSATION' : null;
}

const afterSalesRequestOf = (refundId: string): string => refundId.slice('after-sales:'.length);

/** An invoice line given back whole, for a reissue's credit note. */
function wholeLine(line: InvoiceLineFigures): RefundedLine {
  return {
    lineId: line.lineId,
    quantity: line.quantity,
    paidMinor: line.paidMinor - line.shippingMinor,
    clawbackMinor: 0,
    releasedMinor: 0,
    shippingMinor: line.shippingMinor,
    refundedMinor: line.paidMinor,
  };
}
