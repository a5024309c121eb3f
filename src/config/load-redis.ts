// The Redis settings of a load: the URL checked (naming its source), and Redis refused next to a keys file.
import { BearerGuardConfigError } from '../errors/startup.js';
import { checkRedisUrl } from '../redis/url.js';
import { DEFAULT_REDIS_MAX_STALENESS, DEFAULT_REDIS_RESYNC_INTERVAL, type RedisClientLike } from './options.js';
import { REDIS_OPTION, type ResolvedRedisOption } from './redis-option.js';

/** Where the keys come from when Redis is configured, with every default filled in. @internal */
export interface RedisSetup {
  /** The URL (it may hold a password: never put it in a message), or undefined when `client` is used. */
  readonly url: string | undefined;
  readonly client: RedisClientLike | undefined;
  /** Where the URL (or client) came from, e.g. `env AUTH_REDIS_URL` or `the redis option`. */
  readonly source: string;
  readonly prefix: string;
  /** Seconds. */
  readonly resyncInterval: number;
  /** Seconds. */
  readonly maxStaleness: number;
}

/** What a load found for Redis. @internal */
export interface LoadedRedis {
  readonly url: string | undefined;
  readonly prefix: string | undefined;
  readonly resyncInterval: number | undefined;
  readonly maxStaleness: number | undefined;
}

/**
 * The Redis setup, or undefined when no source gives a URL and the option gives no client. A URL
 * from any source beats a client given in the option.
 *
 * @param loaded - the loaded values ('' or undefined for unset)
 * @param sources - where each set setting came from, by INI-style name
 * @param option - the `redis` option
 * @param keysFile - the keys file in force and where it came from, if any
 * @throws BearerGuardConfigError: `ERR_BEARER_GUARD_REDIS` for a URL that is not `redis://` or
 *   `rediss://`, `ERR_BEARER_GUARD_CONFLICTING_SOURCES` when a keys file is configured too
 * @internal
 */
export function resolveRedis(
  loaded: LoadedRedis,
  sources: Readonly<Record<string, string>>,
  option: ResolvedRedisOption | undefined,
  keysFile: { path: string; source: string } | undefined,
): RedisSetup | undefined {
  const url = loaded.url === '' ? undefined : loaded.url;
  const client = url === undefined ? option?.client : undefined;
  if (url === undefined && client === undefined) return undefined;
  const source = url === undefined ? REDIS_OPTION : (sources.auth_redis_url ?? REDIS_OPTION);
  if (url !== undefined) checkRedisUrl(url, source);
  if (keysFile !== undefined) throw keysFileAndRedis(keysFile.source, source);
  return Object.freeze({
    url,
    client,
    source,
    prefix: loaded.prefix === undefined || loaded.prefix === '' ? 'bearer-guard:' : loaded.prefix,
    resyncInterval: loaded.resyncInterval ?? DEFAULT_REDIS_RESYNC_INTERVAL,
    maxStaleness: loaded.maxStaleness ?? DEFAULT_REDIS_MAX_STALENESS,
  });
}

/** The start-up error for keys configured in two places. @internal */
export function keysFileAndRedis(keysSource: string, redisSource: string): BearerGuardConfigError {
  return new BearerGuardConfigError(
    'ERR_BEARER_GUARD_CONFLICTING_SOURCES',
    `keys come from one place, but ${keysSource} names a keys file (or key store) and ${redisSource} configures Redis; remove one (to move a keys file into Redis: bearer-guard keys import --from <file> --redis-url <url>)`,
  );
}
