import { Module } from '@nestjs/common';
import { MoneyTrailController } from './money-trail.controller.js';
import { MoneyTrailService } from './money-trail.service.js';

/** Everything payments knows about the money of one order (payments, refunds, ledgers), for staff: read only. */
@Module({
  controllers: [MoneyTrailController],
  providers: [MoneyTrailService],
})
export class MoneyTrailModule {}
