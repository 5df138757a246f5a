import {
  CatalogIdParam,
  CouponCodeParam,
  CouponResponse,
  CustomerServiceContactRequest,
  FlashSaleSkuPageResponse,
  FlashSaleSkusQuery,
  MerchantCustomerServiceResponse,
  MerchantResponse,
  PatchSkuRequest,
  PostStockMovementRequest,
  PromotionResponse,
  PutCouponRequest,
  PutMerchantRequest,
  PutPromotionRequest,
  PutSkuRequest,
  PutWarehouseRequest,
  RecordedStockMovementResponse,
  SkuResponse,
  SkuStockResponse,
  StockMovementResponse,
  StockMovementsQuery,
  WarehouseResponse,
} from '@mallard/contracts';
import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/index.js';
import { ApiIdempotencyKey, ApiProblems } from '../edge/api-problems.js';
import { type UpstreamService, Upstreams } from '../upstream/upstreams.js';

/**
 * Back-office staff routes. The gateway checks the role and validates ids, query and body (a
 * malformed request is refused here with a 400 and never reaches a service); the owning
 * service validates again and answers, which is relayed as it is.
 */
@ApiTags('back office')
@ApiBearerAuth()
// Met only where they may be null (nullableObject), so not found from the routes.
@ApiExtraModels(CustomerServiceContactRequest, MerchantCustomerServiceResponse)
@Controller('api/v1/admin')
export class AdminController {
  constructor(private readonly upstreams: Upstreams) {}

  @Put('merchants/:id')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Create or replace a merchant (inventory)' })
  @ApiCreatedResponse({ type: MerchantResponse, description: 'Created' })
  @ApiOkResponse({ type: MerchantResponse, description: 'Replaced (or unchanged)' })
  @ApiProblems(401, 403)
  putMerchant(
    @Param() { id }: CatalogIdParam,
    @Body() body: PutMerchantRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MerchantResponse> {
    return this.forward(reply, 'inventory', 'PUT', `/internal/merchants/${encodeURIComponent(id)}`, body);
  }

  @Put('warehouses/:id')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Create or replace a warehouse (inventory)',
    description: '422 `unknown-merchant`, `warehouse-needs-merchant` (DROP_SHIP), `warehouse-stock-incompatible`.',
  })
  @ApiCreatedResponse({ type: WarehouseResponse, description: 'Created' })
  @ApiOkResponse({ type: WarehouseResponse, description: 'Replaced (or unchanged)' })
  @ApiProblems(401, 403, 422)
  putWarehouse(
    @Param() { id }: CatalogIdParam,
    @Body() body: PutWarehouseRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WarehouseResponse> {
    return this.forward(reply, 'inventory', 'PUT', `/internal/warehouses/${encodeURIComponent(id)}`, body);
  }

  @Put('skus/:id')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Create or replace a SKU: price, shelf state, merchant, fulfilment type, stock policy, purchase limit',
    description: 'Absent optional fields are reset. 422 `unknown-merchant`, `sku-merchant-immutable`, `sku-stock-incompatible`.',
  })
  @ApiCreatedResponse({ type: SkuResponse, description: 'Created' })
  @ApiOkResponse({ type: SkuResponse, description: 'Replaced (or unchanged)' })
  @ApiProblems(401, 403, 422)
  putSku(
    @Param() { id }: CatalogIdParam,
    @Body() body: PutSkuRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SkuResponse> {
    return this.forward(reply, 'inventory', 'PUT', `/internal/skus/${encodeURIComponent(id)}`, body);
  }

  @Patch('skus/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change some fields of a SKU', description: '404 `sku-not-found`; 422 `sku-stock-incompatible`.' })
  @ApiOkResponse({ type: SkuResponse })
  @ApiProblems(401, 403, 404, 422)
  patchSku(
    @Param() { id }: CatalogIdParam,
    @Body() body: PatchSkuRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SkuResponse> {
    return this.forward(reply, 'inventory', 'PATCH', `/internal/skus/${encodeURIComponent(id)}`, body);
  }

  @Get('skus/:id')
  @Roles('admin', 'warehouse', 'customer-service')
  @ApiOperation({ summary: 'A SKU as inventory knows it', description: '404 `sku-not-found`.' })
  @ApiOkResponse({ type: SkuResponse })
  @ApiProblems(401, 403, 404)
  getSku(@Param() { id }: CatalogIdParam, @Res({ passthrough: true }) reply: FastifyReply): Promise<SkuResponse> {
    return this.forward(reply, 'inventory', 'GET', `/internal/skus/${encodeURIComponent(id)}`);
  }

  @Get('skus/:id/stock')
  @Roles('admin', 'warehouse', 'customer-service')
  @ApiOperation({ summary: 'On hand, held and available stock of a SKU per warehouse', description: '404 `sku-not-found`.' })
  @ApiOkResponse({ type: SkuStockResponse })
  @ApiProblems(401, 403, 404)
  getStock(@Param() { id }: CatalogIdParam, @Res({ passthrough: true }) reply: FastifyReply): Promise<SkuStockResponse> {
    return this.forward(reply, 'inventory', 'GET', `/internal/skus/${encodeURIComponent(id)}/stock`);
  }

  @Post('stock/movements')
  @Roles('admin', 'warehouse')
  @ApiOperation({
    summary: 'Record a stock receipt or adjustment (a ledger row)',
    description:
      'With an `Idempotency-Key`, a retry answers the movement first recorded; the key used for another movement is 409 ' +
      '`movement-key-reused`. 422 `unknown-sku`, `unknown-warehouse`, `warehouse-not-allowed`, `receipt-must-add`, `stock-below-held`.',
  })
  @ApiIdempotencyKey(false)
  @ApiCreatedResponse({ type: RecordedStockMovementResponse })
  @ApiProblems(401, 403, 409, 422)
  postMovement(
    @Body() body: PostStockMovementRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RecordedStockMovementResponse> {
    return this.forward(reply, 'inventory', 'POST', '/internal/stock/movements', body, { 'idempotency-key': idempotencyKey });
  }

  @Get('stock/movements')
  @Roles('admin', 'warehouse', 'customer-service')
  @ApiOperation({ summary: 'The stock ledger, newest first (filter by skuId, warehouseId, orderId)' })
  @ApiOkResponse({ type: [StockMovementResponse] })
  @ApiProblems(401, 403)
  getMovements(@Query() query: StockMovementsQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<StockMovementResponse[]> {
    return this.forward(reply, 'inventory', 'GET', `/internal/stock/movements?${queryString(query)}`);
  }

  @Get('flash-sale-skus')
  @Roles('admin')
  @ApiOperation({
    summary: 'The SKUs on flash sale (marked `scarce`), with their stock: on hand, held, available, sold and returned',
    description:
      'By SKU id. Held units wait for unpaid orders (a scarce SKU’s hold lasts SCARCE_HOLD_TTL_SECONDS); `sold` and `returned` add up the ledger’s DEDUCTION and RETURN rows (`GET /api/v1/admin/stock/movements?skuId=` lists them).',
  })
  @ApiOkResponse({ type: FlashSaleSkuPageResponse })
  @ApiProblems(401, 403)
  getFlashSaleSkus(@Query() query: FlashSaleSkusQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<FlashSaleSkuPageResponse> {
    return this.forward(reply, 'inventory', 'GET', `/internal/flash-sale-skus?${queryString(query)}`);
  }

  @Put('promotions/:id')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Create or change a promotion (ITEM_AMOUNT_OFF, ITEM_PERCENT_OFF, THRESHOLD, PERCENTAGE)',
    description: '422 `incomplete-promotion` when a field the kind needs is absent.',
  })
  @ApiOkResponse({ type: PromotionResponse })
  @ApiProblems(401, 403, 422)
  putPromotion(
    @Param() { id }: CatalogIdParam,
    @Body() body: PutPromotionRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PromotionResponse> {
    return this.forward(reply, 'orders', 'PUT', `/internal/promotions/${encodeURIComponent(id)}`, body);
  }

  @Put('coupons/:code')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Create or change a coupon (AMOUNT or PERCENT)',
    description: '422 `incomplete-promotion` when AMOUNT lacks amountMinor or PERCENT lacks basisPoints.',
  })
  @ApiOkResponse({ type: CouponResponse })
  @ApiProblems(401, 403, 422)
  putCoupon(
    @Param() { code }: CouponCodeParam,
    @Body() body: PutCouponRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CouponResponse> {
    return this.forward(reply, 'orders', 'PUT', `/internal/coupons/${encodeURIComponent(code)}`, body);
  }

  /** Relays the service's answer: the response type is what that service's route answers. */
  private async forward<T>(
    reply: FastifyReply,
    service: UpstreamService,
    method: 'GET' | 'PUT' | 'PATCH' | 'POST',
    path: string,
    body?: unknown,
    headers?: Record<string, string | undefined>,
  ): Promise<T> {
    return this.upstreams.forward<T>(reply, service, { method, path, body, headers });
  }
}

function queryString(query: object): string {
  const present = Object.entries(query).filter(([, value]) => value !== undefined);
  return new URLSearchParams(present.map(([name, value]): [string, string] => [name, String(value)])).toString();
}
