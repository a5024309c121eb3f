// approval verify --claim: the approval id is claimed in a real Redis as a server with `once` claims it, so a replay is refused.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { RedisReplayStore } from '../../src/redis/replay-store.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { freshPrefix } from '../redis/helpers.js';
import { jsonOf, runCli, TempDirs, type CliResult } from './helpers.js';

let redis: TestRedis;
const dirs = new TempDirs();
before(async () => (redis = await startRedis()));
after(async () => {
  await redis.stop();
  dirs.cleanup();
});

/** An approver key, a spec, and a fresh credential signed for it. */
async function signed(): Promise<{ verify: (...extra: string[]) => Promise<CliResult>; verifyWithEnv: (env: Record<string, string>, ...extra: string[]) => Promise<CliResult>; credential: string }> {
  const dir = dirs.make();
  const pem = path.join(dir, 'alice.pem');
  const jwks = path.join(dir, 'approvers.jwks');
  const spec = path.join(dir, 'train.json');
  writeFileSync(spec, '{"seed": 7}\n');
  assert.equal((await runCli(['approval', 'keygen', '--kid', 'alice-1', '--private-key', pem, '--jwks', jwks])).code, 0);
  const sign = await runCli(['approval', 'sign', '--private-key', pem, '--kid', 'alice-1', '--environment', 'prod-eu', '--posture', 'prod', '--spec', spec, '--capability', 'models:train', '--issued-by', 'alice@example.com']);
  assert.equal(sign.code, 0, sign.stderr);
  const credential = sign.stdout.trim();
  const verifyWithEnv = (env: Record<string, string>, ...extra: string[]): Promise<CliResult> =>
    runCli(['approval', 'verify', '--jwks', jwks, '--environment', 'prod-eu', '--posture', 'prod', '--spec', spec, '--capability', 'models:train', '--json', ...extra], { input: credential, env });
  return { verify: (...extra) => verifyWithEnv({}, ...extra), verifyWithEnv, credential };
}

describe('approval verify --claim', () => {
  test('the first claim accepts and a replay is refused (exit 1, reason replayed); without --claim replays are not checked', async () => {
    const { verify, verifyWithEnv } = await signed();
    const prefix = freshPrefix();
    const first = await verify('--redis-url', redis.url, '--redis-prefix', prefix);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(jsonOf<{ verdict: string }>(first).verdict, 'accepted');
    const env = { AUTH_REDIS_URL: redis.url, AUTH_REDIS_PREFIX: prefix };
    assert.equal((await verifyWithEnv(env)).code, 0, 'the env alone never turns the claim on');
    const replay = await verifyWithEnv(env, '--claim');
    assert.equal(replay.code, 1);
    const out = jsonOf<{ verdict: string; reason: string; payload: { approval_id: string } }>(replay);
    assert.deepEqual([out.verdict, out.reason], ['refused', 'replayed']);
    assert.match(replay.stderr, /approval refused: replayed/);
    assert.equal((await verify()).code, 0, 'without --claim: steps 1 to 8 only');
  });

  test('an approval a server already claimed (RedisReplayStore) is refused by the CLI, and the other way round', async () => {
    const prefix = freshPrefix();
    const client = new Redis(redis.url);
    try {
      const server = new RedisReplayStore(client, prefix);
      const one = await signed();
      const id = (c: string): string => (JSON.parse(Buffer.from(c.split('.')[0]!, 'base64url').toString('utf8')) as { approval_id: string }).approval_id;
      assert.equal(await server.claim(id(one.credential), Date.now() + 60_000), true);
      assert.equal(jsonOf<{ reason: string }>(await one.verify('--redis-url', redis.url, '--redis-prefix', prefix)).reason, 'replayed');
      const two = await signed();
      assert.equal((await two.verify('--redis-url', redis.url, '--redis-prefix', prefix)).code, 0);
      assert.equal(await server.claim(id(two.credential), Date.now() + 60_000), false);
    } finally {
      client.disconnect();
    }
  });

  const usage: Array<[string, string[], RegExp]> = [
    ['--claim without a Redis', ['--claim'], /--claim needs a Redis: pass --redis-url URL/],
    ['--redis-prefix alone', ['--redis-prefix', 'x:'], /--redis-prefix needs --claim/],
    ['a URL that is not redis://', ['--redis-url', 'http://x'], /--redis-url must be a redis:\/\/ or rediss:\/\/ URL/],
  ];
  for (const [label, extra, message] of usage) {
    test(`${label}: exit 2`, async () => {
      const { verify } = await signed();
      const r = await verify(...extra);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
    });
  }
});
