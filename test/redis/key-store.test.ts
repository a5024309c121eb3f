// RedisKeyStore against a real redis-server: round trips, validation, the missing keyring, the epoch fence, compare-and-set, last use.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { redisNames } from '../../src/redis/names.js';
import type { KeyEntry } from '../../src/keys/types.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { makeKey } from '../helpers/keys.js';
import { makeEnrollKey } from '../helpers/enrollment.js';
import { freshPrefix, lines, Stores } from './helpers.js';

let redis: TestRedis;
const stores = new Stores();
before(async () => (redis = await startRedis()));
after(async () => {
  await stores.closeAll();
  await redis.stop();
});

const add = (...entries: KeyEntry[]) => (current: readonly KeyEntry[]): KeyEntry[] => [...current, ...entries];

describe('RedisKeyStore: list and update', () => {
  test('update then list round-trips entries, bumps the epoch and describes the store without a password', async () => {
    const prefix = freshPrefix();
    const store = await stores.open(redis.url + '/0', { prefix });
    const a = makeKey('service', { scopes: ['models:read'], expires_at: '2030-01-01T00:00:00.000Z' }).entry;
    const b = makeKey('user', { created_at: '2026-02-01T00:00:00.000Z' }).entry;
    const first = await store.update(add(a));
    assert.equal(first.changed, true);
    await store.update(add(b));
    assert.deepEqual(await store.list(), [a, b]);
    const epoch = Number((await redis.command('GET', `${prefix}epoch`)).split('\r\n')[1]);
    assert.equal(store.epoch, epoch);
    assert.ok(epoch > Date.parse('2026-01-01'), 'a new keyring starts its epoch at the current time in ms');
    assert.equal(store.description, `Redis redis://127.0.0.1:${redis.port}/0 (prefix ${prefix})`);
    const unchanged = await store.update(() => undefined);
    assert.equal(unchanged.changed, false);
    const same = await store.update((entries) => [...entries]);
    assert.equal(same.changed, false, 'the same entries write nothing');
    assert.equal(Number((await redis.command('GET', `${prefix}epoch`)).split('\r\n')[1]), epoch, 'and leave the epoch alone');
    const removed = await store.update((entries) => entries.filter((e) => e.id !== a.id));
    assert.deepEqual(removed.entries, [b]);
    assert.deepEqual(await store.list(), [b]);
    assert.equal(store.epoch, epoch + 1);
  });

  test('a stored entry is exactly the keys file JSON of the key', async () => {
    const prefix = freshPrefix();
    const store = await stores.open(redis.url, { prefix });
    const { entry } = makeKey('service', { scopes: ['models:read'] });
    await store.update(add(entry));
    const reply = await redis.command('HGET', `${prefix}keys`, entry.id);
    const json = reply.split('\r\n')[1]!;
    assert.equal(json, JSON.stringify({ id: entry.id, name: entry.name, family: 'service', scopes: ['models:read'], digest: entry.digest, hint: entry.hint, created_at: entry.created_at }));
  });

  test('a Redis without a keyring (never created, or flushed) is an error, never an empty keyring', async () => {
    const prefix = freshPrefix();
    const store = await stores.open(redis.url, { prefix });
    await assert.rejects(store.list(), { code: 'ERR_BEARER_GUARD_REDIS', message: new RegExp(`holds no bearer-guard keyring under prefix ${prefix}; create a key with \`bearer-guard keys create --redis-url`) });
    assert.equal((await store.update((entries) => [...entries])).changed, true, 'writing no keys still creates the keyring');
    assert.deepEqual(await store.list(), []);
    await store.update(add(makeKey().entry));
    assert.equal((await store.list()).length, 1);
    await redis.command('DEL', `${prefix}epoch`, `${prefix}keys`);
    await assert.rejects(store.list(), { code: 'ERR_BEARER_GUARD_REDIS', message: /holds no bearer-guard keyring/ });
  });

  const corrupt: Array<[string, (e: KeyEntry) => [string, string], RegExp]> = [
    ['a bad digest', (e) => [e.id, JSON.stringify({ ...e, digest: 'sha256:xyz' })], /\[key_\w+\] \(id key_\w+\): "digest" must be "sha256:"/],
    ['not JSON', (e) => [e.id, '{"id":'], /\[key_\w+\]: is not valid JSON/],
    ['an unknown field', (e) => [e.id, JSON.stringify({ ...e, secret: 1 })], /has an unknown field "secret"/],
    ['a field that is not the id', (e) => ['key_other', JSON.stringify(e)], /the field name differs from the entry's "id"/],
    ['a missing name', (e) => [e.id, JSON.stringify({ ...e, name: undefined })], /"name" is missing/],
  ];
  for (const [label, write, message] of corrupt) {
    test(`an entry with ${label} fails list() with a message naming the key, never a digest; the last good keys are kept by the caller`, async () => {
      const prefix = freshPrefix();
      const store = await stores.open(redis.url, { prefix });
      const good = makeKey().entry;
      const bad = makeKey().entry;
      await store.update(add(good));
      assert.deepEqual(await store.list(), [good]);
      const [field, json] = write(bad);
      await redis.command('HSET', `${prefix}keys`, field, json);
      await redis.command('INCR', `${prefix}epoch`);
      const err = await store.list().then(() => undefined, (e: unknown) => e as Error & { code: string });
      assert.ok(err !== undefined, 'list() must reject');
      assert.equal(err.code, 'ERR_BEARER_GUARD_REDIS');
      assert.match(err.message, message);
      for (const d of [good.digest, bad.digest]) assert.ok(!err.message.includes(d.slice(7)), 'no digest in the message');
      await assert.rejects(store.update(add(makeKey().entry)), { code: 'ERR_BEARER_GUARD_REDIS' });
    });
  }

  test('fence: a snapshot older than the one in force is refused, so the newer keys stay', async () => {
    const prefix = freshPrefix();
    const store = await stores.open(redis.url, { prefix });
    await store.update(add(makeKey().entry));
    await store.update(add(makeKey().entry));
    const newer = await store.list();
    const epoch = store.epoch!;
    // As a Redis restored from an older backup would look: an older epoch and fewer keys.
    await redis.command('SET', `${prefix}epoch`, String(epoch - 1));
    await redis.command('HDEL', `${prefix}keys`, newer[1]!.id);
    await assert.rejects(store.list(), { code: 'ERR_BEARER_GUARD_REDIS', message: new RegExp(`epoch ${epoch - 1}, older than epoch ${epoch} already in force; keeping the newer keys`) });
    assert.equal(store.epoch, epoch);
    await redis.command('SET', `${prefix}epoch`, String(epoch + 5));
    assert.equal((await store.list()).length, 1, 'a newer epoch is served again');
  });

  test('update validates what mutate returns and writes nothing when it is invalid', async () => {
    const prefix = freshPrefix();
    const store = await stores.open(redis.url, { prefix });
    const a = makeKey().entry;
    await store.update(add(a));
    const epoch = (await store.list(), store.epoch);
    await assert.rejects(store.update(add({ ...makeKey().entry, scopes: ['Bad Scope'] })), { code: 'ERR_BEARER_GUARD_REDIS', message: /after the change: .*"scopes" must be/ });
    await assert.rejects(store.update(add({ ...makeKey().entry, digest: a.digest })), { message: /"digest" is the same as that of/ });
    await store.list();
    assert.equal(store.epoch, epoch);
  });
});

describe('RedisKeyStore: compare-and-set under concurrency', () => {
  test('20 concurrent enrollments from 3 store instances on a single-use token: exactly one succeeds', async () => {
    const prefix = freshPrefix();
    const [s1, s2, s3] = await Promise.all([0, 1, 2].map(() => stores.open(redis.url, { prefix })));
    const { entry } = makeEnrollKey({ uses: 1 });
    await s1!.update(add(entry));
    const all = [s1!, s2!, s3!];
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => all[i % 3]!.enroll({ tokenId: entry.id, name: undefined, environment: 'prod', now: Date.now() })));
    assert.equal(results.filter((r) => r.ok).length, 1);
    assert.deepEqual(new Set(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)), new Set(['used_up']));
    const listed = await s2!.list();
    assert.equal(listed.filter((e) => e.family === 'agent').length, 1);
    assert.equal(listed.find((e) => e.id === entry.id)!.used, 1);
  });

  test('30 concurrent creates from 3 instances all land (no lost update)', async () => {
    const prefix = freshPrefix();
    const all = await Promise.all([0, 1, 2].map(() => stores.open(redis.url, { prefix })));
    await all[0]!.update(add(makeKey().entry));
    await Promise.all(Array.from({ length: 30 }, (_, i) => all[i % 3]!.update(add(makeKey().entry))));
    assert.equal((await all[1]!.list()).length, 31);
  });
});

describe('RedisKeyStore: last use', () => {
  test('touch writes at most once per key per minute, batched, and never moves a time back', async () => {
    const prefix = freshPrefix();
    const store = await stores.open(redis.url, { prefix });
    const t0 = Date.parse('2026-06-01T10:00:00.000Z');
    store.touch('key_a', t0);
    store.touch('key_a', t0 + 30_000);
    store.touch('key_b', t0 + 1000);
    assert.deepEqual(await store.lastUsed(), {}, 'nothing is written before the flush');
    await store.flushLastUsed();
    assert.deepEqual(await store.lastUsed(), { key_a: '2026-06-01T10:00:00.000Z', key_b: '2026-06-01T10:00:01.000Z' });
    store.touch('key_a', t0 + 59_999);
    await store.flushLastUsed();
    assert.equal((await store.lastUsed()).key_a, '2026-06-01T10:00:00.000Z', 'a second use within the minute is not written');
    store.touch('key_a', t0 + 60_000);
    await store.flushLastUsed();
    assert.equal((await store.lastUsed()).key_a, '2026-06-01T10:01:00.000Z');
    const other = await stores.open(redis.url, { prefix });
    other.touch('key_a', t0 + 5000);
    await other.flushLastUsed();
    assert.equal((await store.lastUsed()).key_a, '2026-06-01T10:01:00.000Z', 'an older time from another replica is not written');
    assert.equal(redisNames(prefix).lastUsed, `${prefix}last-used`);
  });

  test('touch never throws, and a failing write is logged once', async () => {
    const log = lines();
    const prefix = freshPrefix();
    const broken = await stores.open(redis.url, { prefix, logger: log });
    // A string where the hash should be: every write fails with WRONGTYPE.
    await redis.command('SET', `${prefix}last-used`, 'x');
    for (let i = 0; i < 3; i++) {
      broken.touch(`key_${i}`, Date.now());
      await broken.flushLastUsed();
    }
    assert.equal(log.lines.length, 1);
    assert.match(log.lines[0]!, /last_used_at could not be written \(WRONGTYPE\)/);
  });
});
