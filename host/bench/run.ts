/**
 * Runs every benchmark in this folder, one after another, each in its own Node process so one
 * bench's heap and timers cannot colour the next one's figures. A bench is any sibling `*.ts`
 * file (helpers named `lib-*`, `*-worker.ts`, `*-client.ts` are not benches); `npm run bench -- fanout` runs only the benches whose file name contains `fanout`.
 *
 * Benchmarks print their own figures and their own baseline comparison; this runner only
 * reports which ones failed to run.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== basename(fileURLToPath(import.meta.url)) && !f.endsWith('.d.ts'))
  .filter((f) => !/^(lib|util|shared)[-.]/.test(f) && !/-(worker|client|lib)\.ts$/.test(f))
  .filter((f) => filters.length === 0 || filters.some((q) => f.includes(q)))
  .sort();

if (benches.length === 0) {
  process.stderr.write(`no benchmark matches ${filters.join(' ') || '(none in host/bench)'}\n`);
  process.exit(2);
}

const failed: string[] = [];
for (const file of benches) {
  process.stdout.write(`\n=== ${file} ===\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], { stdio: 'inherit' });
  if (r.status !== 0) failed.push(`${file} (exit ${r.status ?? r.signal})`);
}
if (failed.length > 0) {
  process.stderr.write(`\nbenchmarks that did not complete: ${failed.join(', ')}\n`);
  process.exit(1);
}
