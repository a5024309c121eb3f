// The one error class of the client and of the client-side CLI commands, with a code for each way a call fails.
import { BearerGuardError } from '../errors/base.js';

/**
 * Why a client call failed. Switch on these; messages may be reworded, codes will not.
 * - `ERR_NO_CREDENTIALS`: no context, no env token, no current context (run `bearer-guard login`).
 * - `ERR_NO_ENDPOINT`: a token was given (`BEARER_GUARD_TOKEN`, the `token` option) without an endpoint.
 * - `ERR_UNKNOWN_CONTEXT`: a context name that is not in the credentials file.
 * - `ERR_INVALID_ARGUMENT`: a bad option or argument (path, context name, model, conflicting sources).
 * - `ERR_INVALID_ENDPOINT`: an endpoint that is not an `http:` or `https:` URL without user, query or fragment.
 * - `ERR_TOKEN_FILE`: `BEARER_GUARD_TOKEN_FILE` (or `--token-file`) missing, unreadable, empty or multi-line.
 * - `ERR_CREDENTIALS_FILE`: the credentials file is corrupt, of an unknown version, unreadable, or locked too long.
 * - `ERR_UNREACHABLE`: the connection was refused or reset.
 * - `ERR_DNS`: the endpoint's host name did not resolve.
 * - `ERR_TLS`: the TLS handshake failed (certificate, or https to a plain-http port).
 * - `ERR_TIMEOUT`: no answer within the timeout.
 * - `ERR_ABORTED`: the caller's own `signal` aborted the request.
 * - `ERR_TOKEN_REJECTED`: 401: the server refused the token (`reason` says expired, revoked or invalid).
 * - `ERR_FORBIDDEN`: 403: the token is valid but lacks the scope the route needs.
 * - `ERR_NOT_BEARER_GUARD`: the answer is not from a bearer-guard or DEEPaaS server (not JSON, wrong shape, a redirect).
 * - `ERR_HTTP`: any other error status (404 unknown model, 422 bad input, 5xx).
 */
export type BearerGuardClientErrorCode =
  | 'ERR_NO_CREDENTIALS'
  | 'ERR_NO_ENDPOINT'
  | 'ERR_UNKNOWN_CONTEXT'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_INVALID_ENDPOINT'
  | 'ERR_TOKEN_FILE'
  | 'ERR_CREDENTIALS_FILE'
  | 'ERR_UNREACHABLE'
  | 'ERR_DNS'
  | 'ERR_TLS'
  | 'ERR_TIMEOUT'
  | 'ERR_ABORTED'
  | 'ERR_TOKEN_REJECTED'
  | 'ERR_FORBIDDEN'
  | 'ERR_NOT_BEARER_GUARD'
  | 'ERR_HTTP';

/** Why the server refused a token (401), from its `detail`. */
export type TokenRejection = 'expired' | 'revoked' | 'invalid';

/** Details an error may carry; none of them is ever a token. */
export interface ClientErrorDetails {
  /** The endpoint called (never with a user, password or query). */
  endpoint?: string | undefined;
  /** The HTTP status, for answers. */
  status?: number | undefined;
  /** The server's `detail`, when it sent one that does not look like a token. */
  detail?: string | undefined;
  /** For `ERR_TOKEN_REJECTED`. */
  reason?: TokenRejection | undefined;
}

/**
 * The error every client call and client-side CLI command throws. Its message names the
 * endpoint or file and what to do; it never holds the token, and it has no `cause` (a network
 * library's error could carry request headers).
 *
 * @example
 * ```ts
 * try { await client.whoami(); } catch (err) {
 *   if (err instanceof BearerGuardClientError && err.code === 'ERR_TOKEN_REJECTED') console.error(err.reason);
 * }
 * ```
 */
export class BearerGuardClientError extends BearerGuardError {
  readonly code: BearerGuardClientErrorCode;
  readonly endpoint: string | undefined;
  readonly status: number | undefined;
  readonly detail: string | undefined;
  readonly reason: TokenRejection | undefined;

  /**
   * @param code - see {@link BearerGuardClientErrorCode}
   * @param message - what went wrong and what to do; never a token
   * @param details - endpoint, status, the server's detail, the rejection reason
   */
  constructor(code: BearerGuardClientErrorCode, message: string, details: ClientErrorDetails = {}) {
    super(message);
    this.name = 'BearerGuardClientError';
    this.code = code;
    this.endpoint = details.endpoint;
    this.status = details.status;
    this.detail = details.detail;
    this.reason = details.reason;
  }
}
