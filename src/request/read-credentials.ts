// Reads bearer credentials from the Authorization header only, following RFC 6750 section 2.1.
import type { IncomingMessage } from 'node:http';

/** Outcomes of reading the header when it does not yield a well-formed token. @internal */
export const HeaderProblem = { Missing: 1, Malformed: 2, Ambiguous: 3 } as const;
/** @internal */
export type HeaderProblem = (typeof HeaderProblem)[keyof typeof HeaderProblem];

// RFC 6750 b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const SPACE = 32;
const BEARER_ANYWHERE = /(?:^|,)[ \t]*bearer(?:[ \t]|$)/i;

/** True when `value` is a string that RFC 6750 allows as a bearer token. @internal */
export function isB64Token(value: string): boolean {
  return B64TOKEN.test(value);
}

/**
 * Extracts the token from `Authorization: Bearer <token>`.
 * Query strings, bodies and cookies are never looked at.
 *
 * @param req - the incoming request
 * @param maxLength - tokens longer than this are malformed
 * @returns the token, or the problem that stops the request
 * @internal
 */
export function readBearerToken(req: IncomingMessage, maxLength: number): string | HeaderProblem {
  const value = req.headers.authorization;
  if (value === undefined) return HeaderProblem.Missing;
  // Node keeps only the first of repeated Authorization lines: count them in the raw headers.
  if (authorizationLines(req.rawHeaders) > 1) return HeaderProblem.Ambiguous;
  // A comma joins credentials: ambiguous if any of them is Bearer; another scheme's own commas
  // (Digest parameters, say) are simply "no bearer credentials".
  if (value.includes(',')) return BEARER_ANYWHERE.test(value) ? HeaderProblem.Ambiguous : HeaderProblem.Missing;
  // The scheme is exactly "Bearer" (any case) followed by one or more spaces; a tab is not a separator.
  if (value.length < 8 || value.charCodeAt(6) !== SPACE || !isBearerScheme(value)) {
    return HeaderProblem.Missing;
  }
  let start = 7;
  while (value.charCodeAt(start) === SPACE) start++;
  const token = value.slice(start);
  if (token.length === 0) return HeaderProblem.Missing;
  if (token.length > maxLength || !B64TOKEN.test(token)) return HeaderProblem.Malformed;
  return token;
}

function authorizationLines(raw: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    // The common spellings first: toLowerCase() allocates.
    if (name.length === 13 && (name === 'Authorization' || name === 'authorization' || name.toLowerCase() === 'authorization')) count++;
  }
  return count;
}

// ASCII-only, case-insensitive "bearer": OR-ing 0x20 folds A-Z onto a-z and nothing else onto them.
function isBearerScheme(v: string): boolean {
  return (
    (v.charCodeAt(0) | 0x20) === 0x62 && // b
    (v.charCodeAt(1) | 0x20) === 0x65 && // e
    (v.charCodeAt(2) | 0x20) === 0x61 && // a
    (v.charCodeAt(3) | 0x20) === 0x72 && // r
    (v.charCodeAt(4) | 0x20) === 0x65 && // e
    (v.charCodeAt(5) | 0x20) === 0x72 //    r
  );
}
