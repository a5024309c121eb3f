// last_used_at in Redis: per-key times batched in memory, written at most once a minute per key.
import type { Redis } from 'ioredis';
import { redisErrorCode, withTimeout } from './errors.js';
import type { RedisLogger } from './health.js';
import { COMMAND_TIMEOUT_MS } from './connect.js';

/** A key's last use is written at most this often (ms) by one process. */
export const LAST_USED_EVERY_MS = 60_000;

/** How often (ms) batched times are flushed. */
export const LAST_USED_FLUSH_MS = 5000;

// Sets each field only when the new time is later: replicas flushing out of order never move it back.
const WRITE = `
for i = 1, #ARGV, 2 do
  local cur = redis.call('HGET', KEYS[1], ARGV[i])
  if (not cur) or cur < ARGV[i + 1] then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
return 1`;

/**
 * Batches `touch(id, atMs)` calls: a key is queued at most once per {@link LAST_USED_EVERY_MS},
 * and the queue is written in one script every {@link LAST_USED_FLUSH_MS} on an unref'd timer.
 * Never throws; a failing write is logged once until a write succeeds again.
 * @internal
 */
export class LastUsedWriter {
  readonly #client: Redis;
  readonly #hash: string;
  readonly #label: string;
  readonly #logger: RedisLogger;
  readonly #queued = new Map<string, number>();
  readonly #written = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #failing = false;

  /**
   * @param client - the store's connection
   * @param hash - the `<prefix>last-used` hash
   * @param label - names the Redis in the log line, e.g. `Redis redis://127.0.0.1:6379/0`
   * @param logger - gets one line when writes start failing
   */
  constructor(client: Redis, hash: string, label: string, logger: RedisLogger) {
    this.#client = client;
    this.#hash = hash;
    this.#label = label;
    this.#logger = logger;
  }

  /** Queues `id`'s use at `atMs` unless it was queued less than a minute before. */
  touch(id: string, atMs: number): void {
    const last = this.#written.get(id);
    if (last !== undefined && atMs - last < LAST_USED_EVERY_MS) return;
    this.#written.set(id, atMs);
    this.#queued.set(id, atMs);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => void this.flush(), LAST_USED_FLUSH_MS);
      this.#timer.unref();
    }
  }

  /** Writes what is queued now (one script); never rejects. */
  async flush(): Promise<void> {
    if (this.#queued.size === 0) return;
    const args: string[] = [];
    for (const [id, at] of this.#queued) args.push(id, new Date(at).toISOString());
    this.#queued.clear();
    try {
      await withTimeout(this.#client.eval(WRITE, 1, this.#hash, ...args), COMMAND_TIMEOUT_MS);
      this.#failing = false;
    } catch (err) {
      if (!this.#failing) this.#logger.warn(`bearer-guard: ${this.#label}: last_used_at could not be written (${redisErrorCode(err)}); it will be written with the next uses`);
      this.#failing = true;
      // Forget what was lost, so the next use of these keys queues them again.
      for (let i = 0; i < args.length; i += 2) this.#written.delete(args[i]!);
    }
  }

  /** Stops the timer and writes what is queued. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }
}

/** Reads every key's last use: id -> ISO time. @internal */
export async function readLastUsed(client: Redis, hash: string): Promise<Record<string, string>> {
  return withTimeout(client.hgetall(hash), COMMAND_TIMEOUT_MS);
}
