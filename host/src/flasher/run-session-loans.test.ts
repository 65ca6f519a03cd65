import { describe, expect, it } from 'vitest';
import { Flash } from '../emulator/flash.js';
import { BootLoader } from '../emulator/rom/loader.js';
import { createMemoryPair, type MemoryTransport } from '../transport/memory.js';
import type { BorrowOutcome, PortLoan } from '../transport/port-handover-client.js';
import { WebSerialAdapter } from '../transport/webserial-adapter.js';
import type { FlashEvent } from './events.js';
import { eraseBoards, infoBoards, type Connection } from './jobs.js';
import { keepLoans } from './keep-loans.js';
import type { LinkFactory, WebSerialLike } from './link.js';

/** A loan as a monitor would give it, recording when and how the port came back. */
class FakeLoan implements PortLoan {
  lenderPresent = true;
  returned?: { reset: boolean; hostEndsOpen: number };
  /** `hostEnds`: the transports the flasher opened for this loan's port. */
  constructor(readonly lender: string, private readonly hostEnds: MemoryTransport[]) {}
  async giveBack(o: { reset: boolean }): Promise<void> {
    this.returned ??= { reset: o.reset, hostEndsOpen: this.hostEnds.filter((t) => t.isOpen).length };
  }
}

/** The emulator's loader behind memory pairs, one board per port name, and a borrow that lends every port. */
function boards(outcome: (port: string) => BorrowOutcome | 'lend' = () => 'lend') {
  const hostEnds: MemoryTransport[] = [];
  const byPort = new Map<string, MemoryTransport[]>();
  const loans = new Map<string, FakeLoan>();
  const asked: string[] = [];
  const link: LinkFactory = {
    createTransport: (name) => {
      const [host, device] = createMemoryPair();
      hostEnds.push(host);
      byPort.get(name)?.push(host);
      const loader = new BootLoader(new Flash(), { write: (b) => void device.write(b).catch(() => {}) });
      device.onData((d) => loader.receive(d));
      void device.open();
      return host;
    },
    toWebSerial: (t) => new WebSerialAdapter(t) as unknown as WebSerialLike,
    borrow: async (port) => {
      asked.push(port);
      const o = outcome(port);
      if (o !== 'lend') return o;
      const ends: MemoryTransport[] = [];
      byPort.set(port, ends);
      const loan = new FakeLoan(`esp-sse monitor (pid ${asked.length})`, ends);
      loans.set(port, loan);
      return { kind: 'lent', loan };
    },
  };
  return { link, loans, asked, hostEnds };
}

const conn = (link: LinkFactory, ports: string[], after: Connection['after'], events: FlashEvent[]): Connection => ({
  ports, baud: 115200, before: 'no_reset', after, link, onEvent: (e) => events.push(e),
});

describe('the flasher borrows a port from a running esp-sse monitor', () => {
  it('asks once per port; gives each back once its port is closed, leaving the hard reset to the monitor', async () => {
    const b = boards();
    const events: FlashEvent[] = [];
    const outcomes = await infoBoards(conn(b.link, ['/dev/ttyUSB0', '/dev/ttyUSB1'], 'hard_reset', events));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(b.asked.sort()).toEqual(['/dev/ttyUSB0', '/dev/ttyUSB1']);
    for (const port of ['/dev/ttyUSB0', '/dev/ttyUSB1']) {
      expect(b.loans.get(port)!.returned).toEqual({ reset: true, hostEndsOpen: 0 });
      expect(events.filter((e) => e.port === port && (e.type === 'port-borrowed' || e.type === 'reset')).map((e) => e.type === 'reset' ? `${e.mode} by ${e.by}` : e.type))
        .toEqual(['port-borrowed', 'hard_reset by monitor']);
    }
    expect(b.hostEnds.every((t) => !t.isOpen)).toBe(true);
    // No reset pulse from the flasher: the monitor does it where its output shows the boot.
    expect(events.some((e) => e.type === 'reset' && e.by === undefined)).toBe(false);
  });

  it('--after no_reset: nothing for the monitor to reset; a failed job still gives the port back, with the reset it asks for', async () => {
    const b = boards();
    const events: FlashEvent[] = [];
    await infoBoards(conn(b.link, ['/dev/ttyUSB0'], 'no_reset', events));
    expect(b.loans.get('/dev/ttyUSB0')!.returned).toEqual({ reset: false, hostEndsOpen: 0 });
    expect(events.find((e) => e.type === 'reset')).toEqual({ type: 'reset', port: '/dev/ttyUSB0', mode: 'no_reset' });

    const failing = boards();
    const [out] = await eraseBoards(conn(failing.link, ['/dev/ttyUSB0'], 'hard_reset', []), { region: { address: 0x1001, size: 0x1000 } });
    expect(out!.ok).toBe(false);
    // --after hard_reset holds on a failure too: the monitor resets the board once it has the port back.
    expect(failing.loans.get('/dev/ttyUSB0')!.returned).toEqual({ reset: true, hostEndsOpen: 0 });
  });

  it('a monitor that went away meanwhile: the flasher resets the board itself', async () => {
    const b = boards();
    const events: FlashEvent[] = [];
    const link: LinkFactory = { ...b.link, borrow: async (port, warn) => {
      const r = await b.link.borrow!(port, warn);
      if (r.kind === 'lent') (r.loan as FakeLoan).lenderPresent = false;
      return r;
    } };
    await infoBoards(conn(link, ['/dev/ttyUSB0'], 'hard_reset', events));
    expect(events.find((e) => e.type === 'reset')).toEqual({ type: 'reset', port: '/dev/ttyUSB0', mode: 'hard_reset' });
    expect(b.loans.get('/dev/ttyUSB0')!.returned?.reset).toBe(false);
  });

  it('port.busy after a monitor kept the port says so and how to free it', async () => {
    const b = boards(() => ({ kind: 'not-lent', why: 'it did not answer within 5 s' }));
    const link: LinkFactory = { ...b.link, createTransport: () => { throw new Error('Error Resource temporarily unavailable Cannot lock port'); } };
    const [out] = await infoBoards(conn(link, ['/dev/ttyUSB0'], 'hard_reset', []));
    if (out!.ok) throw new Error('opened a busy port');
    expect(out!.error.code).toBe('port.busy');
    expect(out!.error.exitCode).toBe(3);
    expect(out!.error.message).toBe('serial port /dev/ttyUSB0 is busy: an esp-sse monitor holds it and did not hand it over (it did not answer within 5 s)');
    expect(out!.error.hint).toMatch(/^quit that monitor/);
  });

  it('keepLoans (flash --monitor): loans stay with this command until giveBackAll, then go back without a reset', async () => {
    const b = boards();
    const kept = keepLoans(b.link);
    await infoBoards(conn(kept.link, ['/dev/ttyUSB0'], 'no_reset', []));
    expect(kept.count).toBe(1);
    expect(b.loans.get('/dev/ttyUSB0')!.returned).toBeUndefined();
    await kept.giveBackAll();
    expect(b.loans.get('/dev/ttyUSB0')!.returned).toEqual({ reset: false, hostEndsOpen: 0 });
    expect(kept.count).toBe(0);
  });
});
