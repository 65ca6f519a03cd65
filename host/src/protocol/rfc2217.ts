/**
 * Telnet (RFC 854/855) with the COM-PORT-OPTION (RFC 2217), as pyserial's `rfc2217.py` client and
 * server speak it. Pure codec: an incremental parser and encoders; no sockets.
 */

export const IAC = 255;
export const DONT = 254;
export const DO = 253;
export const WONT = 252;
export const WILL = 251;
export const SB = 250;
export const SE = 240;

/** Telnet options pyserial negotiates. */
export const Option = { BINARY: 0, ECHO: 1, SGA: 3, COM_PORT: 44 } as const;

/** COM-PORT-OPTION client → server subcommands; the server answers with `cmd + 100` (RFC 2217 §3). */
export const ComPort = {
  SIGNATURE: 0,
  SET_BAUDRATE: 1,
  SET_DATASIZE: 2,
  SET_PARITY: 3,
  SET_STOPSIZE: 4,
  SET_CONTROL: 5,
  NOTIFY_LINESTATE: 6,
  NOTIFY_MODEMSTATE: 7,
  FLOWCONTROL_SUSPEND: 8,
  FLOWCONTROL_RESUME: 9,
  SET_LINESTATE_MASK: 10,
  SET_MODEMSTATE_MASK: 11,
  PURGE_DATA: 12,
} as const;
export const SERVER_OFFSET = 100;

/** SET_CONTROL values (RFC 2217; pyserial `SET_CONTROL_*`). */
export const Control = {
  REQ_FLOW_SETTING: 0,
  USE_NO_FLOW_CONTROL: 1,
  REQ_BREAK_STATE: 4,
  BREAK_ON: 5,
  BREAK_OFF: 6,
  REQ_DTR: 7,
  DTR_ON: 8,
  DTR_OFF: 9,
  REQ_RTS: 10,
  RTS_ON: 11,
  RTS_OFF: 12,
} as const;

/**
 * The longest subnegotiation payload (after the option byte, unescaped) the parser keeps. The
 * longest COM-PORT command a client sends is SET-BAUDRATE (1 + 4 bytes; SET-CONTROL and the
 * other settings are 1 + 1) and our own SIGNATURE is 23 bytes; ser2net, the RFC 2217 server most
 * boards sit behind, keeps 31 bytes of a telnet command (`MAX_TELNET_CMD_SIZE`).
 */
export const MAX_SUBNEGOTIATION = 31;

export type TelnetEvent =
  | { type: 'data'; bytes: Uint8Array }
  | { type: 'negotiate'; verb: number; option: number }
  | { type: 'subnegotiation'; option: number; payload: Uint8Array }
  | { type: 'command'; code: number }
  /** A subnegotiation outgrew {@link MAX_SUBNEGOTIATION}: reported once, then dropped up to its `IAC SE`. */
  | { type: 'problem'; problem: 'subnegotiation-too-long'; option: number; limit: number };

/**
 * Incremental telnet parser: `push(chunk)` returns data runs (with `IAC IAC` unescaped),
 * WILL/WONT/DO/DONT negotiations and complete subnegotiations, in order. Never throws; between
 * pushes it keeps at most one partial subnegotiation of {@link MAX_SUBNEGOTIATION} bytes.
 */
export class TelnetParser {
  private state: 'data' | 'iac' | 'verb' | 'sb-option' | 'sb' | 'sb-iac' = 'data';
  private verb = 0;
  private sbOption = 0;
  private readonly sb = new Uint8Array(MAX_SUBNEGOTIATION);
  private sbLen = 0;
  private sbDropping = false;

  /** Bytes of a partial subnegotiation held until its `IAC SE`. */
  get buffered(): number {
    return this.sbLen;
  }

  push(chunk: Uint8Array): TelnetEvent[] {
    const events: TelnetEvent[] = [];
    // Data runs are views of `chunk`, joined into one event when an IAC IAC splits them.
    let runs: Uint8Array[] = [];
    let runStart = -1;
    const endRun = (at: number): void => {
      if (runStart >= 0 && at > runStart) runs.push(chunk.subarray(runStart, at));
      runStart = -1;
    };
    const flush = (): void => {
      if (runs.length === 1) events.push({ type: 'data', bytes: runs[0]! });
      else if (runs.length > 1) events.push({ type: 'data', bytes: join(runs) });
      runs = [];
    };
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      switch (this.state) {
        case 'data':
          if (b === IAC) {
            endRun(i);
            this.state = 'iac';
          } else if (runStart < 0) {
            runStart = i;
          }
          break;
        case 'iac':
          if (b === IAC) {
            runStart = i; // the second IAC is the data byte 0xFF
            this.state = 'data';
          } else if (b === WILL || b === WONT || b === DO || b === DONT) {
            this.verb = b;
            this.state = 'verb';
          } else if (b === SB) {
            this.state = 'sb-option';
          } else {
            flush();
            events.push({ type: 'command', code: b });
            this.state = 'data';
          }
          break;
        case 'verb':
          flush();
          events.push({ type: 'negotiate', verb: this.verb, option: b });
          this.state = 'data';
          break;
        case 'sb-option':
          this.sbOption = b;
          this.sbLen = 0;
          this.sbDropping = false;
          this.state = 'sb';
          break;
        case 'sb':
          if (b === IAC) this.state = 'sb-iac';
          else this.sbPut(b, events, flush);
          break;
        case 'sb-iac':
          if (b === SE) {
            flush();
            if (!this.sbDropping) events.push({ type: 'subnegotiation', option: this.sbOption, payload: this.sb.slice(0, this.sbLen) });
            this.sbLen = 0;
            this.sbDropping = false;
            this.state = 'data';
          } else {
            this.sbPut(b, events, flush); // IAC IAC inside a subnegotiation
            this.state = 'sb';
          }
          break;
      }
    }
    if (this.state === 'data') endRun(chunk.length);
    flush();
    return events;
  }

  private sbPut(b: number, events: TelnetEvent[], flush: () => void): void {
    if (this.sbDropping) return;
    if (this.sbLen === MAX_SUBNEGOTIATION) {
      flush();
      events.push({ type: 'problem', problem: 'subnegotiation-too-long', option: this.sbOption, limit: MAX_SUBNEGOTIATION });
      this.sbDropping = true;
      this.sbLen = 0;
      return;
    }
    this.sb[this.sbLen++] = b;
  }
}

function join(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Doubles every 0xFF so data survives telnet. */
export function escapeData(bytes: Uint8Array): Uint8Array {
  let n = 0;
  for (const b of bytes) if (b === IAC) n++;
  if (n === 0) return bytes;
  const out = new Uint8Array(bytes.length + n);
  let j = 0;
  for (const b of bytes) {
    out[j++] = b;
    if (b === IAC) out[j++] = IAC;
  }
  return out;
}

export function negotiate(verb: number, option: number): Uint8Array {
  return Uint8Array.of(IAC, verb, option);
}

export function subnegotiation(option: number, payload: Uint8Array): Uint8Array {
  return Uint8Array.of(IAC, SB, option, ...escapeData(payload), IAC, SE);
}

/** `IAC SB COM-PORT cmd value… IAC SE`. */
export function comPort(cmd: number, value: Uint8Array): Uint8Array {
  return subnegotiation(Option.COM_PORT, Uint8Array.of(cmd, ...value));
}

/** SET_BAUDRATE carries a 4-byte big-endian rate. */
export function encodeBaud(baud: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, baud >>> 0, false);
  return out;
}

export function decodeBaud(value: Uint8Array): number | undefined {
  if (value.length !== 4) return undefined;
  return new DataView(value.buffer, value.byteOffset, 4).getUint32(0, false);
}
