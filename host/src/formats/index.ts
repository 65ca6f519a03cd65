/**
 * Pure file formats, no I/O: SPIFFS and LittleFS images (build, read, check, convert, find in
 * a flash dump), the flash layout and which partition holds the filesystem, partition tables (CSV ↔ binary, the built-in tables, validation), ESP32 app images and
 * `platformio.ini`.
 */
export { buildSpiffs, spiffsCapacity, checkImageSize, MAX_IMAGE_SIZE, type SpiffsInput } from './spiffs-builder.js';
export { readSpiffs, listSpiffs, type SpiffsEntry, type SpiffsFile, type SpiffsUsage, type SpiffsVolume } from './spiffs-reader.js';
export { checkSpiffs } from './spiffs-check.js';
export { locateSpiffs, looksLikeFlashDump, type SpiffsRegion } from './spiffs-locate.js';
export { buildLittlefs, littlefsBlocksNeeded, type LittlefsInput, type LittlefsBuildOptions } from './littlefs-builder.js';
export { readLittlefs, listLittlefs, mountLittlefs, readLittlefsFile, looksLikeLittlefs, LittlefsVolume, type LittlefsEntry, type LittlefsFile, type LittlefsSuperblock } from './littlefs-reader.js';
export { FS_TYPES, parseFsType, fsTypeLabel, type FsType } from './fs-type.js';
export { detectFsType, readFsImage, buildFsImage, convertFsImage, fsSpace, type FsFile, type FsContents, type FsSpace, type Converted } from './fs-volume.js';
export { SpiffsMountError, SpiffsCorruptError, SPIFFS_ERR_NOT_A_FS } from './spiffs-errors.js';
export { PAGE_SIZE as SPIFFS_PAGE_SIZE, BLOCK_SIZE as SPIFFS_BLOCK_SIZE, MAX_NAME_BYTES as SPIFFS_MAX_NAME_BYTES } from './spiffs-geometry.js';
export { parsePartitionCsv, formatPartitionCsv } from './partition-csv.js';
export { encodePartitionTable, decodePartitionTable, parsePartitionBinary, looksBinary as looksLikePartitionBinary, type DecodedTable } from './partition-binary.js';
export { builtinTables, builtinTable, builtinFlashSize, DEFAULT_TABLE } from './partition-builtin.js';
export { validatePartitions } from './partition-validate.js';
export { findFilesystemPartition, mountedPartition, pickFsPartition, fsTargetWarning, type TableSource, type FsPartitionQuery } from './fs-partition.js';
export { offsets as flashOffsets, SECTOR as FLASH_SECTOR, fsSubtypes, type PartitionSlot } from './flash-layout.js';
export { typeName as partitionTypeName, subtypeName as partitionSubtypeName, DEFAULT_TABLE_OFFSET, type PartitionEntry } from './partition-types.js';
export { parseAppImage, checkImageHeader, imageChecksum, AppImageError, type AppImage, type ImageSegment, type FlashMode } from './app-image.js';
export { buildAppImage, type ImageInput, type SegmentInput } from './app-image-build.js';
export { parseAppDescription, encodeAppDescription, type AppDescription } from './app-image-desc.js';
export { parseIni, readPlatformioSettings, selectEnv, parseFlashSize, type IniDocument, type PlatformioSettings } from './platformio-ini.js';
