// Hearing of keyring changes: pub/sub on the changes channel, plus an epoch re-read on a timer and on every reconnect.
import type { Redis } from 'ioredis';
import type { RedisNames } from './names.js';

/** What {@link watchChanges} calls. @internal */
export interface WatchHandlers {
  /** A published epoch (already parsed; a message that is not an integer is dropped). */
  onPublished(epoch: number): void;
  /** Time to re-read the epoch: the timer fired, or a connection became ready again. */
  onResync(): void;
}

/**
 * Subscribes a duplicate of `client` to the changes channel, re-reads on every `ready` of either
 * connection (pub/sub is at-most-once: a message sent while the subscriber was away is lost),
 * and every `resyncIntervalMs` on an unref'd timer.
 * @returns a function that stops everything and closes the subscriber connection (never `client`)
 * @internal
 */
export function watchChanges(client: Redis, names: RedisNames, resyncIntervalMs: number, handlers: WatchHandlers): () => void {
  // Connects at once; every (re)connect subscribes (again: SUBSCRIBE is idempotent, and a first
  // subscribe that failed while Redis was away is retried) and re-reads the epoch.
  const subscriber = client.duplicate({ lazyConnect: false });
  // The subscriber's failures show up in the epoch re-reads; without a listener ioredis prints them.
  subscriber.on('error', () => undefined);
  subscriber.on('message', (channel: string, message: string) => {
    const epoch = Number(message);
    if (channel === names.changes && Number.isSafeInteger(epoch)) handlers.onPublished(epoch);
  });
  const onReady = (): void => handlers.onResync();
  subscriber.on('ready', () => {
    subscriber.subscribe(names.changes).catch(() => undefined);
    onReady();
  });
  client.on('ready', onReady);
  const timer = setInterval(onReady, resyncIntervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    client.off('ready', onReady);
    subscriber.disconnect();
  };
}
