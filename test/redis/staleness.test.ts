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
      // As a serving replica does: available() on every request.
      const answers: boolean[] = [];
      const requests = setInterval(() => answers.push(store.available()), 20);
      if (outage === 'pause') redis.pause();
      else await redis.kill();
      await until(() => log.lines.some((l) => l.includes('unreachable')) && log.lines.some((l) => l.includes('older than')), 10_000, 'the unreachable and stale lines');
      // Keep Redis down for more failed re-reads (one every 100 ms, each timing out at worst after 3 s).
      await new Promise((r) => setTimeout(r, 3500));
      assert.equal(store.available(), false);
      if (outage === 'pause') redis.resume();
      else await redis.restart();
      await until(() => store.available(), 10_000, 'recovery');
      await new Promise((r) => setTimeout(r, 400));
      clearInterval(requests);
      assert.equal(answers[0], true, 'the first request after the outage began is served from the snapshot');
      assert.equal(log.lines.length, 3, log.lines.join(' | '));
      const unreachable = log.lines.find((l) => l.includes('unreachable'))!;
      assert.match(unreachable, new RegExp(`^bearer-guard: Redis redis://127\\.0\\.0\\.1:${redis.port} is unreachable \\((ETIMEDOUT|ECONN\\w+)\\); serving the last keys for up to 2 s$`));
      assert.ok(log.lines.some((l) => /^bearer-guard: Redis redis:\/\/127\.0\.0\.1:\d+: keys older than 2 s; refusing with 503 until Redis is back$/.test(l)), log.lines.join(' | '));
      assert.match(log.lines[2]!, new RegExp(`is reachable again; keys resynced at epoch ${store.epoch}$`));
      stop();
    });
  }
});
