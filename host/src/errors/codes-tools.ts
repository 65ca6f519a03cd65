/** Codes of `monitor`, `discover`, `hil` and the event-stream reader they share. */
import { error, errorOrWarning, usage, warning, type CatalogueEntry } from './entry.js';
import { exitCodes } from '../errors.js';

export const monitorCodes: Record<string, CatalogueEntry> = {
  'monitor.port-open': error(exitCodes.port, 'the port did not open (within --open-port-attempts or --timeout)', 'check the cable and the port name (esp-sse ports lists them), and that no other program holds it'),
  'monitor.port-lost': error(exitCodes.connectionLost, 'the port closed and --no-reconnect was given', 'leave out --no-reconnect to wait for the port to come back'),
  'monitor.timeout': error(exitCodes.unmet, '--timeout passed without a --until match'),
  'monitor.stdout-closed': error(exitCodes.stdoutClosed, 'the program reading stdout ended; the monitor stopped'),
  'monitor.bad-regex': usage('--until is not a regular expression', 'quote it for the shell, e.g. --until "HTTP server started"'),
  'monitor.bad-timeout': usage('--timeout is not a duration', 'write a number and a unit, e.g. --timeout 15s'),
  'monitor.bad-open-port-attempts': usage('--open-port-attempts is not a whole number', 'use e.g. --open-port-attempts 10, or 0 to wait until the port appears'),
  'monitor.log-open': usage('the --log file cannot be written', 'choose a writable path with --log FILE'),
  'monitor.decode-unreadable': usage('the log given to --decode cannot be read', 'pass a saved serial log, e.g. one written by --log'),
  'monitor.elf-missing': usage('the firmware ELF for decoding backtraces is missing', 'build the firmware first (pio run) or point --elf at firmware.elf'),
  'monitor.no-toolchain': errorOrWarning(usage('no ESP32 addr2line to decode backtraces (a warning while monitoring: backtraces are shown raw)', 'install the ESP32 toolchain (pio pkg install) or pass --addr2line PATH')),
};

export const discoverCodes: Record<string, CatalogueEntry> = {
  'discover.not-found': error(exitCodes.unmet, 'no board of the --name asked for answered', 'check the board is powered and on this network, or raise --timeout'),
  'discover.bad-timeout': usage('--timeout is not a duration', 'write a number and a unit, e.g. --timeout 3s'),
  'discover.no-such-interface': usage('--interface names no IPv4 interface or address', 'use an IPv4 address or one of the interface names the message lists'),
  'discover.socket': usage('the mDNS socket cannot be opened', 'check --interface, or that UDP port 5353 is usable'),
  'discover.port-5353-busy': warning('UDP port 5353 is held by a program that does not share it; queries go out from another port, and only boards that answer one-shot queries reply', 'stop the program holding 5353, or let it share the port'),
  'discover.send-failed': warning('an mDNS query could not be sent'),
  'discover.warning': warning('the mDNS socket reported an error, or a packet could not be read'),
};

export const hilCodes: Record<string, CatalogueEntry> = {
  'hil.no-target': usage('no board to test was named', 'name one: --url http://<board>/, --discover (mDNS), or --emulator'),
  'hil.many-targets': usage('more than one of --url, --discover, --emulator was given', 'use exactly one of them'),
  'hil.bad-url': usage('--url is not an http:// URL', 'give the board\'s base URL, e.g. --url http://192.168.1.50/'),
  'hil.bad-duration': usage('a duration option is not a number with a unit', 'write a number and a unit, e.g. 15s'),
  'hil.discover-only': usage('--name or --interface was given without --discover', 'add --discover, or drop them'),
  'hil.emulator-port': usage('--port was given with --emulator, which brings its own serial port', 'drop --port, or test a board with --url/--discover and --port'),
  'hil.unknown-profile': usage('--library names no library profile', 'use one of the profiles the message lists'),
  'hil.no-board': usage('--discover found no board (of that name)', 'check the board is powered and on this network (esp-sse discover), raise --discover-timeout, or give --url'),
  'sse.event-too-large': warning('an event-stream event grew past the size limit without ending; it was dropped', 'the server sends events larger than any board would; check the URL'),
};
