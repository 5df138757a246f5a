import { Body, Controller, Get, Param, Patch, Put, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { IdParam, PatchSkuDto, PutMerchantDto, PutSkuDto, PutWarehouseDto, SkuIdsQuery } from './catalog.dto.js';
import {
  CatalogService,
  type MerchantView,
  type SkuView,
  type SkuWithStockView,
  type WarehouseView,
  type Written,
} from './catalog.service.js';

/** Staff endpoints, reached through the gateway only (it checks the roles). */
@Controller('internal')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Put('merchants/:id')
  async putMerchant(
    @Param() { id }: IdParam,
    @Body() dto: PutMerchantDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MerchantView> {
    return respond(reply, await this.catalog.putMerchant(id, dto));
  }

  @Get('merchants/:id')
  getMerchant(@Param() { id }: IdParam): Promise<MerchantView> {
    return this.catalog.getMerchant(id);
  }

  @Put('warehouses/:id')
  async putWarehouse(
    @Param() { id }: IdParam,
    @Body() dto: PutWarehouseDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WarehouseView> {
    return respond(reply, await this.catalog.putWarehouse(id, dto));
  }

  @Get('warehouses/:id')
  getWarehouse(@Param() { id }: IdParam): Promise<WarehouseView> {
    return this.catalog.getWarehouse(id);
  }

  @Put('skus/:id')
  async putSku(@Param() { id }: IdParam, @Body() dto: PutSkuDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<SkuView> {
    return respond(reply, await this.catalog.putSku(id, dto));
  }

  @Patch('skus/:id')
  patchSku(@Param() { id }: IdParam, @Body() dto: PatchSkuDto): Promise<SkuView> {
    return this.catalog.patchSku(id, dto);
  }

  @Get('skus/:id')
  getSku(@Param() { id }: IdParam): Promise<SkuView> {
    return this.catalog.getSku(id);
  }

  /** Several SKUs with their stock totals ("buy again"); unknown ids come back under `missing`. */
  @Get('skus')
  getSkus(@Query() query: SkuIdsQuery): Promise<{ items: SkuWithStockView[]; missing: string[] }> {
    return this.catalog.getSkus(query.ids);
  }
}

/** PUT answers 201 when it created the resource, 200 when it replaced it. */
function respond<T>(reply: FastifyReply, written: Written<T>): T {
  void reply.status(written.created ? 201 : 200);
  return written.view;
}
