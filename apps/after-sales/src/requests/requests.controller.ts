import { BUYER_HEADER, ROLES_HEADER } from '@mallard/platform';
import { Controller, Get, Headers, Param, ParseUUIDPipe } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AfterSalesRequestView } from './request.view.js';
import { RequestQueries, viewerOf } from './requests.queries.js';

/**
 * Reading requests; the gateway exposes them under /api/v1. With a buyer header only that
 * shopper's requests are found (others get 404); staff are known by their role.
 */
@Controller('internal')
export class RequestsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: RequestQueries,
  ) {}

  @Get('after-sales/:id')
  get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers(BUYER_HEADER) buyerId: string | undefined,
    @Headers(ROLES_HEADER) roles: string | undefined,
  ): Promise<AfterSalesRequestView> {
    return this.queries.get(this.dataSource.manager, id, viewerOf(buyerId, roles, id));
  }

  @Get('orders/:orderId/after-sales')
  async forOrder(
    @Param('orderId', new ParseUUIDPipe()) orderId: string,
    @Headers(BUYER_HEADER) buyerId: string | undefined,
    @Headers(ROLES_HEADER) roles: string | undefined,
  ): Promise<{ items: AfterSalesRequestView[] }> {
    return { items: await this.queries.forOrder(this.dataSource.manager, orderId, viewerOf(buyerId, roles, orderId)) };
  }
}
