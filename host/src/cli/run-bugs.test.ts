/**
 * Unknown errors are bugs: the flasher's error translators turn only the port, link and loader
 * errors they know into user errors, and anything else reaches runCli, which prints its stack
 * and exits 70. The program is a commander program whose action fails as a flasher step would.
 */
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectPhaseError, operationError, translateOpenError } from '../flasher/translate-error.js';
import { runCli } from './run.js';

/** Runs a one-command program whose action throws what `action` throws. */
async function run(action: () => void): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr += String(s); return true; });
  const program = new Command('esp-sse');
  program.command('step').action(async () => action());
  try {
    await runCli(program, ['node', 'esp-sse', 'step']);
    return { code: Number(process.exitCode ?? 0), stderr };
  } finally {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  }
}

/** A flasher step as operations.ts writes them: whatever the work throws goes through operationError. */
function flasherStep(work: () => void): () => void {
  return () => {
    try {
      work();
    } catch (e) {
      throw operationError('/dev/ttyUSB0', e, 'nothing was written');
    }
  };
}

function brokenParser(): never {
  const frame: { header?: { length: number } } = {};
  return (frame.header as { length: number }).length as never;
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('a bug inside a flasher step', () => {
  it('keeps its stack and exits 70, not flash.failed', async () => {
    const r = await run(flasherStep(brokenParser));
    expect(r.code).toBe(70);
    expect(r.stderr).toMatch(/^internal error \(a bug in esp-sse; please report it with this output\):\nTypeError: /);
    expect(r.stderr).toMatch(/\n {4}at brokenParser \(/);
    expect(r.stderr).not.toContain('error[');
  });

  it('prints the causes of a bug too', async () => {
    const r = await run(() => {
      throw new RangeError('offset out of range', { cause: new Error('the inner failure') });
    });
    expect(r.code).toBe(70);
    expect(r.stderr).toContain('RangeError: offset out of range');
    expect(r.stderr).toContain('caused by: Error: the inner failure');
  });

  it('a thrown non-Error is a bug as well', async () => {
    const r = await run(() => {
      throw 'a string';
    });
    expect(r.code).toBe(70);
    expect(r.stderr).toContain('a string');
  });
});

describe('errors the translators know still become their codes', () => {
  it('a protocol timeout is flash.link-error, exit 5', async () => {
    const r = await run(flasherStep(() => {
      throw new Error('Timeout');
    }));
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^error\[flash\.link-error\]: the link to \/dev\/ttyUSB0 failed mid-operation \(Timeout\)/);
    expect(r.stderr).toContain('  hint: ');
  });

  it('an I/O error from the port is flash.failed, exit 5', async () => {
    const r = await run(flasherStep(() => {
      throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO', syscall: 'read' });
    }));
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^error\[flash\.failed\]: operation on \/dev\/ttyUSB0 failed: EIO: i\/o error, read/);
  });

  it('an esptool-js ESPError is the loader\'s: flash.failed, not a bug', () => {
    class ESPError extends Error {}
    class NotAsExpected extends ESPError {}
    expect(operationError('p', new NotAsExpected('unexpected reply'), 'nothing was written').code).toBe('flash.failed');
  });

  it('connectPhaseError and translateOpenError pass a bug through, and translate what they know', () => {
    const bug = new TypeError('cannot read properties of undefined');
    expect(() => connectPhaseError('p', bug)).toThrow(bug);
    expect(() => translateOpenError('p', bug)).toThrow(bug);
    expect(connectPhaseError('p', new Error('Timeout')).code).toBe('connect.link-error');
    expect(translateOpenError('p', Object.assign(new Error('Permission denied'), { code: 'EACCES' })).code).toBe('port.permission');
    expect(translateOpenError('p', new Error('Error: cannot open p: something else')).code).toBe('port.open-failed');
  });
});
