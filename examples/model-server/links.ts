// Links in responses (DEEPaaS style): relative, or under the configured public base URL; never built from the Host header.
import type { Request } from 'express';
import type { AddressInfo } from 'node:net';

/**
 * The prefix of every link: the public base URL given with `--base-url` (`createApp({ baseUrl })`),
 * or `""`, which makes links relative to the server's root (`/v2/`), as DEEPaaS's root does. The
 * Host header is never used: a client (or a cache in front of the server) could set it to anything.
 */
export function baseUrl(req: Request): string {
  const configured: unknown = req.app.locals['baseUrl'];
  return typeof configured === 'string' ? configured : '';
}

/**
 * Where clients reach the server, for the OpenAPI `servers` entry: the public base URL, else the
 * listen address (set by main.ts once listening), else `/` (the origin the document came from).
 */
export function serverUrl(req: Request): string {
  const listening: unknown = req.app.locals['listenUrl'];
  return baseUrl(req) || (typeof listening === 'string' ? listening : '/');
}

/**
 * The URL of a listening address, e.g. `http://127.0.0.1:5000`, or undefined for a wildcard
 * address (`0.0.0.0`, `::`), which no client can connect to by that name.
 */
export function listenUrl(address: AddressInfo): string | undefined {
  if (address.address === '0.0.0.0' || address.address === '::') return undefined;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** The version document of the v2 API, as in DEEPaaS's `GET /v2/`. */
export function v2VersionDoc(base: string): Record<string, unknown> {
  return {
    version: 'stable',
    id: 'v2',
    links: [{ rel: 'self', type: 'application/json', href: `${base}/v2/` }],
  };
}
