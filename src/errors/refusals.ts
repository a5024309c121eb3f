// RFC 6750 request failures: status, code, JSON body and WWW-Authenticate challenge of each.

/**
 * Why a request was refused:
 * - `missing_token`: no bearer credentials at all (no header, another scheme, `Bearer` alone);
 *   the challenge has no `error` attribute (RFC 6750 section 3.1).
 * - `invalid_token`: a bearer token was sent and is wrong, malformed or too long.
 * - `invalid_request`: protocol misuse, e.g. two `Authorization` header lines or comma-joined credentials.
 */
export type BearerFailureCode = 'missing_token' | 'invalid_token' | 'invalid_request';

/** Base class of the request failures; each carries what the 401 response is made of. */
export abstract class BearerAuthError extends Error {
  /** HTTP status of the response: 401 for every failure defined here. */
  readonly status: number = 401;
  /** Which failure this is. */
  abstract readonly code: BearerFailureCode;
  /** The `detail` of the JSON body (DEEPaaS wording). */
  abstract readonly detail: string;

  /**
   * @param realm - the realm to name in the challenge
   * @returns the `WWW-Authenticate` header value for this failure
   */
  challenge(realm: string): string {
    const base = `Bearer realm="${quote(realm)}"`;
    return this.code === 'missing_token' ? base : `${base}, error="${this.code}"`;
  }

  /** @returns the JSON body: `{"detail": ...}`, plus `"error"` when the challenge has one */
  body(): { detail: string; error?: BearerFailureCode } {
    return this.code === 'missing_token'
      ? { detail: this.detail }
      : { detail: this.detail, error: this.code };
  }
}

/** No bearer credentials were sent. */
export class MissingTokenError extends BearerAuthError {
  readonly code = 'missing_token' as const;
  readonly detail = 'Bearer token required';
  override readonly name = 'MissingTokenError';
}

/** A bearer token was sent and did not match, or could never match. */
export class InvalidTokenError extends BearerAuthError {
  readonly code = 'invalid_token' as const;
  readonly detail = 'Invalid bearer token';
  override readonly name = 'InvalidTokenError';
}

/** The request misused the protocol (several credentials at once). */
export class InvalidRequestError extends BearerAuthError {
  readonly code = 'invalid_request' as const;
  readonly detail = 'Invalid bearer token';
  override readonly name = 'InvalidRequestError';
}

/**
 * Escapes a value for an RFC 9110 quoted-string (backslash before `"` and `\`).
 * @internal
 */
export function quote(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}
