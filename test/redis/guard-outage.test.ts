// A guard whose Redis goes away: served within maxStaleness, then 503 with Retry-After and store_unavailable, then recovered; and Redis unreachable at start-up.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import request from 'supertest';
import { bearerGuard, type AuditEvent } from '../../src/index.js';
import { RedisKeyStore } from '../../src/redis/index.js';
import { captureLogger } from '../helpers/apps.js';
import { makeKey } from '../helpers/keys.js';
import { freePort, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { freshPrefix, until } from './helpers.js';

const PASSWORD = 'Pw4Kq9Zt2Lx7Vb3N';
let redis: TestRedis;
before(async () => (redis = await startRedis({ args: ['--requirepass', PASSWORD] })));
after(async () => {
  redis.resume();
  await redis.stop();
});
const urlWith = (password: string, port = redis.port): string => `redis://:${password}@127.0.0.1:${port}/0`;

describe('Redis goes away while serving', () => {
  test('valid requests pass within maxStaleness, then 503 (Retry-After, no-store, store_unavailable), then recover after resume(); each change logged once', async () => {
    const prefix = freshPrefix();
    const key = makeKey();
    const writer = await RedisKeyStore.connect({ url: urlWith(PASSWORD), prefix, source: 'test' });
    await writer.update(() => [key.entry]);
    await writer.close();
    const logger = captureLogger();
    const events: AuditEvent[] = [];
    const guard = bearerGuard({ argv: [], env: {}, logger, audit: (e) => void events.push(e), redis: { url: urlWith(PASSWORD), prefix, resyncInterval: 0.1, maxStaleness: 1.5 } });
    const app = express().use(guard).get('/v2/models/', (_req, res) => void res.json({ ok: true }));
    const get = () => request(app).get('/v2/models/').set('Authorization', `Bearer ${key.token}`);
    try {
      await guard.ready;
      await get().expect(200);
      redis.pause();
      const downAt = Date.now();
      // Within the window: every valid request passes (no Redis round-trip on the request path).
      let passed = 0;
      while (Date.now() - downAt < 1000) {
        await get().expect(200);
        passed++;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(passed > 5, `${passed} requests within the window`);
      // Past the window: 503, fail closed.
      await until(async () => (await get()).status === 503, 6000, 'the 503');
      const res = await get().expect(503, { detail: 'Authentication unavailable' });
      assert.equal(res.headers['retry-after'], '1');
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal(res.headers['www-authenticate'], undefined);
      assert.equal(events.at(-1)?.reason, 'store_unavailable');
      assert.equal(events.at(-1)?.status, 503);
      for (let i = 0; i < 10; i++) await get().expect(503);
      redis.resume();
      await until(async () => (await get()).status === 200, 10_000, 'recovery without a restart');
      await new Promise((r) => setTimeout(r, 300));
      const redisLines = logger.lines.filter((l) => l.includes('Redis'));
      // A paused Redis may go stale before a command times out, so "unreachable" comes at most once.
      assert.ok(redisLines.filter((l) => /is unreachable/.test(l)).length <= 1, redisLines.join('\n'));
      assert.equal(redisLines.filter((l) => /refusing with 503 until Redis is back/.test(l)).length, 1, redisLines.join('\n'));
      assert.equal(redisLines.filter((l) => /is reachable again/.test(l)).length, 1, redisLines.join('\n'));
      assert.ok(!logger.lines.join('\n').includes(PASSWORD));
      assert.ok(!JSON.stringify(events).includes(PASSWORD));
    } finally {
      redis.resume();
      await guard.close();
    }
  });
});

describe('Redis unreachable or empty at start-up', () => {
  const cases = [
    { name: 'nothing listens on the port', url: async () => urlWith(PASSWORD, await freePort()), error: /cannot reach Redis redis:\/\/127\.0\.0\.1:\d+\/0 \(from the redis option\): ECONNREFUSED/ },
    { name: 'a wrong password', url: async () => urlWith('Wr0ngPassw0rdXyz'), error: /cannot reach Redis redis:\/\/127\.0\.0\.1:\d+\/0 \(from the redis option\): WRONGPASS/ },
    { name: 'no keyring under the prefix', url: async () => urlWith(PASSWORD), error: /holds no bearer-guard keyring under prefix/ },
  ];
  for (const c of cases) {
    test(`${c.name}: ready rejects with ERR_BEARER_GUARD_REDIS naming the URL without its password; requests get 503`, async () => {
      const logger = captureLogger();
      const url = await c.url();
      const guard = bearerGuard({ argv: [], env: {}, logger, redis: { url, prefix: freshPrefix() } });
      const app = express().use(guard).get('/v2/models/', (_req, res) => void res.json({ ok: true }));
      try {
        await assert.rejects(guard.ready, (err: Error & { code?: string }) => {
          assert.equal(err.code, 'ERR_BEARER_GUARD_REDIS');
          assert.match(err.message, c.error);
          assert.ok(!`${err.message}${err.stack}`.includes(PASSWORD) && !err.message.includes('Wr0ng'), err.message);
          return true;
        });
        const res = await request(app).get('/v2/models/').set('Authorization', `Bearer ${makeKey().token}`).expect(503);
        assert.equal(res.headers['retry-after'], '5');
        assert.ok(logger.lines.some((l) => /every request is refused with 503/.test(l)), logger.lines.join('\n'));
        assert.ok(!logger.lines.join('\n').includes(PASSWORD));
      } finally {
        await guard.close();
      }
    });
  }

  test('Redis down at start-up, then back: ready rejects, requests get 503, then the keys come in force without a restart', async () => {
    const own = await startRedis({ persist: true });
    const prefix = freshPrefix();
    const key = makeKey();
    const writer = await RedisKeyStore.connect({ url: own.url, prefix, source: 'test' });
    await writer.update(() => [key.entry]);
    await writer.close();
    await own.kill();
    const logger = captureLogger();
    const guard = bearerGuard({ argv: [], env: {}, logger, redis: { url: own.url, prefix, resyncInterval: 0.2 } });
    const app = express().use(guard).get('/v2/models/', (_req, res) => void res.json({ ok: true }));
    const get = () => request(app).get('/v2/models/').set('Authorization', `Bearer ${key.token}`);
    try {
      await assert.rejects(guard.ready, { code: 'ERR_BEARER_GUARD_REDIS' });
      await get().expect(503);
      await own.restart();
      await until(async () => (await get()).status === 200, 10_000, 'the keys after Redis came back');
      assert.ok(logger.lines.some((l) => /keys reloaded from Redis .*: 1 keys/.test(l)), logger.lines.join('\n'));
    } finally {
      await guard.close();
      await own.stop();
    }
  });

  test('nobody awaits ready: no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const guard = bearerGuard({ argv: [], env: {}, logger: captureLogger(), redis: urlWith(PASSWORD, await freePort()) });
    await new Promise((r) => setTimeout(r, 300));
    await guard.ready.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    process.off('unhandledRejection', onUnhandled);
    await guard.close();
    assert.deepEqual(unhandled, []);
  });
});
