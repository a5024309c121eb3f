// bearerGuard() with keys in a real Redis: ready, serving, revocation through RedisKeyStore.update, reload, touch, close.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import request from 'supertest';
import { bearerGuard, type AuditEvent, type KeyEntry } from '../../src/index.js';
import { RedisKeyStore } from '../../src/redis/index.js';
import { captureLogger } from '../helpers/apps.js';
import { makeKey } from '../helpers/keys.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';

let redis: TestRedis;
let writer: RedisKeyStore;
let db = 0;

/** A fresh database per test, so tests never see each other's keys. */
function nextUrl(): string {
  db += 1;
  return `${redis.url}/${db}`;
}

async function seed(url: string, entries: readonly KeyEntry[]): Promise<RedisKeyStore> {
  const store = await RedisKeyStore.connect({ url, source: 'test' });
  await store.update(() => entries);
  return store;
}

function guardedApp(options: Parameters<typeof bearerGuard>[0]) {
  const guard = bearerGuard({ argv: [], env: {}, ...options });
  const app = express();
  app.use(guard);
  app.get('/v2/models/', (req, res) => void res.json({ id: (req as { auth?: { id: string } }).auth?.id }));
  return { app, guard };
}

before(async () => {
  redis = await startRedis();
});
after(async () => {
  await writer?.close();
  await redis.stop();
});

describe('bearerGuard({ redis })', () => {
  test('serves keys from Redis once ready; a revocation written with update() reaches it', async () => {
    const url = nextUrl();
    const [a, b] = [makeKey(), makeKey()];
    writer = await seed(url, [a.entry, b.entry]);
    const logger = captureLogger();
    const { app, guard } = guardedApp({ redis: { url, resyncInterval: 0.2 }, logger });
    await guard.ready;
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${a.token}`).expect(200, { id: a.entry.id });
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${b.token}`).expect(200);
    await writer.update((entries) => entries.map((e) => (e.id === a.entry.id ? { ...e, revoked_at: new Date(Date.now() - 1000).toISOString() } : e)));
    const deadline = Date.now() + 5000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await request(app).get('/v2/models/').set('Authorization', `Bearer ${a.token}`)).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(status, 401, 'the revoked key is refused');
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${b.token}`).expect(200);
    await guard.close();
  });

  test('requests that arrive before ready wait for the first keyring', async () => {
    const url = nextUrl();
    const a = makeKey();
    const store = await seed(url, [a.entry]);
    await store.close();
    const { app, guard } = guardedApp({ redis: url, logger: captureLogger() });
    // No await on ready: the request itself waits.
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${a.token}`).expect(200);
    await guard.close();
  });

  test('reload() re-lists from Redis', async () => {
    const url = nextUrl();
    const [a, b] = [makeKey(), makeKey()];
    const store = await seed(url, [a.entry]);
    const { app, guard } = guardedApp({ redis: { url, resyncInterval: 3600 }, logger: captureLogger() });
    await guard.ready;
    await store.update((entries) => [...entries, b.entry]);
    const change = await guard.reload();
    assert.equal(change.size, 2);
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${b.token}`).expect(200);
    await store.close();
    await guard.close();
  });

  test('accepted requests record last_used_at: one write per key per minute, refused ones none', async () => {
    const url = nextUrl();
    const [a, b, c] = [makeKey(), makeKey(), makeKey()];
    const store = await seed(url, [a.entry, b.entry, { ...c.entry, revoked_at: '2026-01-01T00:00:00.000Z' }]);
    const { app, guard } = guardedApp({ redis: url, logger: captureLogger() });
    await guard.ready;
    const before = Date.now();
    await redis.command('CONFIG', 'RESETSTAT');
    for (let i = 0; i < 5; i++) {
      await request(app).get('/v2/models/').set('Authorization', `Bearer ${a.token}`).expect(200);
      await request(app).get('/v2/models/').set('Authorization', `Bearer ${b.token}`).expect(200);
      await request(app).get('/v2/models/').set('Authorization', `Bearer ${c.token}`).expect(401);
    }
    // close() writes what is batched: one script for both keys (the flush timer is 5 s).
    await guard.close();
    const stats = await redis.command('INFO', 'commandstats');
    const writes = Number(/cmdstat_eval(?:sha)?:calls=(\d+)/.exec(stats)?.[1] ?? 0);
    assert.equal(writes, 1, stats);
    const used = await store.lastUsed();
    assert.deepEqual(Object.keys(used).sort(), [a.entry.id, b.entry.id].sort());
    for (const at of Object.values(used)) assert.ok(Date.parse(at) >= before - 1000 && Date.parse(at) <= Date.now());
    await store.close();
  });

  test('createBearerStrategy({ redis }): ready, then the same keys', async () => {
    const url = nextUrl();
    const a = makeKey();
    const store = await seed(url, [a.entry]);
    await store.close();
    const { createBearerStrategy } = await import('../../src/index.js');
    const { Passport } = await import('passport');
    const strategy = createBearerStrategy({ argv: [], env: {}, logger: captureLogger(), redis: url });
    await strategy.ready;
    const passport = new Passport();
    const app = express();
    app.get('/v2/models/', passport.authenticate(strategy as never, { session: false }), (_req, res) => void res.json({ ok: true }));
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${a.token}`).expect(200);
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${makeKey().token}`).expect(401);
    await strategy.close();
  });

  test('an ioredis client the app already has: used, never quit by close()', async () => {
    const url = nextUrl();
    const a = makeKey();
    const store = await seed(url, [a.entry]);
    const { Redis } = await import('ioredis');
    const client = new Redis(url);
    const audit: AuditEvent[] = [];
    const { app, guard } = guardedApp({ redis: client, logger: captureLogger(), audit: (e) => audit.push(e) });
    await guard.ready;
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${a.token}`).expect(200);
    await guard.close();
    assert.equal(await client.ping(), 'PONG', 'the app\'s client still works');
    client.disconnect();
    await store.close();
  });
});
