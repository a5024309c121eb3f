// The model-server example with environments and enrollment: --auth-environment(-posture), POST /v2/agents, the OpenAPI operation, start-up errors.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { enroll, makeEnrollKey, readEntries, startEnrollServer, tempKeysFile } from './helpers/enrollment.js';
import { call, cleanEnv, exitWithin, jsonBody, runServer, startServer, type StartedServer } from './helpers/example-server.js';
import { makeKey, writeKeysFile } from './helpers/keys.js';

const ROW = { data: [[5.1, 3.5, 1.4, 0.2]] };
const PREDICT = '/v2/models/iris-rf/predict';

describe('model server with a keys file, environment prod: enrollment at /v2/agents', () => {
  const tmp = tempKeysFile();
  const token = makeEnrollKey({ uses: 2 });
  const staging = makeKey('service', { environment: 'staging' });
  let server: StartedServer;
  before(async () => {
    writeKeysFile(tmp.file, [token.entry, staging.entry]);
    server = await startServer(['--auth-keys-file', tmp.file, '--auth-environment', 'prod', '--auth-environment-posture', 'prod'], cleanEnv());
  });
  after(async () => {
    await server.stop();
    tmp.remove();
  });

  test('an agent enrolls and predicts at once; the enrollment token opens nothing else', async () => {
    const r = await call(server.url, '/v2/agents', jsonBody({ name: 'edge-01' }, token.token));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.deepEqual([r.body.environment, r.body.scopes, r.body.name], ['prod', ['models:predict'], 'edge-01']);
    const predicted = await call(server.url, PREDICT, jsonBody(ROW, r.body.api_key as string));
    assert.equal(predicted.status, 200);
    assert.equal((await call(server.url, '/v2/models/', { token: r.body.api_key as string })).status, 403, 'the agent has only the granted scope');
    assert.equal((await call(server.url, PREDICT, jsonBody(ROW, token.token))).status, 401);
    assert.equal(readEntries(tmp.file).filter((e) => e.family === 'agent').length, 1);
  });

  test('a key bound to another environment is refused', async () => {
    assert.equal((await call(server.url, PREDICT, jsonBody(ROW, staging.token))).status, 401);
  });

  test('the OpenAPI document declares the enrollment operation', async () => {
    const doc = (await call(server.url, '/openapi.json')).body as { paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>> };
    const op = doc.paths['/v2/agents']!.post!;
    assert.equal(op.operationId, 'enrollAgent');
    assert.deepEqual(Object.keys(op.responses).sort(), ['201', '400', '401', '403', '405', '413']);
  });
});

describe('a key enrolled by another process', () => {
  test('works on the model server (a child process watching the same keys file) without a restart', async () => {
    const tmp = tempKeysFile();
    const token = makeEnrollKey();
    writeKeysFile(tmp.file, [token.entry]);
    const server = await startServer(['--auth-keys-file', tmp.file, '--auth-environment', 'prod'], cleanEnv());
    const here = await startEnrollServer(tmp.file);
    try {
      const r = await enroll(here.url, token.token, '{"name":"edge-02"}');
      assert.equal(r.status, 201);
      const key = r.json.api_key as string;
      let status = 0;
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((done) => setTimeout(done, 100))) {
        if ((status = (await call(server.url, PREDICT, jsonBody(ROW, key))).status) === 200) break;
      }
      assert.equal(status, 200);
      // And the token's one use is spent for the child process too.
      assert.equal((await call(server.url, '/v2/agents', jsonBody({}, token.token))).status, 401);
    } finally {
      here.close();
      await server.stop();
      tmp.remove();
    }
  });
});

describe('model server start-up', () => {
  test('with the single token only, /v2/agents is an ordinary (unknown) route', async () => {
    const server = await startServer(['--auth-bearer-token', 'example-single-token-0123456789abcdefghijklmnop'], cleanEnv());
    try {
      const r = await call(server.url, '/v2/agents', { method: 'POST', token: 'example-single-token-0123456789abcdefghijklmnop' });
      assert.equal(r.status, 404);
    } finally {
      await server.stop();
    }
  });

  const refusals: Array<[string, string[], RegExp]> = [
    ['an enrollment path without a keys file', ['--auth-bearer-token', 'example-single-token-0123456789abcdefghijklmnop', '--auth-enrollment-path', '/v2/agents'], /an enrollment path is configured .* no keys file is configured/],
    ['a posture that is not dev, staging or prod', ['--auth-bearer-token', 'example-single-token-0123456789abcdefghijklmnop', '--auth-environment-posture', 'Production-Secret-Value'], /--auth-environment-posture \(auth_environment_posture\) must be one of dev, staging, prod/],
    ['a bad environment name', ['--auth-bearer-token', 'example-single-token-0123456789abcdefghijklmnop', '--auth-environment', 'pr od'], /--auth-environment \(auth_environment\) must be 1 to 64 characters/],
  ];
  for (const [name, args, says] of refusals) {
    test(`refuses to start with ${name}, naming the flag and never the value`, async () => {
      const run = runServer(['--listen-port', '0', ...args], cleanEnv());
      const exit = await exitWithin(run, 20_000);
      assert.equal(exit.code, 1);
      assert.match(run.stderr(), says);
      assert.ok(!run.stderr().includes('Production-Secret-Value') && !run.stderr().includes('example-single-token'), run.stderr());
    });
  }
});
