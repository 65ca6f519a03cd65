/**
 * `node --import ./load-recorder.mjs app.js` writes the URL of every module the process loads
 * to the file named by ESP_SSE_LOAD_LOG, one per line: ES modules (and CommonJS modules that an
 * ES module imports) as the loader hook sees them, and CommonJS modules required from those as
 * `require.cache` holds them at exit (converted to file: URLs). Used to check what a command
 * loads (cli-lazy-load.test.ts).
 */
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const log = process.env.ESP_SSE_LOAD_LOG;
if (!log) throw new Error('load-recorder: set ESP_SSE_LOAD_LOG to the file to write');

// The hooks run on the loader thread; each load is appended to the log as it happens.
const hooks = `
import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function load(url, context, next) {
  appendFileSync(log, url + '\\n');
  return next(url, context);
}
`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { log } });

const cache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  const required = Object.keys(cache).map((path) => pathToFileURL(path).href);
  if (required.length > 0) appendFileSync(log, required.join('\n') + '\n');
});
