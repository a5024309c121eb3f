// RedisReplayStore: an approval id is claimed once across clients, even under concurrency, and forgotten at its expiry.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { RedisReplayStore } from '../../src/redis/replay-store.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { freshPrefix } from './helpers.js';

let redis: TestRedis;
let clients: Redis[];
before(async () => {
  redis = await startRedis();
  clients = [new Redis(redis.url), new Redis(redis.url)];
});
after(async () => {
  for (const c of clients) c.disconnect();
  await redis.stop();
});

describe('RedisReplayStore', () => {
  test('40 concurrent claims of one id over two clients: exactly one wins', async () => {
    const prefix = freshPrefix();
    const stores = clients.map((c) => new RedisReplayStore(c, prefix));
    const until = Date.now() + 60_000;
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => stores[i % 2]!.claim('apr_1', until)));
    assert.equal(results.filter(Boolean).length, 1);
    assert.equal(await stores[0]!.claim('apr_2', until), true, 'another id is claimed on its own');
    assert.match(await redis.command('PTTL', `${prefix}approval:apr_1`), /^:(5\d{4}|60000)\r\n$/);
  });

  test('an id may be claimed again once its record expired', async () => {
    const store = new RedisReplayStore(clients[0]!, freshPrefix());
    assert.equal(await store.claim('apr_x', Date.now() + 50), true);
    assert.equal(await store.claim('apr_x', Date.now() + 50), false);
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(await store.claim('apr_x', Date.now() + 50), true);
  });
});
