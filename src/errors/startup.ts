// Start-up errors and warnings: typed, coded, and never carrying a token's value.
import { BearerGuardError } from './base.js';

/**
 * Every `code` that bearer-guard puts on an error it throws at start-up.
 * Switch on `err.code`; the messages may be reworded, the codes will not.
 */
export type BearerGuardErrorCode =
  | 'ERR_BEARER_GUARD_INVALID_OPTION'
  | 'ERR_BEARER_GUARD_UNKNOWN_OPTION'
  | 'ERR_BEARER_GUARD_NOT_CALLED'
  | 'ERR_BEARER_GUARD_INVALID_ARGUMENT'
  | 'ERR_BEARER_GUARD_UNKNOWN_ARGUMENT'
  | 'ERR_BEARER_GUARD_UNKNOWN_ENV'
  | 'ERR_BEARER_GUARD_UNPREFIXED_ENV'
  | 'ERR_BEARER_GUARD_EMPTY_VALUE'
  | 'ERR_BEARER_GUARD_CONFLICTING_SOURCES'
  | 'ERR_BEARER_GUARD_INVALID_VALUE'
  | 'ERR_BEARER_GUARD_TOKEN_INVALID'
  | 'ERR_BEARER_GUARD_TOKEN_REQUIRED'
  | 'ERR_BEARER_GUARD_TOKEN_FILE'
  | 'ERR_BEARER_GUARD_CONFIG_FILE'
  | 'ERR_BEARER_GUARD_KEYS_FILE'
  | 'ERR_BEARER_GUARD_APPROVAL_KEYS'
  | 'ERR_BEARER_GUARD_ENROLLMENT'
  | 'ERR_BEARER_GUARD_REDIS';

/** Every `code` of a start-up warning (see {@link BearerGuardWarning}). */
export type BearerGuardWarningCode =
  | 'W_BEARER_GUARD_AUTH_OFF'
  | 'W_BEARER_GUARD_WEAK_TOKEN'
  | 'W_BEARER_GUARD_CONFIG_FILE_MODE'
  | 'W_BEARER_GUARD_KEYS_FILE_MODE'
  | 'W_BEARER_GUARD_EMPTY_VALUE'
  | 'W_BEARER_GUARD_UNKNOWN_ENV'
  | 'W_BEARER_GUARD_UNPREFIXED_ENV'
  | 'W_BEARER_GUARD_CONFIG_FILE_DEEPAAS_KEY';

/** A start-up warning: something works, but an operator should fix it. */
export interface BearerGuardWarning {
  /** Stable identifier of the warning. */
  readonly code: BearerGuardWarningCode;
  /** Human-readable text, prefixed with `bearer-guard:`; never contains a token. */
  readonly message: string;
}

/**
 * A configuration problem found while loading the token (bad flag, env var, file or INI key).
 * Its message names the source (flag, env var name, file path) and never the value.
 */
export class BearerGuardConfigError extends BearerGuardError {
  /** Stable identifier, see {@link BearerGuardErrorCode}. */
  readonly code: BearerGuardErrorCode;

  /**
   * @param code - stable identifier
   * @param message - text without the `bearer-guard:` prefix, which is added
   */
  constructor(code: BearerGuardErrorCode, message: string) {
    super(`bearer-guard: ${message}`);
    this.name = 'BearerGuardConfigError';
    this.code = code;
  }
}

/**
 * A TypeError with a bearer-guard code, for options of the wrong type. The message starts with
 * the function's name (`bearerGuard: ...`), which says where the fix goes. @internal
 */
export function optionTypeError(code: BearerGuardErrorCode, message: string): TypeError {
  return Object.assign(new TypeError(message), { code });
}

/** A RangeError with a bearer-guard code, for options with a bad value. @internal */
export function optionRangeError(code: BearerGuardErrorCode, message: string): RangeError {
  return Object.assign(new RangeError(message), { code });
}

/** Builds a warning object with the standard prefix. @internal */
export function warning(code: BearerGuardWarningCode, message: string): BearerGuardWarning {
  return Object.freeze({ code, message: `bearer-guard: warning [${code}]: ${message}` });
}
