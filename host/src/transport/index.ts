/**
 * One byte-transport interface over every way to reach a board's UART: a serial device
 * (node-serialport), `socket://host:port`, `rfc2217://host:port`, and an in-memory pair for
 * tests; plus the adapter that gives esptool-js the Web Serial port it expects.
 */
export { createTransport, parsePortName, type PortSpec, type CreateTransportOptions } from './open-port.js';
export { TransportClosedError, type ByteTransport, type ControlSignals } from './types.js';
export { SerialPortTransport } from './serialport.js';
export { TcpTransport } from './tcp.js';
export { Rfc2217Transport, type Rfc2217ClientOptions } from './rfc2217-client.js';
export { MemoryTransport, createMemoryPair } from './memory.js';
export { WebSerialAdapter, type WebSerialOpenOptions } from './webserial-adapter.js';
