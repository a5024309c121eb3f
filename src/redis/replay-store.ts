// Single use of approvals across replicas: one atomic SET NX per approval id in Redis.
import type { Redis } from 'ioredis';
import type { ReplayStore } from '../approval/replay-store.js';
import { redisNames, type RedisNames } from './names.js';

/**
 * A replay store shared by every replica: `claim` is `SET <prefix>approval:<id> 1 NX PXAT until`,
 * one atomic command, so of concurrent claims of one id (from any process) exactly one wins, and
 * Redis forgets the id when the approval expires.
 *
 * @example
 * ```ts
 * const replay = new RedisReplayStore(client, 'bearer-guard:');
 * if (!(await replay.claim(approvalId, expiresAtMs))) refuse('replayed');
 * ```
 */
export class RedisReplayStore implements ReplayStore {
  readonly #client: Redis;
  readonly #names: RedisNames;

  /**
   * @param client - a connected ioredis client (not closed by this store)
   * @param prefix - the names' prefix, e.g. `bearer-guard:`
   */
  constructor(client: Redis, prefix: string) {
    this.#client = client;
    this.#names = redisNames(prefix);
  }

  /**
   * @param approvalId - the approval's id
   * @param untilMs - epoch ms until which it is remembered (its expiry); at least one ms from now
   * @returns true for the first claim, false for a replay
   * @throws the Redis error when Redis cannot be reached (the caller refuses: fail closed)
   */
  async claim(approvalId: string, untilMs: number): Promise<boolean> {
    const at = Math.max(Math.ceil(untilMs), Date.now() + 1);
    const reply = await this.#client.set(this.#names.approval(approvalId), '1', 'PXAT', at, 'NX');
    return reply === 'OK';
  }
}
