import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/index.js';
import { relay } from '../upstream/relay.js';
import { Upstreams, type UpstreamService } from '../upstream/upstreams.js';

/**
 * Back-office staff routes. The gateway checks the role; the owning service validates the body
 * (unknown fields rejected) and answers, which is relayed as it is.
 */
@ApiTags('back office')
@ApiBearerAuth()
@Controller('api/v1/admin')
export class AdminController {
  constructor(private readonly upstreams: Upstreams) {}

  @Put('merchants/:id')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Create or replace a merchant (inventory)' })
  putMerchant(@Param('id') id: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.forward(reply, 'inventory', 'PUT', `/internal/merchants/${encodeURIComponent(id)}`, body);
  }

  @Put('warehouses/:id')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Create or replace a warehouse (inventory)' })
  putWarehouse(@Param('id') id: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.forward(reply, 'inventory', 'PUT', `/internal/warehouses/${encodeURIComponent(id)}`, body);
  }

  @Put('skus/:id')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Create or replace a SKU: price, shelf state, merchant, fulfilment type, stock policy, purchase limit' })
  putSku(@Param('id') id: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.forward(reply, 'inventory', 'PUT', `/internal/skus/${encodeURIComponent(id)}`, body);
  }

  @Patch('skus/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change some fields of a SKU' })
  patchSku(@Param('id') id: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.forward(reply, 'inventory', 'PATCH', `/internal/skus/${encodeURIComponent(id)}`, body);
  }

  @Get('skus/:id')
  @Roles('admin', 'warehouse', 'customer-service')
  @ApiOperation({ summary: 'A SKU as inventory knows it' })
  getSku(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.forward(reply, 'inventory', 'GET', `/internal/skus/${encodeURIComponent(id)}`);
  }

  @Get('skus/:id/stock')
  @Roles('admin', 'warehouse', 'customer-service')
  @ApiOperation({ summary: 'On hand, held and available stock of a SKU per warehouse' })
  getStock(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.forward(reply, 'inventory', 'GET', `/internal/skus/${encodeURIComponent(id)}/stock`);
  }

  @Post('stock/movements')
  @Roles('admin', 'warehouse')
  @ApiOperation({ summary: 'Record a stock receipt or adjustment (a ledger row)' })
  postMovement(@Body() body: unknown, @Headers('idempotency-key') idempotencyKey: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.forward(reply, 'inventory', 'POST', '/internal/stock/movements', body, { 'idempotency-key': idempotencyKey });
  }

  @Get('stock/movements')
  @Roles('admin', 'warehouse', 'customer-service')
  @ApiOperation({ summary: 'The stock ledger, newest first (filter by skuId, warehouseId, orderId)' })
  getMovements(@Query() query: Record<string, string>, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.forward(reply, 'inventory', 'GET', `/internal/stock/movements?${new URLSearchParams(query).toString()}`);
  }

  @Put('promotions/:id')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Create or change a promotion (ITEM_AMOUNT_OFF, ITEM_PERCENT_OFF, THRESHOLD, PERCENTAGE)' })
  putPromotion(@Param('id') id: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.forward(reply, 'orders', 'PUT', `/internal/promotions/${encodeURIComponent(id)}`, body);
  }

  @Put('coupons/:code')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Create or change a coupon (AMOUNT or PERCENT)' })
  putCoupon(@Param('code') code: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.forward(reply, 'orders', 'PUT', `/internal/coupons/${encodeURIComponent(code)}`, body);
  }

  private async forward(
    reply: FastifyReply,
    service: UpstreamService,
    method: 'GET' | 'PUT' | 'PATCH' | 'POST',
    path: string,
    body?: unknown,
    headers?: Record<string, string | undefined>,
  ) {
    return relay(reply, await this.upstreams.call(service, { method, path, body, headers }));
  }
}
