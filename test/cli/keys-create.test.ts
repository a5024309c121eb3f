// keys create against real keys files: a 0600 file, the token alone on stdout, details on stderr.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, test } from 'node:test';
import { jsonOf, TempDirs } from './helpers.js';
import { KeysSession, near, read } from './keys-session.js';

const tmp = new TempDirs();
after(() => tmp.cleanup());
const s = new KeysSession();

describe('keys create', () => {
  test('writes a 0600 file, prints only the token on stdout and the details on stderr', async () => {
    const file = tmp.keysFile();
    const { token, entry, run } = await s.create(file, '--name', 'ci-deploy', '--scope', 'models:read', '--scope', 'models:write', '--scope', 'models:read');
    assert.match(run.stdout, /^bgs_[0-9A-Za-z]{49}\n$/);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(entry.name, 'ci-deploy');
    assert.equal(entry.family, 'service');
    assert.deepEqual(entry.scopes, ['models:read', 'models:write']);
    assert.equal(entry.hint, `bgs_…${token.slice(-4)}`);
    assert.equal(entry.expires_at, undefined);
    assert.ok(near(entry.created_at, Date.now()));
    assert.ok(!fs.readFileSync(file, 'utf8').includes(token), 'the file never holds the token');
    assert.equal(
      run.stderr,
      `created key ${entry.id} "ci-deploy" (family service, scopes models:read,models:write, expires never) in keys file ${file}; the token is shown once, above\n`,
    );
  });

  const families: Array<[family: string, prefix: string]> = [['user', 'bgu_'], ['service', 'bgs_'], ['agent', 'bga_']];
  for (const [family, prefix] of families) {
    test(`--family ${family} gives a ${prefix} token`, async () => {
      const { token, entry } = await s.create(tmp.keysFile(), '--name', 'k', '--family', family);
      assert.ok(token.startsWith(prefix) && token.length === 53, token.slice(0, 4));
      assert.equal(entry.family, family);
    });
  }

  const expiries: Array<[given: string, expected: () => number]> = [
    ['30d', () => Date.now() + 30 * 86_400_000],
    ['2099-01-31', () => Date.parse('2099-01-31T00:00:00.000Z')],
    ['2099-01-31T12:00:00+02:00', () => Date.parse('2099-01-31T10:00:00.000Z')],
  ];
  for (const [given, expected] of expiries) {
    test(`--expires ${given} --json prints one JSON line with the key and its token`, async () => {
      const { token, entry, run } = await s.create(tmp.keysFile(), '--name', 'n', '--expires', given, '--json');
      assert.equal(run.stdout.split('\n').length, 2, 'one line');
      const out = jsonOf<Record<string, unknown>>(run);
      assert.deepEqual(Object.keys(out), ['id', 'name', 'family', 'scopes', 'hint', 'created_at', 'expires_at', 'token']);
      assert.deepEqual(out, { id: entry.id, name: 'n', family: 'service', scopes: [], hint: entry.hint, created_at: entry.created_at, expires_at: entry.expires_at, token });
      assert.ok(near(entry.expires_at, expected()), `${entry.expires_at}`);
    });
  }

  test('the keys file defaults to env AUTH_KEYS_FILE; --keys-file wins over it', async () => {
    const fromEnv = tmp.keysFile();
    const fromFlag = tmp.keysFile();
    const a = await s.cli(['keys', 'create', '--name', 'env'], { AUTH_KEYS_FILE: fromEnv });
    assert.equal(a.code, 0, a.stderr);
    s.issue(a);
    assert.equal(read(fromEnv).length, 1);
    const b = await s.cli(['keys', 'create', '--name', 'flag', '--keys-file', fromFlag], { AUTH_KEYS_FILE: fromEnv });
    s.issue(b);
    assert.equal(read(fromEnv).length, 1);
    assert.equal(read(fromFlag).length, 1);
  });

  test('an invalid keys file is not touched: exit 1 naming the file', async () => {
    const file = tmp.keysFile();
    fs.writeFileSync(file, '{"version": 1, "keys": [', { mode: 0o600 });
    const r = await s.cli(['keys', 'create', '--name', 'x', '--keys-file', file]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `bearer-guard: keys file ${file}: is not valid JSON (line 1)\n`);
    assert.equal(fs.readFileSync(file, 'utf8'), '{"version": 1, "keys": [');
  });
});

// Runs last (tests in a file run in order): covers every run above.
test('each token appears only on the stdout line that issued it; its digest nowhere', () => s.assertNoLeaks(9));
