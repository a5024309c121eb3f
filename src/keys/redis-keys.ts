// The guard's Redis: a key store usable at once while the connection opens, and the shared replay store for approvals.
import type { Redis } from 'ioredis';
import type { ReplayStore } from '../approval/replay-store.js';
import type { BearerGuardLogger } from '../config/options.js';
import type { RedisSetup } from '../config/load-redis.js';
import { clientLabel, connectRedis, RedisKeyStore, RedisReplayStore, redisUrlLabel } from '../redis/index.js';
import { COMMAND_TIMEOUT_MS } from '../redis/connect.js';
import { withTimeout } from '../redis/errors.js';
import type { EnrollRequest, EnrollResult } from './enroll.js';
import type { KeyStore } from './store.js';
import type { KeyEntry } from './types.js';

/** What the guard gets for a Redis setup. @internal */
export interface RedisKeys {
  /** Lists (and enrolls, and reports availability) through the Redis store once it is connected. */
  readonly store: KeyStore;
  /** `approval_id`s claimed with one atomic `SET NX` in Redis, so a replay is refused on every replica. */
  readonly replay: ReplayStore;
  /** `Retry-After` of the 503, in seconds: the resync interval, when the replica next asks Redis. */
  readonly retryAfter: number;
  /** The connected client, once the first connection succeeds (pending until then). */
  readonly connected: Promise<Redis>;
}

/**
 * Starts connecting at once and returns a store whose `list()` waits for the connection: the
 * guard's first keyring is then ready asynchronously. A connection that fails rejects `list()`
 * with the start-up error (`ERR_BEARER_GUARD_REDIS`, naming the URL without its password), and is
 * tried again every `resyncInterval`; once it succeeds, subscribers hear of it (the guard reloads).
 * `close()` closes the store and, when the guard opened it, the connection (also when it is
 * still opening).
 * @internal
 */
export function openRedisKeys(setup: RedisSetup, logger: BearerGuardLogger): RedisKeys {
  const label = setup.url !== undefined ? redisUrlLabel(setup.url) : clientLabel(setup.client as unknown as Redis);
  let store: RedisKeyStore | undefined;
  let client: Redis | undefined;
  let closed = false;
  const shut = async (): Promise<void> => {
    await store?.close().catch(() => undefined);
    // A client the app gave is the app's to quit.
    if (setup.client === undefined) await client?.quit().catch(() => client?.disconnect());
  };
  const listeners = new Map<() => void, (() => void) | undefined>();
  let onConnected: (c: Redis) => void = () => undefined;
  const connected = new Promise<Redis>((resolve) => (onConnected = resolve));
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<RedisKeyStore> => {
    const c = setup.client !== undefined ? (setup.client as unknown as Redis) : await connectRedis(setup.url!, setup.source);
    const s = await RedisKeyStore.connect({
      client: c,
      prefix: setup.prefix,
      resyncIntervalMs: setup.resyncInterval * 1000,
      maxStalenessMs: setup.maxStaleness * 1000,
      logger,
      source: setup.source,
    });
    [client, store] = [c, s];
    if (closed) await shut();
    else {
      for (const listener of listeners.keys()) listeners.set(listener, s.subscribe(listener));
      onConnected(c);
    }
    return s;
  };
  // A Redis unreachable at start-up is tried again every resyncInterval (silently: the first
  // failure was logged), and its keys come in force once it answers, without a restart.
  const attempt = (again: boolean): Promise<RedisKeyStore> => {
    const p = connect();
    p.then(
      () => {
        // The first keyring is the guard's first list(); after a failed start, tell it to reload.
        if (again) for (const listener of listeners.keys()) listener();
      },
      () => {
        if (closed) return;
        retry = setTimeout(() => void (connecting = attempt(true)), setup.resyncInterval * 1000);
        retry.unref();
      },
    );
    return p;
  };
  let connecting = attempt(false);
  let replay: RedisReplayStore | undefined;

  const keyStore: KeyStore = {
    description: `Redis ${label} (prefix ${setup.prefix})`,
    list: async (): Promise<readonly KeyEntry[]> => (await connecting).list(),
    subscribe(listener: () => void): () => void {
      listeners.set(listener, store?.subscribe(listener));
      return () => {
        listeners.get(listener)?.();
        listeners.delete(listener);
      };
    },
    // Before the connection is up the keyring is not either, and requests wait for it.
    available: () => store?.available() ?? true,
    touch: (id: string, atMs: number) => store?.touch(id, atMs),
    enroll: async (request: EnrollRequest): Promise<EnrollResult> => (await connecting).enroll(request),
    close: async () => {
      if (closed) return;
      closed = true;
      clearTimeout(retry);
      for (const stop of listeners.values()) stop?.();
      listeners.clear();
      await shut();
    },
  };
  return Object.freeze({
    store: Object.freeze(keyStore),
    replay: Object.freeze({
      claim: async (approvalId: string, untilMs: number): Promise<boolean> => {
        await connecting;
        replay ??= new RedisReplayStore(client!, setup.prefix);
        // A paused Redis answers nothing: the claim fails (and the approval is refused) instead of hanging.
        return withTimeout(replay.claim(approvalId, untilMs), COMMAND_TIMEOUT_MS);
      },
    }),
    retryAfter: Math.max(1, Math.ceil(setup.resyncInterval)),
    connected,
  });
}
