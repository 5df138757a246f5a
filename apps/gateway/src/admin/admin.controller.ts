import {
  CatalogIdParam,
  CouponCodeParam,
  PatchSkuRequest,
  PostStockMovementRequest,
  PutCouponRequest,
  PutMerchantRequest,
  PutPromotionRequest,
  PutSkuRequest,
  PutWarehouseRequest,
  StockMovementsQuery,
} from '@mallard/contracts';
import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/index.js';
import { type UpstreamService, Upstreams } from '../upstream/upstreams.js';

/**
 * Back-office staff routes. The gateway checks the role and validates ids, query and body (a
 * malformed request is refused here with a 400 and never reaches a service); the owning
 * service validates again and answers, which is relayed as it is.
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
  putMerchant(@Param() { id }: CatalogIdParam, @Body() body: PutMerchantRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.forward(reply, 'inventory', 'PUT', `/internal/merchants/${encodeURIComponent(id)}`, body);
  }

  @Put('warehouses/:id')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Create or replace a warehouse (inventory)' })
  putWarehouse(@Param() { id }: CatalogIdParam, @Body() body: PutWarehouseRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.forward(reply, 'inventory', 'PUT', `/internal/warehouses/${encodeURIComponent(id)}`, body);
  }

  @Put('skus/:id')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Create or replace a SKU: price, shelf state, merchant, fulfilment type, stock policy, purchase limit' })
  putSku(@Param() { id }: CatalogIdParam, @Body() body: PutSkuRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.forward(reply, 'inventory', 'PUT', `/internal/skus/${encodeURIComponent(id)}`, body);
  }

  @Patch('skus/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change some fields of a SKU' })
  patchSku(@Param() { id }: CatalogIdParam, @Body() body: PatchSkuRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.forward(reply, 'inventory', 'PATCH', `/internal/skus/${encodeURIComponent(id)}`, body);
  }

  @Get('skus/:id')
  @Roles('admin', 'warehouse', 'customer-service')
  @ApiOperation({ summary: 'A SKU as inventory knows it' })
  getSku(@Param() { id }: CatalogIdParam, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.forward(reply, 'inventory', 'GET', `/internal/skus/${encodeURIComponent(id)}`);
  }

  @Get('skus/:id/stock')
  @Roles('admin', 'warehouse', 'customer-service')
  @ApiOperation({ summary: 'On hand, held and available stock of a SKU per warehouse' })
  getStock(@Param() { id }: CatalogIdParam, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.forward(reply, 'inventory', 'GET', `/internal/skus/${encodeURIComponent(id)}/stock`);
  }

  @Post('stock/movements')
  @Roles('admin', 'warehouse')
  @ApiOperation({ summary: 'Record a stock receipt or adjustment (a ledger row)' })
  postMovement(
    @Body() body: PostStockMovementRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.forward(reply, 'inventory', 'POST', '/internal/stock/movements', body, { 'idempotency-key': idempotencyKey });
  }

  @Get('stock/movements')
  @Roles('admin', 'warehouse', 'customer-service')
  @ApiOperation({ summary: 'The stock ledger, newest first (filter by skuId, warehouseId, orderId)' })
  getMovements(@Query() query: StockMovementsQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.forward(reply, 'inventory', 'GET', `/internal/stock/movements?${queryString(query)}`);
  }

  @Put('promotions/:id')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Create or change a promotion (ITEM_AMOUNT_OFF, ITEM_PERCENT_OFF, THRESHOLD, PERCENTAGE)' })
  putPromotion(@Param() { id }: CatalogIdParam, @Body() body: PutPromotionRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.forward(reply, 'orders', 'PUT', `/internal/promotions/${encodeURIComponent(id)}`, body);
  }

  @Put('coupons/:code')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Create or change a coupon (AMOUNT or PERCENT)' })
  putCoupon(@Param() { code }: CouponCodeParam, @Body() body: PutCouponRequest, @Res({ passthrough: true }) reply: FastifyReply) {
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
    return this.upstreams.forward(reply, service, { method, path, body, headers });
  }
}

function queryString(query: object): string {
  const present = Object.entries(query).filter(([, value]) => value !== undefined);
  return new URLSearchParams(present.map(([name, value]): [string, string] => [name, String(value)])).toString();
}
