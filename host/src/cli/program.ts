/**
 * The `esp-sse` command tree: each subcommand registers itself from its own module, and a
 * module is imported only when its command is wanted: `esp-sse flash …` loads nothing of the
 * other commands. A command module holds what its options and help need; what its action runs
 * (esptool-js, serialport, the emulator) it imports in the action, so `--help` loads none of
 * it (host/test/cli-lazy-load.test.ts). `main.ts` runs the tree; tests walk it (hint and README
 * checks parse their `--option` mentions against it).
 */
import { Command, Help } from 'commander';
import { helpWidth } from './help-width.js';

type Register = (program: Command) => unknown;

interface CommandEntry {
  name: string;
  /**
   * The command's line in the root help (`esp-sse --help`), which prints it from here, loading
   * no command module: equal to what the module registers (program.test.ts says when not).
   */
  term: string;
  description: string;
  load: () => Promise<Register>;
}

/** Every command, in the order the help lists them. */
const commands: readonly CommandEntry[] = [
  {
    name: 'discover', term: 'discover [options]', load: async () => (await import('./discover.js')).registerDiscover,
    description: 'find esp-sse boards on the network over mDNS (_http._tcp with the esp-sse TXT items); if another program holds UDP 5353, asks from an ephemeral port and warns (discover.port-5353-busy)',
  },
  {
    name: 'emulate', term: 'emulate [options]', load: async () => (await import('./emulate.js')).registerEmulate,
    description: 'run a virtual esp-sse board on this machine: the firmware\'s page, /sse stream and /reset, byte for byte',
  },
  {
    name: 'flash', term: 'flash [options] [pairs...]', load: async () => (await import('./flash.js')).registerFlash,
    description: 'write the PlatformIO build (bootloader 0x1000, partitions 0x8000, boot_app0 0xe000, app 0x10000) or ADDRESS FILE pairs; compressed, MD5-verified, unchanged regions skipped',
  },
  {
    name: 'uploadfs', term: 'uploadfs [options]', load: async () => (await import('./uploadfs.js')).registerUploadFs,
    description: 'write only the filesystem: a SPIFFS or LittleFS image of the data folder, checked against the partition table (partition exists, is a filesystem, image fits)',
  },
  {
    name: 'erase', term: 'erase [options] [address] [size]', load: async () => (await import('./erase.js')).registerErase,
    description: 'erase the whole flash, or the region ADDRESS SIZE (both multiples of 4096)',
  },
  {
    name: 'info', term: 'info [options]', load: async () => (await import('./info.js')).registerInfo,
    description: 'connect to the board and print chip, revision, features, crystal, MAC and flash size',
  },
  {
    name: 'read-flash', term: 'read-flash [options] <address> <size> <file>', load: async () => (await import('./read-flash.js')).registerReadFlash,
    description: 'read SIZE bytes (or ALL) from ADDRESS into FILE, checked against the flash MD5',
  },
  {
    name: 'ports', term: 'ports [options]', load: async () => (await import('./ports.js')).registerPorts,
    description: 'list serial ports with VID:PID, serial number and whether they look like an ESP32 USB-UART adapter',
  },
  {
    name: 'monitor', term: 'monitor [options]', load: async () => (await import('./monitor.js')).registerMonitor,
    description: 'show the board\'s serial output (Ctrl+] quit, Ctrl+T menu); a pipe for CI with --until/--timeout when stdin is not a terminal; lends the port to esp-sse flash, uploadfs, erase, info and read-flash while they run',
  },
  {
    name: 'hil', term: 'hil [options]', load: async () => (await import('./hil.js')).registerHil,
    description: 'run the conformance suite (HTTP/SSE byte checks, and serial-side checks with --port) against a board or the emulator',
  },
  {
    name: 'fs', term: 'fs', load: async () => (await import('./fs.js')).registerFs,
    description: 'filesystem images (SPIFFS, LittleFS): build one from a data folder, list, extract or convert one (mkspiffs/mklittlefs-compatible, arduino-esp32 layouts), or pull a board\'s files',
  },
  {
    name: 'partitions', term: 'partitions [options] [file]', load: async () => (await import('./partitions.js')).registerPartitions,
    description: 'print a partition table (CSV, 0xC00-byte binary, or a built-in Arduino table name), check it, or convert it with --out',
  },
];

/** Arguments that only print the root help or the version: the table above is all they need. */
const rootOnly = new Set(['--help', '-h', '--version', '-V']);

/**
 * The command tree, for the arguments after `esp-sse` (`process.argv.slice(2)`): when the first
 * names a command, that command alone (its run and its `--help` need no other); for the root
 * help and the version (no arguments, `--help`, `--version`) each command's line from the table
 * above, no command module loaded; otherwise (no `args`, `help …`, a mistyped command) every
 * command. Help is wrapped to 80 columns in any terminal (help-width.ts).
 */
export async function createProgram(args?: readonly string[]): Promise<Command> {
  const program = new Command('esp-sse')
    .description('Firmware tooling for ESP32 boards that serve a live page over Server-Sent Events')
    .version('0.1.0');
  // Set before any command is added: commands copy the root's help settings when created.
  program.configureHelp({ helpWidth });

  // How this process names itself: in `ps`, and to an esp-sse monitor that lends it its port
  // ("--- port released to esp-sse flash (pid N)").
  program.hook('preAction', (_program, command) => {
    const names: string[] = [];
    for (let c: Command | null = command; c && c !== program; c = c.parent) names.unshift(c.name());
    process.title = ['esp-sse', ...names].join(' ');
  });

  if (args !== undefined && (args.length === 0 || (args.length === 1 && rootOnly.has(args[0]!)))) {
    const terms = new Map(commands.map((c) => [c.name, c.term]));
    program.configureHelp({ ...program.configureHelp(), subcommandTerm: (cmd) => terms.get(cmd.name()) ?? new Help().subcommandTerm(cmd) });
    for (const c of commands) program.command(c.name).description(c.description);
    return program;
  }
  const named = commands.filter((c) => c.name === args?.[0]);
  for (const register of await Promise.all((named.length > 0 ? named : commands).map((c) => c.load()))) register(program);
  return program;
}
