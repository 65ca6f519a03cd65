/**
 * The same conformance suite, unchanged, against a real board when the environment names one:
 *   ESP_SSE_BOARD_URL=http://192.168.1.50/  [ESP_SSE_BOARD_PORT=/dev/ttyUSB0]  npx vitest run host/test/hil-board.test.ts
 * Without a board the test is reported as skipped under a name that says why (never as passed).
 */
import { describe, expect, it } from 'vitest';
import { runHil } from '../src/hil/run-hil.js';
import { createTransport } from '../src/transport/open-port.js';

const url = process.env.ESP_SSE_BOARD_URL;
const port = process.env.ESP_SSE_BOARD_PORT;

describe('hil against a real board', () => {
  it.skipIf(!url)(
    url ? `every check passes against ${url}${port ? ` + serial ${port}` : ''}` : 'NOT RUN: no board named (set ESP_SSE_BOARD_URL, and ESP_SSE_BOARD_PORT for the serial checks)',
    async () => {
      const serial = port ? createTransport(port) : undefined;
      await serial?.open();
      try {
        const report = await runHil({ url: url!, ...(serial ? { serial } : {}) });
        const bad = report.results.filter((r) => r.status !== 'passed');
        expect(bad.map((r) => `${r.id} ${r.status}: ${r.message}`)).toEqual([]);
      } finally {
        await serial?.close();
      }
    },
    180_000,
  );
});
