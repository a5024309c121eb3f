// Which credentials are used, pair by pair: --context, then BEARER_GUARD_TOKEN(_FILE)+ENDPOINT, then BEARER_GUARD_CONTEXT, then current; CLI and client alike.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BearerGuardClientError, createClient } from '../../src/client/index.js';
import { TempDirs } from '../cli/helpers.js';
import { makeKey, writeKeysFile } from '../helpers/keys.js';
import type { StartedServer } from '../helpers/example-server.js';
import { BLANK_ENV, ClientHome, saved, startExample } from './helpers.js';

// One key per source; whoami's `name` says which one a call used.
const keys = { flag: makeKey('service', { name: 'flag' }), env: makeKey('service', { name: 'env' }), envContext: makeKey('service', { name: 'envContext' }), current: makeKey('service', { name: 'current' }) };
type Source = keyof typeof keys;
const ORDER: Source[] = ['flag', 'env', 'envContext', 'current'];
const tmp = new TempDirs();
let server: StartedServer;
let home: ClientHome;
let fileText: string;
let tokenFile: string;

before(async () => {
  const keysFile = path.join(tmp.make(), 'keys.json');
  writeKeysFile(keysFile, Object.values(keys).map((k) => k.entry));
  server = await startExample(['--auth-keys-file', keysFile]);
  home = new ClientHome(tmp);
  tokenFile = path.join(tmp.make(), 'token.txt');
  fs.writeFileSync(tokenFile, `${keys.env.token}\n`);
});
after(async () => {
  await server?.stop();
  tmp.cleanup();
});

/** The file holding the contexts named after the sources; `current` set only when that source is on. */
function writeContexts(on: readonly Source[]): void {
  const contexts = { flagctx: saved(server.url, keys.flag.token), envctx: saved(server.url, keys.envContext.token), curctx: saved(server.url, keys.current.token) };
  home.write({ version: 1, current: on.includes('current') ? 'curctx' : null, contexts });
  fileText = fs.readFileSync(home.file, 'utf8');
}

/** Every non-empty subset of the sources: all singles, all pairs, triples and the four together. */
const SUBSETS: Source[][] = Array.from({ length: 15 }, (_, n) => ORDER.filter((_, i) => ((n + 1) >> i) & 1));

function setup(on: readonly Source[], viaFile = false): { args: string[]; env: Record<string, string>; options: { context?: string } } {
  const env: Record<string, string> = {};
  if (on.includes('env')) {
    Object.assign(env, viaFile ? { BEARER_GUARD_TOKEN_FILE: tokenFile } : { BEARER_GUARD_TOKEN: keys.env.token }, { BEARER_GUARD_ENDPOINT: server.url });
  }
  if (on.includes('envContext')) env.BEARER_GUARD_CONTEXT = 'envctx';
  return { args: on.includes('flag') ? ['--context', 'flagctx'] : [], env, options: on.includes('flag') ? { context: 'flagctx' } : {} };
}

describe('the precedence table, every combination of sources (CLI: bearer-guard call, client: createClient)', () => {
  for (const on of SUBSETS) {
    for (const viaFile of on.includes('env') ? [false, true] : [false]) {
      const winner = ORDER.find((s) => on.includes(s))!;
      test(`${on.join(' + ')}${viaFile ? ' (token from BEARER_GUARD_TOKEN_FILE)' : ''}: ${winner} wins`, async () => {
        writeContexts(on);
        const { args, env, options } = setup(on, viaFile);
        const r = await home.cli(['call', ...args, 'GET', '/v2/auth/whoami'], { env });
        assert.equal(r.code, 0, r.stderr);
        assert.equal((JSON.parse(r.stdout) as { name: string }).name, winner);
        const noted = /note: --context "flagctx" was given, so the token in BEARER_GUARD_TOKEN(_FILE)? is ignored\n/.test(r.stderr);
        assert.equal(noted, on.includes('flag') && on.includes('env'), r.stderr);
        const client = createClient({ ...options, env: home.env(env) });
        assert.equal((await client.whoami()).name, winner);
        assert.equal(client.source, winner === 'env' ? 'env' : 'context');
        assert.equal(fs.readFileSync(home.file, 'utf8'), fileText, 'resolution never writes the file');
      });
    }
  }
});

describe('env credentials that are incomplete or conflicting never fall back', () => {
  const CASES: Array<{ name: string; env: () => Record<string, string>; code: string; message: RegExp }> = [
    { name: 'a token without BEARER_GUARD_ENDPOINT', env: () => ({ BEARER_GUARD_TOKEN: keys.env.token }), code: 'ERR_NO_ENDPOINT', message: /BEARER_GUARD_TOKEN is set but BEARER_GUARD_ENDPOINT is not; set it to the server's URL \(there is no default host/ },
    { name: 'a token file without BEARER_GUARD_ENDPOINT', env: () => ({ BEARER_GUARD_TOKEN_FILE: tokenFile }), code: 'ERR_NO_ENDPOINT', message: /BEARER_GUARD_TOKEN_FILE is set but BEARER_GUARD_ENDPOINT is not/ },
    { name: 'a token and a token file', env: () => ({ BEARER_GUARD_TOKEN: keys.env.token, BEARER_GUARD_TOKEN_FILE: tokenFile, BEARER_GUARD_ENDPOINT: server.url }), code: 'ERR_INVALID_ARGUMENT', message: /BEARER_GUARD_TOKEN and BEARER_GUARD_TOKEN_FILE are both set; set only one/ },
    { name: 'a missing token file', env: () => ({ BEARER_GUARD_TOKEN_FILE: `${tokenFile}.gone`, BEARER_GUARD_ENDPOINT: server.url }), code: 'ERR_TOKEN_FILE', message: /BEARER_GUARD_TOKEN_FILE .*token\.txt\.gone: cannot be read: no such file/ },
    { name: 'an unknown BEARER_GUARD_CONTEXT', env: () => ({ BEARER_GUARD_CONTEXT: 'nope' }), code: 'ERR_UNKNOWN_CONTEXT', message: /BEARER_GUARD_CONTEXT: no context "nope"; known contexts: curctx, envctx, flagctx/ },
    { name: 'a bad BEARER_GUARD_ENDPOINT', env: () => ({ BEARER_GUARD_TOKEN: keys.env.token, BEARER_GUARD_ENDPOINT: 'ftp://x' }), code: 'ERR_INVALID_ENDPOINT', message: /BEARER_GUARD_ENDPOINT must be an http:\/\/ or https:\/\/ URL/ },
  ];
  for (const c of CASES) {
    test(`${c.name}: ${c.code}, even with a current context`, async () => {
      writeContexts(['current']);
      const r = await home.cli(['call', 'GET', '/v2/auth/whoami'], { env: c.env() });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, c.message);
      assert.throws(() => createClient({ env: home.env(c.env()) }), (err: unknown) => err instanceof BearerGuardClientError && err.code === c.code && c.message.test(err.message));
    });
  }

  test('nothing at all: ERR_NO_CREDENTIALS, naming both ways to get some', () => {
    assert.throws(() => createClient({ env: { ...BLANK_ENV, BEARER_GUARD_CONFIG_DIR: tmp.make() } }), {
      code: 'ERR_NO_CREDENTIALS',
      message: /no credentials: run bearer-guard login, or set BEARER_GUARD_TOKEN and BEARER_GUARD_ENDPOINT/,
    });
  });
});
