// Connecting: unreachable and misconfigured Redis fails with ERR_BEARER_GUARD_REDIS naming the URL without its password; URL labels; an app's own client.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { RedisKeyStore } from '../../src/redis/key-store.js';
import { checkRedisUrl, redisUrlLabel } from '../../src/redis/url.js';
import { freePort, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { makeKey } from '../helpers/keys.js';
import { freshPrefix } from './helpers.js';

const PASSWORD = 'pw-Zq8rT3xK9mNc';
let redis: TestRedis;
before(async () => (redis = await startRedis({ args: ['--requirepass', PASSWORD] })));
after(async () => redis.stop());

describe('redis URLs', () => {
  const labels: Array<[string, string]> = [
    ['redis://127.0.0.1:6379/0', 'redis://127.0.0.1:6379/0'],
    [`redis://:${PASSWORD}@cache:6380/2`, 'redis://cache:6380/2'],
    [`rediss://user:${PASSWORD}@cache.example`, 'rediss://cache.example'],
    [`redis://cache:6379/0?password=${PASSWORD}`, 'redis://cache:6379/0'],
    ['not a url', '(a Redis URL that cannot be parsed)'],
  ];
  for (const [url, label] of labels) test(`redisUrlLabel(${label})`, () => assert.equal(redisUrlLabel(url), label));

  for (const bad of ['', 'http://cache:6379', `127.0.0.1:6379`, `redis://`, `unix:///tmp/${PASSWORD}`]) {
    test(`checkRedisUrl refuses ${JSON.stringify(bad.replace(PASSWORD, '<pw>'))}, naming the source and never the value`, () => {
      assert.throws(() => checkRedisUrl(bad, 'env AUTH_REDIS_URL'), (err: Error & { code: string }) => {
        assert.equal(err.code, 'ERR_BEARER_GUARD_REDIS');
        assert.match(err.message, /^bearer-guard: env AUTH_REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
        assert.ok(!err.message.includes(PASSWORD));
        return true;
      });
    });
  }
});

describe('RedisKeyStore.connect', () => {
  const failing: Array<[string, () => Promise<string>, RegExp]> = [
    ['a wrong password', async () => `redis://:wrong-${PASSWORD}@127.0.0.1:${redis.port}/0`, /: WRONGPASS;/],
    ['no password', async () => `redis://127.0.0.1:${redis.port}/0`, /: NOAUTH;/],
    ['nothing listening', async () => `redis://:${PASSWORD}@127.0.0.1:${await freePort()}/0`, /: ECONNREFUSED;/],
  ];
  for (const [label, url, code] of failing) {
    test(`${label}: ERR_BEARER_GUARD_REDIS naming the URL without its password, and the source`, async () => {
      const u = await url();
      const err = await RedisKeyStore.connect({ url: u, source: 'env AUTH_REDIS_URL' }).then(() => undefined, (e: unknown) => e as Error & { code: string });
      assert.ok(err);
      assert.equal(err.code, 'ERR_BEARER_GUARD_REDIS');
      assert.match(err.message, new RegExp(`^bearer-guard: cannot reach Redis ${redisUrlLabel(u).replace(/[./]/g, '\\$&')} \\(from env AUTH_REDIS_URL\\)`));
      assert.match(err.message, code);
      for (const text of [err.message, err.stack ?? '', JSON.stringify(err)]) assert.ok(!text.includes(PASSWORD), 'no password');
    });
  }

  test('options: exactly one of url and client; sane intervals', async () => {
    await assert.rejects(RedisKeyStore.connect({}), { code: 'ERR_BEARER_GUARD_REDIS', message: /exactly one of url and client/ });
    await assert.rejects(RedisKeyStore.connect({ url: 'redis://x', client: {} as Redis }), { message: /exactly one/ });
    await assert.rejects(RedisKeyStore.connect({ url: redis.url, resyncIntervalMs: 0 }), { message: /resyncIntervalMs must be/ });
    await assert.rejects(RedisKeyStore.connect({ url: 'http://x', source: '--redis-url' }), { message: /--redis-url must be a redis:\/\// });
  });

  test("an app's own client is used and never quit; the store's subscriber connection is closed", async () => {
    const client = new Redis(`redis://:${PASSWORD}@127.0.0.1:${redis.port}/3`);
    const prefix = freshPrefix();
    const store = await RedisKeyStore.connect({ client, prefix });
    assert.equal(store.description, `Redis redis://127.0.0.1:${redis.port}/3 (prefix ${prefix})`);
    await store.update((e) => [...e, makeKey().entry]);
    const stop = store.subscribe(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    const clients = async (): Promise<number> => String(await client.client('LIST')).trim().split('\n').length;
    assert.equal(await clients(), 2);
    stop();
    await store.close();
    assert.equal(await client.ping(), 'PONG');
    assert.equal(await clients(), 1);
    client.disconnect();
  });

  test("an app's client that cannot reach Redis fails connect() without being closed", async () => {
    const client = new Redis(`redis://:${PASSWORD}@127.0.0.1:${await freePort()}/0`, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    await assert.rejects(RedisKeyStore.connect({ client, source: 'the redis option' }), { code: 'ERR_BEARER_GUARD_REDIS', message: /^bearer-guard: cannot reach Redis redis:\/\/127\.0\.0\.1:\d+\/0 \(from the redis option\)/ });
    client.disconnect();
  });
});
