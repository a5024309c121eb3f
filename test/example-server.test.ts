// The model-server example as a real child process, with the token from a flag, the env and an INI file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { call, cleanEnv, csvForm, exitWithin, expectContinueUpload, jsonBody, runServer, startServer } from './helpers/example-server.js';
import type { CallOptions, JsonResponse, StartedServer } from './helpers/example-server.js';

const MODEL = 'iris-rf';
const TOKEN_FLAG = 'example-token-0123456789abcdefghijklmnopqrstuv';
const TOKEN_ENV = 'example-env-token-0123456789abcdefghijklmnopq';
const TOKEN_INI = 'example-ini-token-0123456789abcdefghijklmnopq';
const WRONG = 'example-token-0123456789abcdefghijklmnopqrstuX';
const FLOWERS = readFileSync('examples/model-server/flowers.csv', 'utf8');
// flowers.csv holds rows 1-2 (setosa), 51-52 (versicolor) and 101-102 (virginica) of the iris data.
const FLOWER_LABELS = ['setosa', 'setosa', 'versicolor', 'versicolor', 'virginica', 'virginica'];

const iniDir = mkdtempSync(join(tmpdir(), 'bearer-guard-example-'));
const iniFile = join(iniDir, 'deepaas.ini');
writeFileSync(iniFile, `[DEFAULT]\nauth_bearer_token = ${TOKEN_INI}\n`);
chmodSync(iniFile, 0o600);

// All three servers start at once (each takes a second or two), and each suite awaits its own.
const starting = {
  flag: startServer(['--auth-bearer-token', TOKEN_FLAG], cleanEnv()),
  env: startServer([], cleanEnv({ DEEPAAS_AUTH_BEARER_TOKEN: TOKEN_ENV })),
  ini: startServer(['--config-file', iniFile], cleanEnv()),
};
// Keep a failed start from being an unhandled rejection before its suite awaits it.
for (const promise of Object.values(starting)) promise.catch(() => undefined);

after(async () => {
  for (const promise of Object.values(starting)) {
    const server = await promise.catch(() => undefined);
    await server?.stop();
  }
  rmSync(iniDir, { recursive: true, force: true });
});

function assertAuthFailure(res: JsonResponse, detail: 'Bearer token required' | 'Invalid bearer token'): void {
  assert.equal(res.status, 401);
  const challenge = res.headers.get('www-authenticate') ?? '';
  assert.match(challenge, /^Bearer realm="api"/);
  if (detail === 'Bearer token required') {
    assert.deepEqual(res.body, { detail });
    assert.doesNotMatch(challenge, /error=/);
  } else {
    assert.deepEqual(res.body, { detail, error: 'invalid_token' });
    assert.match(challenge, /error="invalid_token"/);
  }
}

/** The checks every configuration must pass: public routes open, the rest needs its token. */
function basicAuthCases(label: string, server: () => StartedServer, token: string, otherTokens: string[]): void {
  test(`${label}: / and /v2/ answer 200 with or without a token`, async () => {
    for (const path of ['/', '/v2/']) {
      assert.equal((await call(server().url, path)).status, 200, path);
      assert.equal((await call(server().url, path, { token })).status, 200, path);
    }
  });

  test(`${label}: models and model metadata need the token`, async () => {
    for (const path of ['/v2/models/', `/v2/models/${MODEL}`]) {
      assertAuthFailure(await call(server().url, path), 'Bearer token required');
      for (const other of [WRONG, ...otherTokens]) {
        assertAuthFailure(await call(server().url, path, { token: other }), 'Invalid bearer token');
      }
      assert.equal((await call(server().url, path, { token })).status, 200, path);
    }
  });

  test(`${label}: predict without a token is 401, with it a real prediction`, async () => {
    assertAuthFailure(await call(server().url, `/v2/models/${MODEL}/predict`, { method: 'POST' }), 'Bearer token required');
    const res = await call(server().url, `/v2/models/${MODEL}/predict`, jsonBody({ data: [[5.1, 3.5, 1.4, 0.2]] }, token));
    assert.equal(res.status, 200);
    assert.equal(res.body.predictions[0].label, 'setosa');
  });
}

/** Stops the server and checks its exit and everything it printed. */
function shutdownCase(label: string, server: () => StartedServer, tokens: string[]): void {
  test(`${label}: stops cleanly on SIGTERM; printed one plain line, then only JSON audit lines, and never the token`, async () => {
    const exit = await server().stop();
    assert.deepEqual(exit, { code: 0, signal: null });
    const [first, ...rest] = server().stdout().split('\n');
    assert.match(`${first}\n`, /^model server listening on http:\/\/127\.0\.0\.1:\d+ \(throttle: 50 failures\/60 s per IP, 300 s block\)\n$/);
    assert.equal(rest.pop(), '', 'stdout ends with a newline');
    assert.ok(rest.length > 0, 'the requests above were audited');
    for (const line of rest) {
      const entry = JSON.parse(line);
      assert.deepEqual([entry.component, entry.type], ['auth', 'auth'], line);
    }
    for (const token of tokens) {
      assert.equal(server().stdout().includes(token), false, 'token in stdout');
      assert.equal(server().stderr().includes(token), false, 'token in stderr');
    }
  });
}

describe('model server, token from --auth-bearer-token', { timeout: 60_000 }, () => {
  let server!: StartedServer;
  const base = (): string => server.url;
  const predict = `/v2/models/${MODEL}/predict`;
  before(async () => {
    server = await starting.flag;
  });

  basicAuthCases('flag', () => server, TOKEN_FLAG, [TOKEN_ENV, TOKEN_INI]);

  test('GET / and GET /v2/ have the DEEPaaS shapes', async () => {
    const root = await call(base(), '/');
    assert.equal(root.body.versions.length, 1);
    assert.equal(root.body.versions[0].id, 'v2');
    const describedBy = root.body.links.find((link: { rel: string }) => link.rel === 'describedby');
    assert.equal(describedBy.href, '/openapi.json', 'relative, as in DEEPaaS (no --base-url)');
    assert.ok(root.body.links.some((link: { rel: string }) => link.rel === 'help'));
    assert.deepEqual((await call(base(), '/v2/')).body, {
      version: 'stable',
      id: 'v2',
      links: [{ rel: 'self', type: 'application/json', href: '/v2/' }],
    });
  });

  test('model list and metadata have the ModelMeta fields', async () => {
    const list = await call(base(), '/v2/models/', { token: TOKEN_FLAG });
    assert.equal(list.body.models.length, 1);
    const meta = (await call(base(), `/v2/models/${MODEL}`, { token: TOKEN_FLAG })).body;
    assert.deepEqual(list.body.models[0], meta);
    for (const key of ['id', 'name', 'description', 'summary', 'license', 'author', 'version', 'url']) {
      assert.equal(typeof meta[key], 'string', key);
    }
    assert.equal(meta.id, MODEL);
    assert.ok(Array.isArray(meta.links));
    // Trailing-slash spelling reaches the same route (Express default).
    assert.equal((await call(base(), `/v2/models/${MODEL}/`, { token: TOKEN_FLAG })).status, 200);
  });

  test('no scheme, another scheme or a bare "Bearer" is "Bearer token required"', async () => {
    for (const authorization of ['secret-token', `Basic ${TOKEN_FLAG}`, 'Bearer', TOKEN_FLAG]) {
      const res = await call(base(), '/v2/models/', { headers: { authorization } });
      assertAuthFailure(res, 'Bearer token required');
    }
  });

  test('predict with no body: 401 without a token, 422 with it', async () => {
    // DEEPaaS answers 200 here because its predict arguments are optional; this model needs
    // input, so a body-less predict is bad input (422) - but only once the token is right.
    assertAuthFailure(await call(base(), predict, { method: 'POST', token: WRONG }), 'Invalid bearer token');
    const res = await call(base(), predict, { method: 'POST', token: TOKEN_FLAG });
    assert.equal(res.status, 422);
    assert.match(res.body.detail, /No input/);
  });

  test('predicts the shipped flowers.csv uploaded as multipart field "data"', async () => {
    const res = await call(base(), predict, { method: 'POST', token: TOKEN_FLAG, body: csvForm(FLOWERS) });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'OK');
    assert.deepEqual(res.body.predictions.map((p: { label: string }) => p.label), FLOWER_LABELS);
    for (const p of res.body.predictions as { label: string; probabilities: Record<string, number> }[]) {
      const shares = Object.values(p.probabilities);
      assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 1) < 1e-3);
      assert.ok((p.probabilities[p.label] ?? 0) >= 0.5);
    }
  });

  test('predicts JSON rows and text/csv', async () => {
    const rows = [[5.0, 3.4, 1.5, 0.2], [6.7, 3.1, 4.4, 1.4], [7.7, 3.8, 6.7, 2.2]];
    const res = await call(base(), predict, jsonBody({ data: rows }, TOKEN_FLAG));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.predictions.map((p: { label: string }) => p.label), ['setosa', 'versicolor', 'virginica']);
    const csv = await call(base(), predict, {
      method: 'POST', token: TOKEN_FLAG, headers: { 'content-type': 'text/csv' }, body: FLOWERS,
    });
    assert.deepEqual(csv.body.predictions.map((p: { label: string }) => p.label), FLOWER_LABELS);
  });

  test('auth runs before input checks: bad input without a token is 401, never 4xx', async () => {
    // String bodies only: fetch streams a FormData body, and the guard answers (and closes the
    // connection) before reading it, so fetch may fail with EPIPE. Uploads are tested below.
    const textCsv = (body: string): CallOptions => ({ method: 'POST', headers: { 'content-type': 'text/csv' }, body });
    for (const options of [jsonBody({ data: 'nope' }), jsonBody({ data: [[1, 2]] }), textCsv('a,b\n'), textCsv(FLOWERS)]) {
      assertAuthFailure(await call(base(), predict, options), 'Bearer token required');
    }
  });

  test('an unauthenticated upload is refused before its body is sent (Expect: 100-continue)', async () => {
    const big = '5.1,3.5,1.4,0.2\n'.repeat(70_000); // about 1.1 MB, over the upload limit
    const refused = await expectContinueUpload(base(), predict, big);
    assert.deepEqual(refused, { status: 401, body: { detail: 'Bearer token required' }, continued: false });
    const wrong = await expectContinueUpload(base(), predict, FLOWERS, WRONG);
    assert.equal(wrong.status, 401);
    assert.equal(wrong.continued, false);
    const tooBig = await expectContinueUpload(base(), predict, big, TOKEN_FLAG);
    assert.deepEqual([tooBig.status, tooBig.continued], [413, true]);
    const ok = await expectContinueUpload(base(), predict, FLOWERS, TOKEN_FLAG);
    assert.deepEqual([ok.status, ok.continued], [200, true]);
    const unknownModel = await expectContinueUpload(base(), '/v2/models/nope/predict', FLOWERS, TOKEN_FLAG);
    assert.deepEqual([unknownModel.status, unknownModel.continued], [404, false]);
  });

  test('bad input with the token: 400/413/415/422 with a JSON detail', async () => {
    const expectations: [number, CallOptions][] = [
      [422, jsonBody({ data: [[5.1, 3.5, 1.4]] }, TOKEN_FLAG)],
      [422, jsonBody({ data: [[5.1, 3.5, 1.4, 'x']] }, TOKEN_FLAG)],
      [422, jsonBody({ data: [] }, TOKEN_FLAG)],
      [422, jsonBody({ data: [[5.1, 3.5, 1.4, 0.2]], extra: 1 }, TOKEN_FLAG)],
      [422, jsonBody([[5.1, 3.5, 1.4, 0.2]], TOKEN_FLAG)],
      [400, { method: 'POST', token: TOKEN_FLAG, headers: { 'content-type': 'application/json' }, body: '{"data": [' }],
      [415, { method: 'POST', token: TOKEN_FLAG, headers: { 'content-type': 'text/plain' }, body: '5.1,3.5,1.4,0.2' }],
      [422, { method: 'POST', token: TOKEN_FLAG, body: csvForm('') }],
      [422, { method: 'POST', token: TOKEN_FLAG, body: csvForm('sepal_length,sepal_width,petal_length,petal_width\n') }],
      [422, { method: 'POST', token: TOKEN_FLAG, body: csvForm('5.1,3.5,1.4\n') }],
      [422, { method: 'POST', token: TOKEN_FLAG, body: csvForm('5.1,3.5,1.4,abc\n') }],
      [422, { method: 'POST', token: TOKEN_FLAG, body: csvForm('5.1,3.5,1.4,0x1F\n') }],
      [422, { method: 'POST', token: TOKEN_FLAG, body: csvForm('5.1,3.5,1.4,0.2\n'.repeat(10_001)) }],
      [413, { method: 'POST', token: TOKEN_FLAG, body: csvForm('5.1,3.5,1.4,0.2\n'.repeat(70_000)) }],
      [422, { method: 'POST', token: TOKEN_FLAG, body: csvForm(FLOWERS, 'file') }],
    ];
    for (const [i, [status, options]] of expectations.entries()) {
      const res = await call(base(), predict, options);
      assert.equal(res.status, status, `case ${i}: ${JSON.stringify(res.body)}`);
      assert.equal(typeof res.body.detail, 'string', `case ${i}`);
      assert.deepEqual(Object.keys(res.body), ['detail'], `case ${i}`);
    }
  });

  test('unknown model: 404 with the token, 401 without', async () => {
    for (const [method, path] of [['GET', '/v2/models/nope'], ['POST', '/v2/models/nope/predict'], ['GET', '/v2/models/nope/train']] as const) {
      const res = await call(base(), path, { method, token: TOKEN_FLAG });
      assert.equal(res.status, 404, path);
      assert.match(res.body.detail, /not found/i);
      assertAuthFailure(await call(base(), path, { method }), 'Bearer token required');
    }
    assert.deepEqual((await call(base(), '/no/such/route', { token: TOKEN_FLAG })).body, { detail: 'Not found' });
    assertAuthFailure(await call(base(), '/no/such/route'), 'Bearer token required');
  });

  test('a training runs in the background and completes', async () => {
    const train = `/v2/models/${MODEL}/train`;
    assertAuthFailure(await call(base(), train, jsonBody({ n_estimators: 20 })), 'Bearer token required');
    const started = await call(base(), train, jsonBody({ n_estimators: 20, seed: 7 }, TOKEN_FLAG));
    assert.equal(started.status, 201);
    assert.equal(started.body.status, 'running');
    assert.deepEqual(started.body.args, { n_estimators: 20, seed: 7, test_size: 0.3 });
    assert.match(started.body.uuid, /^[0-9a-f-]{36}$/);
    assert.ok(!Number.isNaN(Date.parse(started.body.date)));
    const one = `${train}/${started.body.uuid}`;
    assertAuthFailure(await call(base(), one), 'Bearer token required');
    let current = started.body;
    const deadline = Date.now() + 20_000;
    while (current.status === 'running' && Date.now() < deadline) {
      await sleep(50);
      current = (await call(base(), one, { token: TOKEN_FLAG })).body;
    }
    assert.equal(current.status, 'done');
    assert.ok(current.result.accuracy > 0.8 && current.result.accuracy <= 1, `accuracy ${current.result.accuracy}`);
    assert.equal(current.result.n_train + current.result.n_test, 150);
    const list = await call(base(), `${train}/`, { token: TOKEN_FLAG });
    assert.ok(list.body.some((t: { uuid: string }) => t.uuid === started.body.uuid));
    assertAuthFailure(await call(base(), train), 'Bearer token required');
  });

  test('training arguments are validated (after auth)', async () => {
    const train = `/v2/models/${MODEL}/train`;
    for (const args of [{ n_estimators: 0 }, { n_estimators: 2.5 }, { seed: 'x' }, { test_size: 0.9 }, { epochs: 3 }, [1]]) {
      assertAuthFailure(await call(base(), train, jsonBody(args)), 'Bearer token required');
      const res = await call(base(), train, jsonBody(args, TOKEN_FLAG));
      assert.equal(res.status, 422, JSON.stringify(args));
      assert.equal(typeof res.body.detail, 'string');
    }
  });

  test('DELETE cancels a running training and removes it', async () => {
    const train = `/v2/models/${MODEL}/train`;
    const started = await call(base(), train, jsonBody({ n_estimators: 1000 }, TOKEN_FLAG));
    assert.equal(started.status, 201);
    const one = `${train}/${started.body.uuid}`;
    assertAuthFailure(await call(base(), one, { method: 'DELETE' }), 'Bearer token required');
    const deleted = await call(base(), one, { method: 'DELETE', token: TOKEN_FLAG });
    assert.equal(deleted.status, 200);
    assert.equal(deleted.body.uuid, started.body.uuid);
    assert.equal(deleted.body.status, 'cancelled');
    assert.equal((await call(base(), one, { token: TOKEN_FLAG })).status, 404);
    assert.equal((await call(base(), one, { method: 'DELETE', token: TOKEN_FLAG })).status, 404);
  });

  test('/openapi.json is public and declares HTTPBearer and 401 on the protected operations', async () => {
    const res = await call(base(), '/openapi.json');
    assert.equal(res.status, 200);
    const doc = res.body;
    assert.match(doc.openapi, /^3\.1\./);
    assert.deepEqual(doc.components.securitySchemes.HTTPBearer, { type: 'http', scheme: 'bearer' });
    assert.equal(doc.security, undefined, 'no global security: the public operations stay open');
    const publicPaths = ['/', '/v2/', '/openapi.json'];
    let protectedOps = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item as Record<string, JsonResponse['body']>)) {
        const where = `${method.toUpperCase()} ${path}`;
        if (publicPaths.includes(path)) {
          assert.deepEqual(op.security, [], where);
          assert.equal(op.responses['401'], undefined, where);
          continue;
        }
        protectedOps++;
        assert.deepEqual(op.security, [{ HTTPBearer: [] }], where);
        const unauthorized = op.responses['401'];
        assert.ok(unauthorized?.headers?.['WWW-Authenticate'], where);
        assert.ok(unauthorized.content['application/json'].schema, where);
      }
    }
    assert.equal(protectedOps, 9, 'the seven model operations, POST /v2/agents and GET /v2/auth/whoami');
    for (const path of publicPaths) assert.ok(doc.paths[path]?.get, path);
    assert.ok(doc.paths['/v2/models/{name}/predict'].post.requestBody.content['multipart/form-data']);
  });

  test('/openapi.json names the scope of each protected operation and declares its 403', async () => {
    const doc = (await call(base(), '/openapi.json')).body;
    const expected: Record<string, string> = {
      'GET /v2/models/': 'models:read',
      'GET /v2/models/{name}': 'models:read',
      'POST /v2/models/{name}/predict': 'models:predict',
      'POST /v2/models/{name}/train': 'models:train',
      'GET /v2/models/{name}/train': 'models:train',
      'GET /v2/models/{name}/train/{uuid}': 'models:train',
      'DELETE /v2/models/{name}/train/{uuid}': 'models:train',
    };
    const seen: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item as Record<string, JsonResponse['body']>)) {
        const where = `${method.toUpperCase()} ${path}`;
        const scope = expected[where];
        // The enrollment operation (answered by the guard) is checked in example-server-enrollment.test.ts.
        if (where === 'POST /v2/agents') continue;
        if (scope === undefined) {
          assert.equal(op['x-required-scopes'], undefined, where);
          assert.equal(op.responses['403'], undefined, where);
          continue;
        }
        seen.push(where);
        assert.deepEqual(op['x-required-scopes'], [scope], where);
        assert.ok(op.description.includes(`\`${scope}\``), where);
        const forbidden = op.responses['403'];
        assert.ok(forbidden.headers['WWW-Authenticate'].description.includes(`error="insufficient_scope", scope="${scope}"`), where);
        const content = forbidden.content['application/json'];
        assert.deepEqual(content.example, { detail: 'Insufficient scope', error: 'insufficient_scope', scope }, where);
        assert.equal(content.schema.$ref, '#/components/schemas/ScopeError', where);
        assert.ok(op.responses['401'], where);
      }
    }
    assert.deepEqual(seen.sort(), Object.keys(expected).sort());
    assert.deepEqual(doc.components.schemas.ScopeError.required, ['detail', 'error', 'scope']);
  });

  shutdownCase('flag', () => server, [TOKEN_FLAG]);
});

describe('model server, token from DEEPAAS_AUTH_BEARER_TOKEN', { timeout: 60_000 }, () => {
  let server!: StartedServer;
  before(async () => {
    server = await starting.env;
  });
  basicAuthCases('env', () => server, TOKEN_ENV, [TOKEN_FLAG, TOKEN_INI]);
  shutdownCase('env', () => server, [TOKEN_ENV]);
});

describe('model server, token from an INI file (--config-file)', { timeout: 60_000 }, () => {
  let server!: StartedServer;
  before(async () => {
    server = await starting.ini;
  });
  basicAuthCases('ini', () => server, TOKEN_INI, [TOKEN_FLAG, TOKEN_ENV]);
  shutdownCase('ini', () => server, [TOKEN_INI]);
});

describe('model server start-up errors', { timeout: 60_000 }, () => {
  test('an invalid token stops the server with exit code 1 and a message without the token', async () => {
    const bad = 'bad token$';
    const run = runServer(['--listen-port', '0', '--auth-bearer-token', bad], cleanEnv());
    const exit = await exitWithin(run, 15_000);
    assert.deepEqual(exit, { code: 1, signal: null });
    assert.equal(run.stdout(), '');
    assert.match(run.stderr(), /^model server: .*token.*\n$/i, 'one line with the reason, no stack');
    assert.equal(run.stderr().includes(bad), false);
    assert.equal(run.stderr().includes('bad token'), false);
  });
});

describe('one-line example', { timeout: 30_000 }, () => {
  test('app.use(bearerGuard()) protects /v2/models/ with the token from AUTH_BEARER_TOKEN', async (t) => {
    const { createApp } = await import('../examples/one-line/app.js');
    const saved = process.env['AUTH_BEARER_TOKEN'];
    process.env['AUTH_BEARER_TOKEN'] = TOKEN_FLAG;
    let app: ReturnType<typeof createApp>;
    try {
      app = createApp(); // reads the token now; importing the module alone did not listen
    } finally {
      if (saved === undefined) delete process.env['AUTH_BEARER_TOKEN'];
      else process.env['AUTH_BEARER_TOKEN'] = saved;
    }
    const server = createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.after(() => server.close());
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    assertAuthFailure(await call(base, '/v2/models/'), 'Bearer token required');
    assertAuthFailure(await call(base, '/v2/models/', { token: WRONG }), 'Invalid bearer token');
    const ok = await call(base, '/v2/models/', { token: TOKEN_FLAG });
    assert.deepEqual([ok.status, ok.body], [200, { models: [] }]);
  });
});
