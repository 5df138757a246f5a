export * from './types.js';
export * from './pricing-error.js';
export * from './price-order.js';
export * from './sub-order-shipping.js';
