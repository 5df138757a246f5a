import { ORDER_VIEWS, type OrderPaymentView, type OrderViewName } from '@mallard/contracts';
import { BUYER_HEADER, requireBuyer } from '@mallard/platform';
import { Controller, Get, Headers, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { orderProblems } from './order.problems.js';
import { OrderQueries, type Page } from './order.queries.js';
import type { OrderSummaryView, OrderView } from './order.view.js';

export class ListOrdersQuery {
  /** Bounded so the offset it makes stays an integer PostgreSQL accepts. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000) page: number = 1;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) pageSize: number = 20;
}

export class GetOrderQuery {
  /** `payment`: only what a payment needs (OrderPaymentView), read in one statement. */
  @IsOptional() @IsIn(ORDER_VIEWS) view: OrderViewName = 'full';
}

/**
 * Reading orders, part of the orders service's internal API that the gateway exposes under
 * /api/v1/orders (placing and cancelling are the placement and cancel features' routes).
 */
@Controller('internal/orders')
export class OrderController {
  constructor(private readonly queries: OrderQueries) {}

  @Get()
  list(@Headers(BUYER_HEADER) buyerId: string | undefined, @Query() query: ListOrdersQuery): Promise<Page<OrderSummaryView>> {
    return this.queries.listForBuyer(requireBuyer(buyerId), query.page, query.pageSize);
  }

  /** With a buyer header, only that buyer's order is found: others get 404, not 403. */
  @Get(':id')
  async get(
    @Param('id', new ParseUUIDPipe()) orderId: string,
    @Headers(BUYER_HEADER) buyerId: string | undefined,
    @Query() query: GetOrderQuery,
  ): Promise<OrderView | OrderPaymentView> {
    const order = query.view === 'payment' ? await this.queries.paymentView(orderId) : await this.queries.view(orderId);
    if (!order || (buyerId !== undefined && order.buyerId !== buyerId)) throw orderProblems.notFound(orderId);
    return order;
  }
}
