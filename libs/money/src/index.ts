export * from './apportion.js';
export * from './format.js';
export * from './included-tax.js';
export * from './minor-units.js';
export * from './percent.js';
