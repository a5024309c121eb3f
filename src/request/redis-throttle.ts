// The throttle of a guard whose keys are in Redis: in memory until the guard's Redis connects, then shared through it.
import type { IncomingMessage } from 'node:http';
import type { ResolvedCheckOptions } from '../config/resolve.js';
import { guardThrottle } from '../throttle/for-guard.js';
import type { ThrottleRedisClient } from '../throttle/redis-client.js';
import type { Throttle, ThrottleRedis } from '../throttle/throttle.js';
import type { Authenticator } from './authenticate.js';

/**
 * The guard's throttle: through `explicit` when given (tests, embedders); else, when the keys
 * come from Redis, counted in memory until the guard's Redis connection is up and then through
 * that Redis, so that every replica shares the counts and blocks; else in memory.
 * @returns the throttle, or undefined when it is off
 * @internal
 */
export function throttleFor(o: ResolvedCheckOptions, auth: Authenticator, explicit?: ThrottleRedis): Throttle | undefined {
  const first = guardThrottle(o, auth, explicit);
  if (first === undefined || explicit !== undefined || auth.redis === undefined) return first;
  const { connected, prefix, resyncIntervalMs } = auth.redis;
  let current = first;
  let closed = false;
  connected.then(
    (client) => {
      if (closed) return;
      const shared = guardThrottle(o, auth, { client: client as unknown as ThrottleRedisClient, prefix, resyncIntervalMs });
      if (shared === undefined) return;
      const before = current;
      current = shared;
      before.close();
    },
    // Never connected: the memory throttle stays (the guard answers 503 anyway).
    () => undefined,
  );
  return {
    settings: first.settings,
    blockedFor: (req: IncomingMessage) => current.blockedFor(req),
    failed: (req: IncomingMessage) => current.failed(req),
    close: () => {
      closed = true;
      current.close();
    },
  };
}
