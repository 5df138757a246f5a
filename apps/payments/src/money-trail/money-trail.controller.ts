import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { MoneyTrailService } from './money-trail.service.js';

/** Staff's view of an order's money; the gateway exposes it under /api/v1/admin. */
@Controller('internal')
export class MoneyTrailController {
  constructor(private readonly trail: MoneyTrailService) {}

  @Get('orders/:orderId/money-trail')
  moneyTrail(@Param('orderId', new ParseUUIDPipe()) orderId: string): Promise<unknown> {
    return this.trail.of(orderId);
  }
}
