import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['host/src/**/*.test.ts', 'host/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: end-to-end tests start emulators, browsers and subprocesses.
    maxWorkers: 2,
  },
});
