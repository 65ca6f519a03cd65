import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { borrowPort, type BorrowOutcome } from './port-handover-client.js';
import { handoverSocketFor } from './port-handover-dir.js';
import { PortLender } from './port-handover-server.js';
import type { LoanRequest, LoanReturn } from './port-handover.js';

/**
 * Both ends of the port handover over real Unix sockets, in a private XDG_RUNTIME_DIR per
 * test. The "port" is a path that need not exist: only the socket derived from it matters.
 */
const dirs: string[] = [];
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function setup() {
  const runtime = mkdtempSync(join(tmpdir(), 'esp-sse-handover-'));
  dirs.push(runtime);
  const env = { XDG_RUNTIME_DIR: runtime };
  const warnings: string[] = [];
  const warn = (code: string, message: string) => warnings.push(`${code}: ${message}`);
  return { env, port: join(runtime, 'ttyUSB7'), warnings, warn };
}

async function lender(port: string, env: NodeJS.ProcessEnv, warn: (c: string, m: string) => void): Promise<PortLender> {
  const l = await PortLender.listen(port, { holder: 'esp-sse monitor', warn, env });
  if (!l) throw new Error('not listening');
  closers.push(() => l.close());
  return l;
}

describe('port handover over a Unix socket', () => {
  it('release → the handler closes the port → released; done(reset) or a closed connection bring it back', async () => {
    const { env, port, warn, warnings } = setup();
    const l = await lender(port, env, warn);
    expect(statSync(join(env.XDG_RUNTIME_DIR, 'esp-sse')).mode & 0o777).toBe(0o700);
    const requests: LoanRequest[] = [];
    const backs: Promise<LoanReturn>[] = [];
    l.onRequest(async (req, back) => {
      requests.push(req);
      backs.push(back);
      return undefined;
    });

    const first = await borrowPort(port, { client: 'esp-sse flash', warn, env });
    expect(first.kind).toBe('lent');
    if (first.kind !== 'lent') return;
    expect(first.loan.lender).toBe(`esp-sse monitor (pid ${process.pid})`);
    expect(first.loan.lenderPresent).toBe(true);
    expect(requests).toEqual([{ client: 'esp-sse flash', pid: process.pid }]);
    await first.loan.giveBack({ reset: true });
    expect(await backs[0]).toEqual({ finished: true, reset: true });

    // A second borrower while the first still holds the port is refused; one that just goes away returns it unfinished.
    const second = await borrowPort(port, { client: 'esp-sse info', pid: 42, warn, env });
    const third: BorrowOutcome = await borrowPort(port, { client: 'esp-sse erase', warn, env });
    expect(third).toEqual({ kind: 'not-lent', why: 'the port is lent to esp-sse info (pid 42)' });
    expect(warnings).toEqual(['handover.refused: the esp-sse monitor of ' + port + ' kept the port: the port is lent to esp-sse info (pid 42)']);
    if (second.kind !== 'lent') throw new Error('second borrower not lent');
    (second.loan as unknown as { socket: { destroy(): void } }).socket.destroy();
    expect(await backs[1]).toEqual({ finished: false, reset: false });
  });

  it('the monitor refusing, and the monitor going away while it lends', async () => {
    const { env, port, warn, warnings } = setup();
    const l = await lender(port, env, warn);
    let refuse = true;
    l.onRequest(async () => (refuse ? 'the monitor is ending' : undefined));
    expect(await borrowPort(port, { client: 'esp-sse flash', warn, env })).toEqual({ kind: 'not-lent', why: 'the monitor is ending' });
    expect(warnings[0]).toMatch(/^handover\.refused: /);
    refuse = false;
    const r = await borrowPort(port, { client: 'esp-sse flash', warn, env });
    if (r.kind !== 'lent') throw new Error('not lent');
    const gone = new Promise<void>((resolve) => (r.loan as unknown as { socket: { once(e: string, f: () => void): void } }).socket.once('close', resolve));
    await l.close();
    await gone;
    expect(r.loan.lenderPresent).toBe(false);
    await r.loan.giveBack({ reset: true }); // nobody to tell: resolves
    expect(existsSync(handoverSocketFor(port, { create: false, env })!)).toBe(false);
  });

  it('no socket and a stale one (its monitor was killed) are "none", silently; a new monitor replaces the stale socket', async () => {
    const { env, port, warn, warnings } = setup();
    expect(await borrowPort(port, { client: 'esp-sse flash', warn, env })).toEqual({ kind: 'none' });
    const path = handoverSocketFor(port, { create: true, env })!;
    // The socket file a SIGKILLed monitor leaves behind: nobody listens on it.
    spawnSync(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    expect(existsSync(path)).toBe(true);
    expect(await borrowPort(port, { client: 'esp-sse flash', warn, env })).toEqual({ kind: 'none' });
    const l = await lender(port, env, warn);
    expect(l.path).toBe(path);
    l.onRequest(async () => undefined);
    expect((await borrowPort(port, { client: 'esp-sse flash', warn, env })).kind).toBe('lent');
    expect(warnings).toEqual([]);
  });

  it('a second monitor for the same port does not take over the live socket: handover.in-use', async () => {
    const { env, port, warn, warnings } = setup();
    await lender(port, env, warn);
    expect(await PortLender.listen(port, { holder: 'esp-sse monitor', warn, env })).toBeUndefined();
    expect(warnings[0]).toMatch(/^handover\.in-use: another esp-sse monitor answers/);
  });

  it('a listener that never answers: handover.no-answer after answerMs; one that answers garbage: handover.bad-message', async () => {
    const { env, port, warn, warnings } = setup();
    const path = handoverSocketFor(port, { create: true, env })!;
    let reply: string | undefined;
    const server: Server = createServer((s) => {
      s.on('error', () => {});
      s.resume(); // read, so the borrower's close is seen
      if (reply !== undefined) s.end(reply);
    });
    await new Promise<void>((r) => server.listen(path, r));
    closers.push(() => new Promise((r) => server.close(r)));
    expect(await borrowPort(port, { client: 'esp-sse flash', warn, env, answerMs: 300 })).toEqual({ kind: 'not-lent', why: 'it did not answer within 0.3 s' });
    expect(warnings[0]).toMatch(/^handover\.no-answer: an esp-sse monitor listens for .* but did not answer within 0\.3 s/);
    reply = 'HTTP/1.1 400 Bad Request\r\n\r\n';
    const r = await borrowPort(port, { client: 'esp-sse flash', warn, env });
    expect(r.kind).toBe('not-lent');
    expect(warnings[1]).toMatch(/^handover\.bad-message: /);
  });

  it('bad bytes sent to the monitor are a warning and a refusal, never a crash', async () => {
    const { env, port, warn, warnings } = setup();
    const l = await lender(port, env, warn);
    let asked = 0;
    l.onRequest(async () => {
      asked++;
      return undefined;
    });
    const { connect } = await import('node:net');
    const answer = await new Promise<string>((resolve) => {
      const s = connect(l.path, () => s.write('\x00\xff garbage\n'));
      let got = '';
      s.on('data', (d) => (got += d.toString()));
      s.on('close', () => resolve(got));
    });
    expect(answer).toMatch(/^\{"v":1,"type":"refused","reason":"bad request: not JSON/);
    expect(warnings[0]).toMatch(/^handover\.bad-message: bad bytes on the handover socket/);
    expect(asked).toBe(0);
    expect((await borrowPort(port, { client: 'esp-sse flash', warn, env })).kind).toBe('lent');
  });

  it('a handover folder open to other users: the monitor makes it private; the flasher will not trust it (handover.unsafe-dir)', async () => {
    const { env, port, warn, warnings } = setup();
    const dir = join(env.XDG_RUNTIME_DIR, 'esp-sse');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    expect(await borrowPort(port, { client: 'esp-sse flash', warn, env })).toEqual({ kind: 'none' });
    expect(warnings[0]).toMatch(/^handover\.unsafe-dir: the handover folder .* is open to other users \(mode 777\)/);
    await lender(port, env, warn);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });
});
