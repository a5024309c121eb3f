// The settings table: one entry per setting, from which its flag, env var and INI key derive.

/**
 * How a setting's raw text is read (`text`: a plain string that is not a secret; `number`: a
 * decimal number within the setting's `range`). @internal
 */
export type SettingType = 'secret' | 'path' | 'boolean' | 'text' | 'number';

/** The values a `number` setting accepts. @internal */
export interface NumberRange {
  readonly min: number;
  readonly max: number;
  /** Whole numbers only. */
  readonly integer: boolean;
  /** The unit messages and docs name, e.g. `seconds`. */
  readonly unit: string;
}

/** One setting that argv, env and the INI file can give. @internal */
export interface Setting {
  /** Field of the loaded values, e.g. `token`. */
  readonly key: SettingKey;
  /** The INI spelling; the flag and env var derive from it. */
  readonly name: string;
  readonly type: SettingType;
  /** `--auth-bearer-token` for `auth_bearer_token`, unless overridden. */
  readonly flag: string;
  /** `AUTH_BEARER_TOKEN` for `auth_bearer_token` (before the envPrefix). */
  readonly env: string;
  /** The INI key, or undefined when the INI file cannot set it. */
  readonly ini: string | undefined;
  /** Also read from a file named by `<flag>-file` / `<env>_FILE` (Docker secrets convention). */
  readonly fileTwin: boolean;
  /** Its value is never shown, not even by `config check`. */
  readonly sensitive: boolean;
  /**
   * The setting whose value this one gives in another form (the token's digest gives the token);
   * itself otherwise. An empty source is an error unless a source of the same group gives a value.
   */
  readonly group: SettingKey;
  /** One line for `--help`, `config check` and the docs. */
  readonly doc: string;
  /** For a `number` setting, the values it accepts. */
  readonly range: NumberRange | undefined;
  /** What its value is, for messages about where it is kept (`a token`, `a Redis URL`). */
  readonly noun: string;
}

/** The loaded settings' field names. @internal */
export type SettingKey =
  | 'token'
  | 'tokenSha256'
  | 'keysFile'
  | 'configFile'
  | 'required'
  | 'approvalKeysFile'
  | 'environment'
  | 'environmentPosture'
  | 'enrollmentPath'
  | 'redisUrl'
  | 'redisPrefix'
  | 'redisResyncInterval'
  | 'redisMaxStaleness'
  | 'throttle'
  | 'throttleFailures'
  | 'throttleWindowSeconds'
  | 'throttleBlockSeconds';

/** The settings whose values are booleans. @internal */
export type BooleanSettingKey = 'required' | 'throttle';

interface Entry {
  key: SettingKey;
  name: string;
  type: SettingType;
  doc: string;
  flag?: string;
  ini?: false;
  fileTwin?: boolean;
  group?: SettingKey;
  range?: NumberRange;
  noun?: string;
}

const SECONDS = (min: number, max: number): NumberRange => ({ min, max, integer: false, unit: 'seconds' });

// Adding a setting is one entry here, plus where its value is used.
const ENTRIES: readonly Entry[] = [
  { key: 'token', name: 'auth_bearer_token', type: 'secret', fileTwin: true, noun: 'a token', doc: 'The single bearer token (an implicit key named "token", family service, scopes *).' },
  { key: 'tokenSha256', name: 'auth_bearer_token_sha256', type: 'secret', group: 'token', noun: 'a token digest', doc: 'The single token given as sha256:<64 hex> instead of its value.' },
  { key: 'keysFile', name: 'auth_keys_file', type: 'path', doc: 'The keys file (JSON) of named keys, watched for changes.' },
  { key: 'configFile', name: 'auth_config_file', type: 'path', flag: '--config-file', ini: false, doc: 'The INI file to read auth_* keys from.' },
  { key: 'required', name: 'auth_required', type: 'boolean', doc: 'Refuse to start without a token or keys.' },
  { key: 'approvalKeysFile', name: 'auth_approval_keys_file', type: 'path', doc: 'The JWKS file of trusted Ed25519 approver keys for requireApproval, watched for changes.' },
  { key: 'environment', name: 'auth_environment', type: 'text', doc: 'The environment this server runs in (e.g. prod); keys bound to another environment are refused.' },
  { key: 'environmentPosture', name: 'auth_environment_posture', type: 'text', doc: 'How strict the environment is: dev, staging or prod.' },
  { key: 'enrollmentPath', name: 'auth_enrollment_path', type: 'text', doc: 'The path where agents enroll with an enrollment token (POST), e.g. /v2/agents; needs a keys file.' },
  { key: 'redisUrl', name: 'auth_redis_url', type: 'secret', fileTwin: true, noun: 'a Redis URL', doc: 'The Redis holding the keys for every replica, e.g. redis://127.0.0.1:6379/0 (may hold a password); not with a keys file.' },
  { key: 'redisPrefix', name: 'auth_redis_prefix', type: 'text', doc: 'The prefix of every Redis key bearer-guard uses (default bearer-guard:).' },
  { key: 'redisResyncInterval', name: 'auth_redis_resync_interval', type: 'number', range: SECONDS(0.05, 3600), doc: 'How often each replica re-reads the Redis change counter, in seconds (default 5).' },
  { key: 'redisMaxStaleness', name: 'auth_redis_max_staleness', type: 'number', range: SECONDS(0.1, 86400), doc: 'How long a replica serves its last keys while Redis is unreachable, in seconds, before refusing with 503 (default 60).' },
  { key: 'throttle', name: 'auth_throttle', type: 'boolean', doc: 'Block a client IP for a while after too many failed attempts (429).' },
  { key: 'throttleFailures', name: 'auth_throttle_failures', type: 'number', range: { min: 1, max: 1_000_000, integer: true, unit: 'failures' }, doc: 'Failed attempts from one IP within the window that start a block (default 50).' },
  { key: 'throttleWindowSeconds', name: 'auth_throttle_window_seconds', type: 'number', range: { min: 1, max: 86400, integer: true, unit: 'seconds' }, doc: 'The window the failures are counted in, in seconds (default 60).' },
  { key: 'throttleBlockSeconds', name: 'auth_throttle_block_seconds', type: 'number', range: { min: 1, max: 86400, integer: true, unit: 'seconds' }, doc: 'How long a blocked IP gets 429, in seconds (default 300).' },
];

/** Every setting, in the order messages and `config check` list them. @internal */
export const SETTINGS: readonly Setting[] = Object.freeze(
  ENTRIES.map((e) =>
    Object.freeze({
      key: e.key,
      name: e.name,
      type: e.type,
      flag: e.flag ?? `--${e.name.replace(/_/g, '-')}`,
      env: e.name.toUpperCase(),
      ini: e.ini === false ? undefined : e.name,
      fileTwin: e.fileTwin === true,
      sensitive: e.type === 'secret',
      group: e.group ?? e.key,
      doc: e.doc,
      range: e.range,
      noun: e.noun ?? `the value of ${e.name}`,
    }),
  ),
);

/** The INI keys bearer-guard understands. @internal */
export const INI_KEYS: readonly string[] = Object.freeze(SETTINGS.flatMap((s) => (s.ini === undefined ? [] : [s.ini])));

/** The setting for `key`. @internal */
export function setting(key: SettingKey): Setting {
  return SETTINGS.find((s) => s.key === key)!;
}
