import { UserError, type WarnFn } from '../errors.js';
import { Rfc2217Transport, type Rfc2217ClientOptions } from './rfc2217-client.js';
import { SerialPortTransport } from './serialport.js';
import { TcpTransport } from './tcp.js';
import type { ByteTransport } from './types.js';

/** What a port name means, before anything is opened. */
export type PortSpec =
  | { kind: 'device'; path: string }
  | { kind: 'socket'; host: string; port: number }
  | { kind: 'rfc2217'; host: string; port: number; options: Rfc2217ClientOptions };

export interface CreateTransportOptions {
  /** Initial baud rate (default 115200). */
  baudRate?: number;
  /** Warnings from the link (a device without control lines). */
  warn?: WarnFn;
}

const HINT = 'use a device path (/dev/ttyUSB0, COM3), socket://HOST:PORT (raw TCP) or rfc2217://HOST:PORT (RFC 2217)';

/**
 * Parses a port name as pyserial and esptool accept it: a device path, `socket://host:port`, or
 * `rfc2217://host:port[?ign_set_control][&timeout=S][&logging=…][&poll_modem]`. Throws a
 * `UserError` naming what is wrong.
 */
export function parsePortName(name: string): PortSpec {
  const trimmed = name.trim();
  if (trimmed === '') throw new UserError('port.empty', 'the port name is empty', HINT);
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'device', path: trimmed };
  if (scheme !== 'socket' && scheme !== 'rfc2217') {
    throw new UserError('port.unknown-scheme', `unknown port scheme "${scheme}://" in ${name}`, HINT);
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new UserError('port.bad-url', `cannot read ${name} as ${scheme}://HOST:PORT`, HINT);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port);
  if (!host || !url.port || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UserError('port.bad-url', `${name} needs a host and a port 1..65535`, `for example ${scheme}://127.0.0.1:4000`);
  }
  if ((url.pathname && url.pathname !== '/') || url.hash) {
    throw new UserError('port.bad-url', `${name} has a path; ${scheme}:// takes only HOST:PORT`, `for example ${scheme}://127.0.0.1:${port}`);
  }
  if (scheme === 'socket') {
    if (url.search && url.search !== '?') {
      const keys = [...url.searchParams.keys()];
      if (keys.some((k) => k !== 'logging')) {
        throw new UserError('port.bad-option', `socket:// does not take the option(s) ${keys.filter((k) => k !== 'logging').join(', ')}`, 'remove them (only logging=… is accepted, and ignored)');
      }
    }
    return { kind: 'socket', host, port };
  }
  const options: Rfc2217ClientOptions = {};
  for (const [key, value] of url.searchParams) {
    if (key === 'ign_set_control') options.ignoreSetControl = true;
    else if (key === 'timeout') {
      const t = Number(value);
      if (!(t > 0) || !Number.isFinite(t)) {
        throw new UserError('port.bad-option', `timeout=${value} in ${name} is not a positive number of seconds`, 'for example ?timeout=5');
      }
      options.timeoutSeconds = t;
    } else if (key === 'logging' || key === 'poll_modem') {
      // Accepted as pyserial does; neither changes what bytes flow.
    } else {
      throw new UserError('port.bad-option', `unknown rfc2217:// option "${key}" in ${name}`, 'known options: ign_set_control, timeout=SECONDS, logging=LEVEL, poll_modem');
    }
  }
  return { kind: 'rfc2217', host, port, options };
}

/**
 * An unopened {@link ByteTransport} for a port name (see {@link parsePortName}). Opening it is
 * the caller's job, so that errors from `open()` can be reported with the name.
 */
export function createTransport(name: string, options: CreateTransportOptions = {}): ByteTransport {
  const spec = parsePortName(name);
  const baud = options.baudRate ?? 115200;
  switch (spec.kind) {
    case 'device':
      return new SerialPortTransport(spec.path, baud, options.warn);
    case 'socket':
      return new TcpTransport(spec.host, spec.port, baud);
    case 'rfc2217':
      return new Rfc2217Transport(spec.host, spec.port, baud, spec.options);
  }
}
