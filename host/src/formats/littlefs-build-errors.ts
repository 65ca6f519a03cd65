import { UserError } from '../errors.js';

/**
 * A folder the LittleFS builder refuses, before writing anything. Codes:
 * `fs.littlefs-name-too-long`, `fs.littlefs-bad-name`, `fs.littlefs-duplicate-name`,
 * `fs.littlefs-too-big`, `fs.littlefs-bad-size`.
 */
export class LittlefsBuildError extends UserError {}
