// The names of bearer-guard's keys and channel in Redis, all under one prefix.

/** The prefix every name starts with unless configured otherwise. */
export const DEFAULT_REDIS_PREFIX = 'bearer-guard:';

/** Every Redis name the store uses, for one prefix. */
export interface RedisNames {
  /** The prefix itself, e.g. `bearer-guard:`. */
  readonly prefix: string;
  /** HASH: key id -> the entry as JSON, exactly as in the keys file (digests and metadata only). */
  readonly keys: string;
  /** STRING: the epoch, an integer that only goes up; incremented on every change of `keys`. */
  readonly epoch: string;
  /** Pub/sub channel: each change publishes the new epoch. */
  readonly changes: string;
  /** HASH: key id -> ISO time of its last use (written at most once a minute per key and process). */
  readonly lastUsed: string;
  /** The replay record of an approval id (`SET NX PXAT`). */
  approval(approvalId: string): string;
}

/**
 * The names under `prefix`.
 *
 * @param prefix - e.g. `bearer-guard:` (several services can share one Redis with different prefixes)
 * @returns the names
 * @example
 * ```ts
 * redisNames('bearer-guard:').epoch; // 'bearer-guard:epoch'
 * ```
 */
export function redisNames(prefix: string = DEFAULT_REDIS_PREFIX): RedisNames {
  return Object.freeze({
    prefix,
    keys: `${prefix}keys`,
    epoch: `${prefix}epoch`,
    changes: `${prefix}changes`,
    lastUsed: `${prefix}last-used`,
    approval: (approvalId: string) => `${prefix}approval:${approvalId}`,
  });
}
