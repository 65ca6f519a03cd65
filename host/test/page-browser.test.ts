/**
 * The firmware's page (firmware/data/index.html) in a real browser: Debian's Chromium driven
 * by playwright-core, against the emulator on loopback. It goes live, shows the greeting, the
 * board's time and the event rate, resets, and survives a restart of the board while open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { hello, reconnectLine } from '../src/contract/index.js';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Screenshots of the live and the disconnected page, for a human to look at after a run. */
const screenshotPath = '/tmp/esp-sse-page.png';
const disconnectedScreenshotPath = '/tmp/esp-sse-page-disconnected.png';

let browser: Browser | undefined;
let page: Page | undefined;
const emulators: RunningEmulator[] = [];
let serialText = '';

async function boot(httpPort: number): Promise<RunningEmulator> {
  const emu = await startEmulator({
    host: '127.0.0.1',
    httpPort,
    onSerial: (bytes) => {
      serialText += Buffer.from(bytes).toString('utf8');
    },
  });
  emulators.push(emu);
  return emu;
}

const text = async (testId: string): Promise<string> => (await page!.getByTestId(testId).textContent()) ?? '';
const stateIs = (state: string, timeout: number) =>
  page!.waitForFunction((s) => document.getElementById('status')?.dataset.state === s, state, { timeout });

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs, timeout: 30_000 });
  page = await browser.newPage({ viewport: { width: 1000, height: 640 } });
});

afterAll(async () => {
  await browser?.close();
  for (const emu of emulators) await emu.close().catch(() => undefined);
});

describe('the page in Chromium against the emulator', () => {
  let first: RunningEmulator;

  it('goes live, greets, shows the board time advancing and a plausible event rate', async () => {
    first = await boot(0);
    await page!.goto(first.url, { timeout: 15_000 });
    await stateIs('live', 15_000);
    expect(await text('status')).toBe('live');
    await page!.waitForFunction((g) => document.getElementById('greeting')?.textContent === g, hello.data, { timeout: 10_000 });

    // The board's millis() keeps advancing on the page.
    await page!.waitForFunction(() => Number(document.getElementById('time')?.textContent) > 0, undefined, { timeout: 10_000 });
    const t1 = Number(await text('time'));
    await page!.waitForFunction((t) => Number(document.getElementById('time')?.textContent) > t, t1, { timeout: 10_000 });
    expect(await text('clock')).toMatch(/^\d+:\d\d:\d\d\.\d\d\d$/);
    expect(Number(await text('last-id'))).toBeGreaterThan(0);

    // About 50 events/s. The rate counts the arrivals of the last second, so it only means
    // something once events have come for longer than that: wait for 100 of them (2 s at the
    // board's rate), then accept a broad plausible range. Once the window has filled, the
    // count is more than the rate (read in one page task, so both are of the same moment).
    await page!.waitForFunction(() => Number(document.getElementById('count')?.textContent) >= 100, undefined, { timeout: 15_000 });
    await page!.waitForFunction(() => Number(document.getElementById('rate')?.textContent) >= 20, undefined, { timeout: 10_000 });
    const [rate, count] = await page!.evaluate(() => [
      Number(document.getElementById('rate')?.textContent),
      Number(document.getElementById('count')?.textContent),
    ]);
    expect(rate).toBeGreaterThanOrEqual(20);
    expect(rate).toBeLessThanOrEqual(80);
    expect(count).toBeGreaterThan(rate);
    expect(await text('opens')).toBe('1');
  }, 60_000);

  it('Reset calls /reset, shows the reply and the reset event', async () => {
    expect(await text('reset-event')).toBe('–');
    await page!.getByTestId('reset').click();
    await page!.waitForFunction(() => document.getElementById('reset-reply')?.textContent === '200 OK', undefined, { timeout: 10_000 });
    await page!.waitForFunction(() => document.getElementById('reset-event')?.textContent?.startsWith('at '), undefined, { timeout: 10_000 });
    expect(await text('reset-event')).toMatch(/^at \d+:\d\d:\d\d\.\d\d\d$/);
    await page!.screenshot({ path: screenshotPath });
  }, 30_000);

  it('shows the board going away, then reconnects by itself when it is back on the same port', async () => {
    const port = first.httpPort;
    await first.close();
    await stateIs('reconnecting', 10_000);
    expect(await text('status')).toBe('disconnected — reconnecting');
    await page!.screenshot({ path: disconnectedScreenshotPath });
    // Nothing arrives any more: this is the id the browser will send as Last-Event-ID.
    const lastId = Number(await text('last-id'));
    expect(lastId).toBeGreaterThan(0);

    serialText = '';
    const second = await boot(port);
    expect(second.httpPort).toBe(port);
    // The browser waits the `retry: 10000` the board sent with hello! before it tries again.
    await stateIs('live', 30_000);
    expect(await text('opens')).toBe('2');
    const t1 = Number(await text('time'));
    await page!.waitForFunction((t) => Number(document.getElementById('time')?.textContent) !== t, t1, { timeout: 10_000 });
    // The browser sent Last-Event-ID, and the new board printed its reconnect line for it.
    expect(serialText).toContain(reconnectLine(lastId));
  }, 60_000);
});
