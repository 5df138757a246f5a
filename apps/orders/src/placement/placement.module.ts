import { Module } from '@nestjs/common';
import { OrderModule } from '../order/order.module.js';
import { PromotionsModule } from '../promotions/promotions.module.js';
import { PlacementController } from './placement.controller.js';
import { PlacementService } from './placement.service.js';

@Module({
  imports: [OrderModule, PromotionsModule],
  controllers: [PlacementController],
  providers: [PlacementService],
})
export class PlacementModule {}
