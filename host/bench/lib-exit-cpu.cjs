// Bench helper, preloaded with `node -r`: at exit, writes this process's CPU time (user + system,
// microseconds, from getrusage) to fd 3, where the bench reads it (cli-help.ts).
'use strict';
const { writeSync } = require('node:fs');

process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  try {
    writeSync(3, `${user + system}\n`);
  } catch {
    // fd 3 not open: run outside the bench.
  }
});
