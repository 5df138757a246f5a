import { Topics } from '@mallard/contracts';
import { defineEventDrivenService } from '@mallard/messaging';
import { AfterSalesModule } from './after-sales/after-sales.module.js';
import { PaymentsConfig } from './config/payments-config.js';
import { GiftCard } from './ledgers/gift-card.entity.js';
import { GiftCardEntry } from './ledgers/gift-card-entry.entity.js';
import { LedgersModule } from './ledgers/ledgers.module.js';
import { PointsAccount } from './ledgers/points-account.entity.js';
import { PointsEntry } from './ledgers/points-entry.entity.js';
import { paymentsStuckWork } from './metrics/stuck-work.js';
import { PaymentsSchema1764063000000 } from './migrations/1764063000000-payments-schema.js';
import { FailedPaymentsFreeTheOrder1764063000001 } from './migrations/1764063000001-failed-payments-free-the-order.js';
import { RefundKeySpaces1764063000002 } from './migrations/1764063000002-refund-key-spaces.js';
import { PaymentKeysShared1764063000003 } from './migrations/1764063000003-payment-keys-shared.js';
import { StuckWorkIndexes1764063000004 } from './migrations/1764063000004-stuck-work-indexes.js';
import { MoneyTrailModule } from './money-trail/money-trail.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { PayableOrder } from './orders/payable-order.entity.js';
import { lockOrdersOfBatch } from './payment/batch-locks.js';
import { Payment } from './payment/payment.entity.js';
import { PaymentModule } from './payment/payment.module.js';
import { Tender } from './payment/tender.entity.js';
import { PaymentLogModule } from './payment-log/payment-log.module.js';
import { PaymentLogEntry } from './payment-log/payment-log-entry.entity.js';
import { ProvidersModule } from './providers/providers.module.js';
import { ReconciliationModule } from './reconciliation/reconciliation.module.js';
import { ReconciliationReport } from './reconciliation/reconciliation-report.entity.js';
import { Refund } from './refunds/refund.entity.js';
import { RefundPart } from './refunds/refund-part.entity.js';
import { RefundsModule } from './refunds/refunds.module.js';
import { ReceivedProviderEvent } from './webhooks/received-provider-event.entity.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

export const PAYMENTS_MIGRATIONS = [
  PaymentsSchema1764063000000,
  FailedPaymentsFreeTheOrder1764063000001,
  RefundKeySpaces1764063000002,
  PaymentKeysShared1764063000003,
  StuckWorkIndexes1764063000004,
];

export const paymentsService = defineEventDrivenService<PaymentsConfig>({
  name: 'payments',
  // Lower modules first; each module imports the ones whose providers it uses.
  features: [
    LedgersModule,
    ProvidersModule,
    PaymentLogModule,
    RefundsModule,
    PaymentModule,
    WebhooksModule,
    OrdersModule,
    AfterSalesModule,
    MoneyTrailModule,
    ReconciliationModule,
  ],
  config: PaymentsConfig,
  publishes: [Topics.payments],
  // orders: order.placed / order.cancelled / refund.requested (logistics' refunds arrive through
  // orders' compensation as refund.requested); after-sales: after-sales.refund-requested.
  consumes: [Topics.orders, Topics.afterSales],
  // A run of events takes its orders' rows and payments first, in the lock order (lock-order.ts).
  consumer: { lockBatch: lockOrdersOfBatch },
  // Provider callbacks are verified over their exact bytes.
  rawBody: true,
  entities: [
    PayableOrder,
    Payment,
    Tender,
    PaymentLogEntry,
    GiftCard,
    GiftCardEntry,
    PointsAccount,
    PointsEntry,
    Refund,
    RefundPart,
    ReceivedProviderEvent,
    ReconciliationReport,
  ],
  migrations: PAYMENTS_MIGRATIONS,
  stuckWork: paymentsStuckWork,
});
