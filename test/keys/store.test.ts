// Your own key store: async list(), change signals, and a store that fails (closed, then recovered by reload).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import express from 'express';
import request from 'supertest';
import { bearerGuard, MemoryKeyStore, type KeyEntry, type KeyStore } from '../../src/index.js';
import { captureLogger } from '../helpers/apps.js';
import { makeKey } from '../helpers/keys.js';

function appWith(store: KeyStore, logger = captureLogger()) {
  const guard = bearerGuard({ keyStore: store, logger, argv: [], env: {} });
  const app = express();
  app.use(guard);
  app.get('/v2/models/', (req, res) => void res.json({ name: (req as { auth?: { name: string } }).auth?.name }));
  return { app, guard, logger };
}

describe('key stores', () => {
  test('available() false: 503 with Retry-After, audit reason store_unavailable; true again: served', async () => {
    const k = makeKey();
    let up = true;
    const events: string[] = [];
    const store: KeyStore = { description: 'test db', list: () => [k.entry], available: () => up };
    const guard = bearerGuard({ keyStore: store, logger: captureLogger(), argv: [], env: {}, audit: (e) => void events.push(`${e.reason}:${e.status}`) });
    const app = express().use(guard).get('/v2/models/', (_req, res) => void res.json({}));
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${k.token}`).expect(200);
    up = false;
    const res = await request(app).get('/v2/models/').set('Authorization', `Bearer ${k.token}`).expect(503, { detail: 'Authentication unavailable' });
    assert.equal(res.headers['retry-after'], '5');
    assert.equal(res.headers['cache-control'], 'no-store');
    up = true;
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${k.token}`).expect(200);
    assert.deepEqual(events, ['ok:200', 'store_unavailable:503', 'ok:200']);
  });

  test('an async list(): requests wait for the first keyring, then pass', async () => {
    const k = makeKey('service', { name: 'from-db' });
    let release!: (entries: KeyEntry[]) => void;
    const store: KeyStore = { description: 'test db', list: () => new Promise((resolve) => (release = resolve)) };
    const { app } = appWith(store);
    const pending = request(app).get('/v2/models/').set('Authorization', `Bearer ${k.token}`);
    const done = pending.then((r) => r);
    setTimeout(() => release([k.entry]), 50);
    const res = await done;
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { name: 'from-db' });
  });

  test('a failing first list() answers 503 (fail closed), ready rejects, until a reload succeeds', async () => {
    const k = makeKey();
    let fail = true;
    const store: KeyStore = { description: 'test db', list: async () => { if (fail) throw new Error(`db down ${k.token}`); return [k.entry]; } };
    const { app, guard, logger } = appWith(store);
    await assert.rejects(guard.ready, /db down/);
    const res = await request(app).get('/v2/models/').set('Authorization', `Bearer ${k.token}`).expect(503, { detail: 'Authentication unavailable' });
    assert.equal(res.headers['retry-after'], '5');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers['www-authenticate'], undefined);
    assert.ok(logger.lines.some((l) => /test db could not be read \(Error\); every request is refused with 503/.test(l)), logger.lines.join('\n'));
    assert.ok(!logger.lines.join('\n').includes(k.token), 'the store error message is not logged');
    fail = false;
    await guard.reload();
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${k.token}`).expect(200);
  });

  test('subscribe(): a MemoryKeyStore change applies at once', async () => {
    const [a, b] = [makeKey(), makeKey()];
    const store = new MemoryKeyStore([a.entry]);
    const { app } = appWith(store);
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${a.token}`).expect(200);
    store.set([b.entry]);
    await new Promise((r) => setImmediate(r));
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${a.token}`).expect(401);
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${b.token}`).expect(200);
  });

  test('a store whose list() breaks on a change keeps the last good keyring', async () => {
    const a = makeKey();
    let broken = false;
    const listeners: Array<() => void> = [];
    const store: KeyStore = {
      description: 'flaky db',
      list: () => { if (broken) throw new TypeError('nope'); return [a.entry]; },
      subscribe: (l) => { listeners.push(l); return () => undefined; },
    };
    const { app, logger } = appWith(store);
    broken = true;
    for (const l of listeners) l();
    await new Promise((r) => setTimeout(r, 20));
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${a.token}`).expect(200);
    assert.ok(logger.lines.some((l) => /flaky db could not be read \(TypeError\); the previous keys stay in force/.test(l)), logger.lines.join('\n'));
  });
});
