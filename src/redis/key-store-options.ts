// The options of RedisKeyStore.connect, their defaults, and their checks.
import type { Redis } from 'ioredis';
import { optionRangeError } from '../errors/startup.js';
import type { RedisLogger } from './health.js';
import { DEFAULT_REDIS_PREFIX } from './names.js';

/** Options of `RedisKeyStore.connect`. Give exactly one of `url` and `client`. */
export interface RedisKeyStoreOptions {
  /** A `redis://` or `rediss://` URL; the store opens (and closes) its own connections. */
  url?: string;
  /** A client the app already has; the store never quits it (only the subscriber it duplicates). */
  client?: Redis;
  /** Prefix of every Redis name. Default `bearer-guard:`. */
  prefix?: string;
  /** How often (ms) the epoch is re-read, in case a published change was missed. Default 5000. */
  resyncIntervalMs?: number;
  /** How long (ms) the last snapshot may be served without Redis confirming it. Default 60000. */
  maxStalenessMs?: number;
  /** Where the unreachable / stale / recovered lines go. Default `console`. */
  logger?: RedisLogger;
  /** How messages name where the URL came from, e.g. `env AUTH_REDIS_URL`. Default `the redis option`. */
  source?: string;
}

/** The options with their defaults applied. @internal */
export interface ResolvedRedisOptions {
  readonly prefix: string;
  readonly resyncIntervalMs: number;
  readonly maxStalenessMs: number;
  readonly logger: RedisLogger;
  readonly source: string;
}

/**
 * Applies the defaults and checks the options (not the URL, which `connectRedis` checks).
 * @throws RangeError (`ERR_BEARER_GUARD_REDIS`) naming the option
 * @internal
 */
export function resolveRedisOptions(options: RedisKeyStoreOptions): ResolvedRedisOptions {
  const { url, client, prefix = DEFAULT_REDIS_PREFIX, resyncIntervalMs = 5000, maxStalenessMs = 60_000, logger = console, source = 'the redis option' } = options;
  const bad = (problem: string): RangeError => optionRangeError('ERR_BEARER_GUARD_REDIS', `RedisKeyStore.connect: ${problem}`);
  if ((url === undefined) === (client === undefined)) throw bad('give exactly one of url and client');
  if (typeof prefix !== 'string' || !/^[\x21-\x7e]{0,64}$/.test(prefix)) throw bad('prefix must be up to 64 printable ASCII characters without spaces');
  for (const [key, value] of [['resyncIntervalMs', resyncIntervalMs], ['maxStalenessMs', maxStalenessMs]] as const) {
    if (!(Number.isFinite(value) && value >= 10 && value < 2 ** 31)) throw bad(`${key} must be a number of ms >= 10`);
  }
  return { prefix, resyncIntervalMs, maxStalenessMs, logger, source };
}
