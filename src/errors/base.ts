// The one base class of every error bearer-guard makes: a message that never holds a token, and a code.

/**
 * Base class of bearer-guard's errors. Start-up problems are {@link BearerGuardConfigError}
 * (codes `ERR_BEARER_GUARD_*`); request refusals are `BearerAuthError` (RFC 6750 codes such as
 * `invalid_token`). Switch on `err.code`; messages may be reworded, codes will not.
 */
export abstract class BearerGuardError extends Error {
  /** Stable identifier of the error. */
  abstract readonly code: string;
}
