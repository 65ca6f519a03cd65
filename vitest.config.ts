import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['host/src/**/*.test.ts', 'host/test/**/*.test.ts'],
    // The shipped sketch, built once for every test that runs the emulator's default app.
    globalSetup: ['host/test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: end-to-end tests start emulators, browsers and subprocesses.
    maxWorkers: 2,
  },
});
