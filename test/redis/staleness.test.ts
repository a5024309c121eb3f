// available() and the three log lines, against a real Redis that is paused (SIGSTOP), resumed, killed and restarted.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { KeyEntry } from '../../src/keys/types.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { makeKey } from '../helpers/keys.js';
import { freshPrefix, lines, Stores, until } from './helpers.js';

let redis: TestRedis;
const stores = new Stores();
before(async () => (redis = await startRedis({ persist: true })));
after(async () => {
  redis.resume();
  await stores.closeAll();
  await redis.stop();
});

const add = (entry: KeyEntry) => (current: readonly KeyEntry[]): KeyEntry[] => [...current, entry];

describe('RedisKeyStore: staleness', () => {
  for (const outage of ['pause', 'kill'] as const) {
    test(`Redis ${outage === 'pause' ? 'paused (SIGSTOP)' : 'killed'}: available() stays true within maxStaleness, turns false after, and true again once Redis is back; each change logged once`, async () => {
      const prefix = freshPrefix();
      const log = lines();
      const store = await stores.open(redis.url, { prefix, logger: log, resyncIntervalMs: 100, maxStalenessMs: 1500 });
      await store.update(add(makeKey().entry));
      await store.list();
      const stop = store.subscribe(() => void store.list().catch(() => undefined));
      assert.equal(store.available(), true);
      const downAt = Date.now();
      if (outage === 'pause') redis.pause();
      else await redis.kill();
      await until(() => log.lines.length >= 1, 5000, 'the unreachable line');
      assert.match(log.lines[0]!, new RegExp(`^bearer-guard: Redis redis://127\\.0\\.0\\.1:${redis.port} is unreachable \\((ETIMEDOUT|ECONN\\w+)\\); serving the last keys for up to 2 s$`));
      if (Date.now() - downAt < 1000) assert.equal(store.available(), true, 'still within the staleness window');
      await until(() => !store.available(), 5000, 'staleness');
      for (let i = 0; i < 50; i++) store.available();
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(log.lines.length, 2, `two lines so far: ${log.lines.join(' | ')}`);
      assert.match(log.lines[1]!, /: keys older than 2 s; refusing with 503 until Redis is back$/);
      if (outage === 'pause') redis.resume();
      else await redis.restart();
      await until(() => store.available(), 10_000, 'recovery');
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(log.lines.length, 3, log.lines.join(' | '));
      assert.match(log.lines[2]!, new RegExp(`is reachable again; keys resynced at epoch ${store.epoch}$`));
      for (const line of log.lines) assert.ok(!line.includes('pass'), line);
      stop();
    });
  }
});
