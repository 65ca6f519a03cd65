/**
 * The project's settings and files on disk: `platformio.ini` with the environment's overrides
 * (flag > environment > platformio.ini > default), the partition table it names, the data
 * folder and its filesystem image (SPIFFS or LittleFS), and atomic writes (temporary file,
 * then rename).
 */
export { loadProjectSettings, DEFAULT_FLASH_SIZE, type ProjectSettings } from './project.js';
export { resolvePartitionTable, readPartitionFile, parsePartitionBytes, type LoadedTable } from './partition-table.js';
export { readDataFolder, type DataFolderOptions } from './data-folder.js';
export { buildFolderImage, extractFiles, extractPath, type FolderImage } from './fs-image.js';
export { writeFileAtomic } from './atomic-write.js';
