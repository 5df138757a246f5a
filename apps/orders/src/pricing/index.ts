export * from './types.js';
export * from './pricing-error.js';
export * from './price-order.js';
export * from './sub-order-shipping.js';
export { validateCoupon, validateItemPromotion, validateOrderPromotion } from './validate.js';
