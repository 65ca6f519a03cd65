/**
 * The conformance suite: HTTP/SSE checks against a base URL, serial-side checks, reports.
 * `runHil` is one whole run (both suites, one report, as `esp-sse hil` makes it);
 * `startEmulatorTarget` a virtual board to run it against.
 */
export { runHil, type HilRunOptions } from './run-hil.js';
export { startEmulatorTarget, type EmulatorTarget } from './emulator-target.js';
export { runConformance, type ConformanceOptions } from './conformance.js';
export { httpChecks, rateBand } from './http-checks.js';
export { expectedProfiles, expectedWire, isExpectedProfile, type ExpectedProfile } from './expected-wire.js';
export { runSerialChecks, serialChecks, type SerialCheckOptions } from './serial-checks.js';
export { NotRun, runChecks, type CheckDef } from './check-runner.js';
export * from './report-model.js';
export { renderHuman, type ReportPaint } from './report-human.js';
export { renderJson } from './report-json.js';
export { renderJunit, writeJunit } from './report-junit.js';
