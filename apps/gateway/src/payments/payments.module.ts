import { Module } from '@nestjs/common';
import { PaymentsAdminController, PaymentsController } from './payments.controller.js';

/** /api/v1/orders/:id/payments, /api/v1/me/points, /api/v1/gift-cards/:code and the staff money routes. */
@Module({ controllers: [PaymentsController, PaymentsAdminController] })
export class PaymentsGatewayModule {}
