// requireFamily() on real servers, the server environment handed to route middleware, and the start-up rules of environments and enrollment.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import express from 'express';
import { bearerGuard, createBearerStrategy, MemoryKeyStore, requireFamily, requireScopes, type KeyStore } from '../../src/index.js';
import { serverEnvironmentOf } from '../../src/request/environment-context.js';
import { captureLogger, listen, MAJORS } from '../helpers/apps.js';
import { makeEnrollKey } from '../helpers/enrollment.js';
import { makeKey } from '../helpers/keys.js';

const user = makeKey('user');
const service = makeKey('service');
const agent = makeKey('agent', { agent_id: 'agt_abcdefghijkl' });

for (const { label, express: factory } of MAJORS) {
  describe(`requireFamily on ${label}`, () => {
    test('a route only people may call: 403 for a service or agent key, the body and challenge fixed, audited as wrong_family', async () => {
      const app = factory();
      const events: Array<{ reason: string; status: number }> = [];
      app.use(bearerGuard({ argv: [], env: {}, keyStore: new MemoryKeyStore([user.entry, service.entry, agent.entry]), logger: captureLogger(), audit: (e) => void events.push(e) }));
      app.get('/people', requireFamily('user'), (_req, res) => void res.json({ ok: true }));
      app.get('/machines', requireFamily('service', 'agent'), requireScopes('models:read'), (_req, res) => void res.json({ ok: true }));
      const server = await listen(app);
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const get = async (path: string, token: string): Promise<[number, string, string | null]> => {
        const r = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
        return [r.status, await r.text(), r.headers.get('www-authenticate')];
      };
      try {
        assert.deepEqual((await get('/people', user.token))[0], 200);
        for (const other of [service, agent]) {
          assert.deepEqual(await get('/people', other.token), [403, '{"detail":"Requires a key of family user","error":"insufficient_scope"}', 'Bearer realm="api", error="insufficient_scope"']);
          assert.deepEqual([events.at(-1)!.reason, events.at(-1)!.status], ['wrong_family', 403]);
        }
        assert.deepEqual(await get('/machines', user.token), [403, '{"detail":"Requires a key of family service or agent","error":"insufficient_scope"}', 'Bearer realm="api", error="insufficient_scope"']);
        assert.equal((await get('/machines', service.token))[0], 200);
      } finally {
        server.close();
      }
    });
  });
}

describe('requireFamily', () => {
  test('without the guard before it: 500, fail closed', async () => {
    const app = express();
    app.get('/people', requireFamily('user'), (_req, res) => void res.json({ ok: true }));
    const server = await listen(app);
    try {
      const r = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/people`);
      assert.equal(r.status, 500);
    } finally {
      server.close();
    }
  });

  test('bad families are refused when the route is built', () => {
    for (const [args, says] of [[[], /name at least one family/], [['enroll'], /"enroll" tokens never reach a route/], [['robot'], /a family is user, service or agent/], [[7], /must be a string/]] as const) {
      assert.throws(() => requireFamily(...(args as unknown as never[])), (err: Error & { code?: string }) => err.code === 'ERR_BEARER_GUARD_INVALID_OPTION' && says.test(err.message));
    }
  });
});

describe('the server environment reaches route middleware', () => {
  test('set on requests the guard let through (keys and public paths), absent without an environment', async () => {
    for (const [options, expected] of [
      [{ environment: 'prod', environmentPosture: 'prod' }, { name: 'prod', posture: 'prod' }],
      [{ environmentPosture: 'dev' }, { name: undefined, posture: 'dev' }],
      [{}, undefined],
    ] as const) {
      const app = express();
      const seen: unknown[] = [];
      app.use(bearerGuard({ argv: [], env: {}, keyStore: new MemoryKeyStore([user.entry]), logger: captureLogger(), ...options }));
      app.get(['/', '/v2/models/'], (req, res) => {
        seen.push(serverEnvironmentOf(req));
        res.json({});
      });
      const server = await listen(app);
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      try {
        await (await fetch(`${base}/v2/models/`, { headers: { Authorization: `Bearer ${user.token}` } })).text();
        await (await fetch(`${base}/`)).text();
        assert.deepEqual(seen, [expected, expected]);
      } finally {
        server.close();
      }
    }
  });

  test('environment settings come from flags, env vars (with envPrefix) and options, in that order', async () => {
    const seen = async (options: Parameters<typeof bearerGuard>[0]): Promise<unknown> => {
      const app = express();
      let env: unknown;
      app.use(bearerGuard({ keyStore: new MemoryKeyStore([user.entry]), logger: captureLogger(), ...options }));
      app.get('/', (req, res) => void (env = serverEnvironmentOf(req), res.json({})));
      const server = await listen(app);
      try {
        await (await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/`)).text();
      } finally {
        server.close();
      }
      return env;
    };
    assert.deepEqual(await seen({ argv: ['n', 's', '--auth-environment', 'a', '--auth-environment-posture=staging'], env: { X_AUTH_ENVIRONMENT: 'b' }, envPrefix: 'X_', environment: 'c' }), { name: 'a', posture: 'staging' });
    assert.deepEqual(await seen({ argv: [], env: { X_AUTH_ENVIRONMENT: 'b', X_AUTH_ENVIRONMENT_POSTURE: 'prod' }, envPrefix: 'X_', environment: 'c' }), { name: 'b', posture: 'prod' });
    assert.deepEqual(await seen({ argv: [], env: {}, environment: 'c' }), { name: 'c', posture: undefined });
  });
});

describe('start-up rules', () => {
  const noEnroll: KeyStore = { description: 'my store', list: () => [] };
  const cases: Array<[string, () => unknown, string, RegExp]> = [
    ['enrollment with the single token', () => bearerGuard({ token: 'a-long-enough-single-token-0123456789', enrollment: { path: '/v2/agents' } }), 'ERR_BEARER_GUARD_ENROLLMENT', /no keys file is configured/],
    ['enrollment from a flag with the single token', () => bearerGuard({ argv: ['n', 's', '--auth-bearer-token', 'a-long-enough-single-token-0123456789', '--auth-enrollment-path', '/v2/agents'], env: {} }), 'ERR_BEARER_GUARD_ENROLLMENT', /no keys file/],
    ['enrollment with a key store without enroll()', () => bearerGuard({ argv: [], env: {}, keyStore: noEnroll, enrollment: { path: '/v2/agents' } }), 'ERR_BEARER_GUARD_ENROLLMENT', /my store has no enroll\(\) method/],
    ['enrollment at a public path', () => bearerGuard({ argv: [], env: {}, keyStore: new MemoryKeyStore(), enrollment: { path: '/V2/' } }), 'ERR_BEARER_GUARD_INVALID_OPTION', /the enrollment path is also a public path/],
    ['enrollment with the passport strategy', () => createBearerStrategy({ argv: [], env: {}, keyStore: new MemoryKeyStore(), enrollment: { path: '/v2/agents' } }), 'ERR_BEARER_GUARD_ENROLLMENT', /only bearerGuard\(\) answers the enrollment endpoint/],
    ['an enrollment path with a parameter', () => bearerGuard({ keyStore: new MemoryKeyStore(), enrollment: { path: '/v2/:id' } }), 'ERR_BEARER_GUARD_INVALID_OPTION', /`enrollment` path must be an exact path/],
    ['an enrollment option of the wrong shape', () => bearerGuard({ keyStore: new MemoryKeyStore(), enrollment: '/v2/agents' as never }), 'ERR_BEARER_GUARD_INVALID_OPTION', /`enrollment` must be an object \{ path: "\/v2\/agents" \}/],
    ['a posture option that is not one', () => bearerGuard({ keyStore: new MemoryKeyStore(), environmentPosture: 'production' as never }), 'ERR_BEARER_GUARD_INVALID_OPTION', /`environmentPosture` must be one of dev, staging, prod/],
    ['an environment option with a space', () => bearerGuard({ keyStore: new MemoryKeyStore(), environment: 'pr od' }), 'ERR_BEARER_GUARD_INVALID_OPTION', /`environment` must be 1 to 64 characters/],
    ['a posture from env', () => bearerGuard({ argv: [], env: { DEEPAAS_AUTH_ENVIRONMENT_POSTURE: 'Secret-Looking-Value-0123' }, envPrefix: 'DEEPAAS_', keyStore: new MemoryKeyStore() }), 'ERR_BEARER_GUARD_INVALID_VALUE', /^bearer-guard: env DEEPAAS_AUTH_ENVIRONMENT_POSTURE \(auth_environment_posture\) must be one of dev, staging, prod$/],
    ['an enrollment path from env', () => bearerGuard({ argv: [], env: { AUTH_ENROLLMENT_PATH: 'v2/agents' }, keyStore: new MemoryKeyStore() }), 'ERR_BEARER_GUARD_INVALID_VALUE', /env AUTH_ENROLLMENT_PATH \(auth_enrollment_path\) must be a path starting with "\/"/],
  ];
  for (const [name, fn, code, says] of cases) {
    test(name, () => {
      assert.throws(fn, (err: Error & { code?: string }) => err.code === code && says.test(err.message) && !err.message.includes('Secret-Looking'));
    });
  }

  test('enrollment with a MemoryKeyStore works', async () => {
    const token = makeEnrollKey();
    const app = express();
    app.use(bearerGuard({ argv: [], env: {}, keyStore: new MemoryKeyStore([token.entry]), environment: 'prod', enrollment: { path: '/v2/agents' }, logger: captureLogger() }));
    app.get('/v2/models/', (_req, res) => void res.json({}));
    const server = await listen(app);
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const r = await fetch(`${base}/v2/agents`, { method: 'POST', headers: { Authorization: `Bearer ${token.token}` } });
      assert.equal(r.status, 201);
      const { api_key } = (await r.json()) as { api_key: string };
      assert.equal((await fetch(`${base}/v2/models/`, { headers: { Authorization: `Bearer ${api_key}` } })).status, 200);
    } finally {
      server.close();
    }
  });
});
