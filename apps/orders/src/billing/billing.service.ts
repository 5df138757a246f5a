import { type BillingDetailsRequest, checkTaxId, orderBillingChanged } from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import { rowsOf } from '@mallard/platform';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OrdersConfig } from '../config/orders-config.js';
import { orderProblems } from '../order/order.problems.js';
import { OrderTransitions } from '../order/order-transitions.js';
import { billingProblems } from './billing.problems.js';
import { type BillingView, toBillingView } from './billing.view.js';
import { type BillingDetails, billingChangeRefusal, billingDetailsOf, sameBillingDetails } from './billing-details.js';
import { OrderBilling } from './order-billing.entity.js';

interface BillingRow {
  order_id: string;
  type: OrderBilling['type'];
  title: string;
  tax_id: string | null;
  country: string;
  email: string;
  version: number;
  updated_at: Date;
  locked_at: Date | null;
}

const toEntity = (row: BillingRow): OrderBilling =>
  Object.assign(new OrderBilling(), {
    orderId: row.order_id,
    type: row.type,
    title: row.title,
    taxId: row.tax_id,
    country: row.country,
    email: row.email,
    version: row.version,
    updatedAt: row.updated_at,
    lockedAt: row.locked_at,
  });

/**
 * An order's billing details (docs/domain.md §1): the tax id checked by its country, and the
 * owner's changes. Placement writes the first details itself, in its own statements.
 */
@Injectable()
export class BillingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: OrderTransitions,
    private readonly publisher: EventPublisher,
    private readonly config: OrdersConfig,
  ) {}

  /** The details as kept, once their tax id passed its country's rule; 422 `tax-id-invalid` otherwise. */
  checked(request: BillingDetailsRequest): BillingDetails {
    const details = billingDetailsOf(request);
    if (details.taxId !== null) {
      const verdict = checkTaxId(details.country, details.taxId, this.config.taxIdFormats);
      if (!verdict.ok) throw billingProblems.taxIdInvalid(details.country, verdict.reason);
    }
    return details;
  }

  /**
   * The owner sets or changes the details. Lock order: the order's row (as every change of the
   * order takes it first), then the billing row by compare-and-set on its version; invoicing will
   * lock the details under the same order row lock, so a change and an invoice never cross.
   * The same details again change nothing and publish nothing.
   */
  async change(orderId: string, buyerId: string, request: BillingDetailsRequest): Promise<BillingView> {
    const details = this.checked(request);
    return this.dataSource.transaction(async (manager) => {
      const order = await this.transitions.lock(manager, orderId);
      if (!order || order.buyerId !== buyerId) throw orderProblems.notFound(orderId);
      const current = await manager.findOne(OrderBilling, { where: { orderId } });
      const refusal = billingChangeRefusal(order.state, current);
      if (refusal) throw billingProblems.notChangeable(orderId, refusal);
      if (current && sameBillingDetails(current, details)) return toBillingView(current);

      const now = new Date();
      const values = [orderId, details.type, details.title, details.taxId, details.country, details.email, now];
      const written = current
        ? await manager.query(
            `UPDATE order_billing SET type = $2, title = $3, tax_id = $4, country = $5, email = $6, updated_at = $7, version = version + 1
              WHERE order_id = $1 AND version = $8 AND locked_at IS NULL
              RETURNING *`,
            [...values, current.version],
          )
        : await manager.query(
            `INSERT INTO order_billing (order_id, type, title, tax_id, country, email, updated_at, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1)
             ON CONFLICT (order_id) DO NOTHING
             RETURNING *`,
            values,
          );
      const [row] = rowsOf<BillingRow>(written);
      if (!row) throw billingProblems.changedConcurrently(orderId);
      const billing = toEntity(row);
      await this.publisher.publish(manager, orderBillingChanged, {
        subject: orderId,
        data: {
          orderId,
          buyerId: order.buyerId,
          version: billing.version,
          type: billing.type,
          title: billing.title,
          taxId: billing.taxId,
          country: billing.country,
          email: billing.email,
          changedAt: now.toISOString(),
        },
      });
      return toBillingView(billing);
    });
  }
}
