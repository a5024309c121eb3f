// loadAuthConfig: argv > env > INI file > option > default for every setting, with token files and start-up checks.
import { BearerGuardConfigError, warning, type BearerGuardWarning } from '../errors/startup.js';
import { Secret } from '../safety/secret.js';
import { readArgv, type SourceValues } from './argv.js';
import { emptySources, judgeEmpty, suppliers } from './empty-values.js';
import { readEnv } from './env.js';
import { readIniFile } from './ini-file.js';
import type { LoadAuthConfigOptions } from './options.js';
import { resolveLoadOptions, type ResolvedLoadOptions } from './resolve.js';
import { layerOf, mergeLayers, type Layer } from './schema.js';
import { setting, type SettingKey } from './settings.js';
import { pickToken } from './pick-token.js';
import { readNumberSettings } from './number-setting.js';
import { findStrayEnv, judgeStrayEnv } from './unknown-names.js';
import { FileKeyStore } from '../keys/file-store.js';
import { readTrustedKeysFile } from '../approval/live-keys.js';
import { checkConfiguredDigest, checkConfiguredToken } from './token-rules.js';
import { checkEnvironment, environmentOptionLayer } from './load-environment.js';
import { readTwinFiles } from './setting-file.js';
import { redisOptionLayer } from './redis-option.js';
import { resolveRedis } from './load-redis.js';
import type { EnvironmentPosture } from '../request/environment-context.js';

/** The loaded configuration. Printing, inspecting or serialising it never shows a token or digest. */
export interface AuthConfig {
  /** The single token, wrapped so that it never prints; `undefined` when none is configured. */
  readonly token: Secret | undefined;
  /** The single token given as `sha256:<hex>` (`--auth-bearer-token-sha256`), wrapped likewise. */
  readonly tokenSha256: Secret | undefined;
  /** Where the token (or its digest) came from, e.g. `--auth-bearer-token` or `env DEEPAAS_AUTH_BEARER_TOKEN`. */
  readonly tokenSource: string | undefined;
  /** The file the token was read from (`--auth-bearer-token-file`, `AUTH_BEARER_TOKEN_FILE`), which guards watch. */
  readonly tokenFile: string | undefined;
  /** The keys file of named keys, if any. */
  readonly keysFile: string | undefined;
  /** The JWKS file of trusted approver keys (`--auth-approval-keys-file`), if any. */
  readonly approvalKeysFile: string | undefined;
  /** Whether some source demanded a token or keys (they are then present: otherwise loading throws). */
  readonly required: boolean;
  /** The config file that was read, if any. */
  readonly configFile: string | undefined;
  /** Where each setting came from, by INI-style name (`auth_keys_file`: `env AUTH_KEYS_FILE`); set ones only. */
  readonly sources: Readonly<Record<string, string>>;
  /** The environment this server runs in (`--auth-environment`), if set. */
  readonly environment: string | undefined;
  /** Its posture (`--auth-environment-posture`), if set. */
  readonly environmentPosture: EnvironmentPosture | undefined;
  /** The enrollment endpoint's path (`--auth-enrollment-path`), if set. */
  readonly enrollmentPath: string | undefined;
  /** The Redis URL (`--auth-redis-url`), wrapped because it may hold a password; if set. */
  readonly redisUrl: Secret | undefined;
  /** The Redis key prefix (`--auth-redis-prefix`), if set. */
  readonly redisPrefix: string | undefined;
  /** Seconds between re-reads of the Redis change counter (`--auth-redis-resync-interval`), if set. */
  readonly redisResyncInterval: number | undefined;
  /** Seconds a replica serves its last keys while Redis is unreachable (`--auth-redis-max-staleness`), if set. */
  readonly redisMaxStaleness: number | undefined;
  /** Whether some source turned the brute-force throttle on or off (`--auth-throttle`); undefined when none did. */
  readonly throttle: boolean | undefined;
  /** Failures within the window that start a block (`--auth-throttle-failures`), if set. */
  readonly throttleFailures: number | undefined;
  /** The throttle's counting window in seconds (`--auth-throttle-window-seconds`), if set. */
  readonly throttleWindowSeconds: number | undefined;
  /** How long a block lasts in seconds (`--auth-throttle-block-seconds`), if set. */
  readonly throttleBlockSeconds: number | undefined;
  /** Start-up warnings for an operator (auth off, weak token, readable config file). */
  readonly warnings: readonly BearerGuardWarning[];
}

/**
 * Loads the configuration the way `bearerGuard()` does. Each setting of the table (token, its
 * SHA-256, keys file, config file, required) is read from its flag, then its env var, then its
 * INI key in the file named by `--config-file`, `AUTH_CONFIG_FILE` or `configFile`. An empty
 * value is an error unless another source gives the setting (then a warning).
 *
 * @param options - sources to read instead of the process's own
 * @returns the configuration; its `token` is a {@link Secret}
 * @throws BearerGuardConfigError (or TypeError/RangeError for bad options) naming the source, never the value
 * @example
 * ```ts
 * const config = loadAuthConfig({ envPrefix: 'DEEPAAS_' });
 * console.log(config); // token: Secret [redacted]
 * ```
 */
export function loadAuthConfig(options?: LoadAuthConfigOptions): AuthConfig {
  return loadConfig(resolveLoadOptions(options, 'loadAuthConfig'));
}

/** {@link loadAuthConfig} on options already resolved. @internal */
export function loadConfig(o: ResolvedLoadOptions): AuthConfig {
  const args = readArgv(o.argv);
  const env = readEnv(o.env, o.envPrefix);
  const stray = findStrayEnv(o.env, o.envPrefix);
  // A prefixed unknown name is refused whatever else is configured.
  if (o.envPrefix !== '') judgeStrayEnv({ unknown: stray.unknown, unprefixed: [] }, o.envPrefix, env.shownPrefix, true);
  const warnings: BearerGuardWarning[] = [];
  const sources: Record<string, string> = {};

  const [configFile, configSource] =
    typeof args.values.configFile === 'string' ? [args.values.configFile, '--config-file']
    : typeof env.values.configFile === 'string' ? [env.values.configFile, `env ${env.names.configFile}`]
    : o.configFile !== undefined ? [o.configFile, 'the configFile option']
    : [undefined, undefined];
  const ini = configFile !== undefined ? readIniFile(configFile, configSource!) : undefined;
  if (configFile !== undefined) sources.auth_config_file = configSource!;
  warnings.push(...judgeEmpty(emptySources(args, env, configFile, ini?.empty ?? []), suppliers(o, args, env, configFile, ini?.values)));

  const { token, digest } = pickToken(args, env, ini, configFile);
  // The other settings' -file / _FILE twins (the Redis URL), read only where they win.
  const twins = readTwinFiles(args, env);

  const layers: Layer[] = [];
  if (o.keysFile !== undefined) layers.push({ auth_keys_file: o.keysFile });
  // The other settings, lowest precedence first; the token and config file are settled above.
  const others: Array<[SourceValues['values'] | undefined, (k: SettingKey) => string]> = [
    [ini?.values, () => `config file ${configFile}`],
    [twins.env, (k) => twins.sources[k] ?? `env ${env.names[k]}`],
    [twins.args, (k) => twins.sources[k] ?? setting(k).flag],
  ];
  for (const [values, where] of others) {
    if (values === undefined) continue;
    const { token: _t, tokenSha256: _d, configFile: _c, ...rest } = values;
    layers.push(layerOf(rest));
    for (const key of Object.keys(rest) as SettingKey[]) sources[setting(key).name] = where(key);
  }
  if (o.keysFile !== undefined && sources.auth_keys_file === undefined) sources.auth_keys_file = 'the keysFile option';
  layers.unshift(environmentOptionLayer(o, sources), redisOptionLayer(o.redis, sources));
  if (token) layers.push({ auth_bearer_token: token.value });
  if (digest) layers.push({ auth_bearer_token_sha256: digest.value });
  const merged = mergeLayers(layers);
  const environment = checkEnvironment(merged, sources);
  const numbers = readNumberSettings(merged, sources);
  // Any source may demand a token; none can waive the demand of another.
  const required = o.required || args.values.required === true || env.values.required === true || ini?.values.required === true || merged.required;

  if (ini !== undefined) warnings.push(...ini.warnings);
  const tokenSource = token?.source ?? digest?.source;
  if (tokenSource !== undefined) sources[token ? 'auth_bearer_token' : 'auth_bearer_token_sha256'] = tokenSource;
  if (token) {
    const weak = checkConfiguredToken(merged.token, token.source, o.maxTokenLength, (code, message) => new BearerGuardConfigError(code, message));
    if (weak) warnings.push(weak);
  }
  if (digest) checkConfiguredDigest(merged.tokenSha256, digest.source);
  const keysFile = merged.keysFile === '' ? undefined : merged.keysFile;
  const redis = resolveRedis(
    { url: merged.redisUrl, prefix: merged.redisPrefix, resyncInterval: numbers.redisResyncInterval, maxStaleness: numbers.redisMaxStaleness },
    sources,
    o.redis,
    keysFile === undefined ? undefined : { path: keysFile, source: sources.auth_keys_file ?? 'the keysFile option' },
  );
  // Read and validated now, so a bad keys file stops start-up with its problem (and `config check` sees it).
  if (keysFile !== undefined) warnings.push(...checkKeysFile(keysFile));
  const approvalKeysFile = merged.approvalKeysFile === '' ? undefined : merged.approvalKeysFile;
  if (approvalKeysFile !== undefined) readTrustedKeysFile(approvalKeysFile);
  const authOn = token !== undefined || digest !== undefined || keysFile !== undefined || redis !== undefined || o.otherKeys;
  warnings.push(...judgeStrayEnv(o.envPrefix === '' ? stray : { unknown: [], unprefixed: stray.unprefixed }, o.envPrefix, env.shownPrefix, authOn));
  if (!authOn) {
    if (required) {
      throw new BearerGuardConfigError(
        'ERR_BEARER_GUARD_TOKEN_REQUIRED',
        `a bearer token is required but none is configured; set --auth-bearer-token-file <path>, env ${env.names.token} or ${env.fileNames.token}, or auth_bearer_token under [DEFAULT] in a config file named with --config-file <path> or env ${env.names.configFile} (or name a keys file with --auth-keys-file, or Redis with --auth-redis-url)`,
      );
    }
    warnings.push(
      warning(
        'W_BEARER_GUARD_AUTH_OFF',
        `no bearer token is configured, so every route is open; set --auth-bearer-token-file <path>, env ${env.names.token} or ${env.fileNames.token}, or auth_bearer_token in a config file, or name a keys file with --auth-keys-file or Redis with --auth-redis-url (add --auth-required to refuse to start without one)`,
      ),
    );
  }
  return Object.freeze({
    token: token ? new Secret(merged.token) : undefined,
    tokenSha256: digest ? new Secret(merged.tokenSha256.toLowerCase()) : undefined,
    tokenSource,
    tokenFile: token?.file,
    keysFile,
    approvalKeysFile,
    required,
    configFile,
    ...environment,
    redisUrl: redis?.url === undefined ? undefined : new Secret(redis.url),
    redisPrefix: merged.redisPrefix === '' ? undefined : merged.redisPrefix,
    redisResyncInterval: numbers.redisResyncInterval,
    redisMaxStaleness: numbers.redisMaxStaleness,
    throttle: sources.auth_throttle === undefined ? undefined : merged.throttle,
    throttleFailures: numbers.throttleFailures,
    throttleWindowSeconds: numbers.throttleWindowSeconds,
    throttleBlockSeconds: numbers.throttleBlockSeconds,
    sources: Object.freeze(sources),
    warnings: Object.freeze(warnings),
  });
}

/** Reads and validates a keys file; returns its warnings. @internal */
export function checkKeysFile(path: string): BearerGuardWarning[] {
  const store = new FileKeyStore(path);
  store.list();
  return store.warnings();
}
