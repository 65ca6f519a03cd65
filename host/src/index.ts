/** esp-sse as a library: the CLI is one client of these modules. */
export * from './errors.js';
export * as contract from './contract/index.js';
