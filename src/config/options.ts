// The options types of the public surface, with their defaults.
import type { ApprovalKeysSource } from '../approval/live-keys.js';
import type { AuditSink } from '../audit/event.js';
import type { AuthIdentity } from '../keys/principal.js';
import type { KeyStore } from '../keys/store.js';
import type { KeyFamily } from '../keys/types.js';
import type { IncomingMessage } from 'node:http';
import type { EnvironmentPosture } from '../request/environment-context.js';
import type { ThrottleOption } from '../throttle/settings.js';

/** Where bearer-guard writes its start-up warnings and internal-error reports. */
export interface BearerGuardLogger {
  /** Receives one line of text; never called with a token in it. */
  warn(message: string): void;
}

/** Options shared by {@link loadAuthConfig}, `bearerGuard()` and `createBearerStrategy()`. */
export interface LoadAuthConfigOptions {
  /**
   * Command-line arguments to read `--auth-bearer-token`, `--auth-bearer-token-file`,
   * `--config-file` and `--auth-required` from, shaped like `process.argv` (the first two
   * entries are skipped). Other arguments are left to the app, except that a misspelt
   * `--auth...` flag stops start-up.
   * @defaultValue `process.argv`
   */
  argv?: readonly string[] | undefined;
  /**
   * Environment to read `AUTH_BEARER_TOKEN`, `AUTH_BEARER_TOKEN_FILE`, `AUTH_CONFIG_FILE` and
   * `AUTH_REQUIRED` from (each name behind `envPrefix`), shaped like `process.env`. Unknown
   * `<envPrefix>AUTH_*` names and unprefixed names of ours are refused or warned about.
   * @defaultValue `process.env`
   */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /**
   * INI file to read `auth_bearer_token` and `auth_required` from, used when neither
   * `--config-file` nor the `AUTH_CONFIG_FILE` env var names one.
   * @defaultValue none
   */
  configFile?: string | undefined;
  /**
   * Prefix for every env var name, e.g. `"DEEPAAS_"` reads `DEEPAAS_AUTH_BEARER_TOKEN`.
   * Letters, digits and `_` only.
   * @defaultValue `""`
   */
  envPrefix?: string | undefined;
  /**
   * Refuse to start without a token. Any source can demand it (`--auth-required`,
   * `AUTH_REQUIRED=true`, `auth_required = true`); none can waive it once this is `true`.
   * @defaultValue `false`
   */
  required?: boolean | undefined;
  /**
   * Longest token accepted, in characters, at start-up and on requests. Longer tokens in a
   * request are refused with `invalid_token` before any hashing.
   * @defaultValue `4096`
   */
  maxTokenLength?: number | undefined;
  /**
   * The keys file of named keys (JSON, see docs/keys.md), used when neither `--auth-keys-file`,
   * the `AUTH_KEYS_FILE` env var nor the INI key `auth_keys_file` names one. The file is watched:
   * changes apply without a restart.
   * @defaultValue none
   */
  keysFile?: string | undefined;
}

/** Options of `createBearerStrategy()`: the token sources plus how failures look. */
export interface BearerCheckOptions extends LoadAuthConfigOptions {
  /**
   * The token(s) to accept, given in code. When set, no configuration is loaded from argv, env
   * or files. An array accepts any of its tokens (for rotation). Each must be an RFC 6750
   * b64token: `A-Z a-z 0-9 - . _ ~ + /`, then optional `=` padding.
   * @defaultValue none: the token is loaded from argv, env and the config file
   */
  token?: string | readonly string[] | undefined;
  /**
   * The `realm` of the `WWW-Authenticate` challenge. Printable ASCII; `"` and `\` are escaped.
   * @defaultValue `"api"`
   */
  realm?: string | undefined;
  /**
   * Receives start-up warnings (auth off, weak token, readable config file) and reports of
   * errors inside the check.
   * @defaultValue `console`
   */
  logger?: BearerGuardLogger | undefined;
  /**
   * Your own key store (a database, say) instead of a keys file. The keyring is built from its
   * `list()` and rebuilt when it signals a change. Not together with a keys file.
   * @defaultValue none
   */
  keyStore?: KeyStore | undefined;
  /**
   * The key families this guard accepts. `enroll` is never accepted on a guarded route.
   * @defaultValue `["user", "service", "agent"]`
   */
  families?: readonly Exclude<KeyFamily, 'enroll'>[] | undefined;
  /**
   * Escape hatch for tokens the keyring does not hold (OAuth token introspection, say): called
   * only after the keyring found nothing, with the token and the request. Resolve to an identity
   * to accept, or `null` to refuse with `invalid_token`. Its identity goes through the same family
   * and scope checks. A throw or rejection is a 500. Its timing is your responsibility.
   * @defaultValue none
   */
  verify?: ((token: string, req: IncomingMessage) => Promise<AuthIdentity | null> | AuthIdentity | null) | undefined;
  /**
   * Receives one event per decision on a non-public request (see `AuditEvent`): a function,
   * or a pino-compatible logger (`info` for allow, `warn` for deny). Events never hold a token,
   * a digest, the Authorization header or the query string. A throwing sink changes nothing.
   * @defaultValue none
   */
  audit?: AuditSink | undefined;
  /**
   * The trusted approver keys for `requireApproval()`: the path of a JWKS file of Ed25519 public
   * keys (watched: changes apply without a restart, and a broken file keeps the last good keys),
   * or a JWKS object `{ keys: [...] }` (fixed). Used when neither `--auth-approval-keys-file`,
   * the `AUTH_APPROVAL_KEYS_FILE` env var nor the INI key `auth_approval_keys_file` names a file.
   * A key that is not Ed25519 (`kty` "OKP", `crv` "Ed25519") stops start-up.
   * @defaultValue none: `requireApproval()` then answers 500
   */
  approvalKeys?: ApprovalKeysSource | undefined;
  /**
   * The environment this server runs in, e.g. `"prod"`: 1 to 64 characters of `A-Z a-z 0-9 _ . -`.
   * A key whose entry names an environment is accepted only by a server in that environment
   * (elsewhere 401 `invalid_token`, audit reason `wrong_environment`); keys without one work
   * everywhere. Used when neither `--auth-environment`, the `AUTH_ENVIRONMENT` env var nor the
   * INI key `auth_environment` gives one.
   * @defaultValue none: only keys without an environment are accepted
   */
  environment?: string | undefined;
  /**
   * How strict the environment is: `dev`, `staging` or `prod`. Route middleware such as
   * `requireApproval` reads it. Used when neither `--auth-environment-posture`, the
   * `AUTH_ENVIRONMENT_POSTURE` env var nor the INI key `auth_environment_posture` gives one.
   * @defaultValue none
   */
  environmentPosture?: EnvironmentPosture | undefined;
  /**
   * The enrollment endpoint, answered by the guard itself: `POST <path>` with an enrollment token
   * (family `enroll`) creates an agent key and answers 201 with it (see docs/families.md). The
   * path is exact and matched like a public path. Needs a keys file (or a key store with
   * `enroll()`); only `bearerGuard()` answers it. Used when neither `--auth-enrollment-path`, the
   * `AUTH_ENROLLMENT_PATH` env var nor the INI key `auth_enrollment_path` gives one.
   * @defaultValue none: no enrollment endpoint
   */
  enrollment?: { path: string } | undefined;
  /**
   * The brute-force throttle: after `failures` refused attempts (401 with a token) from one client
   * IP within `windowSeconds`, every request from that IP to a guarded route is answered 429
   * `rate_limited` for `blockSeconds`, even with a valid key. `true` turns it on with the defaults
   * (50 failures per 60 s, 300 s block); an object changes some of them. The IP is `req.ip`:
   * behind a proxy, set Express's `trust proxy`. Used when neither `--auth-throttle` /
   * `--no-auth-throttle`, the `AUTH_THROTTLE` env var nor the INI key `auth_throttle` says; the
   * numbers likewise give way to `--auth-throttle-failures`, `--auth-throttle-window-seconds` and
   * `--auth-throttle-block-seconds` (and their env vars and INI keys).
   * @defaultValue `false`: off, so test suites and `selfTest` that send many refused requests are never blocked
   */
  throttle?: ThrottleOption | undefined;
  /**
   * Keys from Redis, shared by every replica (see docs/configuration.md#redis): a URL, an ioredis
   * client the app already has, or {@link BearerGuardRedisOptions}. Each replica serves from its
   * own copy of the keyring, kept current by pub/sub and a resync every `resyncInterval`; while
   * Redis is unreachable for longer than `maxStaleness`, requests get 503. Needs the optional peer
   * dependency ioredis. Not together with a keys file or `keyStore`. Used for each part that
   * neither `--auth-redis-url` (`-file`), `--auth-redis-prefix`, `--auth-redis-resync-interval`,
   * `--auth-redis-max-staleness`, their env vars nor their INI keys give. The middleware's
   * `ready` settles once the first keyring is loaded.
   * @defaultValue none
   */
  redis?: string | RedisClientLike | BearerGuardRedisOptions | undefined;
}

/**
 * An ioredis client the app already has (`new Redis(...)` from ioredis 6), typed by the few
 * members bearer-guard checks, so that apps without ioredis installed still compile.
 */
export interface RedisClientLike {
  /** ioredis's connection options (host, port, db); messages name the Redis by them, never a password. */
  readonly options: object;
  /** ioredis's `duplicate()`: the store opens its subscriber connection with it. */
  duplicate(...args: never[]): unknown;
  /** ioredis's `quit()`; bearer-guard never calls it on a client it did not open. */
  quit(...args: never[]): unknown;
}

/** The object form of {@link BearerCheckOptions.redis}. Give `url` or `client`, not both. */
export interface BearerGuardRedisOptions {
  /**
   * A `redis://` or `rediss://` URL (it may hold a password; messages never show it). The guard
   * opens its own connections and closes them on `close()`.
   * @defaultValue none
   */
  url?: string | undefined;
  /** An ioredis client the app already has; the guard duplicates it for pub/sub and never quits it. @defaultValue none */
  client?: RedisClientLike | undefined;
  /** Prefix of every Redis key bearer-guard uses, so that several services can share one Redis. @defaultValue `"bearer-guard:"` */
  prefix?: string | undefined;
  /** Seconds between re-reads of the change counter (the epoch), in case a published change was missed. @defaultValue `5` */
  resyncInterval?: number | undefined;
  /** Seconds a replica serves its last keys while Redis is unreachable, before answering 503. @defaultValue `60` */
  maxStaleness?: number | undefined;
}

/** Options of `bearerGuard()`. Every field is optional; `undefined` counts as absent. */
export interface BearerGuardOptions extends BearerCheckOptions {
  /**
   * Paths that stay open, matched exactly (not as prefixes) with Express's own semantics:
   * case-insensitive and with an optional trailing slash unless the app turned on
   * `case sensitive routing` or `strict routing`. Relative to where the guard is mounted.
   * @defaultValue `["/", "/v2/"]`
   */
  public?: readonly string[] | undefined;
}

/** Default of {@link BearerGuardOptions.public}. @internal */
export const DEFAULT_PUBLIC_PATHS: readonly string[] = Object.freeze(['/', '/v2/']);
/** Default of {@link BearerCheckOptions.realm}. @internal */
export const DEFAULT_REALM = 'api';
/** Default of {@link LoadAuthConfigOptions.maxTokenLength}. @internal */
export const DEFAULT_MAX_TOKEN_LENGTH = 4096;
/** Tokens shorter than this start with a warning. @internal */
export const WEAK_TOKEN_LENGTH = 32;
/** Defaults of {@link BearerGuardRedisOptions} (seconds). @internal */
export const DEFAULT_REDIS_RESYNC_INTERVAL = 5;
/** @internal */
export const DEFAULT_REDIS_MAX_STALENESS = 60;
/** Default of {@link BearerCheckOptions.families}. @internal */
export const DEFAULT_FAMILIES: readonly KeyFamily[] = Object.freeze(['user', 'service', 'agent']);
