// The brute-force throttle: failed attempts counted per client IP (in memory, or in Redis for every replica), blocks checked locally.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type IRateLimiterOptions } from 'rate-limiter-flexible';
import type { BearerGuardLogger } from '../config/options.js';
import { BlockTable } from './blocks.js';
import { clientKey } from './client-ip.js';
import { RedisHealth, withTimeout } from './health.js';
import { REDIS_TIMEOUT_MS, startBlockSync, throttleNames, type BlockSync } from './redis-sync.js';
import type { ThrottleRedisClient } from './redis-client.js';
import type { ThrottleSettings } from './settings.js';

/** Where the throttle shares its counts and blocks between replicas. @internal */
export interface ThrottleRedis {
  /** A connected (or connecting) ioredis client; the throttle duplicates it once to subscribe, and never closes it. */
  readonly client: ThrottleRedisClient;
  /** The key prefix, e.g. `bearer-guard:`; the throttle's names are `<prefix>throttle` and `<prefix>throttle:...`. */
  readonly prefix: string;
  /** How often the blocks are re-read from Redis, in ms (a lost pub/sub message is made good by then). */
  readonly resyncIntervalMs: number;
}

/** A running throttle. @internal */
export interface Throttle {
  readonly settings: ThrottleSettings;
  /**
   * Milliseconds left in the block of this request's client IP, or 0. Reads memory only; with no
   * block anywhere it does not even work out the IP.
   */
  blockedFor(req: IncomingMessage): number;
  /**
   * Counts one failed attempt of this request's client IP. Not awaited: the refusal is sent at
   * once, and a block that the count reaches applies from the next request the process sees.
   */
  failed(req: IncomingMessage): void;
  /** Stops the resync timer and the subscription (never closes the caller's Redis client). */
  close(): void;
}

/**
 * Starts a throttle: in this process's memory, or shared by every replica through `redis`.
 *
 * The request path never waits for Redis. Each replica keeps the blocks it knows of in memory;
 * a failed attempt is counted in Redis after the 401 is sent, and the count that crosses the
 * limit blocks the IP locally, then publishes the block and records it in a sorted set that
 * every replica re-reads each `resyncIntervalMs`. A Redis error or an answer slower than 1 s
 * counts in memory instead (`insuranceLimiter`), logged once, and its recovery once.
 *
 * @param settings - failures per window, window and block in seconds
 * @param logger - receives the block starts and the Redis fall-back and recovery
 * @param redis - share the counts and blocks through this Redis; omit for memory only
 * @returns the throttle
 * @internal
 */
export function createThrottle(settings: ThrottleSettings, logger: BearerGuardLogger, redis?: ThrottleRedis): Throttle {
  const blocks = new BlockTable();
  const base: IRateLimiterOptions = { points: settings.failures, duration: settings.windowSeconds, blockDuration: settings.blockSeconds };
  const health = new RedisHealth(logger);
  const memory = new RateLimiterMemory({ ...base, keyPrefix: 'bearer-guard-throttle' });
  let shared: RateLimiterRedis | undefined;
  let sync: BlockSync | undefined;
  if (redis !== undefined) {
    shared = new RateLimiterRedis({
      ...base,
      storeClient: redis.client,
      keyPrefix: throttleNames(redis.prefix).counters,
      rejectIfRedisNotReady: true,
      insuranceLimiter: insurance(memory, health),
    });
    sync = startBlockSync(redis.client, redis.prefix, redis.resyncIntervalMs, blocks, health);
  }

  const blocked = (ip: string, res: unknown): void => {
    // Anything else would be a bug in the limiter: never let it reach the request.
    if (!(res instanceof RateLimiterRes)) return;
    if (!blocks.add(ip, res.msBeforeNext)) return;
    // The replica whose count crossed the limit says so (once per IP and block), and tells the others.
    sync?.publish(ip, res.msBeforeNext);
    if (res.consumedPoints === settings.failures + 1) {
      health.say(`bearer-guard: throttle: ${isIP(ip) === 0 ? 'a client' : ip} reached ${settings.failures + 1} failed attempts within ${settings.windowSeconds} s and is blocked for ${settings.blockSeconds} s (429)`);
    }
  };

  const count = (ip: string): Promise<void> => {
    if (shared === undefined) return memory.consume(ip).then(() => undefined, (res: unknown) => blocked(ip, res));
    const counted = shared.consume(ip).then(() => undefined, (res: unknown) => blocked(ip, res));
    // A Redis that holds the connection but never answers: count this one in memory after a while.
    return withTimeout(counted, REDIS_TIMEOUT_MS).catch(() => {
      health.failed();
      return memory.consume(ip).then(() => undefined, (res: unknown) => blocked(ip, res));
    });
  };

  return {
    settings,
    blockedFor(req) {
      return blocks.size === 0 ? 0 : blocks.msLeft(clientKey(req));
    },
    failed(req) {
      const ip = clientKey(req);
      if (blocks.msLeft(ip) > 0) return;
      // Nothing of the count may reach the request, not even a throwing logger.
      count(ip).catch(() => undefined);
    },
    close() {
      sync?.close();
    },
  };
}

// The memory limiter the Redis limiter falls back to; its use means Redis failed.
function insurance(memory: RateLimiterMemory, health: RedisHealth): RateLimiterMemory {
  const consume = memory.consume.bind(memory);
  return Object.assign(Object.create(memory) as RateLimiterMemory, {
    consume: (...args: Parameters<RateLimiterMemory['consume']>) => {
      health.failed();
      return consume(...args);
    },
  });
}
