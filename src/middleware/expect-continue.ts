// `Expect: 100-continue` answered only after the guard: a refused client never uploads its body.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { optionRangeError, optionTypeError } from '../errors/startup.js';

/** When a deferred `100 Continue` goes out; see {@link DeferContinueOptions.send}. */
export type ContinueMoment = 'after-auth' | 'before-read';

/** Options of {@link deferContinue}. */
export interface DeferContinueOptions {
  /**
   * When the `100 Continue` is sent (default `'after-auth'`):
   * - `'after-auth'`: as soon as `bearerGuard()` (or `createBearerStrategy()`) lets the request
   *   in. Nothing else to do.
   * - `'before-read'`: only when the app calls {@link sendContinue}, just before a body parser
   *   reads the body. A request admitted by the guard but then refused by the route (403 for a
   *   missing scope, 404 for an unknown model, 415 for a wrong Content-Type) is not uploaded
   *   either. A route that reads the body without calling `sendContinue` leaves the client to
   *   send it after its own wait (curl waits 1 s).
   */
  readonly send?: ContinueMoment | undefined;
}

const MOMENTS: readonly ContinueMoment[] = ['after-auth', 'before-read'];
const awaiting = new WeakMap<IncomingMessage, ContinueMoment>();

/**
 * Stops Node from answering `Expect: 100-continue` as soon as the headers arrive. The request
 * goes to the app as usual, and `bearerGuard()` (or `createBearerStrategy()`) sends the
 * `100 Continue` when it lets the request through. A client refused with 401 gets the 401 before
 * it has sent a byte of its body; curl, for example, sends `Expect: 100-continue` for uploads
 * over 1 MB. Requests without the header are not affected. With `{ send: 'before-read' }` the
 * `100 Continue` waits further, for {@link sendContinue} in the route.
 *
 * Call it once, on the server that serves the guarded app (`app.listen()` returns it).
 *
 * @param server - the HTTP or HTTPS server
 * @param options - when to send the `100 Continue` (default: after auth)
 * @returns the same server
 * @throws TypeError or RangeError (code `ERR_BEARER_GUARD_INVALID_OPTION`) for a bad option
 * @example
 * ```ts
 * const server = deferContinue(app.listen(5000));
 * ```
 */
export function deferContinue<S extends Server>(server: S, options?: DeferContinueOptions): S {
  const moment = continueMoment(options);
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    awaiting.set(req, moment);
    server.emit('request', req, res);
  });
  return server;
}

/**
 * Sends the deferred `100 Continue` now, if this request is waiting for one (a request without
 * `Expect: 100-continue`, or one already answered, is left alone). Call it just before a body
 * parser reads the body, on a server set up with `deferContinue(server, { send: 'before-read' })`.
 * Never throws.
 *
 * @param req - the request
 * @param res - its response
 * @example
 * ```ts
 * const json = express.json();
 * app.post('/predict', requireScopes('models:predict'), (req, res, next) => {
 *   sendContinue(req, res);
 *   json(req, res, next);
 * }, predict);
 * ```
 */
export function sendContinue(req: IncomingMessage, res: ServerResponse): void {
  if (awaiting.delete(req) && !res.headersSent && !res.writableEnded) res.writeContinue();
}

/**
 * What the guard calls when it lets a request in: sends the deferred `100 Continue`, unless the
 * server waits for {@link sendContinue}. Never throws.
 * @internal
 */
export function releaseContinue(req: IncomingMessage, res: ServerResponse): void {
  if (awaiting.get(req) === 'after-auth') sendContinue(req, res);
}

function continueMoment(options: DeferContinueOptions | undefined): ContinueMoment {
  if (options === undefined) return 'after-auth';
  if (typeof options !== 'object' || options === null) {
    throw optionTypeError('ERR_BEARER_GUARD_INVALID_OPTION', `deferContinue: options must be an object (received ${options === null ? 'null' : typeof options})`);
  }
  for (const key of Object.keys(options)) {
    if (key !== 'send') throw optionTypeError('ERR_BEARER_GUARD_UNKNOWN_OPTION', `deferContinue: unknown option \`${key.slice(0, 40)}\` (the only option is \`send\`)`);
  }
  const send = options.send ?? 'after-auth';
  if (!MOMENTS.includes(send)) {
    throw optionRangeError('ERR_BEARER_GUARD_INVALID_OPTION', `deferContinue: \`send\` must be 'after-auth' or 'before-read' (received ${JSON.stringify(String(send)).slice(0, 40)})`);
  }
  return send;
}
