import { defineConfig } from 'vitest/config';

/**
 * `npm run test:unit`: the pure and in-process tests (host/src/**\/*.test.ts: codecs, parsers,
 * plans, the emulator's parts, the CLI's command tree and error printing, sockets on loopback
 * inside the test process), in about half a minute on two cores. Left out, as `npm test` runs
 * them: the tests that start other processes (the compiler, a second node) and everything in
 * host/test/ (the CLI from dist/, emulators, browsers, network namespaces). No global setup:
 * nothing here runs the shipped sketch, so it is not built.
 */
export default defineConfig({
  test: {
    include: ['host/src/**/*.test.ts'],
    exclude: [
      // runs g++ on a project in a temp folder
      'host/src/emulator/native/build.test.ts',
      // starts a second node process (a monitor killed with SIGKILL)
      'host/src/transport/port-handover-io.test.ts',
      // starts a stand-in app process on the sketch link
      'host/src/emulator/native/app-process.test.ts',
    ],
    testTimeout: 30_000,
    maxWorkers: 2,
    // One module graph per worker, not per file: half the CPU. Safe while these tests mock no
    // module (vi.mock) and put back what they spy on or set (process.exitCode) after each test.
    isolate: false,
  },
});
