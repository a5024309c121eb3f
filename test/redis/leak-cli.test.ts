// Leak audit for Redis: the Redis password (right or wrong, in any encoding), digests and tokens never appear in the CLI's
// output, the store's errors, stacks, descriptions or inspected objects; a token only in the one line that creates it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { after, before, test } from 'node:test';
import { RedisKeyStore } from '../../src/redis/key-store.js';
import { startRedis, freePort, type TestRedis } from '../helpers/redis-server.js';
import { makeKey, writeKeysFile } from '../helpers/keys.js';
import { runCli, TempDirs, type CliResult } from '../cli/helpers.js';
import { createDetector, forms } from '../adversarial/leak/needles.js';
import { freshPrefix } from './helpers.js';

// Letters and digits only, so that they sit in a URL as they are.
const PASSWORD = 'Rp7Kx2Wq9Lm4Zt8Nv3Bc6HdJ';
const WRONG_PASSWORD = 'Tg5Ym1Sx8Ke3Qa6Wd0Pv4NzLr';
const detector = createDetector([...forms('PLAIN', PASSWORD), ...forms('WRONG', WRONG_PASSWORD)]);
const DIGEST = /sha256|[0-9a-f]{64}/i;

let redis: TestRedis;
const tmp = new TempDirs();
before(async () => (redis = await startRedis({ args: ['--requirepass', PASSWORD] })));
after(async () => {
  await redis.stop();
  tmp.cleanup();
});

test('no Redis password, digest or stray token in any CLI output, over every keys command, import, approval verify and their failures', async () => {
  const prefix = freshPrefix();
  const url = `redis://:${PASSWORD}@127.0.0.1:${redis.port}/0`;
  const urlFile = path.join(tmp.make(), 'redis-url');
  fs.writeFileSync(urlFile, `${url}\n`, { mode: 0o600 });
  const runs: CliResult[] = [];
  const tokens: Array<{ token: string; run: CliResult }> = [];
  const cli = async (args: string[], env: Record<string, string> = {}): Promise<CliResult> => runCli(args, { env: { AUTH_REDIS_PREFIX: prefix, ...env }, record: runs });
  const ways: Array<[string[], Record<string, string>]> = [[['--redis-url', url], {}], [[], { AUTH_REDIS_URL: url }], [[], { AUTH_REDIS_URL_FILE: urlFile }]];

  for (const [args, env] of ways) {
    for (const json of [[], ['--json']]) {
      const created = await cli(['keys', 'create', '--name', 'ci', '--scope', 'models:read', ...args, ...json], env);
      assert.equal(created.code, 0, created.stderr);
      tokens.push({ token: json.length > 0 ? (JSON.parse(created.stdout) as { token: string }).token : created.stdout.trim(), run: created });
    }
    const listed = await cli(['keys', 'list', ...args, '--json'], env);
    const ids = (JSON.parse(listed.stdout) as Array<{ id: string }>).map((k) => k.id);
    await cli(['keys', 'list', ...args], env);
    const rotated = await cli(['keys', 'rotate', ids.at(-1)!, ...args], env);
    assert.equal(rotated.code, 0, rotated.stderr);
    tokens.push({ token: rotated.stdout.trim(), run: rotated });
    assert.equal((await cli(['keys', 'revoke', ids[0]!, ...args, '--json'], env)).code, 0);
    assert.equal((await cli(['keys', 'revoke', 'key_nothere', ...args], env)).code, 1);
    const enroll = await cli(['keys', 'create', '--family', 'enroll', '--name', 'edge', '--environment', 'prod', '--grant-scope', 'models:predict', ...args], env);
    tokens.push({ token: enroll.stdout.trim(), run: enroll });
    const file = tmp.keysFile();
    writeKeysFile(file, [makeKey().entry]);
    assert.equal((await cli(['keys', 'import', '--from', file, ...args, '--json'], env)).code, 0);
  }
  // Failures that name the URL: a wrong password, nothing listening, a bad scheme, no keyring, a bad URL file.
  const port = await freePort();
  const failing: Array<[string[], Record<string, string>, number]> = [
    [['keys', 'list', '--redis-url', `redis://:${WRONG_PASSWORD}@127.0.0.1:${redis.port}/0`], {}, 1],
    [['keys', 'list', '--redis-url', `redis://127.0.0.1:${redis.port}/0`], {}, 1],
    [['keys', 'create', '--name', 'x', '--redis-url', `redis://:${PASSWORD}@127.0.0.1:${port}/0`], {}, 1],
    [['keys', 'list', '--redis-url', `http://:${PASSWORD}@127.0.0.1:${redis.port}`], {}, 2],
    [['keys', 'list'], { AUTH_REDIS_URL: `cache:${PASSWORD}` }, 2],
    [['keys', 'list', '--redis-url', url], { AUTH_REDIS_PREFIX: 'empty:' }, 1],
    [['keys', 'list', '--keys-file', 'k.json', '--redis-url', url], {}, 2],
    [['keys', 'list', `--redis-url=${url}`, '--bogus'], {}, 2],
    [['approval', 'verify', '--jwks', 'x', '--environment', 'e', '--posture', 'prod', '--spec', 'x', '--capability', 'a:b', '--redis-url', `http://:${PASSWORD}@x`], {}, 2],
  ];
  for (const [args, env, code] of failing) {
    const r = await cli(args, env);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
  }

  for (const r of runs) {
    const text = r.stdout + r.stderr;
    assert.deepEqual(detector.scan(text), [], `${r.args.join(' ').replaceAll(PASSWORD, '<pw>')}`);
    assert.ok(!DIGEST.test(text), `a digest in the output of ${r.args[0]} ${r.args[1]}`);
    for (const { token, run } of tokens) {
      if (run !== r) assert.ok(!text.includes(token.slice(-12)), 'a token outside the line that created it');
      else assert.ok(!r.stderr.includes(token.slice(-12)), 'the token only on stdout');
    }
  }
  assert.ok(runs.length > 30, `only ${runs.length} runs`);
});

test("the store's errors, stacks, description, inspected form and log lines never hold the password", async () => {
  const texts: string[] = [];
  const warn = (m: string): void => void texts.push(m);
  for (const url of [`redis://:${WRONG_PASSWORD}@127.0.0.1:${redis.port}/0`, `redis://user:${PASSWORD}@127.0.0.1:${await freePort()}/0`, `redis://127.0.0.1:${redis.port}/0?password=${WRONG_PASSWORD}&x=1`]) {
    const err = await RedisKeyStore.connect({ url, logger: { warn } }).then(() => undefined, (e: unknown) => e as Error);
    assert.ok(err, 'connect() must fail');
    texts.push(err.message, err.stack ?? '', inspect(err), JSON.stringify(err));
  }
  const store = await RedisKeyStore.connect({ url: `redis://:${PASSWORD}@127.0.0.1:${redis.port}/0`, prefix: freshPrefix(), logger: { warn }, resyncIntervalMs: 50, maxStalenessMs: 200 });
  await store.update((e) => [...e, makeKey().entry]);
  await store.list();
  const stop = store.subscribe(() => undefined);
  try {
    texts.push(store.description, inspect(store, { depth: 5, showHidden: true }), JSON.stringify(store));
    await assert.rejects(store.update(() => [{ ...makeKey().entry, scopes: ['Bad'] }]), (e: Error) => {
      texts.push(e.message, e.stack ?? '');
      return true;
    });
    // Unreachable, stale, recovered: the three lines.
    redis.pause();
    await new Promise((r) => setTimeout(r, 3500));
    store.available();
    redis.resume();
    await new Promise((r) => setTimeout(r, 500));
  } finally {
    redis.resume();
    stop();
    await store.close();
  }
  assert.ok(texts.some((t) => t.includes('is unreachable')), texts.join('\n'));
  for (const t of texts) {
    assert.deepEqual(detector.scan(t), []);
    assert.ok(!DIGEST.test(t), t);
  }
});
