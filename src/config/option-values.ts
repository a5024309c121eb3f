// The checks of the two list-valued options (token, public), and how a received value is described without echoing it.
import { optionRangeError, optionTypeError } from '../errors/startup.js';
import { mayContainToken } from '../safety/redact.js';

/**
 * Checks the `token` option: a non-empty string or a non-empty array of them. Type errors describe
 * the type only: a misplaced token must not end up in a message. @internal
 */
export function validateTokenOption(token: unknown, fn: string): void {
  const list = Array.isArray(token) ? (token as unknown[]) : [token];
  if (Array.isArray(token) && token.length === 0) {
    throw optionRangeError('ERR_BEARER_GUARD_INVALID_OPTION', `${fn}: \`token\` must not be an empty array; omit it to load the token from argv, env or a config file`);
  }
  list.forEach((t, i) => {
    // In an array, the entry is named by its index: "`token[1]` is undefined".
    const name = Array.isArray(token) ? `\`token[${i}]\`` : '`token`';
    if (t === undefined && Array.isArray(token)) {
      throw optionTypeError('ERR_BEARER_GUARD_INVALID_OPTION', `${fn}: ${name} is undefined; every entry of \`token\` must be a token string (an unset variable in the array?)`);
    }
    if (typeof t !== 'string') {
      throw optionTypeError('ERR_BEARER_GUARD_INVALID_OPTION', `${fn}: ${Array.isArray(token) ? `${name} must be a string` : '`token` must be a string or an array of strings'} (received ${typeOnly(t)})`);
    }
    if (t === '') {
      throw optionRangeError('ERR_BEARER_GUARD_INVALID_OPTION', `${fn}: ${name} must not be empty; omit it (or pass undefined) to load the token from argv, env or a config file`);
    }
  });
}

/** Checks the `public` option: exact paths starting with `/`. @internal */
export function validatePublic(value: unknown, fn: string): void {
  if (!Array.isArray(value)) {
    throw optionTypeError('ERR_BEARER_GUARD_INVALID_OPTION', `${fn}: \`public\` must be an array of path strings (received ${describe(value)})`);
  }
  (value as unknown[]).forEach((p, i) => {
    if (typeof p !== 'string') {
      throw optionTypeError('ERR_BEARER_GUARD_INVALID_OPTION', `${fn}: \`public\` must be an array of path strings (received an entry of type ${typeOnly(p)})`);
    }
    // An entry is echoed so the caller can find it, unless it looks like a token pasted there.
    const entry = mayContainToken(p) ? `${i} (${unshown(p)})` : JSON.stringify(p);
    if (!p.startsWith('/')) {
      throw optionRangeError('ERR_BEARER_GUARD_INVALID_OPTION', `${fn}: \`public\` entry ${entry} must start with "/"`);
    }
    if (/[*:?#()[\]{}\s\\]/.test(p) || p.includes('//')) {
      throw optionRangeError(
        'ERR_BEARER_GUARD_INVALID_OPTION',
        `${fn}: \`public\` entry ${entry} must be an exact path: patterns, parameters, query strings, spaces and "//" are not supported (list each open path, e.g. "/health")`,
      );
    }
  });
}

/** Describes a value that is not echoed because it looks like a token. @internal */
export function unshown(value: string): string {
  return `${value.length} characters, not shown because they look like a token`;
}

/** The type of a value, for messages. @internal */
export function typeOnly(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** A value for a message: its type, or its length for a string (never the string). @internal */
export function describe(value: unknown): string {
  // A string is never echoed: a token pasted into the wrong option must not reach a log.
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeOnly(value);
}
