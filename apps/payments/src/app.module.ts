import { Module } from '@nestjs/common';
import { LedgersController } from './ledgers/ledgers.controller.js';
import { Ledgers } from './ledgers/ledgers.js';
import { OrderEventsHandler } from './orders/order-events.handler.js';
import { MoneyTrail } from './payment/money-trail.js';
import { PayService } from './payment/pay.service.js';
import { PaymentLog } from './payment/payment-log.js';
import { PaymentOutcomes } from './payment/payment-outcomes.js';
import { PaymentsController } from './payment/payments.controller.js';
import { TenderSettlement } from './payment/tender-settlement.js';
import { AlipayProvider } from './providers/alipay/alipay.provider.js';
import { PaymentProviders } from './providers/payment-providers.js';
import { SandboxController } from './providers/sandbox/sandbox.controller.js';
import { SandboxProvider } from './providers/sandbox/sandbox.provider.js';
import { StripeProvider } from './providers/stripe/stripe.provider.js';
import { ReconciliationController } from './reconciliation/reconciliation.controller.js';
import { ReconciliationService } from './reconciliation/reconciliation.service.js';
import { RefundService } from './refunds/refund.service.js';
import { RefundWorker } from './refunds/refund-worker.js';
import { WebhookIntake } from './webhooks/webhook-intake.js';
import { WebhooksController } from './webhooks/webhooks.controller.js';

/** Payments, tenders, gift-card and points ledgers, payment log, refunds and reconciliation. */
@Module({
  controllers: [PaymentsController, LedgersController, WebhooksController, SandboxController, ReconciliationController, OrderEventsHandler],
  providers: [
    Ledgers,
    PaymentLog,
    TenderSettlement,
    PayService,
    PaymentOutcomes,
    MoneyTrail,
    RefundService,
    RefundWorker,
    WebhookIntake,
    ReconciliationService,
    SandboxProvider,
    StripeProvider,
    AlipayProvider,
    PaymentProviders,
  ],
})
export class PaymentsAppModule {}
