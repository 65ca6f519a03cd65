/**
 * Builds the shipped sketch for the emulator once, before any test file runs: every test that
 * starts an emulator then finds it in the build cache instead of compiling it itself (two
 * workers compiling the same sketch at once would only cost time).
 */
import { buildSketch } from '../src/emulator/native/build.js';
import { packageRoot } from '../src/emulator/package-root.js';

export default async function setup(): Promise<void> {
  await buildSketch({ projectDir: packageRoot(), onStatus: (line) => process.stderr.write(`[global setup] ${line}\n`) });
}
