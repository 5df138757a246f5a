import { PlaceOrderRequest } from '@mallard/contracts';
import { BUYER_HEADER, requireBuyer, requireIdempotencyKey } from '@mallard/platform';
import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CancelOrderService, orderNotFound } from '../cancel/cancel-order.service.js';
import { PlacementService } from '../placement/placement.service.js';
import { OrderQueries, type Page } from './order.queries.js';
import type { OrderSummaryView, OrderView } from './order.view.js';

export class ListOrdersQuery {
  /** Bounded so the offset it makes stays an integer PostgreSQL accepts. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000) page: number = 1;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) pageSize: number = 20;
}

/** The orders service's internal API; the gateway exposes it under /api/v1/orders. */
@Controller('internal/orders')
export class OrdersController {
  constructor(
    private readonly placement: PlacementService,
    private readonly queries: OrderQueries,
    private readonly cancellation: CancelOrderService,
  ) {}

  @Post()
  async place(
    @Headers(BUYER_HEADER) buyerId: string | undefined,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() request: PlaceOrderRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderView> {
    const result = await this.placement.place(requireBuyer(buyerId), requireIdempotencyKey(idempotencyKey), request);
    void reply.status(result.created ? 201 : 200);
    return result.order;
  }

  @Get()
  list(@Headers(BUYER_HEADER) buyerId: string | undefined, @Query() query: ListOrdersQuery): Promise<Page<OrderSummaryView>> {
    return this.queries.listForBuyer(requireBuyer(buyerId), query.page, query.pageSize);
  }

  /** With a buyer header, only that buyer's order is found: others get 404, not 403. */
  @Get(':id')
  async get(@Param('id', new ParseUUIDPipe()) orderId: string, @Headers(BUYER_HEADER) buyerId: string | undefined): Promise<OrderView> {
    const order = await this.queries.view(orderId);
    if (!order || (buyerId !== undefined && order.buyerId !== buyerId)) throw orderNotFound(orderId);
    return order;
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param('id', new ParseUUIDPipe()) orderId: string, @Headers(BUYER_HEADER) buyerId: string | undefined): Promise<OrderView> {
    return this.cancellation.cancel(orderId, buyerId);
  }
}
