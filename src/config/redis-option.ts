// The `redis` option: checked with fix-it messages, normalised, and given to the load as its lowest layer.
import type { BearerGuardRedisOptions, RedisClientLike } from './options.js';
import type { Layer } from './schema.js';
import { setting, type SettingKey } from './settings.js';

/** The `redis` option in one shape. @internal */
export interface ResolvedRedisOption {
  readonly url: string | undefined;
  readonly client: RedisClientLike | undefined;
  readonly prefix: string | undefined;
  readonly resyncInterval: number | undefined;
  readonly maxStaleness: number | undefined;
}

/** How messages name the option as a source. @internal */
export const REDIS_OPTION = 'the redis option';

const FIELDS = ['url', 'client', 'prefix', 'resyncInterval', 'maxStaleness'];
const NUMBERS: ReadonlyArray<readonly ['resyncInterval' | 'maxStaleness', SettingKey]> = [
  ['resyncInterval', 'redisResyncInterval'],
  ['maxStaleness', 'redisMaxStaleness'],
];

/** True for an ioredis client (what `duplicate()` and `quit()` make it), false for a plain options object. @internal */
export function isRedisClient(value: unknown): value is RedisClientLike {
  const v = value as { duplicate?: unknown; quit?: unknown; options?: unknown } | null;
  return typeof v === 'object' && v !== null && typeof v.duplicate === 'function' && typeof v.quit === 'function' && typeof v.options === 'object';
}

/**
 * Checks the `redis` option. Its strings are never echoed (a URL may hold a password).
 * @param fail - `type` throws a TypeError, `range` a RangeError, each naming the option
 * @internal
 */
export function checkRedisOption(value: unknown, fail: { type(expected: string): never; range(message: string): never }): void {
  const expected = 'a redis:// URL string, an ioredis client, or an object { url | client, prefix, resyncInterval, maxStaleness }';
  if (typeof value === 'string') {
    if (value === '') fail.range('must not be empty; omit it to use no Redis');
    return;
  }
  if (isRedisClient(value)) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail.type(expected);
  const o = value as Record<string, unknown>;
  const unknown = Object.keys(o).find((k) => !FIELDS.includes(k));
  if (unknown !== undefined) fail.range(`has an unknown field${/^[A-Za-z]{1,30}$/.test(unknown) ? ` \`${unknown}\`` : ''} (known: ${FIELDS.join(', ')})`);
  if (o.url !== undefined && (typeof o.url !== 'string' || o.url === '')) fail.range('.url must be a non-empty redis:// or rediss:// URL string');
  if (o.client !== undefined && !isRedisClient(o.client)) fail.range('.client must be an ioredis client (new Redis(...) from ioredis)');
  if (o.url !== undefined && o.client !== undefined) fail.range('gives both url and client; give one');
  if (o.prefix !== undefined && (typeof o.prefix !== 'string' || !/^[\x21-\x7e]{1,64}$/.test(o.prefix))) {
    fail.range('.prefix must be 1 to 64 printable ASCII characters without spaces, e.g. "bearer-guard:"');
  }
  for (const [field, key] of NUMBERS) {
    const n = o[field];
    if (n === undefined) continue;
    const { min, max } = setting(key).range!;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max) fail.range(`.${field} must be a number of seconds from ${min} to ${max}`);
  }
}

/** The option, already checked, in one shape; undefined when absent. @internal */
export function resolveRedisOption(value: string | RedisClientLike | BearerGuardRedisOptions | undefined): ResolvedRedisOption | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return Object.freeze({ url: value, client: undefined, prefix: undefined, resyncInterval: undefined, maxStaleness: undefined });
  if (isRedisClient(value)) return Object.freeze({ url: undefined, client: value, prefix: undefined, resyncInterval: undefined, maxStaleness: undefined });
  const o = value as BearerGuardRedisOptions;
  return Object.freeze({ url: o.url, client: o.client, prefix: o.prefix, resyncInterval: o.resyncInterval, maxStaleness: o.maxStaleness });
}

/**
 * The layer the option gives (below every other source), recording it in `sources` for settings
 * no other source set. Call after the other sources have been recorded.
 * @internal
 */
export function redisOptionLayer(redis: ResolvedRedisOption | undefined, sources: Record<string, string>): Layer {
  const layer: Layer = {};
  if (redis === undefined) return layer;
  const give = (key: SettingKey, value: string | number | undefined): void => {
    if (value === undefined) return;
    const { name } = setting(key);
    layer[name] = String(value);
    sources[name] ??= REDIS_OPTION;
  };
  give('redisUrl', redis.url);
  give('redisPrefix', redis.prefix);
  give('redisResyncInterval', redis.resyncInterval);
  give('redisMaxStaleness', redis.maxStaleness);
  return layer;
}
