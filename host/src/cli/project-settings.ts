/**
 * What the board commands read from the project: `platformio.ini` settings for one env and its
 * partition table. The implementation lives in `settings/` (usable outside the CLI too).
 */
export { loadProjectSettings, DEFAULT_FLASH_SIZE, type ProjectSettings } from '../settings/project.js';
export { parsePartitionBinary } from '../formats/partition-binary.js';
