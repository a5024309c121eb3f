// The key the throttle counts under: the client IP, as Express's `req.ip` sees it.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** The one key of every client whose forwarded "address" is no IP address. @internal */
export const NOT_AN_IP = 'not-an-ip';

/**
 * `req.ip` when the app trusts a proxy (so `X-Forwarded-For` is read as Express says), the
 * socket's address otherwise (what `req.ip` would be, without parsing headers); the socket's
 * address for a request that did not come through Express. A forwarded value that is no IP
 * address (a trusted header is still client text) is never kept: all such clients share one key.
 * @internal
 */
export function clientKey(req: IncomingMessage): string {
  const app = (req as { app?: { get?(name: string): unknown } }).app;
  if (typeof app?.get === 'function' && Boolean(app.get('trust proxy'))) {
    const ip = (req as { ip?: unknown }).ip;
    return typeof ip === 'string' && isIP(ip) !== 0 ? ip : NOT_AN_IP;
  }
  const ip = req.socket?.remoteAddress;
  return typeof ip === 'string' && ip !== '' ? ip : 'unknown';
}
