/**
 * esp-sse as a library: the CLI is one client of these modules. Each layer is a namespace
 * (`formats`, `emulator`, `flasher`, …; see docs/architecture.md); the entry points
 * most scripts start from are also exported by name.
 *
 *   import { startEmulator, runConformance } from 'esp-sse';
 *   const emu = await startEmulator({ httpPort: 0 });
 *   const results = await runConformance({ baseUrl: emu.url }); // one CheckResult per check
 *   await emu.close();
 */
export * from './errors.js';
export * as contract from './contract/index.js';
export * as protocol from './protocol/index.js';
export * as formats from './formats/index.js';
export * as settings from './settings/index.js';
export * as transport from './transport/index.js';
export * as flasher from './flasher/index.js';
export * as monitor from './monitor/index.js';
export * as discovery from './discovery/index.js';
export * as emulator from './emulator/index.js';
export * as hil from './hil/index.js';

export { startEmulator, type EmulatorOptions, type RunningEmulator } from './emulator/index.js';
export { runConformance, runHil, type ConformanceOptions, type HilRunOptions, type HilReport, type CheckResult } from './hil/index.js';
export { discoverBoards, type DiscoverOptions, type DiscoveredBoard } from './discovery/index.js';
export { buildSpiffs, readSpiffs } from './formats/index.js';
export { createTransport } from './transport/index.js';
export { flashBoards } from './flasher/index.js';
