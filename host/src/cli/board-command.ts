import pc from 'picocolors';
import { isUserError } from '../errors.js';
import { defaultLinkFactory } from '../flasher/default-link.js';
import type { Connection } from '../flasher/jobs.js';
import { overallExitCode, type BoardOutcome } from '../flasher/multi.js';
import { listPorts } from '../transport/ports.js';
import { safeJson } from '../safe-text.js';
import { resolveTargets } from './board-target.js';
import { createRenderer, type Renderer } from './flash-render.js';
import { printError } from './warn.js';
import type { ConnectionFlags } from './options.js';
import { loadProjectSettings, type ProjectSettings } from './project-settings.js';

export interface BoardContext {
  connection: Connection;
  project: ProjectSettings;
  renderer: Renderer;
  json: boolean;
  /** Stops the progress display, then {@link reportOutcomes}. */
  report<T>(outcomes: BoardOutcome<T>[], summary: (port: string, result: T) => string, toJson?: (result: T) => unknown): void;
}

/**
 * The shared shell of every board command: project settings, port + baud resolution, the
 * link factory and the progress renderer. `run` gets everything ready and calls the command's
 * library function; the renderer is stopped whatever happens.
 */
export async function withBoards<T>(flags: ConnectionFlags, opts: { multi: boolean }, run: (ctx: BoardContext) => Promise<T>): Promise<T> {
  try {
    return await withBoardsInner(flags, opts, run);
  } catch (e) {
    // `--json`: a failure before any board was reached is a result document too (stderr still gets the message).
    if (flags.json && isUserError(e)) {
      const error = { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}), exitCode: e.exitCode };
      process.stdout.write(`${JSON.stringify({ ok: false, exitCode: e.exitCode, error, boards: [] }, null, 2)}\n`);
    }
    throw e;
  }
}

async function withBoardsInner<T>(flags: ConnectionFlags, opts: { multi: boolean }, run: (ctx: BoardContext) => Promise<T>): Promise<T> {
  const project = await loadProjectSettings(flags.project, flags.env);
  const targets = await resolveTargets({
    flags: { ...(flags.port ? { port: flags.port } : {}), ...(flags.all ? { all: true } : {}), ...(flags.portFilter ? { portFilter: flags.portFilter } : {}), ...(flags.baud ? { baud: flags.baud } : {}) },
    env: process.env,
    ini: project.upload,
    listPorts,
  }, opts);
  const renderer = createRenderer({ tty: process.stderr.isTTY === true, quiet: flags.json === true, verbose: flags.verbose === true });
  const connection: Connection = {
    ports: targets.ports,
    baud: targets.baud,
    before: flags.before,
    after: flags.after,
    link: await defaultLinkFactory(),
    onEvent: (e) => renderer.onEvent(e),
    verbose: flags.verbose === true,
    connectAttempts: Number(flags.connectAttempts) || 7,
  };
  try {
    const json = flags.json === true;
    return await run({
      connection, project, renderer, json,
      report: (outcomes, summary, toJson) => {
        renderer.stop();
        reportOutcomes(outcomes, json, summary, toJson);
      },
    });
  } finally {
    renderer.stop();
    // After a lost link esptool-js can leave a read timer running (up to 100 s for a read);
    // once the result is out (printed synchronously on Linux pipes, files and TTYs), end the
    // process. Unref'd: a process with nothing left pending exits before it fires.
    setTimeout(() => process.exit(), 250).unref();
  }
}

/**
 * Prints per-board outcomes (text: `summary` lines on stdout, errors on stderr; `--json`: one
 * document on stdout) and sets the exit code: 0, the single failure's code, or 7 (partial).
 */
export function reportOutcomes<T>(outcomes: BoardOutcome<T>[], json: boolean, summary: (port: string, result: T) => string, toJson: (result: T) => unknown = (r) => r): void {
  const exitCode = overallExitCode(outcomes);
  if (json) {
    const boards = outcomes.map((o) => (o.ok ? { port: o.port, ok: true, result: toJson(o.result) } : o));
    process.stdout.write(`${safeJson({ ok: exitCode === 0, exitCode, boards })}\n`);
  } else {
    for (const o of outcomes) {
      if (o.ok) process.stdout.write(`${summary(o.port, o.result)}\n`);
      else {
        const prefix = outcomes.length > 1 ? `${pc.bold(o.port)}: ` : '';
        printError(o.error, prefix);
      }
    }
  }
  process.exitCode = exitCode;
}
