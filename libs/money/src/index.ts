export * from './minor-units.js';
export * from './apportion.js';
export * from './percent.js';
