/**
 * The layer rule of docs/architecture.md §2, as .dependency-cruiser.cjs states it, holds for
 * host/src; and the checker does fail on a wrong import: run on a small tree with one of each
 * kind, it reports exactly those. Then what depcruise cannot see: every name cli/ imports from a
 * layer is one that layer's index.ts exports (cli/ may import it from the module that defines
 * it, so that `--help` loads little, but only what the library publishes).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const config = join(root, '.dependency-cruiser.cjs');
const depcruiseBin = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

/** One broken rule: the rule's name, the importing module and the imported one. */
interface Violation {
  readonly rule: string;
  readonly from: string;
  readonly to: string;
}

/** Runs dependency-cruiser with the project's rules over `host/src` of the tree at `cwd`. */
async function cruise(cwd: string): Promise<Violation[]> {
  const args = [depcruiseBin, '--config', config, '--output-type', 'json', 'host/src'];
  // depcruise exits with the number of errors; its JSON report is on stdout either way.
  const stdout = await promisify(execFile)(process.execPath, args, { cwd, maxBuffer: 64 << 20 })
    .then((r) => r.stdout, (e: { stdout?: string; stderr?: string }) => {
      if (!e.stdout) throw new Error(`depcruise failed: ${e.stderr ?? String(e)}`);
      return e.stdout;
    });
  const report = JSON.parse(stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
  return report.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

const show = (vs: readonly Violation[]): string => vs.map((v) => `${v.rule}: ${v.from} → ${v.to}`).join('\n');

/**
 * The names the non-test modules of `<tree>/host/src/cli` import from another layer's module
 * that the layer's index.ts does not export (also a whole-module import of such a module), as
 * `cli/file.ts: name from layer/module.ts`.
 */
function unpublishedNames(tree: string): string[] {
  const src = join(tree, 'host/src');
  const cliDir = join(src, 'cli');
  const cliFiles = readdirSync(cliDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => join(cliDir, f));
  const indexes = readdirSync(src, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(src, d.name, 'index.ts')).filter((f) => ts.sys.fileExists(f));
  const config = ts.getParsedCommandLineOfConfigFile(join(tree, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  const program = ts.createProgram([...cliFiles, ...indexes], { ...config?.options, noEmit: true });
  const checker = program.getTypeChecker();
  const original = (s: ts.Symbol): ts.Symbol => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const published = new Map<string, Set<ts.Symbol>>();
  const publishedBy = (layer: string): Set<ts.Symbol> => {
    let names = published.get(layer);
    if (!names) {
      const index = program.getSourceFile(join(src, layer, 'index.ts'));
      const module = index && checker.getSymbolAtLocation(index);
      names = new Set(module ? checker.getExportsOfModule(module).map(original) : []);
      published.set(layer, names);
    }
    return names;
  };
  const found: string[] = [];
  for (const file of cliFiles) {
    const from = relative(src, file);
    for (const st of program.getSourceFile(file)!.statements) {
      if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
      const target = relative(src, resolve(cliDir, st.moduleSpecifier.text)).replace(/\.js$/, '.ts');
      const [layer, ...rest] = target.split('/');
      if (!layer || layer === 'cli' || layer.startsWith('.') || rest.length === 0 || rest.join('/') === 'index.ts') continue;
      const bindings = st.importClause?.namedBindings;
      if (st.importClause?.name || (bindings && ts.isNamespaceImport(bindings))) {
        found.push(`${from}: the whole of ${target}`);
        continue;
      }
      if (!bindings || !ts.isNamedImports(bindings)) continue;
      for (const el of bindings.elements) {
        const symbol = checker.getSymbolAtLocation(el.name);
        if (!symbol || !publishedBy(layer).has(original(symbol))) found.push(`${from}: ${(el.propertyName ?? el.name).text} from ${target}`);
      }
    }
  }
  return found;
}

describe('the layer rule', () => {
  it('holds for host/src', async () => {
    const violations = await cruise(root);
    expect(show(violations), 'run `npm run lint:layers` for the details').toBe('');
  }, 120_000);

  it('cli/ imports from a layer only names its index.ts exports', () => {
    expect(unpublishedNames(root).join('\n'), "export them from the layer's index.ts, or use what it exports").toBe('');
  }, 120_000);

  describe('a tree with wrong imports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'esp-sse-layers-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /** Each file of the tree, and what it does wrong (or `ok`). */
    const tree: Record<string, string> = {
      'package.json': JSON.stringify({ name: 'layers-fixture', type: 'module', dependencies: { serialport: '1', pako: '1' } }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
      'node_modules/serialport/package.json': JSON.stringify({ name: 'serialport', main: 'index.js' }),
      'node_modules/serialport/index.js': 'export const SerialPort = 1;\n',
      'node_modules/pako/package.json': JSON.stringify({ name: 'pako', main: 'index.js' }),
      'node_modules/pako/index.js': 'export const inflate = 1;\n',
      'host/src/errors.ts': "import { t } from './transport/index.js';\nexport const e = t;\n",
      'host/src/safe-text.ts': 'export const s = 1;\n',
      // ok: a pure module with pure Node modules, a pure codec package and a root module
      'host/src/formats/ok.ts': "import { createHash } from 'node:crypto';\nimport { inflate } from 'pako';\nimport { s } from '../safe-text.js';\nexport const ok = [createHash, inflate, s];\n",
      'host/src/formats/reads-files.ts': "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
      'host/src/formats/opens-ports.ts': "import { SerialPort } from 'serialport';\nexport const p = SerialPort;\n",
      'host/src/protocol/up.ts': "import { t } from '../transport/t.js';\nexport const u = t;\n",
      'host/src/transport/t.ts': 'export const t = 1;\nexport const hidden = 2;\n',
      'host/src/transport/index.ts': "export { t } from './t.js';\n",
      'host/src/settings/sideways.ts': "import type { T } from '../transport/types.js';\nexport type S = T;\n",
      'host/src/transport/types.ts': 'export type T = number;\n',
      'host/src/emulator/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'host/src/emulator/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
      'host/src/emulator/uses-helper.ts': "import { fake } from './testing.js';\nexport const h = fake;\n",
      'host/src/emulator/testing.ts': "import { t } from '../transport/t.js';\nexport const fake = t;\n",
      'host/src/emulator/uses-helper.test.ts': "import { fake } from './testing.js';\nimport { t } from '../transport/t.js';\nexport const x = [fake, t];\n",
      'host/src/cli/deep.ts': "import type { T } from '../transport/types.js';\nexport type D = T;\n",
      'host/src/cli/hidden.ts': "import { hidden } from '../transport/t.js';\nexport const h = hidden;\n",
      // ok: a name the index exports, from the module that defines it
      'host/src/cli/leaf.ts': "import { t } from '../transport/t.js';\nexport const l = t;\n",
      // ok: through the layer's index, and a type-only cycle between a command and its lazily loaded run
      'host/src/cli/ok.ts': "import { t } from '../transport/index.js';\nexport const o = t;\n",
      'host/src/cli/x.ts': "import type { R } from './x-run.js';\nexport type Flags = { r?: R };\nexport const run = () => import('./x-run.js');\n",
      'host/src/cli/x-run.ts': "import type { Flags } from './x.js';\nexport type R = number;\nexport const go = (f: Flags) => f;\n",
    };
    for (const [path, text] of Object.entries(tree)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }

    it('reports each wrong import, and nothing else', async () => {
      const found = await cruise(dir);
      const expected: Violation[] = [
        { rule: 'root-modules-below-layers', from: 'host/src/errors.ts', to: 'host/src/transport/index.ts' },
        { rule: 'pure-no-io-node', from: 'host/src/formats/reads-files.ts', to: 'fs' },
        { rule: 'pure-no-io-npm', from: 'host/src/formats/opens-ports.ts', to: 'node_modules/serialport/index.js' },
        { rule: 'layer-protocol', from: 'host/src/protocol/up.ts', to: 'host/src/transport/t.ts' },
        { rule: 'layer-settings', from: 'host/src/settings/sideways.ts', to: 'host/src/transport/types.ts' },
        { rule: 'no-circular', from: 'host/src/emulator/a.ts', to: 'host/src/emulator/b.ts' }, // one report per cycle
        { rule: 'test-helpers-in-tests-only', from: 'host/src/emulator/uses-helper.ts', to: 'host/src/emulator/testing.ts' },
        { rule: 'cli-through-index', from: 'host/src/cli/deep.ts', to: 'host/src/transport/types.ts' },
      ];
      const key = (v: Violation): string => `${v.rule} ${v.from} ${v.to}`;
      expect(show([...found].sort((p, q) => key(p).localeCompare(key(q))))).toBe(
        show([...expected].sort((p, q) => key(p).localeCompare(key(q)))),
      );
    }, 120_000);

    it('reports each name cli/ imports that the index does not export', () => {
      expect(unpublishedNames(dir)).toEqual(['cli/deep.ts: T from transport/types.ts', 'cli/hidden.ts: hidden from transport/t.ts']);
    }, 120_000);
  });
});
