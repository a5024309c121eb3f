// Request refusals (RFC 6750): status, code, JSON body and WWW-Authenticate challenge of each.
import { BearerGuardError } from './base.js';

/**
 * Why a request was refused:
 * - `missing_token`: no bearer credentials at all (no header, another scheme, `Bearer` alone);
 *   the challenge has no `error` attribute (RFC 6750 section 3.1).
 * - `invalid_token`: a bearer token was sent and is wrong, malformed, too long, expired,
 *   revoked, or of a family the route does not accept.
 * - `invalid_request`: protocol misuse, e.g. two `Authorization` header lines or comma-joined credentials.
 * - `insufficient_scope`: a valid key that lacks the route's scope (403).
 */
export type BearerFailureCode = 'missing_token' | 'invalid_token' | 'invalid_request' | 'insufficient_scope';

/** The JSON body of a refusal. */
export interface BearerFailureBody {
  detail: string;
  error?: BearerFailureCode;
  scope?: string;
}

/** Base class of the request refusals; each carries what its response is made of. */
export abstract class BearerAuthError extends BearerGuardError {
  /** HTTP status of the response: 401, or 403 for `insufficient_scope`. */
  readonly status: number = 401;
  /** Which refusal this is. */
  abstract override readonly code: BearerFailureCode;
  /** The `detail` of the JSON body (DEEPaaS wording). */
  abstract readonly detail: string;

  /**
   * @param realm - the realm to name in the challenge
   * @returns the `WWW-Authenticate` header value for this refusal
   */
  challenge(realm: string): string {
    const base = `Bearer realm="${quote(realm)}"`;
    return this.code === 'missing_token' ? base : `${base}, error="${this.code}"`;
  }

  /** @returns the JSON body: `{"detail": ...}`, plus `"error"` when the challenge has one */
  body(): BearerFailureBody {
    return this.code === 'missing_token' ? { detail: this.detail } : { detail: this.detail, error: this.code };
  }
}

/** No bearer credentials were sent. */
export class MissingTokenError extends BearerAuthError {
  readonly code = 'missing_token' as const;
  readonly detail = 'Bearer token required';
  override readonly name = 'MissingTokenError';
}

/**
 * A bearer token was sent and is refused. The detail is `Invalid bearer token`, except for the
 * holder of a whole, correct key that is expired or revoked, or an enrollment token used up.
 */
export class InvalidTokenError extends BearerAuthError {
  readonly code = 'invalid_token' as const;
  readonly detail: 'Invalid bearer token' | 'Bearer token expired' | 'Bearer token revoked' | 'Enrollment token already used';
  override readonly name = 'InvalidTokenError';

  /** @param detail - the body's detail; `Invalid bearer token` unless the key is expired or revoked */
  constructor(detail: InvalidTokenError['detail'] = 'Invalid bearer token') {
    super(detail);
    this.detail = detail;
  }
}

/** The request misused the protocol (several credentials at once). */
export class InvalidRequestError extends BearerAuthError {
  readonly code = 'invalid_request' as const;
  readonly detail = 'Invalid bearer token';
  override readonly name = 'InvalidRequestError';
}

/** A valid key lacks a scope the route requires: 403 naming the route's scopes. */
export class InsufficientScopeError extends BearerAuthError {
  readonly code = 'insufficient_scope' as const;
  /** `Insufficient scope`, or what the route needs in words (`Enrollment requires an enrollment token`). */
  readonly detail: string;
  override readonly status = 403;
  override readonly name = 'InsufficientScopeError';
  /** The route's required scopes, space-separated as RFC 6750 section 3 writes them. */
  readonly scope: string;

  /**
   * @param scopes - the scopes the route requires
   * @param detail - the body's detail
   */
  constructor(scopes: readonly string[], detail = 'Insufficient scope') {
    super(detail);
    this.detail = detail;
    this.scope = scopes.join(' ');
  }

  override challenge(realm: string): string {
    return `${super.challenge(realm)}, scope="${quote(this.scope)}"`;
  }

  override body(): BearerFailureBody {
    return { detail: this.detail, error: this.code, scope: this.scope };
  }
}

/**
 * A valid key of a family the route does not take (`requireFamily`): 403 `insufficient_scope`,
 * with a detail naming the families the route takes, e.g. `Requires a key of family user`.
 */
export class FamilyNotAllowedError extends BearerAuthError {
  readonly code = 'insufficient_scope' as const;
  readonly detail: string;
  override readonly status = 403;
  override readonly name = 'FamilyNotAllowedError';

  /** @param families - the families the route takes */
  constructor(families: readonly string[]) {
    const detail = `Requires a key of family ${families.join(', ').replace(/, ([^,]*)$/, ' or $1')}`;
    super(detail);
    this.detail = detail;
  }
}

/**
 * Escapes a value for an RFC 9110 quoted-string (backslash before `"` and `\`).
 * @internal
 */
export function quote(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}
