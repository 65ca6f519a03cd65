/**
 * The error catalogue: every error and warning code esp-sse throws or prints, with what it
 * means, its usual hint and (for errors) its exit code. docs/errors.md is generated from it
 * (npm run docs:errors), and host/test/error-catalogue.test.ts fails when a code in the source
 * is missing here, a code here is used nowhere, or an exit code here differs from a throw's.
 * Codes are `area.what-happened`; a new code goes into the area's table.
 *
 * The C++ runtime's warnings (`emulate.sketch-*`, sent to the board as `warn` frames) have
 * their own table in firmware/runtime/src/warnings.h; the docs list them from there.
 *
 * Data only (strings and the exit codes of errors.ts): cheap to load on any path.
 */
import { emulateCodes, serialCodes } from './codes-emulate.js';
import { fsCodes, iniCodes, partitionCodes } from './codes-files.js';
import { cliCodes, connectCodes, flashCodes, handoverCodes, imageCodes, portCodes } from './codes-flasher.js';
import { discoverCodes, hilCodes, monitorCodes } from './codes-tools.js';
import type { CatalogueEntry } from './entry.js';

export type { CatalogueEntry } from './entry.js';

/** The areas in the order docs/errors.md lists them, each with its heading and its codes. */
export const catalogueAreas: readonly { title: string; codes: Readonly<Record<string, CatalogueEntry>> }[] = [
  { title: 'Command line (`cli.*`)', codes: cliCodes },
  { title: 'Serial ports (`port.*`, `ports.*`)', codes: portCodes },
  { title: 'Connecting to the chip (`connect.*`)', codes: connectCodes },
  { title: 'Flashing, erasing, reading (`flash.*`, `erase.*`, `read.*`)', codes: flashCodes },
  { title: 'Images and projects (`image.*`, `project.*`)', codes: imageCodes },
  { title: 'Lending the port between monitor and flasher (`handover.*`)', codes: handoverCodes },
  { title: 'platformio.ini (`ini.*`)', codes: iniCodes },
  { title: 'Partition tables (`partitions.*`)', codes: partitionCodes },
  { title: 'Filesystem images (`fs.*`, `uploadfs.*`)', codes: fsCodes },
  { title: 'Monitor (`monitor.*`)', codes: monitorCodes },
  { title: 'Discovery over mDNS (`discover.*`)', codes: discoverCodes },
  { title: 'Hardware-in-the-loop tests (`hil.*`, `sse.*`)', codes: hilCodes },
  { title: 'Emulator (`emulate.*`)', codes: emulateCodes },
  { title: 'The emulator\'s serial port (`serial.*`)', codes: serialCodes },
];

/** Every code, flat. */
export const catalogue: Readonly<Record<string, CatalogueEntry>> = Object.assign({}, ...catalogueAreas.map((a) => a.codes));
