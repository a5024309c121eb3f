// Two guards sharing one real Redis: approvals used once across both, single-use enrollment (20 concurrent: one 201).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import request from 'supertest';
import { canonicalize } from '../../src/approval/canonical-json.js';
import { bearerGuard } from '../../src/index.js';
import { captureLogger } from '../helpers/apps.js';
import { until } from './helpers.js';
import { RedisKeyStore } from '../../src/redis/index.js';
import type { KeyEntry } from '../../src/keys/types.js';
import { approver, jwks, payload, signBytes, SPEC } from '../approval/fixtures.js';
import { post, startApprovalServer, type ApprovalServer } from '../approval/server.js';
import { TempDir } from '../helpers/config-fixtures.js';
import { enroll, makeEnrollKey, startEnrollServer, type EnrollServer } from '../helpers/enrollment.js';
import { makeKey } from '../helpers/keys.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { freshPrefix } from './helpers.js';

const tmp = new TempDir();
let redis: TestRedis;
const closers: Array<() => unknown> = [];
before(async () => (redis = await startRedis()));
after(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await redis.stop();
  tmp.cleanup();
});

/** Writes `entries` under a fresh prefix and returns that prefix. */
async function seed(entries: readonly KeyEntry[]): Promise<string> {
  const prefix = freshPrefix();
  const store = await RedisKeyStore.connect({ url: redis.url, prefix, source: 'test' });
  await store.update(() => entries);
  await store.close();
  return prefix;
}

describe('approvals: once across replicas', () => {
  const A = approver('approver-a');
  const jwksFile = path.join(tmp.dir, 'approvers.jwks');
  writeFileSync(jwksFile, jwks(A));
  const trainer = makeKey('service', { name: 'trainer', scopes: ['models:train'] });
  const credential = (id: string): string => signBytes(canonicalize(payload(A.kid, { approval_id: id }, Math.floor(Date.now() / 1000))), A.privateKey);

  test('an approval used on one guard is refused as replayed on the other; a fresh one works on both', async () => {
    const prefix = await seed([trainer.entry]);
    const servers: ApprovalServer[] = [];
    for (let i = 0; i < 2; i++) {
      const s = await startApprovalServer({ guard: { redis: { url: redis.url, prefix }, approvalKeys: jwksFile, argv: [], env: {} } });
      closers.push(() => s.close());
      await s.guard.ready;
      servers.push(s);
    }
    const [one, two] = servers as [ApprovalServer, ApprovalServer];
    const c = credential(`apr-shared-${prefix}`);
    assert.equal((await post(`${one.url}/train`, SPEC, { token: trainer.token, approval: c })).status, 201);
    const replay = await post(`${two.url}/train`, SPEC, { token: trainer.token, approval: c });
    assert.equal(replay.status, 403);
    assert.equal((replay.body as { reason?: string }).reason, 'replayed');
    assert.equal(two.events.at(-1)?.reason, 'replayed');
    // And back on the first guard too.
    assert.equal((await post(`${one.url}/train`, SPEC, { token: trainer.token, approval: c })).status, 403);
    assert.equal((await post(`${two.url}/train`, SPEC, { token: trainer.token, approval: credential(`apr-fresh-${prefix}`) })).status, 201);
  });
});

describe('enrollment: single use across replicas', () => {
  test('20 concurrent enrollments over two guards with a single-use token: exactly one 201, and its key works on both', async () => {
    const token = makeEnrollKey();
    const prefix = await seed([token.entry]);
    const servers: EnrollServer[] = [];
    for (let i = 0; i < 2; i++) {
      const s = await startEnrollServer(undefined as unknown as string, { keysFile: undefined, redis: { url: redis.url, prefix } });
      closers.push(() => s.close());
      await s.guard.ready;
      servers.push(s);
    }
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => enroll(servers[i % 2]!.url, token.token, JSON.stringify({ name: `agent-${i}` }))));
    const statuses = answers.map((a) => a.status);
    assert.equal(statuses.filter((s) => s === 201).length, 1, statuses.join(','));
    assert.ok(statuses.every((s) => s === 201 || s === 401), statuses.join(','));
    const created = answers.find((a) => a.status === 201)!;
    const agentToken = created.json.api_key as string;
    for (const s of servers) {
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        status = (await fetch(`${s.url}/v2/models/`, { headers: { Authorization: `Bearer ${agentToken}` } })).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(status, 200, `the new agent key works on every guard: ${JSON.stringify(s.events.slice(-3))}`);
    }
    const stored = await RedisKeyStore.connect({ url: redis.url, prefix, source: 'test' });
    const entries = await stored.list();
    await stored.close();
    assert.equal(entries.find((e) => e.id === token.entry.id)?.used, 1);
    assert.equal(entries.filter((e) => e.family === 'agent').length, 1);
  });
});

describe('the throttle of guards with keys in Redis: shared through the same Redis', () => {
  test('failures split over two guards (bearerGuard({ redis, throttle })) block the IP on both, valid key included; other IPs pass', async () => {
    const good = makeKey();
    const wrong = makeKey().token;
    const prefix = await seed([good.entry]);
    const replicas = [];
    for (let i = 0; i < 2; i++) {
      const guard = bearerGuard({ argv: [], env: {}, logger: captureLogger(), redis: { url: redis.url, prefix }, throttle: { failures: 3 } });
      closers.push(() => guard.close());
      await guard.ready;
      const app = express().set('trust proxy', true).use(guard).get('/v2/models/', (_req, res) => void res.json({}));
      replicas.push((ip: string, token: string) => request(app).get('/v2/models/').set('x-forwarded-for', ip).set('authorization', `Bearer ${token}`));
    }
    const [a, b] = replicas as [(typeof replicas)[0], (typeof replicas)[0]];
    // The throttle switches to Redis once the guard's connection is up (ready implies it).
    for (const r of [a, b, a]) assert.equal((await r('10.9.0.1', wrong)).status, 401);
    assert.equal((await b('10.9.0.1', good.token)).status, 200, '3 failures in all: not blocked yet');
    assert.equal((await b('10.9.0.1', wrong)).status, 401, 'the 4th failure');
    await until(async () => (await a('10.9.0.1', good.token)).status === 429, 5000, 'a blocks the IP');
    await until(async () => (await b('10.9.0.1', good.token)).status === 429, 5000, 'b blocks the IP');
    assert.equal((await a('10.9.0.2', good.token)).status, 200, 'another IP');
    const keys = await redis.command('KEYS', `${prefix}throttle*`);
    assert.match(keys, /throttle/, 'the counts and blocks live in Redis under the guard\'s prefix');
  });
});
