import { Topics } from '@mallard/contracts';
import { defineEventDrivenService } from '@mallard/messaging';
import { PaymentsAppModule } from './app.module.js';
import { PaymentsConfig } from './config/payments-config.js';
import { GiftCard, GiftCardEntry, PointsAccount, PointsEntry } from './ledgers/ledger.entities.js';
import { PaymentsSchema1764063000000 } from './migrations/1764063000000-payments-schema.js';
import { FailedPaymentsFreeTheOrder1764063000001 } from './migrations/1764063000001-failed-payments-free-the-order.js';
import { RefundKeySpaces1764063000002 } from './migrations/1764063000002-refund-key-spaces.js';
import { PayableOrder } from './orders/payable-order.entity.js';
import { Payment, PaymentLogEntry, PaymentRequestRecord, Tender } from './payment/payment.entities.js';
import { ReconciliationReport } from './reconciliation/reconciliation-report.entity.js';
import { Refund, RefundPartRow } from './refunds/refund.entities.js';
import { ProviderEventRecord } from './webhooks/provider-event.entity.js';

export const paymentsService = defineEventDrivenService<PaymentsConfig>({
  name: 'payments',
  features: [PaymentsAppModule],
  config: PaymentsConfig,
  publishes: [Topics.payments],
  // order.placed / order.cancelled / refund.requested; after-sales and logistics refunds will
  // arrive as refund.requested too once those services publish them.
  consumes: [Topics.orders],
  // Provider callbacks are verified over their exact bytes.
  rawBody: true,
  entities: [
    PayableOrder,
    Payment,
    Tender,
    PaymentLogEntry,
    PaymentRequestRecord,
    GiftCard,
    GiftCardEntry,
    PointsAccount,
    PointsEntry,
    Refund,
    RefundPartRow,
    ProviderEventRecord,
    ReconciliationReport,
  ],
  migrations: [PaymentsSchema1764063000000, FailedPaymentsFreeTheOrder1764063000001, RefundKeySpaces1764063000002],
});
