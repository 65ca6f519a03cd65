/**
 * esp-sse as a library, the way a user's script gets it: the package's entry (`main` and
 * `types` in package.json, i.e. the compiled `dist/index.js` and `dist/index.d.ts`, built by
 * `npm test`). Each layer's namespace is used for real work: a SPIFFS image and a partition
 * table round trip, an SSE event encoded and parsed, and an emulator started, checked by the
 * conformance suite, opened as a serial port and read by the flasher, all through this entry.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { main: string; types: string };
const entry = resolve(root, pkg.main);
if (!existsSync(entry)) throw new Error(`${pkg.main} is missing: run \`npm run build\` (npm test does) before this test`);
const lib = (await import(entry)) as typeof import('../src/index.js');

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('the package entry', () => {
  it('formats: a SPIFFS image built from files reads back the same files; a partition table survives binary and CSV', () => {
    const page = new TextEncoder().encode('<!doctype html><p>hi</p>');
    const image = lib.buildSpiffs([{ name: '/index.html', data: page }], 0x20000);
    expect(image.length).toBe(0x20000);
    const volume = lib.readSpiffs(image);
    expect(volume.files.map((f) => [f.name, new TextDecoder().decode(f.data)])).toEqual([['/index.html', '<!doctype html><p>hi</p>']]);
    expect(lib.formats.readSpiffs).toBe(lib.readSpiffs);

    const table = lib.formats.parsePartitionCsv(lib.formats.builtinTable('default')!);
    const decoded = lib.formats.decodePartitionTable(lib.formats.encodePartitionTable(table));
    expect(decoded.entries).toEqual(table);
    expect(lib.formats.parsePartitionCsv(lib.formats.formatPartitionCsv(table))).toEqual(table);
    expect(lib.formats.findFilesystemPartition(table)?.label).toBe('spiffs');
  });

  it('protocol: an event encoded as the board sends it parses back as a browser sees it', () => {
    const bytes = lib.protocol.encodeSseEvent('fork', { message: '{"time":"42"}', event: 'time_reading', id: 42 });
    const seen = new lib.protocol.SseParser().push(bytes).map((m) => ({ event: m.event, data: m.data, id: m.lastEventId }));
    expect(seen).toEqual([{ event: 'time_reading', data: '{"time":"42"}', id: '42' }]);
  });

  it('emulator, hil, transport and flasher: a virtual board passes the conformance checks and answers the flasher', async () => {
    const emu = await lib.startEmulator({ httpPort: 0, mdns: false, uart: { rfc2217Port: 0, wireTiming: false } });
    cleanup.push(() => emu.close());
    const results = await lib.runConformance({ baseUrl: emu.url, only: ['http.root', 'sse.hello-first'], windowMs: 500 });
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['http.connect', 'passed'],
      ['http.root', 'passed'],
      ['sse.hello-first', 'passed'],
    ]);

    const report = await lib.runHil({ url: emu.url, name: 'emulator', only: ['http.root'], windowMs: 500 });
    expect(report.target).toEqual({ url: emu.url, name: 'emulator' });
    expect(report.results.map((r) => [r.id, r.status])).toEqual([['http.connect', 'passed'], ['http.root', 'passed']]);
    expect(lib.hil.runHil).toBe(lib.runHil);

    const port = emu.uart!.portNames.find((n) => n.startsWith('rfc2217://'))!;
    const [board] = await lib.flasher.infoBoards({ ports: [port], baud: 115200, before: 'default_reset', after: 'hard_reset', link: await lib.flasher.defaultLinkFactory() });
    expect(board!.ok).toBe(true);
    if (!board!.ok) return;
    expect(board!.result.chip).toBe('ESP32');
    expect(board!.result.flashSize).toBe('4MB');
  }, 60_000);

  it('a typed error from any layer is a UserError with a code and a hint', () => {
    let caught: unknown;
    try {
      lib.createTransport('rfc2217://');
    } catch (e) {
      caught = e;
    }
    expect(lib.isUserError(caught)).toBe(true);
    expect((caught as InstanceType<typeof lib.UserError>).code).toMatch(/^port\./);
    expect((caught as InstanceType<typeof lib.UserError>).hint).toBeTruthy();
  });

  it('types: a TypeScript consumer of the entry compiles against dist/index.d.ts, and a wrong call does not', () => {
    const check = (source: string) => {
      const file = resolve(root, 'host/test/.library-consumer.ts');
      const host = ts.createCompilerHost({});
      const read = host.readFile.bind(host);
      host.readFile = (f) => (resolve(f) === file ? source : read(f));
      const exists = host.fileExists.bind(host);
      host.fileExists = (f) => resolve(f) === file || exists(f);
      const options: ts.CompilerOptions = { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, types: ['node'], skipLibCheck: true };
      const program = ts.createProgram([file], options, host);
      return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    };
    const ok = `import { startEmulator, formats, flasher, type RunningEmulator } from '${resolve(root, pkg.main)}';
      const image: Uint8Array = formats.buildSpiffs([{ name: '/a', data: new Uint8Array(1) }], 0x10000);
      const emu: Promise<RunningEmulator> = startEmulator({ httpPort: 0 });
      const code: number = flasher.exitCodes.ok;
      export { image, emu, code };`;
    expect(check(ok)).toEqual([]);
    const wrong = `import { startEmulator } from '${resolve(root, pkg.main)}';\nstartEmulator({ httpPort: 'eighty' });\n`;
    expect(check(wrong).join('\n')).toMatch(/'string' is not assignable to type 'number'/);
  }, 60_000);
});
