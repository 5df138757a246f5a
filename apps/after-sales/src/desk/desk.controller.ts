import { AfterSalesQueueQuery, ApproveAfterSalesRequest, DecideAfterSalesRequest } from '@mallard/contracts';
import { ACTOR_HEADER } from '@mallard/platform';
import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import type { AfterSalesRequestView } from '../requests/request.view.js';
import { DeskService } from './desk.service.js';

const staff = (actor: string | undefined) => ({ kind: 'CUSTOMER_SERVICE' as const, id: actor ?? null });

/** Customer service's desk; the gateway exposes it under /api/v1/admin/after-sales for the customer-service role. */
@Controller('internal/admin/after-sales')
export class DeskController {
  constructor(private readonly desk: DeskService) {}

  @Get()
  queue(@Query() query: AfterSalesQueueQuery) {
    return this.desk.queue(query);
  }

  @Post(':id/approve')
  @HttpCode(200)
  approve(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers(ACTOR_HEADER) actor: string | undefined,
    @Body() body: ApproveAfterSalesRequest,
  ): Promise<AfterSalesRequestView> {
    return this.desk.approve(id, staff(actor), body.note);
  }

  @Post(':id/reject')
  @HttpCode(200)
  reject(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers(ACTOR_HEADER) actor: string | undefined,
    @Body() body: DecideAfterSalesRequest,
  ): Promise<AfterSalesRequestView> {
    return this.desk.reject(id, staff(actor), body.note);
  }

  @Post(':id/request-evidence')
  @HttpCode(200)
  requestEvidence(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers(ACTOR_HEADER) actor: string | undefined,
    @Body() body: DecideAfterSalesRequest,
  ): Promise<AfterSalesRequestView> {
    return this.desk.requestEvidence(id, staff(actor), body.note);
  }

  @Post(':id/close')
  @HttpCode(200)
  close(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers(ACTOR_HEADER) actor: string | undefined,
    @Body() body: DecideAfterSalesRequest,
  ): Promise<AfterSalesRequestView> {
    return this.desk.close(id, staff(actor), body.note);
  }
}
