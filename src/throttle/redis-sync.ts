// Blocks shared through Redis: published on `<prefix>throttle` at once, and kept in a sorted set re-read every resync interval.
import type { BlockTable } from './blocks.js';
import { withTimeout, type RedisHealth } from './health.js';
import type { ThrottleRedisClient } from './redis-client.js';

/** How long any throttle call to Redis may take before it counts as a failure. @internal */
export const REDIS_TIMEOUT_MS = 1000;

// KEYS[1] the sorted set ip -> until (Redis's clock); ARGV: ip, ms, channel. Times are Redis's own,
// and only "ms left" crosses to a replica, so replicas' clocks may differ.
const PUBLISH_BLOCK = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ms = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], 'GT', now + ms, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('PTTL', KEYS[1]) < ms then redis.call('PEXPIRE', KEYS[1], ms) end
redis.call('PUBLISH', ARGV[3], ARGV[2] .. ' ' .. ARGV[1])
return 1`;

// KEYS[1] the sorted set: drops ended blocks, returns { ip, ms left, ... } for the others.
const READ_BLOCKS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local all = redis.call('ZRANGE', KEYS[1], now, '+inf', 'BYSCORE', 'WITHSCORES')
local out = {}
for i = 1, #all, 2 do
  out[#out + 1] = all[i]
  out[#out + 1] = math.floor(tonumber(all[i + 1]) - now)
end
return out`;

/** The Redis names the throttle uses under `prefix`. @internal */
export function throttleNames(prefix: string): { channel: string; blocks: string; counters: string } {
  return { channel: `${prefix}throttle`, blocks: `${prefix}throttle:blocks`, counters: `${prefix}throttle:count` };
}

/** Shares blocks between replicas. @internal */
export interface BlockSync {
  /** Tells every replica (now, and at their next resync) that `ip` is blocked for `ms`. */
  publish(ip: string, ms: number): void;
  /** Re-reads the blocks now (also runs every resync interval). */
  resync(): Promise<void>;
  close(): void;
}

/**
 * Subscribes (on a duplicate of `client`) to the block channel, re-reads the sorted set of
 * blocks at once and every `resyncIntervalMs`, and adds what it learns to `blocks`. A lost
 * message is so made good within one interval. Failures go to `health`, never throw.
 * @internal
 */
export function startBlockSync(client: ThrottleRedisClient, prefix: string, resyncIntervalMs: number, blocks: BlockTable, health: RedisHealth): BlockSync {
  const names = throttleNames(prefix);
  const subscriber = client.duplicate();
  // Without a listener ioredis prints connection errors itself; health reports them once.
  subscriber.on('error', () => health.failed());
  subscriber.on('message', (channel: string, message: string) => {
    if (channel !== names.channel) return;
    const space = message.indexOf(' ');
    const ms = Number(message.slice(0, space));
    if (space > 0 && Number.isFinite(ms)) blocks.add(message.slice(space + 1), ms);
  });
  // ioredis re-subscribes on reconnect; a message sent while it was away is read at the next resync.
  subscriber.subscribe(names.channel).catch(() => health.failed());
  subscriber.on('ready', () => void resync());

  let running: Promise<void> | undefined;
  const resync = (): Promise<void> => {
    running ??= withTimeout(client.eval(READ_BLOCKS, 1, names.blocks) as Promise<Array<string | number>>, REDIS_TIMEOUT_MS)
      .then(
        (list) => {
          health.answered();
          const now = Date.now();
          for (let i = 0; i + 1 < list.length; i += 2) blocks.add(String(list[i]), Number(list[i + 1]), now);
        },
        () => health.failed(),
      )
      .finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => void resync(), resyncIntervalMs);
  timer.unref();
  void resync();

  return {
    publish(ip, ms) {
      withTimeout(client.eval(PUBLISH_BLOCK, 1, names.blocks, ip, String(Math.ceil(ms)), names.channel) as Promise<unknown>, REDIS_TIMEOUT_MS).catch(() => health.failed());
    },
    resync,
    close() {
      clearInterval(timer);
      subscriber.disconnect();
    },
  };
}
