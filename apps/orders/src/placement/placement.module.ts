import { Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module.js';
import { OrderModule } from '../order/order.module.js';
import { PromotionsModule } from '../promotions/promotions.module.js';
import { PlacementController } from './placement.controller.js';
import { PlacementService } from './placement.service.js';

@Module({
  imports: [OrderModule, PromotionsModule, BillingModule],
  controllers: [PlacementController],
  providers: [PlacementService],
})
export class PlacementModule {}
