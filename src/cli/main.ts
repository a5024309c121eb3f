#!/usr/bin/env node
// Entry point of the `bearer-guard` command: runs the CLI on process.argv and sets the exit code.
import { processContext } from './context.js';
import { run } from './run.js';
import { readVersion } from './version.js';

// No top-level await and no import.meta: src/ is also compiled as CommonJS.
void run(process.argv.slice(2), processContext(), readVersion(process.argv[1])).then((code) => {
  process.exitCode = code;
});
