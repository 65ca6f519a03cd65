/**
 * The published package holds no test code: no `*.test.*` and none of the helpers only tests
 * import (`testing.ts`, `testing/`), neither in what the build compiles (tsconfig.build.json)
 * nor in what `npm pack` would ship from dist/ (package.json "files").
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const testCode = /(^|\/)testing(\.|\/)|\.test\./;

describe('the published package', () => {
  it('compiles no test code into dist/', async () => {
    const tsc = resolve(root, 'node_modules/typescript/bin/tsc');
    const { stdout } = await run(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--listFilesOnly'], { cwd: root, maxBuffer: 64 << 20 });
    const ours = stdout.split('\n').map((f) => f.trim()).filter((f) => f.startsWith(`${root}/host/src/`)).map((f) => f.slice(root.length + 1));
    expect(ours).toContain('host/src/index.ts');
    expect(ours.filter((f) => testCode.test(f))).toEqual([]);
  }, 120_000);

  it('ships no test code', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, maxBuffer: 64 << 20 });
    const files = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files).toContain('dist/index.js');
    expect(files.filter((f) => testCode.test(f))).toEqual([]);
  }, 120_000);
});
