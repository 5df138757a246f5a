export * from './apportion.js';
export * from './minor-units.js';
export * from './percent.js';
