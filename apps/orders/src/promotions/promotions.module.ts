import { Module } from '@nestjs/common';
import { PromotionBook } from './promotion-book.js';
import { PromotionsController } from './promotions.controller.js';

/** The promotions and coupons staff manage; placement prices orders with the book. */
@Module({
  controllers: [PromotionsController],
  providers: [PromotionBook],
  exports: [PromotionBook],
})
export class PromotionsModule {}
