export * from './enums.js';
export * from './predikat.js';
export * from './schemas.js';
export * from './duration.js';
export * from './problems.js';
export * from './text.js';
export * from './dates.js';
export * from './url.js';
