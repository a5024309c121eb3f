// Writes refusals: precomputed JSON bodies and challenges, no-store, and no reading of the body.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuditReason } from '../audit/event.js';
import {
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  MissingTokenError,
  type BearerAuthError,
} from '../errors/refusals.js';

/** A refusal with its response bytes computed once, and the audit reason it is logged with. @internal */
export interface PreparedFailure {
  /** The RFC 6750 refusal; undefined for the 503 of an unavailable key store. */
  readonly error: BearerAuthError | undefined;
  readonly reason: AuditReason;
  readonly status: number;
  /** The `WWW-Authenticate` value; undefined for a refusal without a bearer challenge (the 503). */
  readonly challenge: string | undefined;
  readonly body: Buffer;
  /** Seconds for `Retry-After`, when the refusal has one. */
  readonly retryAfter?: number | undefined;
}

/** Every 401 for one realm. @internal */
export interface PreparedFailures {
  readonly missing: PreparedFailure;
  readonly invalidToken: PreparedFailure;
  readonly invalidRequest: PreparedFailure;
  readonly unknownKey: PreparedFailure;
  readonly expired: PreparedFailure;
  readonly revoked: PreparedFailure;
  readonly wrongFamily: PreparedFailure;
  readonly wrongEnvironment: PreparedFailure;
}

/** Computes a refusal's response bytes. @internal */
export function prepare(error: BearerAuthError, reason: AuditReason, realm: string): PreparedFailure {
  return Object.freeze({ error, reason, status: error.status, challenge: error.challenge(realm), body: Buffer.from(JSON.stringify(error.body())) });
}

/** @internal */
export function prepareFailures(realm: string): PreparedFailures {
  const invalid = new InvalidTokenError();
  return Object.freeze({
    missing: prepare(new MissingTokenError(), 'missing_token', realm),
    invalidToken: prepare(invalid, 'invalid_token', realm),
    invalidRequest: prepare(new InvalidRequestError(), 'invalid_request', realm),
    unknownKey: prepare(invalid, 'unknown_key', realm),
    expired: prepare(new InvalidTokenError('Bearer token expired'), 'expired', realm),
    revoked: prepare(new InvalidTokenError('Bearer token revoked'), 'revoked', realm),
    wrongFamily: prepare(invalid, 'wrong_family', realm),
    wrongEnvironment: prepare(invalid, 'wrong_environment', realm),
  });
}

/** The 403 for a route's scopes. @internal */
export function prepareInsufficientScope(scopes: readonly string[], realm: string): PreparedFailure {
  return prepare(new InsufficientScopeError(scopes), 'insufficient_scope', realm);
}

const INTERNAL_BODY = Buffer.from(JSON.stringify({ detail: 'Internal authentication error' }));

/**
 * Sends a 401 or 403 with JSON, `Cache-Control: no-store` and the challenge. A request that announced
 * a body over {@link DRAIN_LIMIT} (or a chunked one) gets `Connection: close`, so the server never
 * reads the body it refused.
 * @internal
 */
export function sendFailure(req: IncomingMessage, res: ServerResponse, failure: PreparedFailure): void {
  send(req, res, failure.status, failure.body, failure.challenge, failure.retryAfter);
}

/** Sends the generic 500 used when the check itself fails: fail closed. @internal */
export function sendInternalError(req: IncomingMessage, res: ServerResponse): void {
  send(req, res, 500, INTERNAL_BODY, undefined);
}

/** Sends a 403 (or other refusal) without a bearer challenge: JSON, no-store, same body rules. @internal */
export function sendJsonRefusal(req: IncomingMessage, res: ServerResponse, status: number, body: Buffer): void {
  send(req, res, status, body, undefined);
}

function send(req: IncomingMessage, res: ServerResponse, status: number, body: Buffer, challenge: string | undefined, retryAfter?: number): void {
  if (res.headersSent) {
    // Something already started a response: the only safe refusal left is to cut the connection.
    res.destroy();
    return;
  }
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', body.length);
  if (challenge !== undefined) res.setHeader('WWW-Authenticate', challenge);
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  if (hasBody(req)) res.setHeader('Connection', 'close');
  res.end(body);
}

/**
 * Bodies up to this size are left to Node, which discards them after the response so that the
 * connection stays usable and the client reliably reads its 401 (a client still sending into a
 * closed connection may see EPIPE instead). Larger or chunked bodies close the connection unread.
 */
const DRAIN_LIMIT = 64 * 1024;

// Must not throw: it also runs on the fail-closed path, after the request already misbehaved.
function hasBody(req: IncomingMessage): boolean {
  try {
    if (req.headers['transfer-encoding'] !== undefined) return true;
    const length = req.headers['content-length'];
    if (length === undefined) return false;
    const n = Number(length);
    return !(Number.isSafeInteger(n) && n >= 0 && n <= DRAIN_LIMIT);
  } catch {
    return true;
  }
}
