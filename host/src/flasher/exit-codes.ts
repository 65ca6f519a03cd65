/** The exit codes live in errors.ts with `UserError`; modules that import them from here still can. */
export { exitCodes, type ExitCode } from '../errors.js';
