/**
 * A user's PlatformIO project for the tests of the compiled-sketch emulator: a copy of the
 * shipped firmware (platformio.ini, the sketch, its data folder) in a temp folder, with edits
 * to the sketch applied as a user would make them.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, sketchPath } from './firmware-helpers.js';

/** Replace `from` (which must occur in the sketch exactly once) with `to`. */
export interface SketchEdit {
  readonly from: string;
  readonly to: string;
}

export interface SketchProject {
  readonly dir: string;
  readonly sketch: string;
  /** Rewrites the sketch with these edits applied to the shipped one. */
  edit(edits: readonly SketchEdit[]): void;
  remove(): void;
}

/** Inserts `code` into the shipped sketch right before `server.begin();`. */
export const beforeBegin = (code: string): SketchEdit => ({ from: '  server.begin();\n', to: `${code}\n  server.begin();\n` });

/** Inserts `code` at file scope, right before `static void initServer()`. */
export const atFileScope = (code: string): SketchEdit => ({ from: 'static void initServer() {', to: `${code}\n\nstatic void initServer() {` });

export function applyEdits(source: string, edits: readonly SketchEdit[]): string {
  let out = source;
  for (const e of edits) {
    const n = out.split(e.from).length - 1;
    if (n !== 1) throw new Error(`edit target must occur once in the sketch, found ${n}: ${JSON.stringify(e.from)}`);
    out = out.replace(e.from, () => e.to);
  }
  return out;
}

/**
 * A project with the shipped sketch (edited) in `src/`, `data/` from `dataDir` (default the
 * firmware's) and the shipped platformio.ini with its folders pointed there.
 */
export function makeSketchProject(o: { edits?: readonly SketchEdit[]; dataDir?: string; extraFiles?: Record<string, string> } = {}): SketchProject {
  const dir = mkdtempSync(join(tmpdir(), 'esp-sse-project-'));
  const ini = readFileSync(join(repoRoot, 'platformio.ini'), 'utf8').replace('src_dir = firmware/src', 'src_dir = src').replace('data_dir = firmware/data', 'data_dir = data');
  writeFileSync(join(dir, 'platformio.ini'), ini);
  mkdirSync(join(dir, 'src'));
  cpSync(o.dataDir ?? join(repoRoot, 'firmware', 'data'), join(dir, 'data'), { recursive: true });
  for (const [name, text] of Object.entries(o.extraFiles ?? {})) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const shipped = readFileSync(sketchPath, 'utf8');
  const sketch = join(dir, 'src', 'main.cpp');
  const project: SketchProject = {
    dir,
    sketch,
    edit(edits) {
      writeFileSync(sketch, applyEdits(shipped, edits));
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  project.edit(o.edits ?? []);
  return project;
}
