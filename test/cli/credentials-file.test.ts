// The credentials file: 0700/0600 (fixed again on every write), the ssh-like warning, corrupt files untouched, locks, reads that create nothing.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ClientHome, plainApp, saved, type Local } from '../client/helpers.js';
import { ROOT, TempDirs } from './helpers.js';

const TOKEN = randomBytes(32).toString('base64url');
const tmp = new TempDirs();
let app: Local;
before(async () => {
  app = await plainApp({ token: TOKEN, withWhoami: true });
});
after(() => {
  app?.close();
  tmp.cleanup();
});

const mode = (p: string): number => fs.statSync(p).mode & 0o777;

test('login creates the directory 0700 and the file 0600, and a write fixes a loosened mode', async () => {
  const home = new ClientHome(tmp);
  assert.equal((await home.login(app.url, TOKEN)).code, 0);
  assert.equal(mode(home.configDir), 0o700);
  assert.equal(mode(home.file), 0o600);
  fs.chmodSync(home.file, 0o644);
  const again = await home.login(app.url, TOKEN, '--context', 'second');
  assert.equal(again.code, 0);
  assert.match(again.stderr, /warning: credentials file .* is readable or writable by others \(mode 0644\); it holds tokens: run chmod 600 /);
  assert.equal(mode(home.file), 0o600, 'the mode is fixed by the write');
  assert.deepEqual(fs.readdirSync(home.configDir), ['contexts.json'], 'no temp or lock file left');
});

test('a group- or world-readable file gives a warning naming the chmod fix on every read', async () => {
  for (const loose of [0o644, 0o640, 0o604, 0o660]) {
    const home = new ClientHome(tmp);
    home.write({ version: 1, current: 'a', contexts: { a: saved(app.url, TOKEN) } });
    fs.chmodSync(home.file, loose);
    const r = await home.cli(['context', 'list']);
    assert.equal(r.code, 0);
    assert.ok(r.stderr.includes(`(mode 0${loose.toString(8)}); it holds tokens: run chmod 600 ${home.file}\n`), r.stderr);
    assert.equal(mode(home.file), loose, 'a read does not change the mode');
  }
  const tight = new ClientHome(tmp);
  tight.write({ version: 1, current: null, contexts: {} });
  assert.equal((await tight.cli(['context', 'list'])).stderr.includes('warning'), false);
});

const CORRUPT: Array<{ name: string; text: string; problem: RegExp }> = [
  { name: 'not JSON', text: `{"version":1,"contexts":{"a":{"token":"${TOKEN}"`, problem: /is not valid JSON \(line 1\)/ },
  { name: 'a newer version', text: JSON.stringify({ version: 2, current: null, contexts: {} }), problem: /has version 2, which this bearer-guard cannot read \(it reads version 1\); upgrade bearer-guard/ },
  { name: 'no version', text: JSON.stringify({ current: null, contexts: {} }), problem: /"version" must be 1/ },
  { name: 'a context without a token', text: JSON.stringify({ version: 1, current: null, contexts: { a: { endpoint: 'http://x', saved_at: 'now' } } }), problem: /context "a": "token" must be a non-empty token/ },
  { name: 'a bad endpoint', text: JSON.stringify({ version: 1, current: null, contexts: { a: saved('ftp://x', TOKEN) } }), problem: /context "a": "endpoint" must be an http:\/\/ or https:\/\/ URL/ },
  { name: 'current naming no context', text: JSON.stringify({ version: 1, current: 'b', contexts: { a: saved('http://x', TOKEN) } }), problem: /"current" must be null or the name of one of its contexts/ },
  { name: 'a token as a context name', text: JSON.stringify({ version: 1, current: null, contexts: { [TOKEN]: saved('http://x', TOKEN) } }), problem: /a context name \(43 characters, not shown\)/ },
];

for (const c of CORRUPT) {
  test(`a corrupt file (${c.name}): every command names the file and the problem, and leaves it untouched`, async () => {
    const home = new ClientHome(tmp);
    home.write(c.text);
    const before = fs.statSync(home.file);
    for (const args of [['context', 'list'], ['context', 'current'], ['status'], ['call', 'GET', '/v2/models/'], ['logout', '--all']]) {
      const r = await home.cli(args);
      assert.equal(r.code, 1, args.join(' '));
      assert.ok(r.stderr.startsWith(`bearer-guard: credentials file ${home.file}: `), r.stderr);
      assert.match(r.stderr, c.problem);
      assert.match(r.stderr, /fix or remove the file \(it was left as it is\)/);
      assert.ok(!r.stderr.includes(TOKEN.slice(0, 12)), 'no token in the message');
    }
    const login = await home.login(app.url, TOKEN);
    assert.equal(login.code, 1);
    assert.match(login.stderr, c.problem);
    assert.equal(fs.readFileSync(home.file, 'utf8'), c.text, 'the file is untouched');
    assert.equal(fs.statSync(home.file).mtimeMs, before.mtimeMs);
    assert.deepEqual(fs.readdirSync(home.configDir), ['contexts.json']);
  });
}

test('reading never creates the file or its directory', async () => {
  const home = new ClientHome(tmp);
  for (const args of [['context', 'list'], ['context', 'list', '--json'], ['context', 'current'], ['status'], ['call', 'GET', '/v2/models/'], ['predict', 'iris', '--file', path.join(ROOT, 'package.json')], ['logout', '--all']]) {
    await home.cli(args);
    assert.equal(fs.existsSync(home.configDir), false, `bearer-guard ${args.join(' ')} created ${home.configDir}`);
  }
  const list = await home.cli(['context', 'list', '--json']);
  assert.equal(list.stdout, '[]\n');
});

test('20 concurrent login --context cN runs leave 20 contexts', async () => {
  const home = new ClientHome(tmp);
  const runs = await Promise.all(Array.from({ length: 20 }, (_, i) => home.login(app.url, TOKEN, '--context', `c${i}`)));
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
  const data = home.read();
  assert.deepEqual(Object.keys(data.contexts).sort(), Array.from({ length: 20 }, (_, i) => `c${i}`).sort());
  assert.ok(data.current !== null && data.current in data.contexts);
  assert.deepEqual(fs.readdirSync(home.configDir), ['contexts.json'], 'no lock or temp file is left');
  assert.equal(mode(home.file), 0o600);
});

test('the location: BEARER_GUARD_CONFIG_DIR, else $XDG_CONFIG_HOME/bearer-guard, else ~/.config/bearer-guard', async () => {
  const home = new ClientHome(tmp);
  const xdg = path.join(home.home, 'xdg');
  const cases: Array<[Record<string, string>, string]> = [
    [{}, home.file],
    [{ BEARER_GUARD_CONFIG_DIR: '', XDG_CONFIG_HOME: xdg }, path.join(xdg, 'bearer-guard', 'contexts.json')],
    [{ BEARER_GUARD_CONFIG_DIR: '', XDG_CONFIG_HOME: 'relative/ignored' }, path.join(home.home, '.config', 'bearer-guard', 'contexts.json')],
    [{ BEARER_GUARD_CONFIG_DIR: '' }, path.join(home.home, '.config', 'bearer-guard', 'contexts.json')],
  ];
  for (const [env, file] of cases) {
    const r = await home.cli(['login', '--with-token', '--endpoint', app.url, '--json'], { input: TOKEN, env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { file: string }).file, file, JSON.stringify(env));
    assert.equal(mode(file), 0o600);
  }
});
