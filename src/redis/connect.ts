// Opening a Redis connection for a store: a short connect timeout, fast-failing commands, errors without the URL's password.
import type { Redis } from 'ioredis';
import { loadIoredis } from './load-ioredis.js';
import { redisError, redisErrorCode, withTimeout } from './errors.js';
import { checkRedisUrl, redisUrlLabel } from './url.js';

/** How long connecting may take before start-up fails (ms). */
export const CONNECT_TIMEOUT_MS = 3000;

/** How long one command may take before it counts as a failure (ms). */
export const COMMAND_TIMEOUT_MS = 3000;

/**
 * Connects to `url` and checks that Redis answers (PING, which also fails on a wrong password).
 * The client reconnects by itself afterwards (backing off up to 2 s), and commands sent while it
 * is down fail after a few retries instead of queueing forever.
 *
 * @param url - a `redis://` or `rediss://` URL
 * @param source - where the URL came from, e.g. `--redis-url` (named in messages)
 * @returns the connected client; the caller quits it
 * @throws BearerGuardConfigError (`ERR_BEARER_GUARD_REDIS`) naming the URL without its password,
 *   the source and the failure's code
 * @internal
 */
export async function connectRedis(url: string, source: string): Promise<Redis> {
  checkRedisUrl(url, source);
  const RedisClient = await loadIoredis();
  const client = new RedisClient(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 2,
    retryStrategy: (times) => Math.min(50 * 2 ** times, 2000),
  });
  let lastError: unknown;
  // Without a listener, ioredis prints every connection error to stderr.
  client.on('error', (err: unknown) => (lastError = err));
  try {
    await withTimeout(client.connect(), CONNECT_TIMEOUT_MS + 500);
    await withTimeout(client.ping(), COMMAND_TIMEOUT_MS);
  } catch (err) {
    client.disconnect();
    throw redisError(`cannot reach Redis ${redisUrlLabel(url)} (from ${source}): ${redisErrorCode(lastError ?? err)}; check that Redis runs and that the URL and its password are right`);
  }
  return client;
}

/**
 * Checks that an app's own client answers (PING within the connect timeout); never closes it.
 * @throws BearerGuardConfigError (`ERR_BEARER_GUARD_REDIS`) naming the Redis, the source and the failure's code
 * @internal
 */
export async function checkClient(client: Redis, source: string): Promise<void> {
  try {
    await withTimeout(client.ping(), CONNECT_TIMEOUT_MS);
  } catch (err) {
    throw redisError(`cannot reach Redis ${clientLabel(client)} (from ${source}): ${redisErrorCode(err)}; check that Redis runs and that the client's options are right`);
  }
}

/**
 * How messages name the Redis a client talks to: `redis://host:port/db`, never its password.
 * @internal
 */
export function clientLabel(client: Redis): string {
  const { host, port, db, tls, path } = client.options;
  if (typeof path === 'string' && path !== '') return `redis+unix://${path}`;
  return `${tls === undefined ? 'redis' : 'rediss'}://${host ?? '127.0.0.1'}:${port ?? 6379}/${db ?? 0}`;
}
