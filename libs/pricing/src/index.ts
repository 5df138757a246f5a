export * from './price-order.js';
export * from './pricing-error.js';
export * from './sub-order-shipping.js';
export * from './types.js';
export { validateCoupon, validateItemPromotion, validateOrderPromotion } from './validate.js';
