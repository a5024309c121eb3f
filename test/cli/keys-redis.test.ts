// The keys commands on both backends (a keys file and a real Redis) through one table, keys import, last_used_at, and how a backend is chosen.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FileKeyStore } from '../../src/keys/file-store.js';
import type { KeyStore } from '../../src/keys/store.js';
import { RedisKeyStore } from '../../src/redis/key-store.js';
import { startRedis, freePort, type TestRedis } from '../helpers/redis-server.js';
import { writeKeysFile, makeKey } from '../helpers/keys.js';
import { freshPrefix } from '../redis/helpers.js';
import { hasStackTrace, jsonOf, runCli, TempDirs, type CliResult } from './helpers.js';

let redis: TestRedis;
const tmp = new TempDirs();
const stores: RedisKeyStore[] = [];
before(async () => (redis = await startRedis()));
after(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await redis.stop();
  tmp.cleanup();
});

type View = Record<string, unknown> & { id: string; status: string };
const ok = (r: CliResult): CliResult => {
  assert.equal(r.code, 0, `${r.args.join(' ')}: ${r.stderr}`);
  assert.ok(!hasStackTrace(r.stderr));
  return r;
};

/** One backend: the arguments that choose it, how messages name it, and a library store on the same keys. */
interface Backend {
  readonly args: string[];
  readonly where: RegExp;
  store(): Promise<KeyStore & { enroll: NonNullable<KeyStore['enroll']> }>;
}
const backends: Array<[string, () => Backend]> = [
  ['a keys file', () => {
    const file = tmp.keysFile();
    return { args: ['--keys-file', file], where: /in keys file \S+keys\.json/, store: async () => new FileKeyStore(file) };
  }],
  ['Redis', () => {
    const prefix = freshPrefix();
    return {
      args: ['--redis-url', `${redis.url}/0`, '--redis-prefix', prefix],
      where: new RegExp(`in Redis redis://127\\.0\\.0\\.1:${redis.port}/0 \\(prefix ${prefix}\\)`),
      store: async () => {
        const store = await RedisKeyStore.connect({ url: redis.url, prefix });
        stores.push(store);
        return store;
      },
    };
  }],
];

describe('keys commands on both backends', () => {
  for (const [label, make] of backends) {
    test(`${label}: create, list, revoke, rotate and an enrollment token round-trip`, async () => {
      const b = make();
      const keys = async (...extra: string[]): Promise<View[]> => jsonOf<View[]>(ok(await runCli(['keys', 'list', ...b.args, '--json', ...extra])));
      const created = ok(await runCli(['keys', 'create', '--name', 'ci', '--scope', 'models:read', ...b.args, '--json']));
      const ci = jsonOf<{ id: string; token: string }>(created);
      assert.match(ci.token, /^bgs_/);
      assert.match(created.stderr, b.where);
      const other = jsonOf<{ id: string }>(ok(await runCli(['keys', 'create', '--name', 'web', ...b.args, '--json'])));
      assert.deepEqual((await keys()).map((k) => [k.id, k.status]), [[ci.id, 'active'], [other.id, 'active']]);

      const revoked = ok(await runCli(['keys', 'revoke', other.id, ...b.args]));
      assert.match(revoked.stderr, new RegExp(`^revoked key ${other.id} .* ${b.where.source}`));
      assert.match(ok(await runCli(['keys', 'revoke', other.id, ...b.args])).stderr, /was already revoked/);

      const rotated = jsonOf<{ id: string; name: string; token: string }>(ok(await runCli(['keys', 'rotate', ci.id, '--grace', '1h', ...b.args, '--json'])));
      assert.equal(rotated.name, 'ci');
      const after = await keys();
      assert.deepEqual(after.map((k) => [k.id, k.status]), [[ci.id, 'active'], [other.id, 'revoked'], [rotated.id, 'active']]);
      assert.ok(typeof after[0]!.expires_at === 'string', 'the old key expires after the grace period');

      const token = jsonOf<{ id: string }>(ok(await runCli(['keys', 'create', '--family', 'enroll', '--name', 'edge', '--environment', 'prod', '--grant-scope', 'models:predict', '--uses', '2', ...b.args, '--json'])));
      const store = await b.store();
      const enrolled = await store.enroll({ tokenId: token.id, name: 'edge-01', environment: 'prod', now: Date.now() });
      assert.equal(enrolled.ok, true);
      const agents = await keys('--family', 'agent');
      assert.equal(agents.length, 1);
      assert.deepEqual(agents[0]!.enrolled_by, { id: token.id, name: 'edge' });
      assert.equal((await keys('--family', 'enroll'))[0]!.used, 1);

      const missing = await runCli(['keys', 'revoke', 'key_nothere', ...b.args]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, new RegExp(`no key with id key_nothere ${b.where.source}`));
      const table = ok(await runCli(['keys', 'list', ...b.args]));
      assert.equal(/LAST USED/.test(table.stdout), label === 'Redis', 'only Redis records last use');
    });
  }
});

describe('keys list: last_used_at from Redis', () => {
  test('a JSON field (null when never used) and a LAST USED column', async () => {
    const prefix = freshPrefix();
    const args = ['--redis-url', redis.url, '--redis-prefix', prefix];
    const used = jsonOf<{ id: string }>(ok(await runCli(['keys', 'create', '--name', 'used', ...args, '--json'])));
    const idle = jsonOf<{ id: string }>(ok(await runCli(['keys', 'create', '--name', 'idle', ...args, '--json'])));
    const store = await RedisKeyStore.connect({ url: redis.url, prefix });
    stores.push(store);
    store.touch(used.id, Date.parse('2026-06-01T10:20:30.000Z'));
    await store.flushLastUsed();
    const list = jsonOf<View[]>(ok(await runCli(['keys', 'list', ...args, '--json'])));
    assert.deepEqual(list.map((k) => [k.id, k.last_used_at]), [[used.id, '2026-06-01T10:20:30.000Z'], [idle.id, null]]);
    const lines = ok(await runCli(['keys', 'list', ...args])).stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /STATUS\s+LAST USED$/);
    assert.match(lines[1]!, /active\s+2026-06-01 10:20Z$/);
    assert.match(lines[2]!, /active\s+never$/);
    const file = tmp.keysFile();
    ok(await runCli(['keys', 'create', '--name', 'f', '--keys-file', file]));
    assert.equal('last_used_at' in jsonOf<View[]>(ok(await runCli(['keys', 'list', '--keys-file', file, '--json'])))[0]!, false, 'a keys file records no last use');
  });
});

describe('keys import', () => {
  test('moves a keys file into Redis; running it again changes nothing; a different entry under the same id is refused unless --replace', async () => {
    const prefix = freshPrefix();
    const args = ['--redis-url', redis.url, '--redis-prefix', prefix];
    const file = tmp.keysFile();
    const a = makeKey('service', { scopes: ['models:read'] }).entry;
    const b = makeKey('user').entry;
    writeKeysFile(file, [a, b]);
    const first = ok(await runCli(['keys', 'import', '--from', file, ...args, '--json']));
    assert.deepEqual(jsonOf(first), { added: [a.id, b.id], replaced: [], unchanged: [] });
    assert.match(first.stderr, new RegExp(`^imported 2 keys from keys file \\S+ into Redis redis://127\\.0\\.0\\.1:${redis.port} \\(prefix ${prefix}\\): 2 added, 0 replaced, 0 already there\\n$`));
    const listed = jsonOf<View[]>(ok(await runCli(['keys', 'list', ...args, '--json'])));
    // Redis keeps no order: keys are listed by created_at, then id.
    assert.deepEqual(listed.map((k) => k.id), [a.id, b.id].sort());
    const epoch = await redis.command('GET', `${prefix}epoch`);
    assert.deepEqual(jsonOf(ok(await runCli(['keys', 'import', '--from', file, ...args, '--json']))), { added: [], replaced: [], unchanged: [a.id, b.id] });
    assert.equal(await redis.command('GET', `${prefix}epoch`), epoch, 'an import that changes nothing writes nothing');

    const c = makeKey().entry;
    writeKeysFile(file, [{ ...a, name: 'renamed' }, c]);
    const refused = await runCli(['keys', 'import', '--from', file, ...args]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`already holds key ${a.id} with a different entry; nothing was imported. Pass --replace`));
    assert.equal(jsonOf<View[]>(ok(await runCli(['keys', 'list', ...args, '--json']))).length, 2, 'all or nothing');
    assert.deepEqual(jsonOf(ok(await runCli(['keys', 'import', '--from', file, '--replace', ...args, '--json']))), { added: [c.id], replaced: [a.id], unchanged: [] });
    const names = jsonOf<View[]>(ok(await runCli(['keys', 'list', ...args, '--json']))).map((k) => k.name);
    assert.deepEqual(names.sort(), ['renamed', 'test-service', 'test-user'], 'a renamed by --replace; b kept; c added');
  });

  test('an empty keys file creates an empty keyring that a server can start from', async () => {
    const prefix = freshPrefix();
    const file = tmp.keysFile();
    writeKeysFile(file, []);
    ok(await runCli(['keys', 'import', '--from', file, '--redis-url', redis.url, '--redis-prefix', prefix]));
    assert.deepEqual(jsonOf(ok(await runCli(['keys', 'list', '--redis-url', redis.url, '--redis-prefix', prefix, '--json']))), []);
  });

  test('an invalid keys file imports nothing and leaves Redis untouched', async () => {
    const prefix = freshPrefix();
    const file = tmp.keysFile();
    fs.writeFileSync(file, JSON.stringify({ version: 1, keys: [{ ...makeKey().entry, digest: 'sha256:nope' }] }));
    const r = await runCli(['keys', 'import', '--from', file, '--redis-url', redis.url, '--redis-prefix', prefix]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /keys\[0\] \(id key_\w+\): "digest" must be/);
    assert.equal(await redis.command('EXISTS', `${prefix}epoch`, `${prefix}keys`), ':0\r\n');
  });
});

describe('choosing the backend', () => {
  const table: Array<[string, string[], Record<string, string>, number, RegExp]> = [
    ['--keys-file and --redis-url', ['--keys-file', 'k.json', '--redis-url', 'redis://127.0.0.1:1'], {}, 2, /give --keys-file or --redis-url, not both/],
    ['AUTH_KEYS_FILE and AUTH_REDIS_URL', [], { AUTH_KEYS_FILE: 'k.json', AUTH_REDIS_URL: 'redis://127.0.0.1:1' }, 2, /both AUTH_KEYS_FILE and AUTH_REDIS_URL \(or AUTH_REDIS_URL_FILE\) are set/],
    ['AUTH_REDIS_URL and AUTH_REDIS_URL_FILE', [], { AUTH_REDIS_URL: 'redis://127.0.0.1:1', AUTH_REDIS_URL_FILE: '/x' }, 2, /both AUTH_REDIS_URL and AUTH_REDIS_URL_FILE are set/],
    ['nothing', [], {}, 2, /no keys given: pass --keys-file PATH or --redis-url URL/],
    ['an http URL', ['--redis-url', 'http://127.0.0.1:6379'], {}, 2, /--redis-url must be a redis:\/\/ or rediss:\/\/ URL/],
    ['a bad URL from the env', [], { AUTH_REDIS_URL: 'cache:6379' }, 2, /env AUTH_REDIS_URL must be a redis:\/\//],
    ['--redis-prefix with a keys file', ['--keys-file', 'k.json', '--redis-prefix', 'x:'], {}, 2, /--redis-prefix needs --redis-url/],
    ['a missing URL file', [], { AUTH_REDIS_URL_FILE: '/nonexistent/redis-url' }, 1, /the file \/nonexistent\/redis-url \(from env AUTH_REDIS_URL_FILE\) cannot be read/],
  ];
  for (const [label, args, env, code, message] of table) {
    test(`${label}: exit ${code}`, async () => {
      const r = await runCli(['keys', 'list', ...args], { env });
      assert.equal(r.code, code, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    });
  }

  test('AUTH_REDIS_URL, AUTH_REDIS_URL_FILE and AUTH_REDIS_PREFIX choose Redis; --redis-url beats AUTH_KEYS_FILE', async () => {
    const prefix = freshPrefix();
    const urlFile = path.join(tmp.make(), 'redis-url');
    fs.writeFileSync(urlFile, `${redis.url}/0\n`);
    ok(await runCli(['keys', 'create', '--name', 'by-env'], { env: { AUTH_REDIS_URL: redis.url, AUTH_REDIS_PREFIX: prefix } }));
    ok(await runCli(['keys', 'create', '--name', 'by-file'], { env: { AUTH_REDIS_URL_FILE: urlFile, AUTH_REDIS_PREFIX: prefix } }));
    const r = ok(await runCli(['keys', 'list', '--redis-url', redis.url, '--json'], { env: { AUTH_KEYS_FILE: tmp.keysFile(), AUTH_REDIS_PREFIX: prefix } }));
    assert.deepEqual(jsonOf<View[]>(r).map((k) => k.name), ['by-env', 'by-file']);
  });

  test('Redis unreachable: exit 1 naming the URL without its password; no keyring under the prefix: exit 1 saying how to create one', async () => {
    const port = await freePort();
    const r = await runCli(['keys', 'list', '--redis-url', `redis://:hunter2-secret@127.0.0.1:${port}/0`]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `bearer-guard: cannot reach Redis redis://127.0.0.1:${port}/0 (from --redis-url): ECONNREFUSED; check that Redis runs and that the URL and its password are right\n`);
    const empty = await runCli(['keys', 'list', '--redis-url', redis.url, '--redis-prefix', freshPrefix()]);
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /holds no bearer-guard keyring under prefix t\w+:; create a key with `bearer-guard keys create --redis-url \.\.\.` or `keys import`/);
  });

  test('--help of every keys command names --redis-url', async () => {
    for (const sub of ['create', 'list', 'revoke', 'rotate', 'import']) {
      const r = ok(await runCli(['keys', sub, '--help']));
      assert.match(r.stdout, /--redis-url <url>/, sub);
      assert.match(r.stdout, /--redis-prefix <prefix>/, sub);
    }
  });
});
