import {
  type BillingDetailsRequest,
  creditNoteIssued,
  invoiceIssued,
  orderBillingChanged,
  type ParcelStateChangedV1,
  type RefundSucceededV1,
} from '@mallard/contracts';
import { describeFailure, EventPublisher, isTransientFailure } from '@mallard/messaging';
import { apportion } from '@mallard/money';
import { rowsOf, withLockRetry } from '@mallard/platform';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { BillingService } from '../billing/billing.service.js';
import type { BillingDetails } from '../billing/billing-details.js';
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

/** A document about to be numbered and written, in the sequence of `issuerId`. */
type Planned =
  | { kind: 'INVOICE'; issuerId: string; subOrder: SubOrder; figures: InvoiceFigures; replaces: InvoiceRecord | null }
  | {
      kind: 'CREDIT_NOTE';
      /** The issuer of the invoice it corrects: an invoice and its corrections share one sequence. */
      issuerId: string;
      subOrder: SubOrder;
      /** Empty when the invoice is numbered in the same issuance: `write` fills it in. */
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
  lines: OrderLine[];
  documents: InvoiceRecord[];
  compensations: Compensation[];
}

/**
 * Invoices and credit notes (docs/domain.md §2, "Issuing invoices" and after): a sub-order's
 * invoice once its goods are delivered or when the shopper or staff ask, and a credit note for
 * every refund of an invoiced sub-order, whichever of the refund and the invoice comes first.
 *
 * Lock order, as every change of an order: the order's row first; then its billing details; the
 * issuers' counters last, in issuer order, so two issuances never wait on each other crosswise.
 * The consumer applies a partition's events in one transaction, so a counter taken for one order
 * can be held while the next order's row is taken: PostgreSQL breaks such a deadlock, the consumer
 * retries the batch and HTTP requests retry themselves (withLockRetry).
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
    await this.besideCompensation(manager, `parcel ${event.parcelId} ${event.to}`, (inner) => this.parcelEnded(inner, event));
  }

  private async parcelEnded(manager: EntityManager, event: ParcelStateChangedV1): Promise<void> {
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
    if (books?.billing) await this.issueDue(manager, books);
  }

  /**
   * Payments refunded part of a paid order: the refund is kept, and credited on every invoice it
   * touches that exists already (the rest when they are issued). Refunds that touch no invoice
   * (of an order closed or failed, or of a second capture) are not kept.
   */
  async refundSucceeded(manager: EntityManager, event: RefundSucceededV1): Promise<void> {
    const kind = refundKind(event.refundId, event.orderId);
    if (!kind) return;
    const books = await this.books(manager, event.orderId);
    if (!books || (books.order.state !== 'PAID' && books.order.state !== 'SPLIT')) return;
    if (kind === 'STAFF' && event.paymentId !== books.order.paymentId) return;
    await manager
      .createQueryBuilder()
      .insert()
      .into(SettledRefund)
      .values({
        refundId: event.refundId,
        orderId: event.orderId,
        kind,
        amountMinor: event.amountMinor,
        spread: null,
        succeededAt: new Date(event.succeededAt),
      })
      .orIgnore()
      .execute();
    if (books.billing) await this.issue(manager, books, [], SYSTEM_ISSUER);
  }

  /** After-sales' refund breakdown reached orders (maybe after payments' news of it): credit what is owed. */
  async afterSalesRefundRecorded(manager: EntityManager, orderId: string): Promise<void> {
    await this.besideCompensation(manager, `after-sales refund of order ${orderId}`, async (inner) => {
      const books = await this.books(inner, orderId);
      // Units it refunded (a parcel never received) may be what a sub-order's invoice waited for.
      if (books?.billing) await this.issueDue(inner, books);
    });
  }

  /**
   * Invoicing on news the compensations act on first, in a savepoint of their transaction: a fault
   * of invoicing (figures that do not add up: a bug) never undoes a refund or a restock. It is
   * logged, and the invoice waits for the next news or request. A transient failure (a deadlock, the
   * database gone) fails the whole event, which the consumer applies again.
   */
  private async besideCompensation(manager: EntityManager, news: string, work: (inner: EntityManager) => Promise<void>): Promise<void> {
    try {
      await manager.transaction(work);
    } catch (error) {
      if (isTransientFailure(error)) throw error;
      this.logger.error(`invoicing after ${news} failed; the compensation stands, invoices wait: ${describeFailure(error)}`);
    }
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
    return withLockRetry(() =>
      this.dataSource.transaction(async (manager) => {
        const books = await this.books(manager, orderId);
        if (!books || (buyerId !== null && books.order.buyerId !== buyerId)) throw orderProblems.notFound(orderId);
        const refusal = requestRefusal(books);
        if (refusal) throw invoicingProblems.notIssuable(orderId, refusal);
        const stopped = stoppedSubOrders(books);
        const wanted = books.subOrders.filter((subOrder) => !stopped.has(subOrder.id));
        const issued = await this.issue(manager, books, wanted, issuedBy);
        return { issued, documents: books.documents };
      }),
    );
  }

  /**
   * Staff replace an invoice in force (a wrong title, say): a credit note takes it back whole and a
   * new invoice, with the same figures and the billing details as they are now (changed first, when
   * staff give new ones), takes its place, in the same issuer's sequence. Refunds after it are
   * credited on the new one.
   */
  async reissue(
    number: string,
    issuedBy: string,
    billing: BillingDetailsRequest | undefined,
  ): Promise<{ issued: InvoiceRecord[]; documents: InvoiceRecord[] }> {
    const details = billing ? this.billingService.checked(billing) : null;
    return withLockRetry(() =>
      this.dataSource.transaction(async (manager) => {
        const found = await manager.findOne(InvoiceRecord, { where: { number } });
        if (!found) throw invoicingProblems.notFound(number);
        const books = await this.books(manager, found.orderId);
        const invoice = books?.documents.find((document) => document.number === number);
        if (!books?.billing || !invoice) throw invoicingProblems.notFound(number);
        if (invoice.kind !== 'INVOICE' || invoice.replacedBy) throw invoicingProblems.notReissuable(number, invoice.replacedBy);
        if (details) books.billing = await this.replaceBilling(manager, books, books.billing, details);
        const subOrder = books.subOrders.find((candidate) => candidate.id === invoice.subOrderId)!;
        const lines = invoice.lines as InvoiceLineFigures[];
        const planned: Planned[] = [
          {
            kind: 'CREDIT_NOTE',
            issuerId: invoice.issuerId,
            subOrder,
            corrects: invoice.number,
            reason: 'REISSUE',
            refundId: null,
            figures: creditNoteFigures(lines, lines.map(wholeLine)),
          },
          {
            kind: 'INVOICE',
            issuerId: invoice.issuerId,
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
      }),
    );
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

  /** Invoices every sub-order whose goods have all reached the shopper or come back, with the credit notes owed. */
  private async issueDue(manager: EntityManager, books: OrderBooks): Promise<void> {
    const delivered = await manager.find(DeliveredParcel, { where: { orderId: books.order.id } });
    const due = books.subOrders.filter((subOrder) => {
      if (this.inForce(books, subOrder.id)) return false;
      const givenBack = books.compensations.filter((row) => row.subOrderId === subOrder.id && row.kind !== 'PARCEL_RETURNED');
      return subOrderDelivered(
        subOrder.lines,
        delivered.filter((parcel) => parcel.subOrderId === subOrder.id).flatMap((parcel) => parcel.lines),
        givenBack.flatMap((row) => row.lines),
      );
    });
    await this.issue(manager, books, due, SYSTEM_ISSUER);
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
    const fresh = subOrders.filter((subOrder) => !this.inForce(books, subOrder.id));
    const figures = fresh.length > 0 ? this.figuresOf(books) : new Map<string, InvoiceFigures>();
    const planned: Planned[] = fresh.map((subOrder) => ({
      kind: 'INVOICE',
      issuerId: this.issuerOf(subOrder.merchantId),
      subOrder,
      figures: figures.get(subOrder.id)!,
      replaces: null,
    }));
    const invoiceOf = (subOrderId: string): { number: string; issuerId: string; lines: InvoiceLineFigures[] } | null => {
      const current = this.inForce(books, subOrderId);
      if (current) return { number: current.number, issuerId: current.issuerId, lines: current.lines as InvoiceLineFigures[] };
      const planning = planned.find((document) => document.kind === 'INVOICE' && document.subOrder.id === subOrderId);
      return planning?.kind === 'INVOICE' ? { number: '', issuerId: planning.issuerId, lines: planning.figures.lines } : null;
    };
    const credited = new Set(
      books.documents.filter((document) => document.reason === 'REFUND').map((document) => `${document.refundId}/${document.subOrderId}`),
    );
    const refunds = await manager.find(SettledRefund, {
      where: { orderId: books.order.id },
      order: { succeededAt: 'ASC', refundId: 'ASC' },
    });
    await this.spreadStaffRefunds(manager, books, refunds);
    for (const refund of refunds) {
      for (const slice of this.slicesOf(books, refund)) {
        const invoice = invoiceOf(slice.subOrderId);
        if (!invoice || credited.has(`${refund.refundId}/${slice.subOrderId}`)) continue;
        const lines = slice.lines(invoice.lines);
        if (lines.length === 0) continue;
        planned.push({
          kind: 'CREDIT_NOTE',
          issuerId: invoice.issuerId,
          subOrder: books.subOrders.find((candidate) => candidate.id === slice.subOrderId)!,
          corrects: invoice.number,
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
   * issuer's invoices before its credit notes; locks the billing details first, on the order's
   * first document; publishes each document.
   */
  private async write(manager: EntityManager, books: OrderBooks, planned: Planned[], issuedBy: string): Promise<InvoiceRecord[]> {
    if (planned.length === 0) return [];
    const billing = books.billing!;
    const now = new Date();
    if (!billing.lockedAt) {
      await manager.query('UPDATE order_billing SET locked_at = $2 WHERE order_id = $1 AND locked_at IS NULL', [books.order.id, now]);
      billing.lockedAt = now;
    }
    const ordered = [...planned].sort((a, b) =>
      a.issuerId < b.issuerId ? -1 : a.issuerId > b.issuerId ? 1 : a.kind === b.kind ? 0 : a.kind === 'INVOICE' ? -1 : 1,
    );
    const numberOfFresh = new Map<string, string>();
    const written: InvoiceRecord[] = [];
    for (const document of ordered) {
      const { number, sequence } = await takeInvoiceNumber(manager, document.issuerId);
      const record: InvoiceRecord = {
        number,
        issuerId: document.issuerId,
        sequence,
        kind: document.kind,
        orderId: books.order.id,
        subOrderId: document.subOrder.id,
        merchantId: document.subOrder.merchantId,
        corrects: document.kind === 'CREDIT_NOTE' ? document.corrects || numberOfFresh.get(document.subOrder.id)! : null,
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
      if (document.kind === 'INVOICE') numberOfFresh.set(document.subOrder.id, number);
      await this.announce(manager, books, record, document.kind === 'INVOICE' ? document.replaces : null);
      written.push(record);
    }
    books.documents.push(...written);
    return written;
  }

  private async announce(manager: EntityManager, books: OrderBooks, record: InvoiceRecord, replaces: InvoiceRecord | null): Promise<void> {
    const common = {
      number: record.number,
      issuerId: record.issuerId,
      sequence: record.sequence,
      orderId: books.order.id,
      buyerId: books.order.buyerId,
      subOrderId: record.subOrderId,
      merchantId: record.merchantId,
      currency: record.currency,
      totalMinor: record.totalMinor,
      taxMinor: record.taxMinor,
      email: record.billedTo.email,
      issuedAt: record.issuedAt.toISOString(),
    };
    if (record.kind === 'INVOICE') {
      await this.publisher.publish(manager, invoiceIssued, {
        subject: books.order.id,
        data: { ...common, ...(replaces ? { replaces: replaces.number } : {}) },
      });
    } else {
      await this.publisher.publish(manager, creditNoteIssued, {
        subject: books.order.id,
        data: { ...common, corrects: record.corrects!, reason: record.reason!, ...(record.refundId ? { refundId: record.refundId } : {}) },
      });
    }
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

  /**
   * Works out, once, where each staff refund not spread yet goes (docs/domain.md §2, "Credit notes
   * follow every refund"), in the order they were made, each after the ones before it.
   */
  private async spreadStaffRefunds(manager: EntityManager, books: OrderBooks, refunds: SettledRefund[]): Promise<void> {
    const unspread = refunds.filter((refund) => refund.kind === 'STAFF' && refund.spread === null);
    if (unspread.length === 0 || books.subOrders.length === 0) return;
    for (const refund of unspread) {
      refund.spread = spreadStaffRefund(refund.amountMinor, this.spreadable(books, refunds));
      const written = rowsOf(
        await manager.query(`UPDATE settled_refund SET spread = $2 WHERE refund_id = $1 AND spread IS NULL RETURNING refund_id`, [
          refund.refundId,
          JSON.stringify(refund.spread),
        ]),
      );
      if (written.length !== 1) throw new Error(`staff refund ${refund.refundId} was spread by another writer under the order's lock`);
    }
  }

  /**
   * What each piece of the order's sold sub-orders has left to give back, for a staff refund's
   * spread: what it paid less the goods and the shipping given back of it, by compensations,
   * after-sales and earlier staff refunds. A sub-order stopped whole sold nothing: no share.
   */
  private spreadable(books: OrderBooks, refunds: readonly SettledRefund[]): SpreadableSubOrder[] {
    const stopped = stoppedSubOrders(books);
    const staffGiven = refunds.flatMap((refund) => refund.spread ?? []);
    return books.subOrders
      .filter((subOrder) => !stopped.has(subOrder.id))
      .map((subOrder) => {
        const given = new Map<string, number>();
        const add = (lineId: string, amount: number) => given.set(lineId, (given.get(lineId) ?? 0) + amount);
        for (const row of books.compensations) {
          if (row.subOrderId !== subOrder.id || row.kind === 'PARCEL_RETURNED') continue;
          const detailed = row.lines.length > 0 && row.lines.every((line) => line.refund !== undefined);
          for (const line of row.lines) add(line.lineId, line.amount + (detailed ? line.refund!.shippingMinor : 0));
          if (!detailed) {
            const fee = apportion(
              row.shippingFeeRefunded,
              subOrder.lines.map((piece) => piece.shippingFeeShare ?? 0),
            );
            subOrder.lines.forEach((piece, index) => {
              add(piece.lineId, fee[index]);
            });
          }
        }
        for (const slice of staffGiven.filter((candidate) => candidate.subOrderId === subOrder.id)) {
          for (const line of slice.lines) add(line.lineId, line.amountMinor);
        }
        return {
          subOrderId: subOrder.id,
          pieces: subOrder.lines.map((piece) => ({
            lineId: piece.lineId,
            remainingMinor: piece.paidAmount - (given.get(piece.lineId) ?? 0),
          })),
        };
      });
  }

  /** Each sub-order's invoice figures (docs/domain.md §2, "Invoice figures"), worked out from the whole order. */
  private figuresOf(books: OrderBooks): Map<string, InvoiceFigures> {
    const figures = invoiceFigures(
      books.lines.map((line) => ({
        lineId: line.id,
        skuId: line.skuId,
        name: line.skuName,
        quantity: line.quantity,
        unitPriceMinor: line.unitPrice,
        itemDiscountMinor: line.itemDiscount,
        orderDiscountShareMinor: line.orderDiscountShare,
        taxRateBasisPoints: line.taxRateBasisPoints ?? this.config.INVOICE_FALLBACK_TAX_RATE_BASIS_POINTS,
      })),
      books.subOrders.map((subOrder) => ({
        subOrderId: subOrder.id,
        pieces: subOrder.lines.map((piece) => ({
          lineId: piece.lineId,
          quantity: piece.quantity,
          merchandiseMinor: piece.merchandise ?? piece.paidAmount,
          shippingFeeShareMinor: piece.shippingFeeShare ?? 0,
        })),
      })),
    );
    return new Map(figures.map((invoice) => [invoice.subOrderId, invoice]));
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
    return { order, billing, subOrders, lines, documents, compensations };
  }

  private inForce(books: OrderBooks, subOrderId: string): InvoiceRecord | undefined {
    return books.documents.find((document) => document.kind === 'INVOICE' && document.subOrderId === subOrderId && !document.replacedBy);
  }

  private issuerOf(merchantId: string): string {
    return this.config.INVOICE_ISSUERS[merchantId] ?? merchantId;
  }

  /**
   * Staff's new details for a reissue: written past the lock the first invoice set, by
   * compare-and-set on their version, and published as any change.
   */
  private async replaceBilling(
    manager: EntityManager,
    books: OrderBooks,
    current: OrderBilling,
    details: BillingDetails,
  ): Promise<OrderBilling> {
    const now = new Date();
    const written = rowsOf(
      await manager.query(
        `UPDATE order_billing SET type = $3, title = $4, tax_id = $5, country = $6, email = $7, updated_at = $8, version = version + 1
          WHERE order_id = $1 AND version = $2
          RETURNING version`,
        [books.order.id, current.version, details.type, details.title, details.taxId, details.country, details.email, now],
      ),
    );
    if (written.length !== 1) throw new Error(`the billing details of order ${books.order.id} changed under the order's lock`);
    const billing = Object.assign(current, details, { version: current.version + 1, updatedAt: now });
    await this.publisher.publish(manager, orderBillingChanged, {
      subject: books.order.id,
      data: {
        orderId: books.order.id,
        buyerId: books.order.buyerId,
        version: billing.version,
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

/** The sub-orders logistics stopped before anything left: nothing of them was sold. */
function stoppedSubOrders(books: OrderBooks): Set<string> {
  return new Set(books.compensations.filter((row) => row.kind === 'SUB_ORDER_STOPPED').map((row) => row.subOrderId));
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
