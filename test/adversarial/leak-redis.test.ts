/**
 * Leak audit, Redis paths: the Redis password (PLAIN, and WRONG percent-encoded in the URL) never
 * appears in a log line, an error (message, stack, inspect), an audit event, a response, an
 * inspected guard, or `bearer-guard config check` output, through start-up (ready rejects:
 * unreachable, wrong password, empty), serving, an outage past maxStaleness (503) and recovery.
 * Needs `npm run build` (config check runs the built CLI).
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import request from 'supertest';
import { bearerGuard, type AuditEvent } from '../../src/index.js';
import { RedisKeyStore } from '../../src/redis/index.js';
import { runCli } from '../cli/helpers.js';
import { makeKey } from '../helpers/keys.js';
import { freePort, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { freshPrefix, until } from '../redis/helpers.js';
import { createDetector } from './leak/needles.js';
import { PLAIN, TOKEN, WRONG } from './leak/needles.js';

const detector = createDetector();
let redis: TestRedis;
before(async () => (redis = await startRedis({ args: ['--requirepass', PLAIN] })));
after(async () => {
  redis.resume();
  await redis.stop();
});

const goodUrl = (port = redis.port): string => `redis://:${PLAIN}@127.0.0.1:${port}/0`;
const wrongUrl = (): string => `redis://:${encodeURIComponent(WRONG)}@127.0.0.1:${redis.port}/0`;

/** Everything a path produced, as text, with where it came from. */
class Seen {
  readonly texts: Array<[string, string]> = [];
  readonly lines: string[] = [];
  readonly events: AuditEvent[] = [];
  readonly logger = { warn: (m: string) => void this.lines.push(m) };
  add(channel: string, value: unknown): void {
    this.texts.push([channel, typeof value === 'string' ? value : inspect(value, { showHidden: true, depth: 6, getters: true })]);
    if (value instanceof Error) this.texts.push([`${channel}.stack`, value.stack ?? ''], [`${channel}.json`, JSON.stringify(value)]);
  }
  leaks(): string[] {
    const all: Array<[string, string]> = [...this.texts, ['logger', this.lines.join('\n')], ['audit', JSON.stringify(this.events)]];
    return all.flatMap(([channel, text]) => detector.scan(text).map((f) => `${channel}: ${f.secret} (${f.form}) in ${JSON.stringify(f.context)}`));
  }
}

describe('leak audit: Redis', () => {
  const startupCases = [
    { name: 'unreachable (the password in the URL)', url: async () => goodUrl(await freePort()) },
    { name: 'wrong password (WRONG, percent-encoded)', url: async () => wrongUrl() },
    { name: 'no keyring under the prefix', url: async () => goodUrl() },
  ];
  for (const c of startupCases) {
    test(`start-up, ${c.name}: ready's error, the log lines, the 503 and the guard say nothing of the password`, async () => {
      const seen = new Seen();
      const guard = bearerGuard({ argv: [], env: {}, logger: seen.logger, audit: (e) => void seen.events.push(e), redis: { url: await c.url(), prefix: freshPrefix() } });
      const err = await guard.ready.then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof Error);
      seen.add('ready error', err);
      const app = express().use(guard).get('/v2/models/', (_req, res) => void res.json({}));
      const res = await request(app).get('/v2/models/').set('Authorization', `Bearer ${makeKey().token}`).expect(503);
      seen.add('response', `${JSON.stringify(res.headers)} ${res.text}`);
      seen.add('guard', guard);
      await guard.close();
      assert.deepEqual(seen.leaks(), []);
    });
  }

  test('serving, an outage past maxStaleness (503) and recovery: no log line, event, response or error shows the password', async () => {
    const seen = new Seen();
    const prefix = freshPrefix();
    const key = makeKey();
    const writer = await RedisKeyStore.connect({ url: goodUrl(), prefix, source: 'test' });
    await writer.update(() => [key.entry]);
    await writer.close();
    const guard = bearerGuard({ argv: [], env: {}, token: TOKEN, logger: seen.logger, audit: (e) => void seen.events.push(e), redis: { url: goodUrl(), prefix, resyncInterval: 0.1, maxStaleness: 0.5 } });
    const app = express().use(guard).get('/v2/models/', (_req, res) => void res.json({}));
    const get = async (token: string) => {
      const res = await request(app).get('/v2/models/').set('Authorization', `Bearer ${token}`);
      seen.add('response', `${res.status} ${JSON.stringify(res.headers)} ${res.text}`);
      return res.status;
    };
    try {
      await guard.ready;
      assert.equal(await get(key.token), 200);
      assert.equal(await get(TOKEN), 200);
      assert.equal(await get(WRONG), 401);
      redis.pause();
      await until(async () => (await get(key.token)) === 503, 8000, 'the 503');
      redis.resume();
      await until(async () => (await get(key.token)) === 200, 10_000, 'recovery');
      seen.add('guard', guard);
    } finally {
      redis.resume();
      await guard.close();
    }
    assert.ok(seen.lines.some((l) => /reachable again/.test(l)), seen.lines.join('\n'));
    assert.ok(seen.events.some((e) => e.reason === 'store_unavailable'));
    assert.deepEqual(seen.leaks(), []);
  });

  const cliCases = [
    { name: 'flag', args: ['config', 'check', '--auth-redis-url', `redis://:${PLAIN}@127.0.0.1:6379/0`], env: {} },
    { name: 'flag, --json', args: ['config', 'check', '--json', '--auth-redis-url', `redis://:${PLAIN}@127.0.0.1:6379/0`], env: {} },
    { name: 'env, not a redis:// URL', args: ['config', 'check'], env: { AUTH_REDIS_URL: `https://:${PLAIN}@example.org/` } },
    { name: 'env, the token as the URL', args: ['config', 'check', '--json'], env: { AUTH_REDIS_URL: TOKEN } },
    { name: 'the URL where its file goes', args: ['config', 'check', '--auth-redis-url-file', `redis://:${PLAIN}@127.0.0.1:6379/0`], env: {} },
  ];
  for (const c of cliCases) {
    test(`config check, ${c.name}: no password in stdout or stderr`, async () => {
      const r = await runCli(c.args, { env: c.env });
      assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
      assert.deepEqual(detector.scan(`${r.stdout}\n${r.stderr}`).map((f) => `${f.secret} (${f.form}) in ${f.context}`), []);
    });
  }
});
