export * from './board.js';
export * from './collect.js';
export * from './browse.js';
export * from './interface.js';
export * from './querier.js';
