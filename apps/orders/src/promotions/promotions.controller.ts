import type { Coupon, ItemPromotion, OrderPromotion } from '@mallard/pricing';
import { Body, Controller, HttpCode, Param, Put } from '@nestjs/common';
import { IsBoolean, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { PromotionBook } from './promotion-book.js';
import { promotionsProblems } from './promotions.problems.js';

const PROMOTION_KINDS = ['ITEM_AMOUNT_OFF', 'ITEM_PERCENT_OFF', 'THRESHOLD', 'PERCENTAGE'] as const;

/**
 * The largest amount a promotion or coupon may name: 10^12 minor units (ten billion in a
 * two-decimal currency) is far above any real discount, and keeps every sum pricing makes with
 * it far below 2^53. A value beyond it is a typo, refused when saved rather than at every order.
 */
export const MAX_PROMOTION_MINOR = 1_000_000_000_000;
const MAX_BASIS_POINTS = 10_000;

/** Promotion ids, coupon codes and SKU ids: URL-safe, 1-100 characters. */
export const PROMOTION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;
const ID_MESSAGE = { message: '$property must be 1-100 characters of letters, digits, ".", "_", ":" or "-"' };

export class PromotionRequest {
  @IsIn(PROMOTION_KINDS) kind: (typeof PROMOTION_KINDS)[number];
  @IsBoolean() active: boolean;
  @IsOptional() @Matches(PROMOTION_ID_PATTERN, ID_MESSAGE) skuId?: string;
  @IsOptional() @IsInt() @Min(1) @Max(MAX_PROMOTION_MINOR) amountOffPerUnitMinor?: number;
  @IsOptional() @IsInt() @Min(1) @Max(MAX_BASIS_POINTS) basisPoints?: number;
  @IsOptional() @IsInt() @Min(1) @Max(MAX_PROMOTION_MINOR) thresholdMinor?: number;
  @IsOptional() @IsInt() @Min(1) @Max(MAX_PROMOTION_MINOR) discountMinor?: number;
  @IsOptional() @IsInt() @Min(1) @Max(MAX_PROMOTION_MINOR) capMinor?: number;
  @IsOptional() @IsInt() @Min(1) @Max(MAX_PROMOTION_MINOR) minSpendMinor?: number;
}

export class CouponRequest {
  @IsIn(['AMOUNT', 'PERCENT']) kind: 'AMOUNT' | 'PERCENT';
  @IsBoolean() active: boolean;
  @IsOptional() @IsInt() @Min(1) @Max(MAX_PROMOTION_MINOR) amountMinor?: number;
  @IsOptional() @IsInt() @Min(1) @Max(MAX_BASIS_POINTS) basisPoints?: number;
  @IsOptional() @IsInt() @Min(1) @Max(MAX_PROMOTION_MINOR) minSpendMinor?: number;
  @IsOptional() @IsInt() @Min(1) @Max(MAX_PROMOTION_MINOR) capMinor?: number;
}

/** `:id` of a promotion. */
export class PromotionIdParam {
  @Matches(PROMOTION_ID_PATTERN, ID_MESSAGE) id: string;
}

/** `:code` of a coupon; at most 40 characters, as an order's couponCode. */
export class CouponCodeParam {
  @Matches(/^[A-Za-z0-9._:-]{1,40}$/, { message: 'code must be 1-40 characters of letters, digits, ".", "_", ":" or "-"' }) code: string;
}

function need<T extends object>(request: T, kind: string, fields: (keyof T & string)[]): void {
  const absent = fields.filter((field) => request[field] === undefined);
  if (absent.length > 0) throw promotionsProblems.incomplete(kind, absent);
}

/** Staff manage the promotions and coupons pricing applies (the gateway guards the roles). */
@Controller('internal')
export class PromotionsController {
  constructor(private readonly book: PromotionBook) {}

  @Put('promotions/:id')
  @HttpCode(200)
  async putPromotion(
    @Param() { id }: PromotionIdParam,
    @Body() request: PromotionRequest,
  ): Promise<{ id: string; rule: ItemPromotion | OrderPromotion; active: boolean }> {
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
        rule = {
          id,
          kind: request.kind,
          basisPoints: request.basisPoints!,
          capMinor: request.capMinor,
          minSpendMinor: request.minSpendMinor,
        };
        break;
    }
    await this.book.savePromotion(id, rule, request.active);
    return { id, rule, active: request.active };
  }

  @Put('coupons/:code')
  @HttpCode(200)
  async putCoupon(
    @Param() { code }: CouponCodeParam,
    @Body() request: CouponRequest,
  ): Promise<{ code: string; rule: Coupon; active: boolean }> {
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
