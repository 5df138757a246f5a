import { Module } from '@nestjs/common';
import { AdminModule } from './admin/admin.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { PaymentsGatewayModule } from './payments/payments.module.js';
import { UpstreamModule } from './upstream/upstream.module.js';
import { PaymentWebhooksModule } from './webhooks/webhooks.module.js';

/**
 * The public edge: HTTP API for mall front ends, auth, webhooks from carriers and payment
 * providers, and the order read model built from every service's events.
 */
@Module({ imports: [UpstreamModule, OrdersModule, AdminModule, PaymentsGatewayModule, PaymentWebhooksModule] })
export class GatewayAppModule {}
