/** Codes of the flasher commands (`flash`, `erase`, `info`, `read-flash`, `ports`) and the serial port. */
import { error, usage, warning, type CatalogueEntry } from './entry.js';
import { exitCodes } from '../errors.js';

const { port, connect, connectionLost, verify } = exitCodes;

export const cliCodes: Record<string, CatalogueEntry> = {
  'cli.unknown-option': usage('an option the command does not have', 'COMMAND --help lists its arguments and options'),
  'cli.unknown-command': usage('a command esp-sse does not have', 'esp-sse --help lists the commands'),
  'cli.missing-argument': usage('a required argument was left out', 'COMMAND --help lists its arguments'),
  'cli.option-missing-argument': usage('an option that takes a value was given none', 'COMMAND --help lists its options and their values'),
  'cli.missing-mandatory-option-value': usage('a required option was left out', 'COMMAND --help lists its options'),
  'cli.conflicting-option': usage('two options that exclude each other were given together', 'drop one of them'),
  'cli.excess-arguments': usage('more arguments than the command takes', 'COMMAND --help lists its arguments'),
  'cli.invalid-argument': usage('a value outside an option\'s choices', 'COMMAND --help lists the choices'),
  'cli.usage': usage('any other command line the parser rejects', 'COMMAND --help lists its arguments and options'),
  'cli.bad-number': usage('an address, size or count is not a number', 'use decimal or 0x hex, e.g. 0x10000 or 4096'),
  'cli.bad-baud': usage('--baud is not a baud rate', 'use e.g. --baud 921600 or 115200'),
  'cli.bad-duration': usage('a duration option (--timeout, --window, …) is not a number with a unit, or is out of range', 'write a number and a unit, e.g. 15s, 500ms or 2m'),
  'cli.odd-pairs': usage('images are given as ADDRESS FILE pairs and one is incomplete', 'e.g. esp-sse flash 0x10000 firmware.bin'),
};

export const portCodes: Record<string, CatalogueEntry> = {
  'port.empty': usage('the port name is empty', 'name a serial device, rfc2217://HOST:PORT or socket://HOST:PORT'),
  'port.unknown-scheme': usage('the port is a URL whose scheme esp-sse does not speak', 'use a device path, rfc2217://HOST:PORT or socket://HOST:PORT'),
  'port.bad-url': usage('an rfc2217:// or socket:// port without a valid HOST:PORT', 'write it as rfc2217://HOST:PORT or socket://HOST:PORT'),
  'port.bad-option': usage('a port URL carries options the transport does not take', 'remove them'),
  'port.bad-filter': usage('--port-filter is not TYPE=VALUE with a known type and a valid value', 'e.g. --port-filter vid=0x10c4 or serial=0001'),
  'port.one-only': usage('the command works on one board, but --port was given more than once', 'pass a single --port'),
  'port.all-and-port': usage('--all and --port were given together', 'use one or the other'),
  'port.filter-and-port': usage('--port-filter and --port were given together', '--port-filter chooses among the connected ports; drop it when naming the port'),
  'port.none': error(port, 'no ESP32 USB-UART adapter is connected (or none matches --port-filter)', 'plug the board in and check esp-sse ports, or name the port with --port'),
  'port.ambiguous': error(port, 'several ESP32 adapters are connected and none was chosen', 'choose one with --port PATH, narrow with --port-filter, or use them all with --all'),
  'port.not-found': error(port, 'the named serial port does not exist', 'check the cable and run esp-sse ports to list the ports'),
  'port.permission': error(port, 'the user may not open the serial port', 'add yourself to the serial group and log in again: sudo usermod -aG dialout $USER'),
  'port.busy': error(port, 'another program holds the serial port', 'close serial monitors (pio device monitor, screen, Arduino IDE) or quit the esp-sse monitor that holds it'),
  'port.unreachable': error(port, 'the RFC 2217 or TCP serial server does not answer', 'check that the server is running and the host:port is right'),
  'port.open-failed': error(port, 'the serial port did not open, for a reason not listed above', 'run esp-sse ports to check the port name'),
  'ports.list-failed': error(port, 'the operating system could not list the serial ports', 'name the port with --port'),
};

export const connectCodes: Record<string, CatalogueEntry> = {
  'connect.no-answer': error(connect, 'nothing answered the reset and sync on the port', 'check that the board is powered and this is its port (esp-sse ports); hold BOOT and press EN to force download mode'),
  'connect.wrong-boot-mode': error(connect, 'the chip booted its app instead of entering download mode', 'hold BOOT (GPIO0), press and release EN (RST), release BOOT, then run again with --before no_reset; or fix the auto-reset circuit'),
  'connect.no-sync': error(connect, 'the chip is in download mode but its answers do not arrive', 'check the RX/TX wiring and try a lower --baud'),
  'connect.link-error': error(connect, 'the chip answered the sync, but the link failed while the flasher stub started; nothing was written', 'run again; if it repeats, check the cable and the RX/TX wiring, or try a lower --baud'),
  'connect.loader-error': error(connect, 'the ROM loader refused a command while the flasher stub started; nothing was written', 'press EN (RST) and run again; if it repeats, the chip may be in secure download mode'),
};

export const flashCodes: Record<string, CatalogueEntry> = {
  'flash.connection-lost': error(connectionLost, 'the link dropped mid-operation; the flash may be partly written', 'reconnect the board and run the same command again: images already written are verified by MD5 and skipped'),
  'flash.link-error': error(connectionLost, 'the link failed mid-operation (timeout, damaged frames); the flash may be partly written', 'run the same command again (written images are skipped), with a lower --baud if it repeats; check the cable'),
  'flash.loader-error': error(connectionLost, 'the loader refused a command with an error status; the link itself is fine', 'run again with --verbose and report it if it repeats'),
  'flash.failed': error(connectionLost, 'an operation on the chip failed with an error the flasher knows but cannot name more precisely', 'run again with --verbose and report it if it repeats'),
  'flash.verify-failed': error(verify, 'an image written to flash did not verify: its MD5 differs', 'run again with --force; if it repeats, try a lower --baud or a different cable, or erase the chip (esp-sse erase)'),
  'flash.needs-stub': error(connect, 'the operation needs the flasher stub, which is not running', 'check that the stub upload is not blocked (secure download mode)'),
  'flash.erase-needs-stub': usage('--erase-all needs the flasher stub, which is not running', 'flash without --erase-all'),
  'flash.monitor-option': usage('a monitor option was given to flash without --monitor', 'add --monitor, or drop the option'),
  'flash.monitor-one-board': usage('flash --monitor was given several ports', 'flash them without --monitor, then run esp-sse monitor -p PORT for the one to watch'),
  'flash.monitor-json': usage('flash --monitor and --json were given together', 'drop --json, or run esp-sse monitor separately'),
  'erase.no-size': usage('erase was given an ADDRESS without a SIZE', 'e.g. esp-sse erase 0x290000 0x160000, or no arguments for the whole chip'),
  'erase.unaligned': usage('the region to erase is not whole 4 KiB sectors', 'use an address and size that are multiples of 0x1000'),
  'erase.out-of-range': usage('the region to erase ends past the end of the flash', 'erase a region inside the flash (esp-sse info shows its size)'),
  'read.out-of-range': usage('the region to read ends past the end of the flash', 'read inside the flash; the whole flash is esp-sse read-flash 0x0 ALL FILE'),
  'read.no-folder': usage('read-flash was given a FILE in a folder that does not exist (or is not a folder)', 'create the folder first, or give a file in an existing folder'),
  'read.verify-failed': error(verify, 'the data read back does not match the flash\'s MD5', 'run read-flash again, with a lower --baud if it repeats'),
};

export const imageCodes: Record<string, CatalogueEntry> = {
  'image.not-found': usage('an image file does not exist', 'check the file name'),
  'image.unreadable': usage('an image file cannot be read', 'check the path and its permissions'),
  'image.empty': usage('an image file is empty', 'rebuild it (pio run) or pass the right file'),
  'image.bad-magic': usage('an app or bootloader image does not start with the ESP32 image magic (0xe9)', 'check the file: PlatformIO puts them in .pio/build/<env>/'),
  'image.wrong-chip': usage('an image was built for another chip than the ESP32', 'build for an ESP32 board (board = esp32dev in platformio.ini)'),
  'image.truncated': usage('an image ends inside its header, a segment, its checksum or its SHA-256', 'rebuild the firmware (pio run) and flash it again, or check the offset the image was written at'),
  'image.too-many-segments': usage('an image\'s header gives a segment count outside 1..16', 'rebuild the firmware (pio run), or check the offset the image was written at'),
  'image.bad-header': usage('an image\'s header has a flash mode, size/frequency or hash byte the ESP32 does not know', 'rebuild the firmware (pio run), or check the offset the image was written at'),
  'image.bad-segment': usage('an image segment\'s length is not a multiple of 4', 'rebuild the firmware (pio run) and flash it again'),
  'image.bad-checksum': usage('an image\'s checksum byte does not match its segments: the bootloader would refuse it', 'rebuild the firmware (pio run) and flash it again'),
  'image.bad-sha256': usage('an image\'s appended SHA-256 does not match it: the bootloader would refuse it', 'rebuild the firmware (pio run) and flash it again'),
  'image.unaligned': usage('an image\'s address is not a multiple of 4096 (a flash sector)', 'flash addresses must be sector-aligned, e.g. 0x10000'),
  'image.too-big-for-flash': usage('an image ends past the end of the flash', 'check the address, or use a board with more flash'),
  'image.too-big-for-partition': usage('an image is larger than the partition it is written to', 'make it smaller or choose a partition table with a bigger partition (board_build.partitions)'),
  'image.bad-partition-table': usage('the image at the partition table\'s address is not a binary partition table', 'pass partitions.bin from the build folder, not the CSV'),
  'image.fs-size-mismatch': usage('a filesystem image is not the size of its partition', 'rebuild the image for this partition table (esp-sse fs build, or pio run -t buildfs)'),
  'image.overlap': usage('two images overlap in flash', 'check the ADDRESS FILE pairs'),
  'project.no-ini': usage('--env was given but there is no platformio.ini', 'run in the PlatformIO project folder or pass --project DIR'),
  'project.unreadable': usage('platformio.ini cannot be read', 'check its permissions'),
  'project.not-built': usage('the project\'s build output is missing', 'build the firmware first (pio run), pass --env for another environment, or give ADDRESS FILE pairs'),
};

export const handoverCodes: Record<string, CatalogueEntry> = {
  'handover.path-too-long': usage('the port handover socket path is too long for a Unix socket', 'set XDG_RUNTIME_DIR (or TMPDIR) to a shorter folder, e.g. /tmp'),
  'handover.unsafe-dir': usage('the port handover folder cannot be used safely (not private to this user, or not a folder)', 'remove that folder (it is made again, private to you), or set XDG_RUNTIME_DIR to a folder only you can use'),
  'handover.no-answer': warning('an esp-sse monitor listens for the port but did not answer; the command opens the port anyway', 'if the port is busy, quit that monitor (Ctrl+] in its terminal) and run again'),
  'handover.refused': warning('the esp-sse monitor holding the port would not lend it', 'quit that monitor and run again'),
  'handover.bad-message': warning('the handover exchange with an esp-sse monitor failed; the command opens the port anyway'),
  'handover.in-use': warning('another esp-sse monitor already answers handover requests for this port', 'quit the other monitor'),
  'handover.listen-failed': warning('the monitor cannot listen for handover requests; flasher commands cannot borrow its port'),
};
