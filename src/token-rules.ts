// Start-up rules for a configured token: it must be able to match, and should be strong.
import { isB64Token } from './header.js';
import { warning, type BearerGuardErrorCode, type BearerGuardWarning } from './errors.js';
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
  if (value.length < WEAK_TOKEN_LENGTH) {
    return warning(
      'W_BEARER_GUARD_WEAK_TOKEN',
      `the token from ${source} is shorter than ${WEAK_TOKEN_LENGTH} characters and may be guessed; ${HOW_TO_GENERATE}`,
    );
  }
  return undefined;
}

// A run of b64token characters: what a pasted token would show up as inside a longer value.
const B64_RUN = /[A-Za-z0-9\-._~+/=]{12,}/g;
const ALNUM_RUN = /[A-Za-z0-9]{12,}/g;

/**
 * True when `text` holds something that looks like a generated token, so that a message must
 * not echo it: a run of 12 or more b64token characters that either mixes letters and digits over
 * 12 characters with no separator, or switches between lower case, upper case and digits at
 * least once every 8 characters. Names people type (`missing-3`, `DEEPAAS_`, `/run/secrets/api_token`,
 * `maxTokenLength`) do not; random base64, base64url, hex and UUID tokens do. Tokens made of
 * words only (`correct-horse-battery-staple`) cannot be told from names and are not recognised.
 * @internal
 */
export function mayContainToken(text: string): boolean {
  for (const [run] of text.matchAll(B64_RUN)) {
    for (const [alnum] of run.matchAll(ALNUM_RUN)) {
      if (/[0-9]/.test(alnum) && /[A-Za-z]/.test(alnum)) return true;
    }
    if (classSwitches(run) >= Math.max(3, run.length / 8)) return true;
  }
  return false;
}

/** How often adjacent characters switch between lower case, upper case and digit. */
function classSwitches(run: string): number {
  let switches = 0;
  let previous = 0;
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    const kind = c >= 48 && c <= 57 ? 1 : c >= 65 && c <= 90 ? 2 : c >= 97 && c <= 122 ? 3 : 0;
    if (kind !== 0 && previous !== 0 && kind !== previous) switches++;
    previous = kind;
  }
  return switches;
}
