import { isMinorUnits } from '@mallard/money';
import { PricingError, type PricingErrorCode } from './pricing-error.js';
import type { Coupon, ItemPromotion, OrderPromotion, PricingInput, ShippingRule } from './types.js';

const CURRENCY = /^[A-Z]{3}$/;
const MAX_BASIS_POINTS = 10_000;

/**
 * Refuses, before any arithmetic, whatever could make a figure wrong instead of failing:
 * every later step may then assume safe non-negative integers whose sums stay safe.
 */
export function validatePricingInput(input: PricingInput): void {
  if (typeof input.currency !== 'string' || !CURRENCY.test(input.currency)) {
    fail('INVALID_CURRENCY', `currency must be an ISO 4217 code, got ${String(input.currency)}`);
  }
  if (!Array.isArray(input.lines) || input.lines.length === 0) fail('EMPTY_CART', 'the cart has no lines');
  const itemsTotal = validateLines(input);
  if (!Array.isArray(input.itemPromotions) || !Array.isArray(input.orderPromotions)) {
    fail('INVALID_PROMOTION', 'itemPromotions and orderPromotions must be lists (empty when none apply)');
  }
  input.itemPromotions.forEach(validateItemPromotion);
  input.orderPromotions.forEach(validateOrderPromotion);
  if (input.coupon !== undefined) validateCoupon(input.coupon);
  validateShipping(input.shipping);
  // Discounts only lower the merchandise, so items total + fee bounds every figure priced.
  if (!Number.isSafeInteger(itemsTotal + input.shipping.flatFeeMinor)) {
    fail('UNSAFE_AMOUNT', 'items total plus shipping fee exceeds the safe-integer range');
  }
}

function validateLines({ lines }: PricingInput): number {
  const seen = new Set<string>();
  let itemsTotal = 0;
  for (const line of lines) {
    if (!nonEmpty(line.lineId) || !nonEmpty(line.skuId)) fail('INVALID_LINE', 'every line needs a lineId and a skuId');
    if (seen.has(line.lineId)) fail('DUPLICATE_LINE_ID', `line ${line.lineId} appears twice`);
    seen.add(line.lineId);
    if (!isMinorUnits(line.quantity) || line.quantity === 0) {
      fail('INVALID_QUANTITY', `line ${line.lineId}: quantity must be a positive integer, got ${String(line.quantity)}`);
    }
    if (!isMinorUnits(line.unitPriceMinor)) {
      const got = String(line.unitPriceMinor);
      fail('INVALID_PRICE', `line ${line.lineId}: unitPriceMinor must be a non-negative integer, got ${got}`);
    }
    // Both factors are safe, so an inexact float product is necessarily ≥ 2^53 and caught here.
    const amount = line.unitPriceMinor * line.quantity;
    itemsTotal += amount;
    if (!Number.isSafeInteger(amount) || !Number.isSafeInteger(itemsTotal)) {
      fail('UNSAFE_AMOUNT', `line ${line.lineId}: amount exceeds the safe-integer range`);
    }
  }
  return itemsTotal;
}

export function validateItemPromotion(promotion: ItemPromotion): void {
  const what = `item promotion ${String(promotion.id)}`;
  if (!nonEmpty(promotion.id) || !nonEmpty(promotion.skuId)) fail('INVALID_PROMOTION', `${what}: needs an id and a skuId`);
  switch (promotion.kind) {
    case 'ITEM_AMOUNT_OFF':
      requireMinor(promotion.amountOffPerUnitMinor, 'INVALID_PROMOTION', `${what}: amountOffPerUnitMinor`);
      return;
    case 'ITEM_PERCENT_OFF':
      requireBasisPoints(promotion.basisPoints, 'INVALID_PROMOTION', what);
      return;
    default:
      fail('INVALID_PROMOTION', `${what}: unknown kind ${String((promotion as { kind: unknown }).kind)}`);
  }
}

export function validateOrderPromotion(promotion: OrderPromotion): void {
  const what = `order promotion ${String(promotion.id)}`;
  if (!nonEmpty(promotion.id)) fail('INVALID_PROMOTION', `${what}: needs an id`);
  switch (promotion.kind) {
    case 'THRESHOLD':
      requireMinor(promotion.thresholdMinor, 'INVALID_PROMOTION', `${what}: thresholdMinor`);
      requireMinor(promotion.discountMinor, 'INVALID_PROMOTION', `${what}: discountMinor`);
      return;
    case 'PERCENTAGE':
      requireBasisPoints(promotion.basisPoints, 'INVALID_PROMOTION', what);
      optionalMinor(promotion.capMinor, 'INVALID_PROMOTION', `${what}: capMinor`);
      optionalMinor(promotion.minSpendMinor, 'INVALID_PROMOTION', `${what}: minSpendMinor`);
      return;
    default:
      fail('INVALID_PROMOTION', `${what}: unknown kind ${String((promotion as { kind: unknown }).kind)}`);
  }
}

export function validateCoupon(coupon: Coupon): void {
  const what = `coupon ${String(coupon.code)}`;
  if (!nonEmpty(coupon.code)) fail('INVALID_COUPON', 'the coupon needs a code');
  if (coupon.kind === 'AMOUNT') requireMinor(coupon.amountMinor, 'INVALID_COUPON', `${what}: amountMinor`);
  else if (coupon.kind === 'PERCENT') requireBasisPoints(coupon.basisPoints, 'INVALID_COUPON', what);
  else fail('INVALID_COUPON', `${what}: unknown kind ${String(coupon.kind)}`);
  optionalMinor(coupon.minSpendMinor, 'INVALID_COUPON', `${what}: minSpendMinor`);
  optionalMinor(coupon.capMinor, 'INVALID_COUPON', `${what}: capMinor`);
}

function validateShipping(rule: ShippingRule): void {
  if (rule === null || typeof rule !== 'object') fail('INVALID_SHIPPING', 'a shipping rule is required');
  requireMinor(rule.flatFeeMinor, 'INVALID_SHIPPING', 'shipping flatFeeMinor');
  optionalMinor(rule.freeFromMinor, 'INVALID_SHIPPING', 'shipping freeFromMinor');
}

function requireMinor(value: unknown, code: PricingErrorCode, what: string): void {
  if (!isMinorUnits(value)) fail(code, `${what} must be a non-negative integer in minor units, got ${String(value)}`);
}

function optionalMinor(value: unknown, code: PricingErrorCode, what: string): void {
  if (value !== undefined) requireMinor(value, code, what);
}

/** Above 100 % a "discount" would exceed what it discounts. */
function requireBasisPoints(value: unknown, code: PricingErrorCode, what: string): void {
  if (!isMinorUnits(value) || value > MAX_BASIS_POINTS) {
    fail(code, `${what}: basisPoints must be an integer from 0 to ${MAX_BASIS_POINTS}, got ${String(value)}`);
  }
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function fail(code: PricingErrorCode, message: string): never {
  throw new PricingError(code, message);
}
