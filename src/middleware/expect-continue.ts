// `Expect: 100-continue` answered only after the guard: a refused client never uploads its body.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

const awaiting = new WeakSet<IncomingMessage>();

/**
 * Stops Node from answering `Expect: 100-continue` as soon as the headers arrive. The request
 * goes to the app as usual, and `bearerGuard()` (or `createBearerStrategy()`) sends the
 * `100 Continue` when it lets the request through. A client refused with 401 gets the 401 before
 * it has sent a byte of its body; curl, for example, sends `Expect: 100-continue` for uploads
 * over 1 MB. Requests without the header are not affected.
 *
 * Call it once, on the server that serves the guarded app (`app.listen()` returns it).
 *
 * @param server - the HTTP or HTTPS server
 * @returns the same server
 * @example
 * ```ts
 * const server = deferContinue(app.listen(5000));
 * ```
 */
export function deferContinue<S extends Server>(server: S): S {
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    awaiting.add(req);
    server.emit('request', req, res);
  });
  return server;
}

/**
 * Sends the deferred `100 Continue`, if this request is waiting for one. Never throws.
 * @internal
 */
export function releaseContinue(req: IncomingMessage, res: ServerResponse): void {
  if (awaiting.delete(req) && !res.headersSent && !res.writableEnded) res.writeContinue();
}
