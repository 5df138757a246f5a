import { FlashSaleSkusQuery } from '@mallard/contracts';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { IdParam } from '../catalog/catalog.dto.js';
import { MovementsQuery, PostMovementDto } from './stock.dto.js';
import { stockProblems } from './stock.problems.js';
import { type FlashSaleSkuPage, type LevelView, type MovementView, type SkuStockView, StockService } from './stock.service.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@Controller('internal')
export class StockController {
  constructor(private readonly stock: StockService) {}

  /** A receipt or an adjustment. `Idempotency-Key` (optional) makes a retry safe. */
  @Post('stock/movements')
  @HttpCode(201)
  async postMovement(
    @Body() dto: PostMovementDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ movement: MovementView; level: LevelView }> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw stockProblems.invalidIdempotencyKey();
    }
    const { replayed, movement, level } = await this.stock.recordMovement(dto, idempotencyKey);
    if (replayed) void reply.header('idempotent-replayed', 'true');
    return { movement, level };
  }

  /** The ledger, newest first. */
  @Get('stock/movements')
  movements(@Query() query: MovementsQuery): Promise<MovementView[]> {
    return this.stock.movements(query);
  }

  /** The SKUs on flash sale (scarce), with their stock and sales; the gateway exposes it to admins. */
  @Get('flash-sale-skus')
  flashSaleSkus(@Query() query: FlashSaleSkusQuery): Promise<FlashSaleSkuPage> {
    return this.stock.flashSaleSkus(query);
  }

  @Get('skus/:id/stock')
  skuStock(@Param() { id }: IdParam): Promise<SkuStockView> {
    return this.stock.skuStock(id);
  }
}
