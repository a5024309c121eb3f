// Entry point: parses the command line, builds the app, listens, prints one line, and shuts down on SIGTERM/SIGINT.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { parseListenOptions } from './cli.js';
import { deferContinue } from './expect-continue.js';
import { TrainingJobs } from './training.js';

/** Prints only the message (no stack, never argv or env, so never a token) and exits with 1. */
function fail(err: unknown): never {
  const message = err instanceof Error ? err.message : 'unexpected error';
  process.stderr.write(`model server: ${message}\n`);
  process.exit(1);
}

function main(): void {
  const { host, port } = parseListenOptions(process.argv);
  const jobs = new TrainingJobs();
  const app = createApp({ argv: process.argv, jobs });
  const server = createServer(app);
  deferContinue(server, app);

  server.on('error', fail);
  server.listen(port, host, () => {
    const address = server.address() as AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    process.stdout.write(`model server listening on http://${shownHost}:${address.port}\n`);
  });

  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    jobs.cancelAll();
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    // Requests still in flight get a moment to finish; then the process exits anyway.
    setTimeout(() => {
      server.closeAllConnections();
      process.exit(0);
    }, 3000).unref();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

try {
  main();
} catch (err) {
  fail(err);
}
