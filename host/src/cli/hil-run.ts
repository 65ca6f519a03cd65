/**
 * `esp-sse hil`, run: checks the target options, starts or finds the board, opens its serial
 * port when there is one, runs the suite and writes the reports (the options are hil.ts's).
 */
import pc from 'picocolors';
import { serial as serialContract } from '../contract/board.js';
import { UserError } from '../errors.js';
import type { EmulatorTarget } from '../hil/emulator-target.js';
import { expectedProfiles, isExpectedProfile, type ExpectedProfile } from '../hil/expected-wire.js';
import type { HilReport } from '../hil/report-model.js';
import { safeText } from '../safe-text.js';
import type { ByteTransport } from '../transport/types.js';
import { parseDuration } from './duration.js';
import type { HilFlags } from './hil.js';
import { printWarning } from './warn.js';

const ms = (flag: string, text: string): number => parseDuration(text, flag, 'hil.bad-duration');

function checkUrl(text: string): string {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new UserError('hil.bad-url', `--url "${text}" is not a URL`, 'give the board\'s base URL, e.g. --url http://192.168.1.50/');
  }
  if (u.protocol !== 'http:') throw new UserError('hil.bad-url', `--url must be http://, got ${u.protocol}//`, 'the board serves plain HTTP: --url http://<address>/');
  return u.href;
}

/** Exactly one of --url, --discover, --emulator, and only the options that go with it. */
function checkTarget(o: HilFlags): 'url' | 'discover' | 'emulator' {
  const chosen = (['url', 'discover', 'emulator'] as const).filter((k) => o[k] !== undefined && o[k] !== false);
  if (chosen.length === 0) throw new UserError('hil.no-target', 'no board to test', 'name one: --url http://<board>/, --discover (mDNS), or --emulator');
  if (chosen.length > 1) throw new UserError('hil.many-targets', `--${chosen.join(' and --')} name different targets`, 'use exactly one of --url, --discover, --emulator');
  const target = chosen[0]!;
  if ((o.name !== undefined || o.interface !== undefined) && target !== 'discover') {
    throw new UserError('hil.discover-only', '--name and --interface select a board found by --discover', 'add --discover, or drop them');
  }
  if (o.port !== undefined && target === 'emulator') {
    throw new UserError('hil.emulator-port', '--emulator brings its own serial port (RFC 2217); --port is not used with it', 'drop --port, or test a board with --url/--discover and --port');
  }
  return target;
}

async function discoverTarget(o: HilFlags): Promise<{ url: string; name: string }> {
  const timeoutMs = ms('--discover-timeout', o.discoverTimeout);
  const { boardUrl, discoverBoards } = await import('../discovery/index.js');
  const boards = await discoverBoards({
    timeoutMs,
    ...(o.name !== undefined ? { name: o.name } : {}),
    ...(o.interface !== undefined ? { interface: o.interface } : {}),
    onWarning: printWarning,
  });
  const board = boards.find((b) => o.name === undefined || b.name.toLowerCase() === o.name.toLowerCase());
  const url = board && boardUrl(board);
  if (!board || !url) {
    throw new UserError(
      'hil.no-board',
      o.name ? `no esp-sse board named "${o.name}" answered over mDNS within ${timeoutMs} ms` : `no esp-sse board answered over mDNS within ${timeoutMs} ms`,
      'check the board is powered and on this network (esp-sse discover lists what answers), raise --discover-timeout, or give --url',
    );
  }
  return { url, name: board.name };
}

/** Opens the port; when it cannot be opened the serial checks are reported as not run, with the reason. */
async function openPort(name: string): Promise<{ transport?: ByteTransport; error?: string }> {
  const { createTransport } = await import('../transport/open-port.js');
  const transport = createTransport(name, { baudRate: serialContract.baud });
  try {
    await transport.open();
    return { transport };
  } catch (e) {
    return { error: `cannot open ${name}: ${(e as Error).message}` };
  }
}

export async function runHilCommand(o: HilFlags): Promise<HilReport> {
  const target = checkTarget(o);
  const profile = o.profile;
  if (!isExpectedProfile(profile)) throw new UserError('hil.unknown-profile', `unknown library profile "${profile}"`, `use one of: ${expectedProfiles.join(', ')}`);
  const common = {
    profile: profile as ExpectedProfile,
    windowMs: ms('--window', o.window),
    timeoutMs: ms('--timeout', o.timeout),
    serialOptions: { bootTimeoutMs: ms('--boot-timeout', o.bootTimeout) },
  };
  let emulator: EmulatorTarget | undefined;
  let transport: ByteTransport | undefined;
  try {
    let url: string;
    let name: string | undefined;
    let portName = o.port;
    if (target === 'emulator') {
      const { startEmulatorTarget } = await import('../hil/emulator-target.js');
      emulator = await startEmulatorTarget({ profile: common.profile, onWarning: printWarning });
      url = emulator.url;
      name = 'emulator';
      portName = emulator.portName;
      process.stderr.write(`emulator on ${url}, serial ${portName}\n`);
    } else if (target === 'discover') {
      ({ url, name } = await discoverTarget(o));
      process.stderr.write(`found ${safeText(name)} at ${url}\n`);
    } else {
      url = checkUrl(o.url!);
    }
    let portError: string | undefined;
    if (portName !== undefined) ({ transport, error: portError } = await openPort(portName));
    const [{ runHil }, { serialChecks }] = await Promise.all([import('../hil/run-hil.js'), import('../hil/serial-checks.js')]);
    const report = await runHil({ ...common, url, ...(name ? { name } : {}), ...(transport ? { serial: transport } : {}) });
    if (portError !== undefined) {
      report.target.port = portName;
      for (const c of serialChecks) report.results.push({ id: c.id, title: c.title, status: 'not-run', message: portError });
    }
    return report;
  } finally {
    await transport?.close().catch(() => undefined);
    await emulator?.close();
  }
}

/** Runs the suite as `o` asks and prints its report; exit code 1 unless every check ran and passed. */
export async function runHilAndReport(o: HilFlags): Promise<void> {
  const report = await runHilCommand(o);
  const [{ writeJunit }, { renderJson }, { renderHuman }, { summarize }] = await Promise.all([
    import('../hil/report-junit.js'), import('../hil/report-json.js'), import('../hil/report-human.js'), import('../hil/report-model.js'),
  ]);
  if (o.junit) await writeJunit(o.junit, report);
  const paint = { pass: pc.green, fail: pc.red, skip: pc.yellow };
  process.stdout.write(o.json ? renderJson(report) : renderHuman(report, paint));
  if (!summarize(report.results).ok) process.exitCode = 1;
}
