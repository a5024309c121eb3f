// The model-server example with a keys file (--auth-keys-file): route scopes, expiry and revocation, hot reload, SIGHUP, audit lines.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateKey, keyHint } from '../src/keys/format.js';
import type { KeyEntry, KeyFamily } from '../src/keys/types.js';
import { call, cleanEnv, exitWithin, expectContinueUpload, jsonBody, jsonLines, runServer, startServer, until } from './helpers/example-server.js';
import type { JsonResponse, StartedServer } from './helpers/example-server.js';

const MODEL = 'iris-rf';
const PREDICT = `/v2/models/${MODEL}/predict`;
const TRAIN = `/v2/models/${MODEL}/train`;
const SOME_UUID = '00000000-0000-4000-8000-000000000000';
const ROW = { data: [[5.1, 3.5, 1.4, 0.2]] };
const HOUR = 3_600_000;
/** The single token given alongside a keys file (it has every scope). */
const SINGLE_TOKEN = 'example-single-token-0123456789abcdefghijklmnop';

interface TestKey {
  readonly token: string;
  readonly entry: KeyEntry;
}

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A real key: a token of the family's shape, and its entry (digest = sha256 of the token). */
function makeKey(id: string, scopes: string[], extra: Partial<KeyEntry> = {}, family: KeyFamily = 'service'): TestKey {
  const token = generateKey(family);
  const entry: KeyEntry = {
    id,
    name: id,
    family,
    scopes,
    digest: `sha256:${sha256Hex(token)}`,
    hint: keyHint(token),
    created_at: new Date(Date.now() - 2 * HOUR).toISOString(),
    ...extra,
  };
  return { token, entry };
}

const keys = {
  reader: makeKey('key_reader', ['models:read'], {}, 'user'),
  predictor: makeKey('key_predictor', ['models:predict']),
  modelsAll: makeKey('key_models_all', ['models:*']),
  admin: makeKey('key_admin', ['*']),
  other: makeKey('key_other', ['reports:read']),
  expired: makeKey('key_expired', ['*'], { expires_at: new Date(Date.now() - HOUR).toISOString() }),
  revoked: makeKey('key_revoked', ['*'], { revoked_at: new Date(Date.now() - HOUR).toISOString() }),
  // Not in the file at start-up: added by a rewrite, then by a rewrite picked up on SIGHUP.
  later: makeKey('key_later', ['models:read']),
  viaSighup: makeKey('key_sighup', ['models:read']),
  // Never in any file.
  unknown: makeKey('key_unknown', ['*']),
};
const INITIAL = [keys.reader, keys.predictor, keys.modelsAll, keys.admin, keys.other, keys.expired, keys.revoked];

const dir = mkdtempSync(join(tmpdir(), 'bearer-guard-example-keys-'));
const keysFile = join(dir, 'keys.json');
const envKeysFile = join(dir, 'env-keys.json');
let writes = 0;

/** Replaces the keys file atomically (write a temporary file, then rename), mode 0600. */
function writeKeysFile(path: string, content: string | readonly TestKey[]): void {
  const text = typeof content === 'string' ? content : `${JSON.stringify({ version: 1, keys: content.map((k) => k.entry) }, null, 2)}\n`;
  const tmp = join(dir, `.keys-${writes++}.tmp`);
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, path);
}

writeKeysFile(keysFile, INITIAL);
writeKeysFile(envKeysFile, [keys.reader, keys.admin]);

// Both servers start at once (each trains its forest for a second or two).
const starting = {
  flag: startServer(['--auth-keys-file', keysFile], cleanEnv()),
  env: startServer(['--auth-bearer-token', SINGLE_TOKEN], cleanEnv({ DEEPAAS_AUTH_KEYS_FILE: envKeysFile })),
};
for (const promise of Object.values(starting)) promise.catch(() => undefined);

after(async () => {
  for (const promise of Object.values(starting)) {
    const server = await promise.catch(() => undefined);
    await server?.stop();
  }
  rmSync(dir, { recursive: true, force: true });
});

const INSUFFICIENT = (scope: string): object => ({ detail: 'Insufficient scope', error: 'insufficient_scope', scope });

function assertForbidden(res: JsonResponse, scope: string, where = ''): void {
  assert.equal(res.status, 403, `${where}: ${JSON.stringify(res.body)}`);
  assert.deepEqual(res.body, INSUFFICIENT(scope), where);
  assert.equal(res.headers.get('www-authenticate'), `Bearer realm="api", error="insufficient_scope", scope="${scope}"`, where);
}

function assertInvalid(res: JsonResponse, detail: 'Invalid bearer token' | 'Bearer token expired' | 'Bearer token revoked'): void {
  assert.equal(res.status, 401, JSON.stringify(res.body));
  assert.deepEqual(res.body, { detail, error: 'invalid_token' });
  assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer realm="api", error="invalid_token"/);
}

/** The four training routes, with a request for each (the POST with a JSON body). */
const trainingCalls = (token: string): [string, string, Parameters<typeof call>[2]][] => [
  ['POST', TRAIN, jsonBody({ n_estimators: 5 }, token)],
  ['GET', TRAIN, { token }],
  ['GET', `${TRAIN}/${SOME_UUID}`, { token }],
  ['DELETE', `${TRAIN}/${SOME_UUID}`, { method: 'DELETE', token }],
];

describe('model server with --auth-keys-file', { timeout: 120_000 }, () => {
  let server!: StartedServer;
  const base = (): string => server.url;
  before(async () => {
    server = await starting.flag;
  });

  test('the keys file is mode 0600 (so the guard has nothing to warn about)', () => {
    assert.equal(statSync(keysFile).mode & 0o777, 0o600);
  });

  test('a models:read key lists models and reads metadata, and gets 403 models:predict on predict', async () => {
    const token = keys.reader.token;
    assert.equal((await call(base(), '/v2/models/', { token })).status, 200);
    const meta = await call(base(), `/v2/models/${MODEL}`, { token });
    assert.deepEqual([meta.status, meta.body.id], [200, MODEL]);
    const res = await call(base(), PREDICT, jsonBody(ROW, token));
    assertForbidden(res, 'models:predict', 'predict');
    assert.equal(JSON.stringify(res.body), '{"detail":"Insufficient scope","error":"insufficient_scope","scope":"models:predict"}');
  });

  test('the scope is checked before the model name and before any body is read', async () => {
    const token = keys.reader.token;
    // An unknown model is 404 only for a key that may predict.
    assertForbidden(await call(base(), '/v2/models/nope/predict', jsonBody(ROW, token)), 'models:predict', 'unknown model');
    assert.equal((await call(base(), '/v2/models/nope/predict', jsonBody(ROW, keys.predictor.token))).status, 404);
    // Bad input is 422 only for a key that may predict.
    assertForbidden(await call(base(), PREDICT, { method: 'POST', token }), 'models:predict', 'no body');
    // An upload with Expect: 100-continue is refused before its body is invited.
    const refused = await expectContinueUpload(base(), PREDICT, '5.1,3.5,1.4,0.2\n', token);
    assert.deepEqual(refused, { status: 403, body: INSUFFICIENT('models:predict'), continued: false });
    const ok = await expectContinueUpload(base(), PREDICT, '5.1,3.5,1.4,0.2\n', keys.predictor.token);
    assert.deepEqual([ok.status, ok.continued], [200, true]);
  });

  test('a models:read key gets 403 models:train on all four training routes, and starts nothing', async () => {
    for (const [method, path, options] of trainingCalls(keys.reader.token)) {
      assertForbidden(await call(base(), path, { ...options, method }), 'models:train', `${method} ${path}`);
    }
    assert.deepEqual((await call(base(), TRAIN, { token: keys.admin.token })).body, []);
  });

  test('a models:predict key predicts, and gets 403 models:read on the list and the metadata', async () => {
    const token = keys.predictor.token;
    const res = await call(base(), PREDICT, jsonBody(ROW, token));
    assert.deepEqual([res.status, res.body.predictions[0].label], [200, 'setosa']);
    assertForbidden(await call(base(), '/v2/models/', { token }), 'models:read', 'list');
    assertForbidden(await call(base(), `/v2/models/${MODEL}`, { token }), 'models:read', 'metadata');
    assertForbidden(await call(base(), TRAIN, { token }), 'models:train', 'trainings');
  });

  test('a models:* key can read, predict and list trainings', async () => {
    const token = keys.modelsAll.token;
    assert.equal((await call(base(), '/v2/models/', { token })).status, 200);
    const res = await call(base(), PREDICT, jsonBody(ROW, token));
    assert.deepEqual([res.status, res.body.predictions[0].label], [200, 'setosa']);
    assert.equal((await call(base(), TRAIN, { token })).status, 200);
  });

  test('a * key can do everything, trainings included', async () => {
    const token = keys.admin.token;
    assert.equal((await call(base(), '/v2/models/', { token })).status, 200);
    assert.equal((await call(base(), `/v2/models/${MODEL}`, { token })).status, 200);
    assert.equal((await call(base(), PREDICT, jsonBody(ROW, token))).status, 200);
    const started = await call(base(), TRAIN, jsonBody({ n_estimators: 5 }, token));
    assert.equal(started.status, 201);
    const one = `${TRAIN}/${started.body.uuid}`;
    assert.equal((await call(base(), TRAIN, { token })).status, 200);
    assert.equal((await call(base(), one, { token })).status, 200);
    assert.equal((await call(base(), one, { method: 'DELETE', token })).status, 200);
  });

  test('expired, revoked and unknown keys get 401 invalid_token, whatever their scopes', async () => {
    for (const path of ['/v2/models/', PREDICT]) {
      const options = (token: string): Parameters<typeof call>[2] => (path === PREDICT ? jsonBody(ROW, token) : { token });
      assertInvalid(await call(base(), path, options(keys.expired.token)), 'Bearer token expired');
      assertInvalid(await call(base(), path, options(keys.revoked.token)), 'Bearer token revoked');
      assertInvalid(await call(base(), path, options(keys.unknown.token)), 'Invalid bearer token');
    }
    assert.equal(JSON.stringify((await call(base(), '/v2/models/', { token: keys.expired.token })).body), '{"detail":"Bearer token expired","error":"invalid_token"}');
    assert.equal(JSON.stringify((await call(base(), '/v2/models/', { token: keys.revoked.token })).body), '{"detail":"Bearer token revoked","error":"invalid_token"}');
  });

  test('every protected operation of /openapi.json answers 403 with its x-required-scopes to a key without them', async () => {
    const doc = (await call(base(), '/openapi.json')).body;
    let checked = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item as Record<string, JsonResponse['body']>)) {
        if (op['x-required-scopes'] === undefined) continue;
        const url = path.replace('{name}', MODEL).replace('{uuid}', SOME_UUID);
        const res = await call(base(), url, { method: method.toUpperCase(), token: keys.other.token });
        assertForbidden(res, op['x-required-scopes'].join(' '), `${method} ${path}`);
        assert.deepEqual(res.body, op.responses['403'].content['application/json'].example, `${method} ${path}`);
        checked++;
      }
    }
    assert.equal(checked, 7);
  });

  test('audit: one JSON line per decision on stdout, with the key id and never the token', async () => {
    const from = server.stdout().length;
    assert.equal((await call(base(), '/v2/models/', { token: keys.reader.token })).status, 200);
    assert.equal((await call(base(), PREDICT, jsonBody(ROW, keys.reader.token))).status, 403);
    assert.equal((await call(base(), '/v2/models/?q=1', { token: keys.unknown.token })).status, 401);
    const fresh = (): string => server.stdout().slice(from);
    await until('the audit lines of 3 requests', 3000, () => jsonLines(fresh()).length >= 4);
    const lines = jsonLines(fresh());
    const common = { component: 'auth', type: 'auth' };
    const allow = lines.find((e) => e.outcome === 'allow' && e.path === '/v2/models/');
    assert.deepEqual(
      pick(allow, ['component', 'type', 'level', 'outcome', 'reason', 'status', 'method', 'path', 'key_id', 'key_name', 'family']),
      { ...common, level: 'info', outcome: 'allow', reason: 'ok', status: 200, method: 'GET', path: '/v2/models/', key_id: 'key_reader', key_name: 'key_reader', family: 'user' },
    );
    const deny = lines.find((e) => e.outcome === 'deny' && e.reason === 'insufficient_scope');
    assert.deepEqual(
      pick(deny, ['component', 'type', 'level', 'outcome', 'reason', 'status', 'method', 'path', 'key_id', 'scope']),
      { ...common, level: 'warn', outcome: 'deny', reason: 'insufficient_scope', status: 403, method: 'POST', path: PREDICT, key_id: 'key_reader', scope: 'models:predict' },
    );
    const unknown = lines.find((e) => e.outcome === 'deny' && e.status === 401);
    assert.deepEqual(pick(unknown, ['reason', 'method', 'path', 'key_id']), { reason: 'unknown_key', method: 'GET', path: '/v2/models/', key_id: undefined });
    for (const line of fresh().split('\n').filter((l) => l !== '')) {
      // One `time` (ISO 8601) per line: pino's and the event's are not both written.
      assert.equal(line.match(/"time":/g)?.length, 1, line);
      assert.match(JSON.parse(line).time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });

  test('revoking a key in the file refuses it within 2 s; the other keys keep working', async () => {
    const revokedReader = { ...keys.reader, entry: { ...keys.reader.entry, revoked_at: new Date(Date.now() - 1000).toISOString() } };
    writeKeysFile(keysFile, [revokedReader, ...INITIAL.slice(1)]);
    await until('reader refused', 2000, async () => (await call(base(), '/v2/models/', { token: keys.reader.token })).status === 401);
    assertInvalid(await call(base(), '/v2/models/', { token: keys.reader.token }), 'Bearer token revoked');
    assert.equal((await call(base(), '/v2/models/', { token: keys.admin.token })).status, 200);
    keys.reader = revokedReader;
  });

  test('a key added to the file is accepted within 2 s', async () => {
    assertInvalid(await call(base(), '/v2/models/', { token: keys.later.token }), 'Invalid bearer token');
    writeKeysFile(keysFile, [keys.reader, ...INITIAL.slice(1), keys.later]);
    await until('new key accepted', 2000, async () => (await call(base(), '/v2/models/', { token: keys.later.token })).status === 200);
    assertForbidden(await call(base(), PREDICT, jsonBody(ROW, keys.later.token)), 'models:predict');
  });

  test('a broken keys file keeps the previous keys in force, and the server says why', async () => {
    const stderrFrom = server.stderr().length;
    writeKeysFile(keysFile, '{"version": 1, "keys": [');
    await sleep(2500);
    assert.equal((await call(base(), '/v2/models/', { token: keys.later.token })).status, 200);
    assert.equal((await call(base(), PREDICT, jsonBody(ROW, keys.admin.token))).status, 200);
    assertInvalid(await call(base(), '/v2/models/', { token: keys.reader.token }), 'Bearer token revoked');
    const said = server.stderr().slice(stderrFrom);
    assert.match(said, /not valid JSON/);
    assert.ok(said.includes(keysFile), said);
    assert.match(said, /previous keys stay in force/);
  });

  test('SIGHUP on a broken file logs the failure as one JSON line and keeps serving', async () => {
    const from = server.stdout().length;
    server.child.kill('SIGHUP');
    const failed = (): { msg: string; level: string } | undefined =>
      jsonLines(server.stdout().slice(from)).find((e) => e.component === 'keys' && e.event === 'reload');
    await until('the reload failure line', 2000, () => failed() !== undefined);
    assert.equal(failed()?.level, 'error');
    assert.match(failed()?.msg ?? '', /^keys reload on SIGHUP failed, the previous keys stay in force: .*keys file .*not valid JSON/);
    assert.equal((await call(base(), '/v2/models/', { token: keys.later.token })).status, 200);
    assert.equal(server.child.exitCode, null);
  });

  test('SIGHUP after fixing the file applies it at once and logs the counts', async () => {
    const from = server.stdout().length;
    // Adds viaSighup, removes later; the file watcher would need 100 ms or more, SIGHUP is at once.
    writeKeysFile(keysFile, [keys.reader, ...INITIAL.slice(1), keys.viaSighup]);
    server.child.kill('SIGHUP');
    await until('the SIGHUP key accepted', 2000, async () => (await call(base(), '/v2/models/', { token: keys.viaSighup.token })).status === 200);
    assertInvalid(await call(base(), '/v2/models/', { token: keys.later.token }), 'Invalid bearer token');
    await until('the reload line', 2000, () => jsonLines(server.stdout().slice(from)).some((e) => e.event === 'reload'));
    const reload = jsonLines(server.stdout().slice(from)).find((e) => e.event === 'reload');
    assert.deepEqual(pick(reload, ['component', 'level', 'keys', 'added', 'removed', 'changed']), {
      component: 'keys', level: 'info', keys: INITIAL.length + 1, added: 1, removed: 1, changed: 0,
    });
    assert.equal(reload.msg, `keys reloaded on SIGHUP: ${INITIAL.length + 1} keys (1 added, 1 removed, 0 changed)`);
  });

  test('stops cleanly on SIGTERM; no line of stdout or stderr holds a token or a digest', async () => {
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
    const [first, ...rest] = server.stdout().split('\n');
    assert.match(first ?? '', /^model server listening on http:\/\/127\.0\.0\.1:\d+ \(throttle: 50 failures\/60 s per IP, 300 s block\)$/);
    for (const line of rest.filter((l) => l !== '')) assert.doesNotThrow(() => JSON.parse(line), line);
    const secrets = Object.values(keys).flatMap((k) => [k.token, k.entry.digest.slice('sha256:'.length)]);
    for (const secret of secrets) {
      assert.equal(server.stdout().includes(secret), false, 'a token or digest in stdout');
      assert.equal(server.stderr().includes(secret), false, 'a token or digest in stderr');
    }
  });
});

describe('model server with DEEPAAS_AUTH_KEYS_FILE and --auth-bearer-token together', { timeout: 60_000 }, () => {
  let server!: StartedServer;
  before(async () => {
    server = await starting.env;
  });

  test('the keys of the file have their scopes; the single token has every scope', async () => {
    assert.equal((await call(server.url, '/v2/models/', { token: keys.reader.token })).status, 200);
    assertForbidden(await call(server.url, PREDICT, jsonBody(ROW, keys.reader.token)), 'models:predict');
    assert.equal((await call(server.url, PREDICT, jsonBody(ROW, keys.admin.token))).status, 200);
    assert.equal((await call(server.url, PREDICT, jsonBody(ROW, SINGLE_TOKEN))).status, 200);
    assert.equal((await call(server.url, TRAIN, { token: SINGLE_TOKEN })).status, 200);
    const single = jsonLines(server.stdout()).find((e) => e.outcome === 'allow' && e.key_id === 'token');
    assert.ok(single, 'the single token is audited as the key "token"');
    for (const run of [server.stdout(), server.stderr()]) {
      for (const secret of [SINGLE_TOKEN, keys.reader.token, keys.admin.token]) assert.equal(run.includes(secret), false);
    }
  });
});

describe('model server start-up with a missing keys file', { timeout: 30_000 }, () => {
  test('exits 1 at start-up with one line naming the file', async () => {
    const missing = join(dir, 'no-such-keys.json');
    const run = runServer(['--listen-port', '0', '--auth-keys-file', missing], cleanEnv());
    assert.deepEqual(await exitWithin(run, 15_000), { code: 1, signal: null });
    assert.equal(run.stdout(), '');
    assert.match(run.stderr(), /^model server: .*\n$/, 'one line, no stack');
    assert.ok(run.stderr().includes(missing), run.stderr());
  });
});

/** The named fields of an entry (undefined stays undefined), for deepEqual. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- log entries are free-form JSON
function pick(entry: any, fields: string[]): Record<string, unknown> {
  assert.ok(entry !== undefined, `no such line; wanted ${fields.join(', ')}`);
  return Object.fromEntries(fields.map((f) => [f, entry[f]]));
}
