/**
 * `read-flash` into a folder that does not exist (issue 13): refused as a usage error
 * (`read.no-folder`, exit 2) before the board is touched, and the folder is not created. The
 * board is a TCP listener that counts connections (`--port socket://…`): the refusals open
 * none, and the same command into an existing folder does connect (so the count can see one).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './flash-helpers.js';

let server: Server;
let port: number;
let connections = 0;
const sockets = new Set<Socket>();
const dir = mkdtempSync(join(tmpdir(), 'esp-sse-read-folder-'));

beforeAll(async () => {
  server = createServer((s) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((res) => server.close(res));
  rmSync(dir, { recursive: true, force: true });
});

const readFlash = (file: string) => runCli(['read-flash', '0x0', '0x1000', file, '--port', `socket://127.0.0.1:${port}`, '--connect-attempts', '1']);

describe('read-flash FILE', () => {
  it('in a folder that does not exist: read.no-folder, exit 2, nothing connected, no folder made', async () => {
    const before = connections;
    const missing = join(dir, 'no-such-folder', 'deeper');
    const r = await readFlash(join(missing, 'dump.bin'));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`error[read.no-folder]: cannot write ${join(missing, 'dump.bin')}: the folder ${missing} does not exist`);
    expect(r.stderr).toContain(`hint: create it first (mkdir -p ${missing})`);
    expect(connections).toBe(before);
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
  });

  it('whose folder is a file: read.no-folder, exit 2, nothing connected', async () => {
    const before = connections;
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const r = await readFlash(join(file, 'dump.bin'));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`error[read.no-folder]: cannot write ${join(file, 'dump.bin')}: ${file} is not a folder`);
    expect(connections).toBe(before);
  });

  it('in an existing folder: goes on to connect to the board', async () => {
    const before = connections;
    const r = await readFlash(join(dir, 'dump.bin'));
    expect(r.stderr).not.toContain('read.no-folder');
    expect(r.code, r.stderr).not.toBe(0);
    expect(connections).toBeGreaterThan(before);
    expect(existsSync(join(dir, 'dump.bin'))).toBe(false);
  });
});
