/**
 * IPC messages between the hostile-load test (parent) and its guarded server (forked child,
 * `server-fixture.ts`). The child answers each command with the same `id` and a {@link Stats}.
 */

/** What the parent can ask: read the stats, force a GC first, zero the counters, sample RSS. */
export type Command = 'stats' | 'gc' | 'reset' | 'sample-start' | 'sample-stop';

export interface CommandMessage {
  readonly id: number;
  readonly cmd: Command;
}

/** The child's state. Memory figures are bytes; `peakRss` is the highest RSS seen while sampling. */
export interface Stats {
  readonly rss: number;
  readonly peakRss: number;
  readonly heapUsed: number;
  readonly external: number;
  /** `server.getConnections()`: sockets the HTTP server still holds open. */
  readonly connections: number;
  /** Requests that got past the guard whose response has not closed yet. */
  readonly active: number;
  /** Route handlers that ran, by name. */
  readonly hits: Readonly<Record<string, number>>;
  /** Body parsers that started, by name (`json`, `multipart`, `open`). */
  readonly parsed: Readonly<Record<string, number>>;
  /** Body parsers that called back (successfully or not), by name. */
  readonly settled: Readonly<Record<string, number>>;
  /** Responses the server finished, by status code; `closed` counts responses cut off unfinished. */
  readonly statuses: Readonly<Record<string, number>>;
  /** Bytes the server read from sockets that have closed since the last reset: sum, largest, sockets. */
  readonly bytesRead: { readonly total: number; readonly max: number; readonly sockets: number };
  /** Errors that reached the app's error handler (`err.type`, else `err.code`, else `err.message`). */
  readonly errors: readonly string[];
}

export interface ReplyMessage {
  readonly id: number;
  readonly stats: Stats;
}

/** Sent once by the child when it listens. */
export interface ReadyMessage {
  readonly ready: true;
  readonly port: number;
}

/** The paths the fixture serves. `/open/upload` is mounted before the guard (the control). */
export const PATHS = {
  predict: '/v2/models/iris/predict',
  models: '/v2/models/',
  open: '/open/upload',
} as const;
