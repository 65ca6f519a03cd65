export * from './records.js';
export * from './responder.js';
export * from './advertiser.js';
export * from './address.js';
export * from './board-mdns.js';
