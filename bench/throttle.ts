// The throttle's bench variant: (b) with the brute-force throttle on and one client blocked, so that every valid request pays the block lookup.
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import express5 from 'express';
import { bearerGuard, type BearerGuardMiddleware } from 'bearer-guard';

/** The (b) app with `throttle: true`. `token` is the accepted token, `route` the route to serve. */
export function throttledApp(token: string, route: string, payload: object): ReturnType<typeof express5> {
  const app = express5();
  const guard = bearerGuard({ token, logger: { warn: () => undefined }, throttle: true });
  blockAnotherClient(guard, route);
  app.use(guard);
  app.get(route, (_req, res) => void res.json(payload));
  return app;
}

// With no block anywhere the check does not even read the client's address; block one client (a
// request on an unconnected socket, which has no address) so that the bench measures the lookup.
function blockAnotherClient(guard: BearerGuardMiddleware, route: string): void {
  const failures = guard.throttle!.failures + 1;
  for (let i = 0; i < failures; i++) {
    const req = new IncomingMessage(new Socket());
    req.method = 'GET';
    req.url = route;
    req.headers = { authorization: 'Bearer wrong-token-of-a-blocked-client-0123456789' };
    guard(req, new ServerResponse(req), () => undefined);
  }
}
