/**
 * The layer rule of docs/architecture.md §2, checked by dependency-cruiser (`npm run lint:layers`,
 * and host/test/layers.test.ts inside `npm test`).
 *
 * Layers are the folders of host/src, in rows; a module may import its own layer, the root
 * modules (errors.ts, warn-limit.ts, safe-text.ts) and the layers of the rows below its own:
 *
 *   contract protocol formats errors  <  settings transport  <  flasher monitor discovery emulator  <  hil  <  cli
 *
 * cli/ uses a layer only through its public surface: the layer's index.ts and the modules that
 * index.ts re-exports. A command's options module imports such a module directly rather than the
 * index so that `--help` does not load the whole layer (issue 13, host/test/cli-lazy-load.test.ts);
 * host/test/layers.test.ts checks that every name cli/ imports that way is one the index exports.
 *
 * Test code (`*.test.ts`, host/test/, and the helpers in `testing.ts` / `testing/`) may import
 * anything; non-test code may not import it.
 */

const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

/** The rows of docs/architecture.md §2, bottom first. */
const rows = [
  ['contract', 'protocol', 'formats', 'errors'],
  ['settings', 'transport'],
  ['flasher', 'monitor', 'discovery', 'emulator'],
  ['hil'],
  ['cli'],
];
const pureLayers = rows[0];

/**
 * Node modules the pure layers may use: computation over bytes and strings, no I/O, no timers.
 * Everything else built in (fs, net, dgram, child_process, os, http, tls, timers, …) is I/O.
 */
const pureNodeModules = ['buffer', 'crypto', 'zlib', 'path', 'util', 'string_decoder'];
/** npm packages the pure layers may use: codecs with no I/O. */
const pureNpmPackages = ['pako', 'dns-packet'];

/** Test code: unit tests, the end-to-end tests and the helpers only tests import. */
const testCode = '(\\.test\\.ts$|^host/test/|(^|/)testing(\\.ts$|/))';
const testHelper = '(^|/)testing(\\.ts$|/)';

/**
 * The public modules of every layer of the tree depcruise runs in: `host/src/<layer>/index.ts`
 * and each module it re-exports (`export … from './m.js'`), as paths from the tree's root.
 */
function publicModules() {
  const src = join(process.cwd(), 'host/src');
  if (!existsSync(src)) return [];
  return readdirSync(src, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'cli' && existsSync(join(src, d.name, 'index.ts')))
    .flatMap((d) => {
      const index = readFileSync(join(src, d.name, 'index.ts'), 'utf8');
      const reexported = [...index.matchAll(/^export\b[^;]*?\bfrom\s+'\.\/([^']+)\.js'/gms)].map((m) => `host/src/${d.name}/${m[1]}.ts`);
      return [`host/src/${d.name}/index.ts`, ...reexported];
    });
}
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const layerRules = rows.flatMap((row, i) =>
  row.map((layer) => {
    const higher = rows
      .slice(i)
      .flat()
      .filter((other) => other !== layer);
    return {
      name: `layer-${layer}`,
      comment: `${layer}/ imports only its own folder, the root modules and the rows below it (docs/architecture.md §2)`,
      severity: 'error',
      from: { path: `^host/src/${layer}/`, pathNot: testCode },
      to: { path: `^host/src/(${higher.join('|')})/|^host/src/index\\.ts$` },
    };
  }),
);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'Imports form no cycle at run time. A type import is erased by the compiler and breaks a ' +
        "cycle: a command's options file and its lazily imported `-run.ts` share the flags type that way.",
      severity: 'error',
      from: { path: '^host/src/', pathNot: testCode },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    ...layerRules,
    {
      name: 'pure-no-io-node',
      comment: `The pure layers (${pureLayers.join(', ')}) use no Node module that does I/O.`,
      severity: 'error',
      from: { path: `^host/src/(${pureLayers.join('|')})/`, pathNot: testCode },
      to: { dependencyTypes: ['core'], pathNot: `^(node:)?(${pureNodeModules.join('|')})$` },
    },
    {
      name: 'pure-no-io-npm',
      comment: `The pure layers use no npm package but the codecs ${pureNpmPackages.join(', ')}.`,
      severity: 'error',
      from: { path: `^host/src/(${pureLayers.join('|')})/`, pathNot: testCode },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: `node_modules/(${pureNpmPackages.join('|')})/` },
    },
    {
      name: 'root-modules-below-layers',
      comment: 'errors.ts, warn-limit.ts and safe-text.ts are used by every layer and import none.',
      severity: 'error',
      from: { path: '^host/src/(errors|warn-limit|safe-text)\\.ts$' },
      to: { path: '^host/src/([^/]+/|index\\.ts$)' },
    },
    {
      name: 'cli-through-index',
      comment: "cli/ uses another layer only through its public surface: its index.ts and the modules that re-exports.",
      severity: 'error',
      from: { path: '^host/src/cli/', pathNot: testCode },
      to: { path: '^host/src/(?!cli/)[^/]+/', pathNot: `^(${publicModules().map(escape).join('|')})$` },
    },
    {
      name: 'test-helpers-in-tests-only',
      comment: 'Test helpers (testing.ts, testing/) and tests are imported by tests only.',
      severity: 'error',
      from: { path: '^host/src/', pathNot: testCode },
      to: { path: `${testHelper}|\\.test\\.ts$|^host/test/` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules stays in: its packages are the `to` of the pure-no-io-npm rule.
    exclude: { path: '^dist/' },
    // Type-only imports count too: a layer that needs another's types depends on it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
