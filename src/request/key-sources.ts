// The sources of keys a guard was given: the token option or the loaded configuration (tokens, token file, keys file, Redis, approval keys), checked against each other.
import { checkKeysFile, loadConfig, type AuthConfig } from '../config/load.js';
import { logWarnings } from '../config/log-warnings.js';
import { TokenFileSource } from '../config/token-file-source.js';
import type { LoadedEnvironment } from '../config/load-environment.js';
import type { ResolvedCheckOptions } from '../config/resolve.js';
import { checkConfiguredToken } from '../config/token-rules.js';
import { optionRangeError, type BearerGuardWarning } from '../errors/startup.js';
import type { LegacyKey } from '../keys/keyring.js';
import type { ApprovalKeysSource } from '../approval/live-keys.js';
import { keysFileAndRedis, resolveRedis, type RedisSetup } from '../config/load-redis.js';
import { REDIS_OPTION } from '../config/redis-option.js';

/** Where a guard's keys come from, before anything is opened. @internal */
export interface KeySources {
  /** Start-up warnings, logged once the guard is built. */
  readonly warnings: BearerGuardWarning[];
  /** The single token (or the token option's tokens), as implicit keys. */
  readonly legacy: LegacyKey[];
  readonly keysFile: string | undefined;
  readonly tokenFile: TokenFileSource | undefined;
  /** The approval keys and how messages name them: a file from argv, env or INI wins over the option. */
  readonly approvalKeys: [ApprovalKeysSource, string] | undefined;
  readonly loaded: LoadedEnvironment;
  readonly redisSetup: RedisSetup | undefined;
  /** The loaded configuration; undefined when the token was given in code. */
  readonly config: AuthConfig | undefined;
}

/**
 * Reads the key sources from the `token` option (then nothing else is loaded but the keys file
 * option and the redis option) or from argv, env and the INI file, and refuses combinations that
 * cannot work: a keys file with a `keyStore`, Redis with a `keyStore`, a realm holding a token.
 *
 * @throws the start-up errors of the configuration, and ERR_BEARER_GUARD_INVALID_OPTION / CONFLICTING_SOURCES
 * @internal
 */
export function resolveKeySources(o: ResolvedCheckOptions): KeySources {
  const warnings: BearerGuardWarning[] = [];
  const legacy: LegacyKey[] = [];
  let keysFile = o.keysFile;
  let tokenFile: TokenFileSource | undefined;
  // The approval keys: a file from argv, env or INI wins over the approvalKeys option.
  let approvalKeys: [ApprovalKeysSource, string] | undefined = o.approvalKeys === undefined ? undefined : [o.approvalKeys, 'the approvalKeys option'];
  let loaded: LoadedEnvironment = o;
  let redisSetup: RedisSetup | undefined;
  let config: AuthConfig | undefined;
  if (o.token !== undefined) {
    const single = o.token.length === 1;
    o.token.forEach((token, i) => {
      const source = single ? 'the token option' : `the token option (entry ${i})`;
      const weak = checkConfiguredToken(token, source, o.maxTokenLength, (code, message) => optionRangeError(code, `${o.fn}: ${message}`));
      if (weak) warnings.push(weak);
      legacy.push({ id: single ? 'token' : `token[${i}]`, token });
    });
    if (keysFile !== undefined) warnings.push(...checkKeysFile(keysFile));
    // No configuration is loaded: Redis comes from the redis option alone.
    const r = o.redis;
    redisSetup = resolveRedis({ url: r?.url, prefix: r?.prefix, resyncInterval: r?.resyncInterval, maxStaleness: r?.maxStaleness }, { auth_redis_url: REDIS_OPTION }, r, keysFile === undefined ? undefined : { path: keysFile, source: 'the keysFile option' });
  } else {
    config = loadConfig(o);
    warnings.push(...config.warnings);
    if (config.token) legacy.push({ id: 'token', token: config.token.reveal() });
    if (config.tokenSha256) legacy.push({ id: 'token', digest: config.tokenSha256.reveal() });
    keysFile = config.keysFile;
    // A token file is watched like the keys file: its token is re-read on each change and reload.
    if (config.tokenFile !== undefined) tokenFile = new TokenFileSource(config.tokenFile, config.tokenSource!, o.maxTokenLength, (w) => logWarnings(o.logger, [w]));
    if (config.approvalKeysFile !== undefined) approvalKeys = [config.approvalKeysFile, config.approvalKeysFile];
    loaded = config;
    const url = config.redisUrl?.reveal();
    redisSetup = resolveRedis({ url, prefix: config.redisPrefix, resyncInterval: config.redisResyncInterval, maxStaleness: config.redisMaxStaleness }, config.sources, o.redis, undefined);
  }
  const tokens = legacy.flatMap((k) => (k.token === undefined ? [] : [k.token]));
  if (keysFile !== undefined && o.keyStore !== undefined) {
    throw optionRangeError('ERR_BEARER_GUARD_INVALID_OPTION', `${o.fn}: \`keyStore\` and a keys file were both given; configure one source of keys`);
  }
  // The realm goes to every client in WWW-Authenticate: refuse one that holds an accepted token.
  if (tokens.some((t) => o.realm === t || (t.length >= 8 && o.realm.includes(t)))) {
    throw optionRangeError(
      'ERR_BEARER_GUARD_INVALID_OPTION',
      `${o.fn}: \`realm\` contains an accepted token, and the realm is sent to every client in WWW-Authenticate; use a name such as "api"`,
    );
  }
  if (redisSetup !== undefined && o.keyStore !== undefined) throw keysFileAndRedis('the keyStore option', redisSetup.source);
  return { warnings, legacy, keysFile, tokenFile, approvalKeys, loaded, redisSetup, config };
}
