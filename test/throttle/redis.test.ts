// The throttle shared through a real Redis: two guards standing in for two replicas, lost messages, and Redis going away.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import { Redis } from 'ioredis';
import request from 'supertest';
import { resolveGuardOptions } from '../../src/config/resolve.js';
import { createGuard } from '../../src/middleware/bearer-guard.js';
import { MemoryKeyStore } from '../../src/index.js';
import type { ThrottleOption } from '../../src/throttle/settings.js';
import { captureLogger } from '../helpers/apps.js';
import { until } from '../helpers/example-server.js';
import { makeKey } from '../helpers/keys.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';

const good = makeKey('service');
const WRONG = makeKey('service').token;
let redis: TestRedis;
const clients: Redis[] = [];
const closers: Array<() => void> = [];

before(async () => {
  redis = await startRedis();
});
after(async () => {
  for (const close of closers) close();
  for (const c of clients) c.disconnect();
  await redis.stop();
});

/** One replica: its own Redis connection (connected, as the guard's is after start-up), its own guard and app. */
async function replica(prefix: string, throttle: ThrottleOption, resyncIntervalMs: number) {
  const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  clients.push(client);
  await client.ping();
  const logger = captureLogger();
  const o = resolveGuardOptions({ keyStore: new MemoryKeyStore([good.entry]), logger, throttle }, 'bearerGuard');
  const guard = createGuard(o, { client, prefix, resyncIntervalMs });
  closers.push(guard.close);
  const app = express();
  app.set('trust proxy', true);
  app.use(guard);
  app.get('/v2/models/', (_req, res) => res.json({ models: [] }));
  const get = (ip: string, token: string) => request(app).get('/v2/models/').set('x-forwarded-for', ip).set('authorization', `Bearer ${token}`);
  const status = async (ip: string, token: string): Promise<number> => (await get(ip, token)).status;
  return { client, logger, get, status, guard };
}

describe('throttle shared through Redis by two replicas', () => {
  test('failures split across both replicas reach the limit; the block reaches the other replica by pub/sub', async () => {
    // A resync interval far longer than the test: only the published message can carry the block.
    const a = await replica('t1:', { failures: 4 }, 600_000);
    const b = await replica('t1:', { failures: 4 }, 600_000);
    for (const r of [a, b, a, b]) assert.equal(await r.status('10.1.0.1', WRONG), 401);
    assert.equal(await a.status('10.1.0.1', good.token), 200, '4 failures in all: not blocked yet');
    assert.equal(await b.status('10.1.0.1', good.token), 200);
    assert.equal(await b.status('10.1.0.1', WRONG), 401, 'the 5th failure, on b');
    await until('b blocks', 5000, async () => (await b.status('10.1.0.1', good.token)) === 429);
    await until('a blocks too', 5000, async () => (await a.status('10.1.0.1', good.token)) === 429);
    const res = await a.get('10.1.0.1', good.token);
    assert.deepEqual([res.status, res.body, res.headers['cache-control']], [429, { detail: 'Too many failed attempts', error: 'rate_limited' }, 'no-store']);
    assert.ok(Number(res.headers['retry-after']) >= 1 && Number(res.headers['retry-after']) <= 300);
    for (const r of [a, b]) assert.equal(await r.status('10.1.0.2', good.token), 200, 'another IP');
    assert.equal([...a.logger.lines, ...b.logger.lines].filter((l) => l.includes('is blocked')).length, 1, 'the block start is logged once');
  });

  test('a replica that missed the message (started after it) learns the block from the sorted set', async () => {
    const a = await replica('t2:', { failures: 2 }, 600_000);
    for (let i = 0; i < 3; i++) assert.equal(await a.status('10.2.0.1', WRONG), 401);
    await until('a blocks', 5000, async () => (await a.status('10.2.0.1', good.token)) === 429);
    const late = await replica('t2:', { failures: 2 }, 200);
    await until('the late replica blocks', 5000, async () => (await late.status('10.2.0.1', good.token)) === 429);
    assert.equal(await late.status('10.2.0.2', good.token), 200);
  });

  test('a replica whose subscriber was killed still gets the block within a resync interval', async () => {
    const a = await replica('t3:', { failures: 2 }, 600_000);
    const b = await replica('t3:', { failures: 2 }, 300);
    await until('both subscribed', 5000, async () => (await redis.command('PUBSUB', 'NUMSUB', 't3:throttle')).includes(':2'));
    await redis.command('CLIENT', 'KILL', 'TYPE', 'pubsub');
    for (let i = 0; i < 3; i++) assert.equal(await a.status('10.3.0.1', WRONG), 401);
    await until('b blocks', 5000, async () => (await b.status('10.3.0.1', good.token)) === 429);
  });

  test('Redis holds counters and blocks under <prefix>throttle:, and never a token', async () => {
    const a = await replica('t4:', { failures: 1 }, 600_000);
    for (let i = 0; i < 2; i++) await a.status('10.4.0.1', WRONG);
    await until('a blocks', 5000, async () => (await a.status('10.4.0.1', good.token)) === 429);
    const keys = await a.client.keys('t4:*');
    assert.deepEqual(keys.sort(), ['t4:throttle:blocks', 't4:throttle:count:10.4.0.1']);
    const dump = JSON.stringify([await a.client.zrange('t4:throttle:blocks', '0', '-1', 'WITHSCORES'), await a.client.get('t4:throttle:count:10.4.0.1')]);
    for (const token of [good.token, WRONG]) assert.equal(dump.includes(token), false);
  });
});

describe('throttle when Redis is unavailable', () => {
  test('paused: counts in memory (logged once), still blocks; resumed: recovery logged once', async () => {
    const a = await replica('t5:', { failures: 2 }, 200);
    assert.equal(await a.status('10.5.0.1', good.token), 200);
    redis.pause();
    try {
      for (let i = 0; i < 3; i++) assert.equal(await a.status('10.5.0.1', WRONG), 401, 'refusals are not delayed by Redis');
      assert.equal(await a.status('10.5.0.2', good.token), 200, 'valid traffic never waits for Redis');
      await until('a blocks from memory', 10_000, async () => (await a.status('10.5.0.1', good.token)) === 429);
    } finally {
      redis.resume();
    }
    await until('recovery logged', 10_000, () => a.logger.lines.some((l) => l.includes('Redis is back')));
    assert.deepEqual(a.logger.lines.filter((l) => l.includes('Redis')), [
      'bearer-guard: throttle: Redis is unavailable; failed attempts are counted in this process only until it is back (blocks already known stay in force)',
      'bearer-guard: throttle: Redis is back; failed attempts are counted across replicas again',
    ]);
  });

  test('stopped: counts in memory at once (the client is not ready), still blocks; logged once', async () => {
    const a = await replica('t6:', { failures: 2 }, 200);
    assert.equal(await a.status('10.6.0.1', good.token), 200);
    await redis.kill();
    try {
      for (let i = 0; i < 3; i++) assert.equal(await a.status('10.6.0.1', WRONG), 401);
      await until('a blocks from memory', 10_000, async () => (await a.status('10.6.0.1', good.token)) === 429);
      assert.equal(a.logger.lines.filter((l) => l.includes('Redis is unavailable')).length, 1);
    } finally {
      await redis.restart();
    }
    await until('recovery logged', 15_000, () => a.logger.lines.some((l) => l.includes('Redis is back')));
    assert.equal(a.logger.lines.filter((l) => l.includes('Redis')).length, 2);
  });
});
