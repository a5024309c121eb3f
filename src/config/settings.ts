// The settings table: one entry per setting, from which its flag, env var and INI key derive.

/** How a setting's raw text is read (`text`: a plain string that is not a secret). @internal */
export type SettingType = 'secret' | 'path' | 'boolean' | 'text';

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
}

/** The loaded settings' field names. @internal */
export type SettingKey = 'token' | 'tokenSha256' | 'keysFile' | 'configFile' | 'required' | 'approvalKeysFile' | 'environment' | 'environmentPosture' | 'enrollmentPath';

interface Entry {
  key: SettingKey;
  name: string;
  type: SettingType;
  doc: string;
  flag?: string;
  ini?: false;
  fileTwin?: boolean;
  group?: SettingKey;
}

// Adding a setting is one entry here, plus where its value is used.
const ENTRIES: readonly Entry[] = [
  { key: 'token', name: 'auth_bearer_token', type: 'secret', fileTwin: true, doc: 'The single bearer token (an implicit key named "token", family service, scopes *).' },
  { key: 'tokenSha256', name: 'auth_bearer_token_sha256', type: 'secret', group: 'token', doc: 'The single token given as sha256:<64 hex> instead of its value.' },
  { key: 'keysFile', name: 'auth_keys_file', type: 'path', doc: 'The keys file (JSON) of named keys, watched for changes.' },
  { key: 'configFile', name: 'auth_config_file', type: 'path', flag: '--config-file', ini: false, doc: 'The INI file to read auth_* keys from.' },
  { key: 'required', name: 'auth_required', type: 'boolean', doc: 'Refuse to start without a token or keys.' },
  { key: 'approvalKeysFile', name: 'auth_approval_keys_file', type: 'path', doc: 'The JWKS file of trusted Ed25519 approver keys for requireApproval, watched for changes.' },
  { key: 'environment', name: 'auth_environment', type: 'text', doc: 'The environment this server runs in (e.g. prod); keys bound to another environment are refused.' },
  { key: 'environmentPosture', name: 'auth_environment_posture', type: 'text', doc: 'How strict the environment is: dev, staging or prod.' },
  { key: 'enrollmentPath', name: 'auth_enrollment_path', type: 'text', doc: 'The path where agents enroll with an enrollment token (POST), e.g. /v2/agents; needs a keys file.' },
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
    }),
  ),
);

/** The INI keys bearer-guard understands. @internal */
export const INI_KEYS: readonly string[] = Object.freeze(SETTINGS.flatMap((s) => (s.ini === undefined ? [] : [s.ini])));

/** The setting for `key`. @internal */
export function setting(key: SettingKey): Setting {
  return SETTINGS.find((s) => s.key === key)!;
}
