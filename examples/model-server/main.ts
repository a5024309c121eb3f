// Entry point: parses the command line, builds the app, listens, prints one line, logs JSON lines, reloads keys on SIGHUP, shuts down on SIGTERM/SIGINT.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { BearerGuardError, deferContinue, describeThrottle } from 'bearer-guard';
import { createApp } from './app.js';
import { parseCommandLine, usage, UsageError } from './cli.js';
import { listenUrl } from './links.js';
import { keysSourceNote } from './keys-source.js';
import { TrainingJobs } from './training.js';

/**
 * Prints only the message (no stack, never argv or env, so never a token) and exits: 2 with the
 * usage text for a bad command line (the usual exit code of a usage error), 1 for anything else.
 */
function fail(err: unknown): never {
  const message = err instanceof Error ? err.message : 'unexpected error';
  process.stderr.write(`model server: ${message}\n`);
  if (err instanceof UsageError) {
    process.stderr.write(`\n${usage()}`);
    process.exit(2);
  }
  process.exit(1);
}

/**
 * JSON lines on stdout, written synchronously (nothing is lost on exit, and they never interleave
 * with the `listening` line). Requests are never logged whole; should anyone add a request to a
 * log line, its Authorization header is redacted.
 */
function createLogger(): Logger {
  return pino(
    {
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        // An audit event carries its own `time`, the same instant as pino's: keep one `time` key.
        log: (object) => {
          const { time: _time, ...rest } = object;
          return rest;
        },
      },
      redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' },
    },
    pino.destination({ dest: 1, sync: true }),
  );
}

/** What may be said of a failed reload: bearer-guard's messages never hold a token or digest; others only by name. */
function reloadProblem(err: unknown): string {
  if (err instanceof BearerGuardError) return err.message;
  return err instanceof Error ? err.name : typeof err;
}

function main(): void {
  const { host, port, baseUrl, help } = parseCommandLine(process.argv);
  if (help) {
    process.stdout.write(usage());
    process.exit(0);
  }
  const log = createLogger();
  const jobs = new TrainingJobs();
  // One JSON line per auth decision (allow: info, deny: warn), with the key id, never the token.
  const app = createApp({ argv: process.argv, jobs, audit: log.child({ component: 'auth' }), baseUrl });
  const { guard } = app;
  // `100 Continue` only once a route's body parser is about to read (see body-parsers.ts), so a
  // request refused by the guard, a scope, an unknown model or a wrong Content-Type never uploads.
  const server = deferContinue(createServer(app), { send: 'before-read' });

  server.on('error', fail);
  const note = keysSourceNote(process.argv);
  const listen = (): void => void server.listen(port, host, () => {
    const address = server.address() as AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    // The OpenAPI document's server URL (unless --base-url is given): the listen address.
    app.locals['listenUrl'] = listenUrl(address);
    const throttle = guard.throttle === undefined ? 'throttle off' : `throttle: ${describeThrottle(guard.throttle)}`;
    // Where the keys come from (Redis, named without its password), then the throttle.
    process.stdout.write(`model server listening on http://${shownHost}:${address.port} (${[note, throttle].filter((x) => x !== '').join('; ')})\n`);
  });
  // With Redis, the keys load asynchronously: listen only once they are in force, or exit 1.
  guard.ready.then(listen, fail);

  // `kill -HUP <pid>`: re-read the keys file now (it is also watched), and say what changed.
  const keysLog = log.child({ component: 'keys' });
  process.on('SIGHUP', () => {
    guard.reload().then(
      (c) => {
        const counts = { keys: c.size, added: c.added.length, removed: c.removed.length, changed: c.changed.length };
        keysLog.info({ event: 'reload', ...counts }, `keys reloaded on SIGHUP: ${c.size} key${c.size === 1 ? '' : 's'} (${counts.added} added, ${counts.removed} removed, ${counts.changed} changed)`);
      },
      (err: unknown) => {
        keysLog.error({ event: 'reload' }, `keys reload on SIGHUP failed, the previous keys stay in force: ${reloadProblem(err)}`);
      },
    );
  });

  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    void guard.close();
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
