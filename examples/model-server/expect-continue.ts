// `Expect: 100-continue` only after authentication: the client sends its upload only once the guard let it in.
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';

const awaitingContinue = new WeakSet<IncomingMessage>();

/**
 * Stops Node from answering `Expect: 100-continue` at once: the request goes to the app, and the
 * `100 Continue` is sent by `sendContinue`, just before a body parser reads the body. A client
 * refused by the guard (401) or by the route (404, 415...) never uploads its body.
 */
export function deferContinue(server: Server, app: RequestListener): void {
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    awaitingContinue.add(req);
    app(req, res);
  });
}

/** Sends the deferred `100 Continue`, if this request is waiting for one. */
export function sendContinue(req: IncomingMessage, res: ServerResponse): void {
  if (awaitingContinue.delete(req)) res.writeContinue();
}
