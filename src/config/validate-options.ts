// Eager validation of the options objects: one rule per option, with fix-it messages naming it.
import { optionRangeError, optionTypeError } from '../errors/startup.js';
import { mayContainToken } from '../safety/redact.js';
import { closest } from './did-you-mean.js';
import { describe, unshown, validatePublic, validateTokenOption } from './option-values.js';
import { checkRedisOption } from './redis-option.js';
import { validateThrottleOption } from '../throttle/validate.js';
import { ENVIRONMENT_RULE, isEnvironmentName, isPosture, POSTURE_RULE, validateEnrollmentPath } from './environment-rules.js';

type Fail = { type(expected: string): never; range(message: string): never };
type Level = 'load' | 'check' | 'guard';
interface Rule {
  /** The narrowest entry point that takes the option: load < check (strategy) < guard. */
  level: Level;
  check(value: unknown, fail: Fail, fn: string): void;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFunction = (v: unknown): boolean => typeof v === 'function';

// The order here is the order of "known options" in messages.
const RULES: Readonly<Record<string, Rule>> = {
  argv: { level: 'load', check: (v, f) => void (Array.isArray(v) && v.every((a) => typeof a === 'string') || f.type('an array of strings shaped like process.argv')) },
  env: { level: 'load', check: (v, f) => void (isObject(v) || f.type('an object shaped like process.env')) },
  configFile: { level: 'load', check: (v, f) => nonEmptyPath(v, f, 'omit it to use no config file') },
  envPrefix: {
    level: 'load',
    check: (v, f) => {
      if (typeof v !== 'string') f.type('a string such as "DEEPAAS_"');
      if (!/^[A-Za-z0-9_]*$/.test(v as string)) f.range('may contain only letters, digits and _ (for example "DEEPAAS_")');
    },
  },
  required: { level: 'load', check: (v, f) => void (typeof v === 'boolean' || f.type('true or false')) },
  maxTokenLength: {
    level: 'load',
    check: (v, f) => {
      if (typeof v !== 'number') f.type('a number of characters');
      const n = v as number;
      if (!Number.isInteger(n) || n < 1 || n > 65536) f.range(`must be an integer from 1 to 65536 (received ${n})`);
    },
  },
  keysFile: { level: 'load', check: (v, f) => nonEmptyPath(v, f, 'omit it to use no keys file') },
  token: { level: 'check', check: (v, _f, fn) => validateTokenOption(v, fn) },
  realm: {
    level: 'check',
    check: (v, f) => {
      if (typeof v !== 'string') f.type('a string');
      if (!/^[\x20-\x7e]+$/.test(v as string)) f.range('must be non-empty printable ASCII (no control characters or non-ASCII letters)');
    },
  },
  logger: { level: 'check', check: (v, f) => void (isObject(v) && isFunction(v.warn) || f.type('an object with a warn(message) method, such as console')) },
  keyStore: {
    level: 'check',
    check: (v, f) => {
      if (!isObject(v) || !isFunction(v.list) || typeof v.description !== 'string') f.type('a key store: an object with a description string and a list() method');
      const s = (v as { subscribe?: unknown }).subscribe;
      if (s !== undefined && !isFunction(s)) f.type('a key store whose subscribe, when present, is a function');
    },
  },
  families: {
    level: 'check',
    check: (v, f) => {
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) f.type('an array of family names, e.g. ["user", "service"]');
      const list = v as string[];
      if (list.length === 0) f.range('must name at least one family (user, service, agent)');
      if (list.includes('enroll')) f.range('must not include "enroll": enrollment tokens are accepted only by the enrollment endpoint, never on a guarded route');
      const bad = list.find((x) => !['user', 'service', 'agent'].includes(x));
      if (bad !== undefined) f.range(`has an unknown family${mayContainToken(bad) ? '' : ` "${bad}"`} (known: user, service, agent)`);
    },
  },
  verify: { level: 'check', check: (v, f) => void (isFunction(v) || f.type('a function (token, req) => Promise<identity | null>')) },
  audit: {
    level: 'check',
    check: (v, f) => void (isFunction(v) || (isObject(v) && isFunction(v.info) && isFunction(v.warn)) || f.type('a function, or a logger with info(obj) and warn(obj) such as pino')),
  },
  environment: {
    level: 'check',
    check: (v, f) => {
      if (typeof v !== 'string') f.type('a string such as "prod"');
      if (!isEnvironmentName(v)) f.range(`must be ${ENVIRONMENT_RULE}`);
    },
  },
  environmentPosture: { level: 'check', check: (v, f) => void (isPosture(v) || f.range(`must be ${POSTURE_RULE}`)) },
  enrollment: {
    level: 'check',
    check: (v, f) => {
      if (!isObject(v) || typeof v.path !== 'string' || Object.keys(v).some((k) => k !== 'path')) f.type('an object { path: "/v2/agents" }');
      validateEnrollmentPath((v as { path: string }).path, (m) => f.range(`path ${m}`));
    },
  },
  approvalKeys: {
    level: 'check',
    check: (v, f) => {
      if (typeof v === 'string') return nonEmptyPath(v, f, 'omit it to use no approval keys');
      if (!isObject(v) || !Array.isArray(v.keys)) f.type('a JWKS file path, or a JWKS object { keys: [...] } of Ed25519 public keys');
    },
  },
  redis: { level: 'check', check: (v, f) => checkRedisOption(v, f) },
  throttle: { level: 'check', check: (v, f) => validateThrottleOption(v, f) },
  public: { level: 'guard', check: (v, _f, fn) => validatePublic(v, fn) },
};

const keysUpTo = (levels: readonly Level[]): readonly string[] => Object.freeze(Object.keys(RULES).filter((k) => levels.includes(RULES[k]!.level)));
/** Every key each entry point accepts. @internal */
export const LOAD_KEYS = keysUpTo(['load']);
/** @internal */
export const CHECK_KEYS = keysUpTo(['load', 'check']);
/** @internal */
export const GUARD_KEYS = keysUpTo(['load', 'check', 'guard']);

/**
 * Checks every option's type and value; throws on the first problem. `undefined` counts as absent.
 *
 * @param options - what the caller passed
 * @param allowed - the keys this entry point accepts
 * @param fn - the entry point's name, for messages
 * @returns the options, typed
 * @throws TypeError or RangeError with an `ERR_BEARER_GUARD_*` code
 * @internal
 */
export function validateOptions<T extends object>(options: unknown, allowed: readonly string[], fn: string): Partial<T> {
  if (options === undefined) return {};
  if (looksLikeRequest(options)) {
    throw optionTypeError(
      'ERR_BEARER_GUARD_NOT_CALLED',
      `${fn} was used as a middleware without being called: write app.use(${fn}()), not app.use(${fn})`,
    );
  }
  if (!isObject(options)) {
    throw optionTypeError('ERR_BEARER_GUARD_INVALID_OPTION', `${fn}: options must be an object (received ${describe(options)})`);
  }
  for (const key of Object.keys(options)) {
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
  for (const key of allowed) {
    const value = options[key];
    // Keys without a rule here (selfTest's own) are checked by their entry point.
    const rule = RULES[key];
    if (value === undefined || rule === undefined) continue;
    rule.check(value, {
      type: (expected) => {
        throw optionTypeError('ERR_BEARER_GUARD_INVALID_OPTION', `${fn}: \`${key}\` must be ${expected} (received ${describe(value)})`);
      },
      range: (message) => {
        throw optionRangeError('ERR_BEARER_GUARD_INVALID_OPTION', `${fn}: \`${key}\` ${message}`);
      },
    }, fn);
  }
  return options as Partial<T>;
}

function nonEmptyPath(v: unknown, f: Fail, omit: string): void {
  if (typeof v !== 'string') f.type('a file path string');
  if (v === '') f.range(`must not be empty; ${omit}`);
}

function looksLikeRequest(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'method' in value && 'headers' in value && 'socket' in value;
}
