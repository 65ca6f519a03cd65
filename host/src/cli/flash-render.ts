import cliProgress from 'cli-progress';
import { basename } from 'node:path';
import pc from 'picocolors';
import type { FlashEvent, ImageResult } from '../flasher/events.js';
import type { BoardFlashResult } from '../flasher/jobs.js';
import { formatDiagnostic } from './warn.js';

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/** `1 image`, `2 images`, `1 byte`, `4096 bytes`. */
export const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/**
 * The link's rate as the report prints it: `1958.2 kbit/s on the wire`, over the bytes that
 * crossed the wire (deflated when compressed), not the image size: esptool's "effective" rate
 * of a mostly empty image (it deflates to almost nothing) reads as many times the baud rate.
 */
export function wireRate(wireBytes: number, ms: number): string {
  return ms > 0 ? `${((wireBytes * 8) / ms).toFixed(1)} kbit/s on the wire` : 'no time measured';
}

/**
 * `port: ok, 4 images (2 written, 2 skipped), 1310720 bytes (301234 on the wire) in 1.31 s
 * (1839.6 kbit/s on the wire) at 921600 baud, ESP32-D0WD-V3 (revision 3)`; with nothing written,
 * `port: ok, 1 image (0 written, 1 skipped) at 921600 baud, …`.
 */
export function flashSummary(port: string, r: BoardFlashResult): string {
  const written = r.images.filter((i) => i.status === 'written');
  const bytes = written.reduce((n, i) => n + i.size, 0);
  const wire = written.reduce((n, i) => n + i.wireBytes, 0);
  const ms = written.reduce((n, i) => n + i.ms, 0);
  const moved = written.length > 0 ? `, ${plural(bytes, 'byte')} (${wire} on the wire) in ${(ms / 1000).toFixed(2)} s (${wireRate(wire, ms)})` : '';
  return `${port}: ${pc.green('ok')}, ${plural(r.images.length, 'image')} (${written.length} written, ${r.images.length - written.length} skipped)${moved}`
    + ` at ${r.baud} baud, ${r.chip.description}`;
}

/** `app.bin: wrote 1048576 bytes (301234 compressed) at 0x00010000 in 1.23 s (1958.2 kbit/s on the wire), hash verified` */
export function imageLine(r: ImageResult): string {
  if (r.status === 'skipped') return `${r.name}: ${hex(r.address)} already holds these ${plural(r.size, 'byte')} (MD5 matches), skipped`;
  const wire = r.compressed ? `${r.wireBytes} compressed` : `${r.wireBytes} on the wire, uncompressed`;
  return `${r.name}: wrote ${plural(r.size, 'byte')} (${wire}) at ${hex(r.address)} in ${(r.ms / 1000).toFixed(2)} s `
    + `(${wireRate(r.wireBytes, r.ms)}), hash verified`;
}

function describe(e: FlashEvent): string | undefined {
  switch (e.type) {
    case 'connecting': return `connecting to ${e.port}...`;
    case 'connected': return `${e.chip.description}, MAC ${e.chip.mac}, flash ${e.chip.flashSize ?? '?'}${e.chip.stub ? ', stub running' : ''}`;
    case 'baud-changed': return `link at ${e.baud} baud`;
    case 'baud-fallback': return pc.yellow(`link failed at ${e.from} baud (${e.reason}); retrying at ${e.to}`);
    case 'erase': return e.address === undefined ? 'erasing the whole chip (this may take a while)...' : `erasing ${plural(e.size ?? 0, 'byte')} at ${hex(e.address)}...`;
    case 'image-done': return imageLine(e.result);
    case 'reset':
      if (e.by === 'monitor') return 'port handed back to the monitor, which resets the board (EN pulse)';
      return e.mode === 'hard_reset' ? 'hard reset via RTS (EN pulse)' : `left in the loader (${e.mode})`;
    case 'port-borrowed': return `port taken over from ${e.lender}, which gets it back when this is done`;
    case 'warning': return formatDiagnostic('warning', e).trimEnd();
    case 'log': return pc.dim(e.message);
    default: return undefined;
  }
}

export interface Renderer {
  onEvent(e: FlashEvent): void;
  /** Stops bars; call in `finally`. */
  stop(): void;
}

/**
 * Draws on stderr: one progress bar per board on a terminal (reused for each image), or
 * plain `port: line` messages otherwise (a line at each 25 % step). `quiet` prints nothing
 * (used with `--json`, where stdout carries the result).
 */
export function createRenderer(opts: { tty: boolean; quiet: boolean; verbose: boolean }): Renderer {
  if (opts.quiet) return { onEvent: () => {}, stop: () => {} };
  const out = (port: string, s: string) => process.stderr.write(`${pc.bold(port)}: ${s}\n`);
  if (!opts.tty) {
    const step = new Map<string, number>();
    return {
      onEvent(e) {
        if (e.type === 'log' && !opts.verbose) return;
        if (e.type === 'image-start') {
          step.set(e.port, 0);
          out(e.port, `writing ${e.name} (${plural(e.size, 'byte')}) at ${hex(e.address)}...`);
        } else if (e.type === 'image-progress' && e.total > 0) {
          const pct = Math.floor((100 * e.written) / e.total / 25) * 25;
          if (pct > (step.get(e.port) ?? 0) && pct < 100) {
            step.set(e.port, pct);
            out(e.port, `  ${pct} %`);
          }
        } else {
          const line = describe(e);
          if (line) out(e.port, line);
        }
      },
      stop() {},
    };
  }
  const multi = new cliProgress.MultiBar(
    { format: '{port} {name} [{bar}] {percentage}% {value}/{total} B', stream: process.stderr, clearOnComplete: false, hideCursor: true, barsize: 30 },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  let stopped = false;
  return {
    onEvent(e) {
      if (e.type === 'log' && !opts.verbose) return;
      if (e.type === 'image-start') {
        bars.get(e.port)?.stop();
        bars.set(e.port, multi.create(Math.max(1, e.size), 0, { port: e.port, name: basename(e.name) }));
      } else if (e.type === 'image-progress') {
        const bar = bars.get(e.port);
        bar?.setTotal(Math.max(1, e.total));
        bar?.update(e.written);
      } else {
        const line = describe(e);
        if (line) multi.log(`${pc.bold(e.port)}: ${line}\n`);
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      multi.stop();
    },
  };
}
