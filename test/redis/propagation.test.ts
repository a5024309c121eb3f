// Changes reach every subscribed store: by pub/sub, and by the epoch re-read when the subscriber connection was killed during a change.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { RedisKeyStore } from '../../src/redis/key-store.js';
import type { KeyEntry } from '../../src/keys/types.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { makeKey } from '../helpers/keys.js';
import { freshPrefix, Stores, until } from './helpers.js';

let redis: TestRedis;
const stores = new Stores();
before(async () => (redis = await startRedis()));
after(async () => {
  await stores.closeAll();
  await redis.stop();
});

/** A replica's view: the keys it listed last, re-listed on each notification (serialised, as the guard does). */
function replica(store: RedisKeyStore): { ids: () => Set<string>; notified: () => number; stop: () => void } {
  let ids = new Set<string>();
  let notified = 0;
  let chain = Promise.resolve();
  const reload = (): void => {
    chain = chain.then(async () => {
      ids = new Set((await store.list()).map((e) => e.id));
    }).catch(() => undefined);
  };
  reload();
  const stop = store.subscribe(() => {
    notified++;
    reload();
  });
  return { ids: () => ids, notified: () => notified, stop };
}

const add = (entry: KeyEntry) => (current: readonly KeyEntry[]): KeyEntry[] => [...current, entry];

describe('RedisKeyStore: propagation', () => {
  test('a change made through one store reaches subscribers of others by pub/sub, long before the resync', async () => {
    const prefix = freshPrefix();
    const writer = await stores.open(redis.url, { prefix });
    await writer.update(add(makeKey().entry));
    // A resync interval far beyond the wait below: only pub/sub can deliver in time.
    const r = replica(await stores.open(redis.url, { prefix, resyncIntervalMs: 600_000 }));
    await until(() => r.ids().size === 1, 3000, 'the first list');
    const { entry } = makeKey();
    await writer.update(add(entry));
    await until(() => r.ids().has(entry.id), 3000, 'the new key by pub/sub');
    r.stop();
  });

  test("apps' own clients with a keyPrefix: keys are prefixed, and pub/sub still reaches the other store", async () => {
    const prefix = freshPrefix();
    const clients = [new Redis(redis.url, { keyPrefix: 'app:' }), new Redis(redis.url, { keyPrefix: 'app:' })];
    const [writer, reader] = await Promise.all(clients.map((client) => RedisKeyStore.connect({ client, prefix, resyncIntervalMs: 600_000 })));
    const r = replica(reader!);
    try {
      await writer!.update(add(makeKey().entry));
      assert.match(await redis.command('EXISTS', `app:${prefix}epoch`), /^:1/);
      await until(() => r.ids().size === 1, 3000, 'the first list');
      const { entry } = makeKey();
      await writer!.update(add(entry));
      await until(() => r.ids().has(entry.id), 3000, 'the new key by pub/sub');
    } finally {
      r.stop();
      await Promise.all([writer!.close(), reader!.close()]);
      for (const c of clients) c.disconnect();
    }
  });

  test('a published epoch not above the one in force is ignored', async () => {
    const prefix = freshPrefix();
    const writer = await stores.open(redis.url, { prefix });
    await writer.update(add(makeKey().entry));
    const store = await stores.open(redis.url, { prefix, resyncIntervalMs: 600_000 });
    const r = replica(store);
    await until(() => store.epoch !== undefined, 3000, 'the first list');
    const before = r.notified();
    await redis.command('PUBLISH', `${prefix}changes`, String(store.epoch! - 1));
    await redis.command('PUBLISH', `${prefix}changes`, String(store.epoch!));
    await redis.command('PUBLISH', `${prefix}changes`, 'not a number');
    await redis.command('PUBLISH', `${prefix}changes`, String(store.epoch! + 1));
    await until(() => r.notified() > before, 3000, 'the newer epoch');
    assert.equal(r.notified(), before + 1);
    r.stop();
  });

  test('a subscriber whose connection is killed (CLIENT KILL TYPE pubsub) during a revocation still sees it by the resync', async () => {
    const prefix = freshPrefix();
    const writer = await stores.open(redis.url, { prefix });
    const { entry } = makeKey();
    await writer.update(add(entry));
    const r = replica(await stores.open(redis.url, { prefix, resyncIntervalMs: 300 }));
    await until(() => r.ids().has(entry.id), 3000, 'the first list');
    // Freeze the subscriber out: kill its connection, then change while it reconnects.
    await redis.command('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await writer.update((entries) => entries.filter((e) => e.id !== entry.id));
    await until(() => !r.ids().has(entry.id), 5000, 'the revocation');
    r.stop();
  });

  test('with pub/sub silenced altogether, the periodic resync alone delivers changes', async () => {
    const prefix = freshPrefix();
    const writer = await stores.open(redis.url, { prefix });
    await writer.update(add(makeKey().entry));
    const r = replica(await stores.open(redis.url, { prefix, resyncIntervalMs: 200 }));
    await until(() => r.ids().size === 1, 3000, 'the first list');
    // A write that bypasses the store's script publishes nothing: only the epoch moves.
    const { entry } = makeKey();
    await redis.command('HSET', `${prefix}keys`, entry.id, JSON.stringify(entry));
    await redis.command('INCR', `${prefix}epoch`);
    await until(() => r.ids().has(entry.id), 5000, 'the change by resync');
    r.stop();
  });
});
