// whoami(): a route handler that answers the caller's identity (`req.auth`) as JSON, never a token or digest.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { issuerOf, type BearerAuth } from '../keys/principal.js';
import { isAuthOff } from './context.js';
import { refuseWithoutGuard } from './without-guard.js';
import type { AuthedRequest } from './settle.js';

/** The body `whoami()` answers: `req.auth` in the keys file's snake_case. */
export interface WhoamiBody {
  readonly id: string;
  readonly name: string;
  readonly family: BearerAuth['family'];
  readonly scopes: readonly string[];
  /** ISO 8601 UTC, or `null` for a key that does not expire. */
  readonly expires_at: string | null;
  /** Only for agent keys. */
  readonly agent_id?: string;
  /** Only for keys bound to an environment. */
  readonly environment?: string;
}

/** The route handler `whoami()` returns. */
export type WhoamiHandler = (req: IncomingMessage, res: ServerResponse) => void;

const AUTH_OFF = Buffer.from(JSON.stringify({ detail: 'Authentication is off on this server: there is no caller identity' }));

function send(res: ServerResponse, status: number, body: Buffer): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', body.length);
  res.end(body);
}

/** The identity as whoami answers it. */
function bodyOf(auth: BearerAuth): WhoamiBody {
  return {
    id: auth.id,
    name: auth.name,
    family: auth.family,
    scopes: auth.scopes,
    expires_at: auth.expiresAt,
    ...(auth.agentId !== undefined && { agent_id: auth.agentId }),
    ...(auth.environment !== undefined && { environment: auth.environment }),
  };
}

/**
 * A route handler that answers who is calling: `200 {"id","name","family","scopes","expires_at"}`
 * from `req.auth` (the single configured token answers `{"id":"token","name":"token",
 * "family":"service","scopes":["*"],"expires_at":null}`). It never includes the token or its
 * digest, and needs no scope of its own. `bearer-guard login` and the client's `whoami()` call it.
 * With auth off it answers 404 (there is no identity); without a guard before it, 500 (fail closed).
 *
 * @returns the handler, for `app.get('/v2/auth/whoami', whoami())`
 * @example
 * ```ts
 * app.use(bearerGuard());
 * app.get('/v2/auth/whoami', whoami());
 * ```
 */
export function whoami(): WhoamiHandler {
  const unguarded = refuseWithoutGuard('whoami()', ', or on a public path; mount it behind the guard');
  return function whoamiHandler(req, res) {
    const auth = (req as AuthedRequest).auth;
    if (auth !== undefined && issuerOf(auth) !== undefined) {
      send(res, 200, Buffer.from(JSON.stringify(bodyOf(auth))));
      return;
    }
    if (isAuthOff(req)) {
      send(res, 404, AUTH_OFF);
      return;
    }
    unguarded(req, res);
  };
}
