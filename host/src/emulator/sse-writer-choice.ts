/**
 * Which program the SSE writers run (`--sse-writers N`): the C++ writer, built with the host's
 * compiler and cached (`auto` when a compiler is found, or `native`), or the Node writer
 * (`node`, and `auto` without a compiler or when the C++ writer does not build). Both take the
 * same messages and apply the same queue rule; the C++ one spends less CPU per client and event
 * (docs/sse-writers.md).
 */
import { join } from 'node:path';
import { UserError, type WarnFn } from '../errors.js';
import type { SseWriterProgram } from './http/sse-writer-pool.js';
import { findCompiler } from './native/compiler.js';
import { buildSseWriter, type SseWriterBuild } from './native/sse-writer-build.js';

export const sseWriterKinds = ['auto', 'native', 'node'] as const;
export type SseWriterKind = (typeof sseWriterKinds)[number];

/** `value` as a writer kind; `emulate.bad-choice` naming `option` (`--sse-writer`, `sseWriter`) otherwise. */
export function checkSseWriterKind(value: string, option: string): SseWriterKind {
  if (!(sseWriterKinds as readonly string[]).includes(value)) {
    throw new UserError('emulate.bad-choice', `${option} "${value}" is not one of ${sseWriterKinds.join(', ')}`,
      'auto: the C++ writer when a C++ compiler is found, else Node; native: the C++ writer or an error; node: the Node writer');
  }
  return value as SseWriterKind;
}

export interface SseWriterChoice {
  readonly kind: SseWriterKind;
  /** The project folder: the compiler lookup remembers compilers in its `.pio/esp-sse-emulator`. */
  readonly projectDir: string;
  readonly warn: WarnFn;
  readonly onStatus?: (line: string) => void;
  readonly environment?: NodeJS.ProcessEnv;
  /** Default `process.platform`; the C++ writer is for Linux (epoll). */
  readonly platform?: NodeJS.Platform;
}

/** Builds (or finds in the cache) the writer program `kind` asks for. Throws for `native` that cannot be had. */
export async function prepareSseWriter(o: SseWriterChoice): Promise<SseWriterProgram> {
  if (o.kind === 'node') return { kind: 'node' };
  const platform = o.platform ?? process.platform;
  if (platform !== 'linux') {
    if (o.kind === 'native') {
      throw new UserError('emulate.sse-writer-build', `the C++ SSE writer runs on Linux only (it uses epoll); this is ${platform}`,
        'use the Node writers with --sse-writer node (or leave --sse-writer out)');
    }
    return { kind: 'node' };
  }
  const environment = o.environment ?? process.env;
  const compiler = await findCompiler({ environment, cacheDir: join(o.projectDir, '.pio', 'esp-sse-emulator') });
  if (!compiler) {
    if (o.kind === 'native') {
      throw new UserError('emulate.no-compiler', 'no C++ compiler found to build the C++ SSE writer (g++, c++ or clang++, or $CXX)',
        'install one (Debian: apt-get install g++), or use the Node writers with --sse-writer node');
    }
    return { kind: 'node' };
  }
  // A cache folder that cannot be written is a failed build too: auto still has the Node writer.
  const built = await buildSseWriter({ compiler, environment, ...(o.onStatus ? { onStatus: o.onStatus } : {}) })
    .catch((e: unknown): SseWriterBuild => ({ ok: false, output: (e as Error).message }));
  if (built.ok) return { kind: 'native', executable: built.executable };
  const output = built.output.split('\n').slice(0, 20).join('\n');
  if (o.kind === 'native') {
    throw new UserError('emulate.sse-writer-build', `the C++ SSE writer did not build:\n${output}`,
      'use the Node writers with --sse-writer node, and report the compiler output above');
  }
  o.warn('emulate.sse-writer-build', `the C++ SSE writer did not build, so the SSE writers run in Node:\n${output}`,
    '--sse-writer node silences this; please report the compiler output');
  return { kind: 'node' };
}
