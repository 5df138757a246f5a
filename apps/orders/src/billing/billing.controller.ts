import { BillingDetailsRequest } from '@mallard/contracts';
import { BUYER_HEADER, requireBuyer } from '@mallard/platform';
import { Body, Controller, Headers, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { BillingService } from './billing.service.js';
import type { BillingView } from './billing.view.js';

/** The owner's change of an order's billing details; the gateway exposes it as PUT /api/v1/orders/:id/billing. */
@Controller('internal/orders')
export class BillingController {
  constructor(private readonly billing: BillingService) {}

  @Put(':id/billing')
  change(
    @Param('id', new ParseUUIDPipe()) orderId: string,
    @Headers(BUYER_HEADER) buyerId: string | undefined,
    @Body() request: BillingDetailsRequest,
  ): Promise<BillingView> {
    return this.billing.change(orderId, requireBuyer(buyerId), request);
  }
}
