// The example server with its keys in Redis (child processes): start-up line, serving, SIGHUP, enrollment, unreachable Redis exits 1, no password printed.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { RedisKeyStore } from '../src/redis/index.js';
import { TempDir } from './helpers/config-fixtures.js';
import { makeEnrollKey } from './helpers/enrollment.js';
import { call, cleanEnv, exitWithin, jsonBody, runServer, startServer, until, type StartedServer } from './helpers/example-server.js';
import { makeKey } from './helpers/keys.js';
import { freePort, startRedis, type TestRedis } from './helpers/redis-server.js';

const PASSWORD = 'Ex4mplePw9Kq2Zt7';
const tmp = new TempDir();
let redis: TestRedis;
const key = makeKey('service', { name: 'ci' });
const enrollToken = makeEnrollKey();
const servers: StartedServer[] = [];
const url = (db: number, password = PASSWORD, port = redis.port): string => `redis://:${password}@127.0.0.1:${port}/${db}`;

before(async () => {
  redis = await startRedis({ args: ['--requirepass', PASSWORD] });
  const store = await RedisKeyStore.connect({ url: url(3), source: 'test' });
  await store.update(() => [key.entry, enrollToken.entry]);
  await store.close();
});
after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await redis.stop();
  tmp.cleanup();
});

function noPassword(text: string): void {
  assert.ok(!text.includes(PASSWORD), `the Redis password was printed: ${text.slice(0, 400)}`);
}

describe('example server with --auth-redis-url', () => {
  const sources = [
    { name: 'flag', args: () => ['--auth-redis-url', url(3)], env: () => cleanEnv() },
    { name: 'flag -file', args: () => ['--auth-redis-url-file', tmp.file(`${url(3)}\n`)], env: () => cleanEnv() },
    { name: 'env DEEPAAS_AUTH_REDIS_URL_FILE', args: () => [], env: () => cleanEnv({ DEEPAAS_AUTH_REDIS_URL_FILE: tmp.file(`${url(3)}\n`) }) },
  ];
  for (const s of sources) {
    test(`${s.name}: waits for the keys, names the Redis (no password) in its start-up line, serves the key`, async () => {
      const server = await startServer(s.args(), s.env());
      servers.push(server);
      assert.match(server.stdout(), new RegExp(`^model server listening on http://127\\.0\\.0\\.1:\\d+ \\(keys from Redis redis://127\\.0\\.0\\.1:${redis.port}/3, prefix bearer-guard:; throttle[^)]*\\)$`, 'm'));
      const who = await call(server.url, '/v2/auth/whoami', { token: key.token });
      assert.equal(who.status, 200);
      assert.equal(who.body.id, key.entry.id);
      assert.equal((await call(server.url, '/v2/auth/whoami', { token: makeKey().token })).status, 401);
      noPassword(server.stdout() + server.stderr());
    });
  }

  test('SIGHUP re-lists from Redis; enrollment works against Redis; SIGTERM exits 0 without printing the password', async () => {
    const server = await startServer(['--auth-redis-url', url(3), '--auth-environment', 'prod'], cleanEnv());
    servers.push(server);
    server.child.kill('SIGHUP');
    await until('the reload line', 10_000, () => /keys reloaded on SIGHUP: 2 keys/.test(server.stdout()));
    const enrolled = await call(server.url, '/v2/agents', jsonBody({ name: 'edge-1' }, enrollToken.token));
    assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
    assert.equal((await call(server.url, '/v2/auth/whoami', { token: enrolled.body.api_key as string })).status, 200);
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
    noPassword(server.stdout() + server.stderr());
  });

  test('the single token still works as before (no keys note in the start-up line)', async () => {
    const server = await startServer(['--auth-bearer-token', 'my-secret-token'], cleanEnv());
    servers.push(server);
    assert.match(server.stdout(), /^model server listening on http:\/\/127\.0\.0\.1:\d+ \(throttle[^)]*\)$/m);
    assert.doesNotMatch(server.stdout(), /keys from/);
    assert.equal((await call(server.url, '/v2/auth/whoami', { token: 'my-secret-token' })).status, 200);
  });
});

describe('example server: Redis unusable at start-up exits 1 with the start-up error', () => {
  const cases = [
    { name: 'nothing listens', target: async () => url(3, PASSWORD, await freePort()), message: /cannot reach Redis redis:\/\/127\.0\.0\.1:\d+\/3 \(from --auth-redis-url\): ECONNREFUSED/ },
    { name: 'wrong password', target: async () => url(3, 'Wr0ngPassw0rdXyz'), message: /cannot reach Redis redis:\/\/127\.0\.0\.1:\d+\/3 \(from --auth-redis-url\): WRONGPASS/ },
    { name: 'no keyring in that database', target: async () => url(9), message: /Redis redis:\/\/127\.0\.0\.1:\d+\/9 holds no bearer-guard keyring/ },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const run = runServer(['--listen-port', '0', '--auth-redis-url', await c.target()], cleanEnv());
      assert.deepEqual(await exitWithin(run, 20_000), { code: 1, signal: null });
      assert.match(run.stderr(), new RegExp(`^model server: bearer-guard: ${c.message.source.replace(/^\^/, '')}`, 'm'));
      assert.doesNotMatch(run.stdout(), /listening/);
      noPassword(run.stdout() + run.stderr());
      assert.ok(!run.stderr().includes('Wr0ng'));
    });
  }

  test('a keys file and Redis together: exit 1 naming both sources', async () => {
    const keysFile = tmp.file(JSON.stringify({ version: 1, keys: [] }));
    writeFileSync(keysFile, JSON.stringify({ version: 1, keys: [] }));
    const run = runServer(['--listen-port', '0', '--auth-keys-file', keysFile], cleanEnv({ DEEPAAS_AUTH_REDIS_URL: url(3) }));
    assert.deepEqual(await exitWithin(run, 20_000), { code: 1, signal: null });
    assert.match(run.stderr(), /--auth-keys-file names a keys file .* env DEEPAAS_AUTH_REDIS_URL configures Redis/);
    noPassword(run.stdout() + run.stderr());
  });
});
