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

export type TelnetEvent =
  | { type: 'data'; bytes: Uint8Array }
  | { type: 'negotiate'; verb: number; option: number }
  | { type: 'subnegotiation'; option: number; payload: Uint8Array }
  | { type: 'command'; code: number };

/**
 * Incremental telnet parser: `push(chunk)` returns data runs (with `IAC IAC` unescaped),
 * WILL/WONT/DO/DONT negotiations and complete subnegotiations, in order.
 */
export class TelnetParser {
  private state: 'data' | 'iac' | 'verb' | 'sb-option' | 'sb' | 'sb-iac' = 'data';
  private verb = 0;
  private sbOption = 0;
  private sb: number[] = [];

  push(chunk: Uint8Array): TelnetEvent[] {
    const events: TelnetEvent[] = [];
    let data: number[] = [];
    const flush = (): void => {
      if (data.length) events.push({ type: 'data', bytes: Uint8Array.from(data) });
      data = [];
    };
    for (const b of chunk) {
      switch (this.state) {
        case 'data':
          if (b === IAC) this.state = 'iac';
          else data.push(b);
          break;
        case 'iac':
          if (b === IAC) {
            data.push(IAC);
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
          this.sb = [];
          this.state = 'sb';
          break;
        case 'sb':
          if (b === IAC) this.state = 'sb-iac';
          else this.sb.push(b);
          break;
        case 'sb-iac':
          if (b === SE) {
            flush();
            events.push({ type: 'subnegotiation', option: this.sbOption, payload: Uint8Array.from(this.sb) });
            this.state = 'data';
          } else {
            this.sb.push(b); // IAC IAC inside a subnegotiation
            this.state = 'sb';
          }
          break;
      }
    }
    flush();
    return events;
  }
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
