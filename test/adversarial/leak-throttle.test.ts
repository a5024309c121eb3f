// Leak audit of the throttle: tokens sent as credentials and as X-Forwarded-For "addresses" never show in a log line, audit event, response or Redis.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import { Redis } from 'ioredis';
import request from 'supertest';
import { resolveGuardOptions } from '../../src/config/resolve.js';
import { createGuard } from '../../src/middleware/bearer-guard.js';
import { detector } from './leak/audit.js';
import { PLAIN, TOKEN, WRONG } from './leak/needles.js';
import { until } from '../helpers/example-server.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';

let redis: TestRedis;
let client: Redis;
before(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
  await client.ping();
});
after(async () => {
  client.disconnect();
  await redis.stop();
});

describe('leak audit: the throttle', () => {
  for (const shared of [false, true]) {
    test(`${shared ? 'in Redis' : 'in memory'}: every secret, as a token and as a client "IP", stays out of every channel`, async () => {
      const texts: string[] = [];
      const logger = { warn: (line: string) => void texts.push(line) };
      const o = resolveGuardOptions({ token: TOKEN, logger, audit: (e: unknown) => void texts.push(JSON.stringify(e)), throttle: { failures: 1 } }, 'bearerGuard');
      const guard = createGuard(o, shared ? { client, prefix: 'leak:', resyncIntervalMs: 100 } : undefined);
      const app = express();
      // Trusting every proxy lets a client name its own "IP": the worst case for what gets logged.
      app.set('trust proxy', true);
      app.use(guard);
      app.get('/v2/models/', (_req, res) => res.json({ ok: true }));
      try {
        for (const ip of [TOKEN, WRONG, PLAIN, '192.0.2.1']) {
          for (const token of [WRONG, PLAIN, WRONG]) {
            const res = await request(app).get('/v2/models/').set('x-forwarded-for', ip).set('authorization', `Bearer ${token}`);
            texts.push(JSON.stringify(res.headers), res.text);
          }
          await until(`${ip.slice(0, 3)}... blocked`, 5000, async () => (await request(app).get('/v2/models/').set('x-forwarded-for', ip).set('authorization', `Bearer ${TOKEN}`)).status === 429);
          const blocked = await request(app).get('/v2/models/').set('x-forwarded-for', ip).set('authorization', `Bearer ${TOKEN}`);
          texts.push(JSON.stringify(blocked.headers), blocked.text);
        }
        assert.ok(texts.some((t) => t.includes('is blocked')), 'the audit saw the block log lines');
        assert.ok(texts.some((t) => t.includes('"throttled"')), 'the audit saw throttled events');
        if (shared) {
          // A forwarded "IP" that is no IP address is counted under one shared key, never stored.
          const keys = await client.keys('leak:*');
          assert.deepEqual(keys.sort(), ['leak:throttle:blocks', 'leak:throttle:count:192.0.2.1', 'leak:throttle:count:not-an-ip']);
          for (const key of keys) texts.push(key, key.endsWith(':blocks') ? JSON.stringify(await client.zrange(key, '0', '-1')) : String(await client.get(key)));
        }
        const leaks = texts.flatMap((t) => detector.scan(t).map((f) => `${f.secret}: ${t.slice(0, 120)}`));
        assert.deepEqual(leaks, []);
      } finally {
        guard.close();
      }
    });
  }
});
