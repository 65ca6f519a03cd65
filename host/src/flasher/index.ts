/**
 * Flashing through esptool-js on the project's transports: plans (which image at which
 * offset, checked against the partition table), jobs over one or many boards in parallel
 * (flash, erase, info, read), and the exit codes the CLI maps outcomes to.
 */
export { flashBoards, eraseBoards, infoBoards, readFromBoard, readPartitionFromBoard, type Connection, type BoardFlashResult, type EraseRequest } from './jobs.js';
export { selectFsPartition, selectPulledPartition, buildFsImage } from './fs-image.js';
export { makePlan, md5Hex, type FlashImage, type PlannedImage, type Plan, type PlanInput, type ImageRole } from './plan.js';
export { defaultLinkFactory } from './default-link.js';
export { keepLoans, type KeptLoans } from './keep-loans.js';
export { checkRegion } from './operations.js';
export type { LinkFactory } from './link.js';
export type { FlashEvent, FlashEventListener, ChipInfo, ImageResult } from './events.js';
export type { WriteOptions } from './write-images.js';
export type { BeforeMode, AfterMode } from './session.js';
export { overallExitCode, type BoardOutcome } from './multi.js';
export { exitCodes, type ExitCode } from './exit-codes.js';
export { loadBuildFolder, loadImagePairs, type BuildFolderImages } from './project-images.js';
