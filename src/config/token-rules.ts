// Start-up rules for a configured token: it must be able to match, and should be strong.
import { BearerGuardConfigError, warning, type BearerGuardErrorCode, type BearerGuardWarning } from '../errors/startup.js';
import { isStoredDigest } from '../keys/digest.js';
import { hasKeyPrefix, hasValidChecksum } from '../keys/format.js';
import { isB64Token } from '../request/read-credentials.js';
import { WEAK_TOKEN_LENGTH } from './options.js';

const HOW_TO_GENERATE =
  'generate one with: node -e "console.log(require(\'node:crypto\').randomBytes(32).toString(\'base64url\'))"';

/**
 * Throws when a configured token could never be sent in a valid header; returns a warning
 * when it is weak. Messages name `source`, never the value.
 *
 * @param value - the token
 * @param source - where it came from, e.g. `env DEEPAAS_AUTH_BEARER_TOKEN`
 * @param maxLength - the request-side cap, so that a configured token can always be sent
 * @param fail - builds the error to throw (a config error, or a RangeError for the option)
 * @returns a weak-token warning, or undefined
 * @internal
 */
export function checkConfiguredToken(
  value: string,
  source: string,
  maxLength: number,
  fail: (code: BearerGuardErrorCode, message: string) => Error,
): BearerGuardWarning | undefined {
  if (value.trim() === '') {
    throw fail('ERR_BEARER_GUARD_TOKEN_INVALID', `the token from ${source} is only whitespace, so no request could ever match it; ${HOW_TO_GENERATE}`);
  }
  if (!isB64Token(value)) {
    throw fail(
      'ERR_BEARER_GUARD_TOKEN_INVALID',
      `the token from ${source} contains characters that RFC 6750 does not allow in a bearer token (allowed: A-Z a-z 0-9 - . _ ~ + / and trailing =), so no request could ever match it; ${HOW_TO_GENERATE}`,
    );
  }
  if (value.length > maxLength) {
    throw fail(
      'ERR_BEARER_GUARD_TOKEN_INVALID',
      `the token from ${source} is longer than maxTokenLength (${maxLength} characters), so requests carrying it would be refused; raise maxTokenLength or use a shorter token`,
    );
  }
  // Our key prefixes are reserved (see hasKeyPrefix): such a token would be refused on every request.
  if (hasKeyPrefix(value) && !hasValidChecksum(value)) {
    throw fail(
      'ERR_BEARER_GUARD_TOKEN_INVALID',
      `the token from ${source} starts like a bearer-guard key (bgu_, bgs_, bga_ or bge_) but is not a whole, valid one (truncated or mistyped?), so no request could ever match it; give the key as it was printed, or a token without that prefix`,
    );
  }
  if (value.length < WEAK_TOKEN_LENGTH) {
    return warning(
      'W_BEARER_GUARD_WEAK_TOKEN',
      `the token from ${source} is shorter than ${WEAK_TOKEN_LENGTH} characters and may be guessed; ${HOW_TO_GENERATE}`,
    );
  }
  return undefined;
}

/**
 * Throws unless a configured token digest is `sha256:` and 64 hex digits. The message names the
 * source, never the value.
 * @internal
 */
export function checkConfiguredDigest(value: string, source: string): void {
  if (!isStoredDigest(value)) {
    throw new BearerGuardConfigError(
      'ERR_BEARER_GUARD_TOKEN_INVALID',
      `the token digest from ${source} must be sha256: followed by 64 hex digits; make one with: bearer-guard token hash < token.txt`,
    );
  }
}
