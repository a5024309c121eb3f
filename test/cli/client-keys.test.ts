// login and status with a keys file (scopes, expiry, revocation), and against a plain app without whoami (the fallback).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createServer } from 'node:http';
import { ClientHome, plainApp, saved, serve, startExample, type Local } from '../client/helpers.js';
import { until, type StartedServer } from '../helpers/example-server.js';
import { makeKey, writeKeysFile } from '../helpers/keys.js';
import { ROOT, TempDirs, type CliResult } from './helpers.js';

const HOUR = 3_600_000;
const LATER = '2099-01-31T00:00:00.000Z';
const CSV = path.join(ROOT, 'examples/model-server/flowers.csv');
const keys = {
  reader: makeKey('user', { name: 'alice', scopes: ['models:read'], expires_at: LATER }),
  predictor: makeKey('service', { name: 'ci-predict', scopes: ['models:predict'] }),
  soon: makeKey('service', { name: 'to-revoke', scopes: ['*'] }),
  expired: makeKey('service', { name: 'temp', expires_at: new Date(Date.now() - HOUR).toISOString() }),
  revoked: makeKey('service', { name: 'old', revoked_at: new Date(Date.now() - HOUR).toISOString() }),
  unknown: makeKey('service'),
};
const tmp = new TempDirs();
/** A URL on a port that was just free: nothing listens there. */
const freePortUrl = async (): Promise<string> => {
  const l = await serve(createServer());
  l.close();
  return l.url;
};
const ok = (r: CliResult): CliResult => {
  assert.equal(r.code, 0, `bearer-guard ${r.args.join(' ')}: ${r.stderr}`);
  return r;
};

describe('keys-file setup', () => {
  let server: StartedServer;
  let keysFile: string;
  before(async () => {
    keysFile = path.join(tmp.make(), 'keys.json');
    writeKeysFile(keysFile, Object.values(keys).filter((k) => k !== keys.unknown).map((k) => k.entry));
    server = await startExample(['--auth-keys-file', keysFile]);
  });
  after(() => server?.stop());

  test('login shows the key, its family, scopes and expiry, and saves them', async () => {
    const home = new ClientHome(tmp);
    const r = ok(await home.login(server.url, keys.reader.token, '--context', 'alice'));
    assert.match(r.stderr, new RegExp(`accepted by .*: key ${keys.reader.entry.id} "alice" \\(family user, scopes models:read, expires ${LATER}\\)`));
    assert.match(r.stderr, /saved context "alice" \(token bgu_…\w{4}\)/);
    assert.deepEqual(home.read().contexts.alice!.identity, { id: keys.reader.entry.id, name: 'alice', family: 'user', scopes: ['models:read'], expires_at: LATER });
  });

  test('login with an expired or revoked key fails saying so', async () => {
    const home = new ClientHome(tmp);
    const expired = await home.login(server.url, keys.expired.token);
    assert.equal(expired.code, 1);
    assert.match(expired.stderr, /refused the token \(401: Bearer token expired\)/);
    const revoked = await home.login(server.url, keys.revoked.token);
    assert.equal(revoked.code, 1);
    assert.match(revoked.stderr, /refused the token \(401: Bearer token revoked\)/);
  });

  test('predict without the scope: 403, exit 1; with it: predictions', async () => {
    const home = new ClientHome(tmp);
    ok(await home.login(server.url, keys.reader.token, '--context', 'reader'));
    ok(await home.login(server.url, keys.predictor.token, '--context', 'predictor'));
    const refused = await home.cli(['predict', 'iris-rf', '--file', CSV, '--context', 'reader']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^HTTP 403 Forbidden\n/);
    assert.match(refused.stdout, /insufficient_scope/);
    const done = ok(await home.cli(['predict', 'iris-rf', '--file', CSV, '--context', 'predictor']));
    assert.equal((JSON.parse(done.stdout) as { status: string }).status, 'OK');
  });

  test('status reports valid, expired, revoked, invalid and unreachable per context, and exits 1 when the current one is not valid', async () => {
    const home = new ClientHome(tmp);
    ok(await home.login(server.url, keys.soon.token, '--context', 'main'));
    const data = home.read();
    home.write({
      ...data,
      contexts: {
        ...data.contexts,
        alice: saved(server.url, keys.reader.token),
        expired: saved(server.url, keys.expired.token),
        stranger: saved(server.url, keys.unknown.token),
        down: saved(await freePortUrl(), keys.reader.token),
      },
    });
    const states = async (): Promise<Record<string, string>> => {
      const r = await home.cli(['status', '--json', '--timeout', '5']);
      return Object.fromEntries((JSON.parse(r.stdout) as Array<{ context: string; state: string }>).map((s) => [s.context, s.state]));
    };
    assert.deepEqual(await states(), { alice: 'valid', down: 'unreachable', expired: 'expired', main: 'valid', stranger: 'invalid' });
    assert.equal((await home.cli(['status'])).code, 0, 'the current context (main) is valid');

    const list = ok(await home.cli(['keys', 'list', '--json', '--keys-file', keysFile]));
    assert.ok(list.stdout.includes(keys.soon.entry.id));
    ok(await home.cli(['keys', 'revoke', keys.soon.entry.id, '--keys-file', keysFile]));
    await until('the server sees the revocation', 10_000, async () => (await fetch(`${server.url}/v2/auth/whoami`, { headers: { authorization: `Bearer ${keys.soon.token}` } })).status === 401);
    assert.equal((await states()).main, 'revoked');
    const text = await home.cli(['status']);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /\*\s+main\s+\S+\s+bgs_…\w{4}\s+revoked\s+.*Bearer token revoked/);
    assert.match(text.stderr, /the credentials in use \(context "main"\) are revoked/);
  });
});

describe('a plain app without whoami: login falls back to GET /v2/models/', () => {
  let app: Local;
  before(async () => {
    app = await plainApp({ keys: [keys.reader.entry, keys.predictor.entry] });
  });
  after(() => app?.close());

  test('a token that can list models: saved without an identity', async () => {
    const home = new ClientHome(tmp);
    const r = ok(await home.login(app.url, keys.reader.token, '--json'));
    assert.match(r.stderr, /the server has no \/v2\/auth\/whoami; GET \/v2\/models\/ accepted the token\n/);
    const json = JSON.parse(r.stdout) as { identity: unknown; checked_with: string };
    assert.deepEqual([json.identity, json.checked_with], [null, 'models']);
    assert.equal(home.read().contexts.default!.identity, null);
    const status = ok(await home.cli(['status']));
    assert.match(status.stdout, /valid\s+identity unknown \(the server has no \/v2\/auth\/whoami\)/);
    const list = ok(await home.cli(['context', 'list']));
    assert.match(list.stdout, /identity unknown/);
  });

  test('a valid token without models:read (403) is accepted, saying so', async () => {
    const home = new ClientHome(tmp);
    const r = ok(await home.login(app.url, keys.predictor.token));
    assert.match(r.stderr, /accepted the token \(403: valid, but without the scope to list models\)/);
  });

  test('a wrong token is refused by the fallback too', async () => {
    const home = new ClientHome(tmp);
    const r = await home.login(app.url, keys.unknown.token);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /refused the token \(401: Invalid bearer token\)/);
  });
});

after(() => tmp.cleanup());
