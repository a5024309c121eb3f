// Absolute links in responses (DEEPaaS style), built from the URL the client used.
import type { Request } from 'express';

/** `http://host:port` as the client addressed the server, or `""` (relative links) without a Host. */
export function baseUrl(req: Request): string {
  const host = req.get('host');
  return host === undefined || host === '' ? '' : `${req.protocol}://${host}`;
}

/** The version document of the v2 API, as in DEEPaaS's `GET /v2/`. */
export function v2VersionDoc(base: string): Record<string, unknown> {
  return {
    version: 'stable',
    id: 'v2',
    links: [{ rel: 'self', type: 'application/json', href: `${base}/v2/` }],
  };
}
