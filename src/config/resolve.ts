// Options resolved once: validated, with every default filled in, into plain objects the core reads.
import type { ApprovalKeysSource } from '../approval/live-keys.js';
import type { AuditSink } from '../audit/event.js';
import type { KeyStore } from '../keys/store.js';
import type { KeyFamily } from '../keys/types.js';
import type { EnvironmentPosture } from '../request/environment-context.js';
import type { ThrottleOption } from '../throttle/settings.js';
import {
  DEFAULT_FAMILIES,
  DEFAULT_MAX_TOKEN_LENGTH,
  DEFAULT_PUBLIC_PATHS,
  DEFAULT_REALM,
  type BearerCheckOptions,
  type BearerGuardLogger,
  type BearerGuardOptions,
  type LoadAuthConfigOptions,
} from './options.js';
import { CHECK_KEYS, GUARD_KEYS, LOAD_KEYS, validateOptions } from './validate-options.js';
import { resolveRedisOption, type ResolvedRedisOption } from './redis-option.js';

/** @internal */
export interface ResolvedLoadOptions {
  readonly fn: string;
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly configFile: string | undefined;
  readonly envPrefix: string;
  readonly required: boolean;
  readonly maxTokenLength: number;
  readonly keysFile: string | undefined;
  /** Keys come from somewhere config does not see (keyStore, verify): auth is on without a token. */
  readonly otherKeys: boolean;
  /** The `environment`, `environmentPosture` and `enrollment.path` options: the lowest layer of their settings. */
  readonly environment: string | undefined;
  readonly environmentPosture: EnvironmentPosture | undefined;
  readonly enrollmentPath: string | undefined;
  /** The `redis` option in one shape: the lowest layer of the Redis settings (a client only here). */
  readonly redis: ResolvedRedisOption | undefined;
}

/** @internal */
export interface ResolvedCheckOptions extends ResolvedLoadOptions {
  readonly token: readonly string[] | undefined;
  readonly realm: string;
  readonly logger: BearerGuardLogger;
  readonly keyStore: KeyStore | undefined;
  readonly families: ReadonlySet<KeyFamily>;
  readonly verify: BearerCheckOptions['verify'];
  readonly audit: AuditSink | undefined;
  readonly approvalKeys: ApprovalKeysSource | undefined;
  /** The `throttle` option, validated; merged with the loaded settings by resolveThrottle(). */
  readonly throttle: ThrottleOption | undefined;
}

/** @internal */
export interface ResolvedGuardOptions extends ResolvedCheckOptions {
  readonly public: readonly string[];
  /** The default list names the app's own paths: it opens nothing under a mount path. */
  readonly publicRootOnly: boolean;
}

function load(o: Partial<LoadAuthConfigOptions & BearerCheckOptions>, fn: string): ResolvedLoadOptions {
  return Object.freeze({
    fn,
    argv: o.argv ?? process.argv,
    env: o.env ?? process.env,
    configFile: o.configFile,
    envPrefix: o.envPrefix ?? '',
    required: o.required ?? false,
    maxTokenLength: o.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH,
    keysFile: o.keysFile,
    otherKeys: o.keyStore !== undefined || o.verify !== undefined,
    environment: o.environment,
    environmentPosture: o.environmentPosture,
    enrollmentPath: o.enrollment?.path,
    redis: resolveRedisOption(o.redis),
  });
}

function check(o: Partial<BearerCheckOptions>, fn: string): ResolvedCheckOptions {
  return Object.freeze({
    ...load(o, fn),
    token: o.token === undefined ? undefined : Object.freeze(typeof o.token === 'string' ? [o.token] : [...o.token]),
    realm: o.realm ?? DEFAULT_REALM,
    logger: o.logger ?? console,
    keyStore: o.keyStore,
    families: new Set(o.families ?? DEFAULT_FAMILIES),
    verify: o.verify,
    audit: o.audit,
    approvalKeys: o.approvalKeys,
    throttle: o.throttle,
  });
}

/** Validates and completes the options of loadAuthConfig(). @internal */
export function resolveLoadOptions(options: unknown, fn: string): ResolvedLoadOptions {
  return load(validateOptions<LoadAuthConfigOptions>(options, LOAD_KEYS, fn), fn);
}

/** Validates and completes the options of createBearerStrategy(). @internal */
export function resolveCheckOptions(options: unknown, fn: string): ResolvedCheckOptions {
  return check(validateOptions<BearerCheckOptions>(options, CHECK_KEYS, fn), fn);
}

/** Validates and completes the options of bearerGuard(). @internal */
export function resolveGuardOptions(options: unknown, fn: string): ResolvedGuardOptions {
  const o = validateOptions<BearerGuardOptions>(options, GUARD_KEYS, fn);
  return Object.freeze({ ...check(o, fn), public: Object.freeze([...(o.public ?? DEFAULT_PUBLIC_PATHS)]), publicRootOnly: o.public === undefined });
}
