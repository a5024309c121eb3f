// The key the throttle counts under: the client IP, as Express's `req.ip` sees it.
import type { IncomingMessage } from 'node:http';

/**
 * `req.ip` when the app trusts a proxy (so `X-Forwarded-For` is read as Express says), the
 * socket's address otherwise (what `req.ip` would be, without parsing headers); the socket's
 * address for a request that did not come through Express.
 * @internal
 */
export function clientKey(req: IncomingMessage): string {
  const app = (req as { app?: { get?(name: string): unknown } }).app;
  const trusting = typeof app?.get === 'function' && Boolean(app.get('trust proxy'));
  const ip = trusting ? (req as { ip?: unknown }).ip : req.socket?.remoteAddress;
  return typeof ip === 'string' && ip !== '' ? ip : 'unknown';
}
