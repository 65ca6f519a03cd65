/**
 * The user's sketch on the host: built with the host's C++ compiler against the emulator's
 * runtime (`firmware/runtime`), cached per input, with the user's errors as coded UserErrors.
 */
export { buildSketch, KEEP_BUILDS, type BuiltSketch, type SketchBuildOptions } from './build.js';
export { findCompiler, type FindCompilerOptions } from './compiler.js';
export { CREDENTIAL_STAND_INS } from './sketch-project.js';
