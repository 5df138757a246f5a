import { Body, Controller, HttpCode, Param, Put } from '@nestjs/common';
import { ProblemException } from '@mallard/platform';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import type { Coupon, ItemPromotion, OrderPromotion } from '../pricing/index.js';
import { PromotionBook } from './promotion-book.js';

const PROMOTION_KINDS = ['ITEM_AMOUNT_OFF', 'ITEM_PERCENT_OFF', 'THRESHOLD', 'PERCENTAGE'] as const;

export class PromotionRequest {
  @IsIn(PROMOTION_KINDS) kind: (typeof PROMOTION_KINDS)[number];
  @IsBoolean() active: boolean;
  @IsOptional() @IsString() @Length(1, 64) skuId?: string;
  @IsOptional() @IsInt() @Min(1) amountOffPerUnitMinor?: number;
  @IsOptional() @IsInt() @Min(1) @Max(10_000) basisPoints?: number;
  @IsOptional() @IsInt() @Min(1) thresholdMinor?: number;
  @IsOptional() @IsInt() @Min(1) discountMinor?: number;
  @IsOptional() @IsInt() @Min(1) capMinor?: number;
  @IsOptional() @IsInt() @Min(1) minSpendMinor?: number;
}

export class CouponRequest {
  @IsIn(['AMOUNT', 'PERCENT']) kind: 'AMOUNT' | 'PERCENT';
  @IsBoolean() active: boolean;
  @IsOptional() @IsInt() @Min(1) amountMinor?: number;
  @IsOptional() @IsInt() @Min(1) @Max(10_000) basisPoints?: number;
  @IsOptional() @IsInt() @Min(1) minSpendMinor?: number;
  @IsOptional() @IsInt() @Min(1) capMinor?: number;
}

function missing(kind: string, fields: string[]): ProblemException {
  return new ProblemException({
    status: 422,
    slug: 'incomplete-promotion',
    title: 'The promotion lacks fields its kind needs',
    detail: `${kind} needs ${fields.join(', ')}`,
  });
}

function need<T extends object>(request: T, kind: string, fields: (keyof T & string)[]): void {
  const absent = fields.filter((field) => request[field] === undefined);
  if (absent.length > 0) throw missing(kind, absent);
}

/** Staff manage the promotions and coupons pricing applies (the gateway guards the roles). */
@Controller('internal')
export class PromotionsController {
  constructor(private readonly book: PromotionBook) {}

  @Put('promotions/:id')
  @HttpCode(200)
  async putPromotion(@Param('id') id: string, @Body() request: PromotionRequest): Promise<{ id: string; rule: ItemPromotion | OrderPromotion; active: boolean }> {
    let rule: ItemPromotion | OrderPromotion;
    switch (request.kind) {
      case 'ITEM_AMOUNT_OFF':
        need(request, request.kind, ['skuId', 'amountOffPerUnitMinor']);
        rule = { id, kind: request.kind, skuId: request.skuId!, amountOffPerUnitMinor: request.amountOffPerUnitMinor! };
        break;
      case 'ITEM_PERCENT_OFF':
        need(request, request.kind, ['skuId', 'basisPoints']);
        rule = { id, kind: request.kind, skuId: request.skuId!, basisPoints: request.basisPoints! };
        break;
      case 'THRESHOLD':
        need(request, request.kind, ['thresholdMinor', 'discountMinor']);
        rule = { id, kind: request.kind, thresholdMinor: request.thresholdMinor!, discountMinor: request.discountMinor! };
        break;
      case 'PERCENTAGE':
        need(request, request.kind, ['basisPoints']);
        rule = { id, kind: request.kind, basisPoints: request.basisPoints!, capMinor: request.capMinor, minSpendMinor: request.minSpendMinor };
        break;
    }
    await this.book.savePromotion(id, rule, request.active);
    return { id, rule, active: request.active };
  }

  @Put('coupons/:code')
  @HttpCode(200)
  async putCoupon(@Param('code') code: string, @Body() request: CouponRequest): Promise<{ code: string; rule: Coupon; active: boolean }> {
    need(request, request.kind, request.kind === 'AMOUNT' ? ['amountMinor'] : ['basisPoints']);
    const rule: Coupon = {
      code,
      kind: request.kind,
      amountMinor: request.amountMinor,
      basisPoints: request.basisPoints,
      minSpendMinor: request.minSpendMinor,
      capMinor: request.capMinor,
    };
    await this.book.saveCoupon(code, rule, request.active);
    return { code, rule, active: request.active };
  }
}
