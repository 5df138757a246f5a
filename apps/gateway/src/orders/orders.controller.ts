import { PlaceOrderRequest } from '@mallard/contracts';
import { BUYER_HEADER } from '@mallard/platform';
import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedUser, CurrentUser, Roles } from '../auth/index.js';
import { Upstreams } from '../upstream/upstreams.js';
import { ListOrdersQuery, ReorderRequest } from './orders.requests.js';
import { ReorderService } from './reorder.service.js';

/**
 * A shopper's orders. The buyer is always the token's subject: a shopper cannot place, read
 * or cancel anyone else's order (another's order is simply not found).
 */
@ApiTags('orders')
@ApiBearerAuth()
@Controller('api/v1/orders')
export class OrdersController {
  constructor(
    private readonly upstreams: Upstreams,
    private readonly reorders: ReorderService,
  ) {}

  @Post()
  @Roles('shopper')
  @ApiOperation({
    summary: 'Place an order',
    description: 'Same Idempotency-Key and body: the same order (200). Same key, other body: 422.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  async place(
    @CurrentUser() user: AuthenticatedUser,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() request: PlaceOrderRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    return this.upstreams.forward(reply, 'orders', {
      method: 'POST',
      path: '/internal/orders',
      headers: { [BUYER_HEADER]: user.id, 'idempotency-key': idempotencyKey },
      body: request,
    });
  }

  @Get()
  @Roles('shopper')
  @ApiOperation({ summary: 'My orders, newest first' })
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListOrdersQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    return this.upstreams.forward(reply, 'orders', {
      path: `/internal/orders?page=${query.page}&pageSize=${query.pageSize}`,
      headers: { [BUYER_HEADER]: user.id },
    });
  }

  @Get(':id')
  @Roles('shopper', 'customer-service', 'admin')
  @ApiOperation({ summary: 'One order with its lines, amounts, sub-orders and history' })
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) orderId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    return this.upstreams.forward(reply, 'orders', { path: `/internal/orders/${orderId}`, headers: ownerScope(user) });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('shopper')
  @ApiOperation({ summary: 'Cancel an unpaid order (its stock holds are released)' })
  async cancel(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) orderId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    return this.upstreams.forward(reply, 'orders', {
      method: 'POST',
      path: `/internal/orders/${orderId}/cancel`,
      headers: { [BUYER_HEADER]: user.id },
    });
  }

  @Post(':id/reorder')
  @HttpCode(200)
  @Roles('shopper')
  @ApiOperation({
    summary: 'Buy again',
    description:
      'Checks every line of an old order (OK, OFF_SHELF, INSUFFICIENT_STOCK, PRICE_CHANGED, DISCONTINUED). With "place": true and an Idempotency-Key it also places a new order of the OK lines.',
  })
  async reorder(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) orderId: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() request: ReorderRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const result = await this.reorders.reorder(user.id, orderId, request, idempotencyKey);
    void reply.status(result.order?.status ?? 200);
    return { proposal: result.proposal, order: result.order?.body ?? null };
  }
}

/** Staff read any order; a shopper only their own. */
function ownerScope(user: AuthenticatedUser): Record<string, string> {
  const staff = user.roles.some((role) => role === 'customer-service' || role === 'admin');
  return staff ? {} : { [BUYER_HEADER]: user.id };
}
