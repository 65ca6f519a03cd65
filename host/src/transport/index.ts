/**
 * One byte-transport interface over every way to reach a board's UART: a serial device
 * (node-serialport), `socket://host:port`, `rfc2217://host:port`, and an in-memory pair for
 * tests; plus the adapter that gives esptool-js the Web Serial port it expects, and the port
 * handover between a running monitor and a flasher (port-handover*.ts); and the machine's serial
 * ports as `esp-sse ports`, the flasher and the monitor list and choose them (ports*.ts,
 * port-filter.ts, usb-adapters.ts).
 */
export { createTransport, parsePortName, type PortSpec, type CreateTransportOptions } from './open-port.js';
export { openWithAttempts, OPEN_RETRY_DELAY_MS, type OpenAttemptsOptions, type OpenOutcome } from './open-attempts.js';
export type { FaultOptions } from './faults.js';
export { TransportClosedError, type ByteTransport, type ControlSignals } from './types.js';
export { SerialPortTransport } from './serialport.js';
export { TcpTransport } from './tcp.js';
export { Rfc2217Transport, type Rfc2217ClientOptions } from './rfc2217-client.js';
export { MemoryTransport, createMemoryPair } from './memory.js';
export { WebSerialAdapter, type WebSerialOpenOptions } from './webserial-adapter.js';
export {
  handoverKey, handoverDir, handoverSocketPath, encodeHandover, decodeHandover, HandoverLines, handoverLimits,
  type HandoverMessage, type LoanRequest, type LoanReturn, type LendHandler, type LoanSource,
} from './port-handover.js';
export { PortLender, type PortLenderOptions } from './port-handover-server.js';
export { borrowPort, type BorrowOutcome, type BorrowOptions, type PortLoan } from './port-handover-client.js';
export { listPorts, describePorts, chooseAutoPort, chooseFilteredPorts, formatUsbId, type PortEntry, type RawPortInfo } from './ports.js';
export { parsePortFilters, matchesPortFilter, describePortFilter, type PortFilter } from './port-filter.js';
export { knownAdapters, lookupAdapter, type KnownAdapter } from './usb-adapters.js';
