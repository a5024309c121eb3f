// Eager validation of the options objects, with fix-it messages naming the option.
import { optionRangeError, optionTypeError } from '../errors/startup.js';
import type { BearerGuardOptions } from './options.js';
import { mayContainToken } from '../safety/redact.js';
import { closest } from './did-you-mean.js';

const FUNCTION_NAME = 'bearerGuard';

/** Every key each entry point accepts. @internal */
export const LOAD_KEYS = ['argv', 'env', 'configFile', 'envPrefix', 'required', 'maxTokenLength'] as const;
/** @internal */
export const CHECK_KEYS = [...LOAD_KEYS, 'token', 'realm', 'logger'] as const;
/** @internal */
export const GUARD_KEYS = [...CHECK_KEYS, 'public'] as const;

/**
 * Checks every option's type and value; throws on the first problem.
 *
 * @param options - what the caller passed
 * @param allowed - the keys this entry point accepts
 * @param fn - the entry point's name, for messages
 * @throws TypeError or RangeError with an `ERR_BEARER_GUARD_*` code
 * @internal
 */
export function validateOptions(
  options: unknown,
  allowed: readonly string[],
  fn: string = FUNCTION_NAME,
): BearerGuardOptions {
  if (options === undefined) return {};
  if (looksLikeRequest(options)) {
    throw optionTypeError(
      'ERR_BEARER_GUARD_NOT_CALLED',
      `${fn} was used as a middleware without being called: write app.use(${fn}()), not app.use(${fn})`,
    );
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw optionTypeError('ERR_BEARER_GUARD_INVALID_OPTION', `${fn}: options must be an object (received ${describe(options)})`);
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) {
      const hint = closest(key, allowed);
      // A near miss of a known name is a typo, safe to echo; a key that looks like a token is not.
      const shown = hint !== undefined || !mayContainToken(key) ? `\`${key}\`` : `(${unshown(key)})`;
      throw optionTypeError(
        'ERR_BEARER_GUARD_UNKNOWN_OPTION',
        `${fn}: unknown option ${shown}${hint ? `; did you mean \`${hint}\`?` : ''} (known options: ${allowed.join(', ')})`,
      );
    }
  }
  const bad = (name: string, expected: string): never => {
    throw optionTypeError('ERR_BEARER_GUARD_INVALID_OPTION', `${fn}: \`${name}\` must be ${expected} (received ${describe(o[name])})`);
  };
  const range = (name: string, message: string): never => {
    throw optionRangeError('ERR_BEARER_GUARD_INVALID_OPTION', `${fn}: \`${name}\` ${message}`);
  };

  if (o.argv !== undefined && !(Array.isArray(o.argv) && o.argv.every((a) => typeof a === 'string'))) {
    bad('argv', 'an array of strings shaped like process.argv');
  }
  if (o.env !== undefined && (typeof o.env !== 'object' || o.env === null || Array.isArray(o.env))) {
    bad('env', 'an object shaped like process.env');
  }
  if (o.configFile !== undefined) {
    if (typeof o.configFile !== 'string') bad('configFile', 'a file path string');
    if (o.configFile === '') range('configFile', 'must not be empty; omit it to use no config file');
  }
  if (o.envPrefix !== undefined) {
    if (typeof o.envPrefix !== 'string') bad('envPrefix', 'a string such as "DEEPAAS_"');
    if (!/^[A-Za-z0-9_]*$/.test(o.envPrefix as string)) {
      range('envPrefix', 'may contain only letters, digits and _ (for example "DEEPAAS_")');
    }
  }
  if (o.required !== undefined && typeof o.required !== 'boolean') bad('required', 'true or false');
  if (o.maxTokenLength !== undefined) {
    if (typeof o.maxTokenLength !== 'number') bad('maxTokenLength', 'a number of characters');
    const n = o.maxTokenLength as number;
    if (!Number.isInteger(n) || n < 1 || n > 65536) range('maxTokenLength', `must be an integer from 1 to 65536 (received ${n})`);
  }
  if (o.token !== undefined) validateTokenOption(o.token, fn);
  if (o.realm !== undefined) {
    if (typeof o.realm !== 'string') bad('realm', 'a string');
    if (!/^[\x20-\x7e]+$/.test(o.realm as string)) {
      range('realm', 'must be non-empty printable ASCII (no control characters or non-ASCII letters)');
    }
  }
  if (o.logger !== undefined && (typeof o.logger !== 'object' || o.logger === null || typeof (o.logger as { warn?: unknown }).warn !== 'function')) {
    bad('logger', 'an object with a warn(message) method, such as console');
  }
  if (o.public !== undefined) validatePublic(o.public, fn);
  return o as BearerGuardOptions;
}

// Type errors here describe the type only: a misplaced token must not end up in a message.
function validateTokenOption(token: unknown, fn: string): void {
  const list = Array.isArray(token) ? (token as unknown[]) : [token];
  if (Array.isArray(token) && token.length === 0) {
    throw optionRangeError('ERR_BEARER_GUARD_INVALID_OPTION', `${fn}: \`token\` must not be an empty array; omit it to load the token from argv, env or a config file`);
  }
  for (const t of list) {
    if (typeof t !== 'string') {
      throw optionTypeError('ERR_BEARER_GUARD_INVALID_OPTION', `${fn}: \`token\` must be a string or an array of strings (received ${typeOnly(t)})`);
    }
    if (t === '') {
      throw optionRangeError('ERR_BEARER_GUARD_INVALID_OPTION', `${fn}: \`token\` must not be empty; omit it (or pass undefined) to load the token from argv, env or a config file`);
    }
  }
}

function validatePublic(value: unknown, fn: string): void {
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

/** Describes a value that is not echoed because it looks like a token. */
function unshown(value: string): string {
  return `${value.length} characters, not shown because they look like a token`;
}

function looksLikeRequest(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'method' in value && 'headers' in value && 'socket' in value;
}

function typeOnly(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function describe(value: unknown): string {
  // A string is never echoed: a token pasted into the wrong option must not reach a log.
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeOnly(value);
}
