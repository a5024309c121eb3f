// The named-key rows of the response table, on Express 5 and 4, through the middleware and the passport strategy.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { RequestHandler } from 'express';
import { Passport } from 'passport';
import { bearerGuard, createBearerStrategy, MemoryKeyStore, requireScopes, type BearerCheckOptions } from '../../src/index.js';
import { captureLogger, listen, MAJORS } from '../helpers/apps.js';
import { expectFailsWith, expectForbidden, type Refusal } from '../helpers/expect.js';
import { fillerEntries, makeKey } from '../helpers/keys.js';
import { rawRequest } from '../helpers/raw-http.js';

const PAST = '2026-01-01T00:00:00.000Z';
const FUTURE = '2999-01-01T00:00:00.000Z';
const reader = makeKey('service', { scopes: ['models:read'] });
const user = makeKey('user', { scopes: ['models:*'] });
const agent = makeKey('agent', { scopes: ['models:predict'] });
const expired = makeKey('service', { expires_at: PAST });
const revoked = makeKey('service', { revoked_at: PAST });
const revokedLater = makeKey('service', { revoked_at: FUTURE, expires_at: FUTURE });
const enroll = makeKey('enroll');
const unknown = makeKey('service');
// One character of a valid token changed, and the token cut short: refused before any lookup.
const changed = reader.token.slice(0, 20) + (reader.token[20] === 'A' ? 'B' : 'A') + reader.token.slice(21);
const truncated = reader.token.slice(0, -1);

const ENTRIES = [reader, user, agent, expired, revoked, revokedLater, enroll].map((k) => k.entry);
const options = (): BearerCheckOptions => ({ keyStore: new MemoryKeyStore([...ENTRIES, ...fillerEntries(200)]), logger: captureLogger(), argv: [], env: {} });

type Row = { name: string; token: string; path: 'read' | 'predict'; expect: Refusal | 'forbidden' | 200 };
const ROWS: Row[] = [
  { name: 'a models:read key on the list', token: reader.token, path: 'read', expect: 200 },
  { name: 'a models:read key on predict', token: reader.token, path: 'predict', expect: 'forbidden' },
  { name: 'a user key with models:* on predict', token: user.token, path: 'predict', expect: 200 },
  { name: 'an agent key with models:predict on predict', token: agent.token, path: 'predict', expect: 200 },
  { name: 'an agent key with models:predict on the list', token: agent.token, path: 'read', expect: 'forbidden' },
  { name: 'a key whose expires_at is past', token: expired.token, path: 'read', expect: 'expired' },
  { name: 'a revoked key', token: revoked.token, path: 'read', expect: 'revoked' },
  { name: 'a key revoked and expiring in the future', token: revokedLater.token, path: 'read', expect: 200 },
  { name: 'an enrollment token', token: enroll.token, path: 'read', expect: 'invalid_token' },
  { name: 'an unknown key of our format', token: unknown.token, path: 'read', expect: 'invalid_token' },
  { name: 'one character changed (bad checksum)', token: changed, path: 'read', expect: 'invalid_token' },
  { name: 'truncated by one character', token: truncated, path: 'read', expect: 'invalid_token' },
  { name: 'an expired key on a route it lacks the scope for', token: expired.token, path: 'predict', expect: 'expired' },
];

const ROUTES = { read: 'GET /v2/models/ HTTP/1.1', predict: 'POST /v2/models/iris/predict HTTP/1.1' };

for (const { label, express } of MAJORS) {
  for (const glue of ['middleware', 'passport strategy'] as const) {
    describe(`named keys through the ${glue} on ${label}`, () => {
      let server: Server;
      const hits: string[] = [];
      before(async () => {
        const app = express();
        const o = options();
        let guard: RequestHandler;
        if (glue === 'middleware') {
          guard = bearerGuard(o) as unknown as RequestHandler;
          app.use(guard);
        } else {
          guard = new Passport().authenticate(createBearerStrategy(o), { session: false }) as RequestHandler;
        }
        const route = (name: string) => (_req: unknown, res: { json(b: unknown): void }) => {
          hits.push(name);
          res.json({ ok: name });
        };
        const chain = glue === 'middleware' ? [] : [guard];
        app.get('/v2/models/', ...chain, requireScopes('models:read'), route('list'));
        app.post('/v2/models/:name/predict', ...chain, requireScopes('models:predict'), route('predict'));
        server = await listen(app);
      });
      after(() => server.close());

      for (const row of ROWS) {
        test(`${row.name} -> ${row.expect}`, async () => {
          hits.length = 0;
          const res = await rawRequest(server, [ROUTES[row.path], 'Host: x', `Authorization: Bearer ${row.token}`, 'Content-Length: 0']);
          if (row.expect === 200) {
            assert.equal(res.status, 200, res.body);
            assert.equal(hits.length, 1);
          } else {
            if (row.expect === 'forbidden') expectForbidden(res, row.path === 'read' ? 'models:read' : 'models:predict');
            else expectFailsWith(res, row.expect);
            assert.deepEqual(hits, [], 'no handler may run');
          }
        });
      }
    });
  }
}

describe('families and scopes options', () => {
  test('families: ["user"] refuses a service key as invalid_token and takes a user key', async () => {
    const app = MAJORS[0].express();
    app.use(bearerGuard({ ...options(), families: ['user'] }));
    app.get('/v2/models/', (_req, res) => void res.json({ ok: true }));
    const s = await listen(app);
    try {
      expectFailsWith(await rawRequest(s, ['GET /v2/models/ HTTP/1.1', 'Host: x', `Authorization: Bearer ${reader.token}`]), 'invalid_token');
      assert.equal((await rawRequest(s, ['GET /v2/models/ HTTP/1.1', 'Host: x', `Authorization: Bearer ${user.token}`])).status, 200);
    } finally {
      s.close();
    }
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['enroll is never accepted on a guarded route', ['user', 'enroll'], /must not include "enroll"/],
    ['an empty list', [], /at least one family/],
    ['an unknown family', ['robot'], /unknown family "robot"/],
    ['not an array', 'user', /must be an array of family names/],
  ];
  for (const [name, families, message] of bad) {
    test(`families: ${name}`, () => {
      assert.throws(() => bearerGuard({ ...options(), families } as never), { code: 'ERR_BEARER_GUARD_INVALID_OPTION', message });
    });
  }

  const badScopes: Array<[string, unknown[]]> = [['none', []], ['upper case', ['Models:read']], ['a space', ['models read']], ['not a string', [5]], ['a quote', ['models"']]];
  for (const [name, scopes] of badScopes) {
    test(`requireScopes refuses ${name} at start-up`, () => {
      assert.throws(() => requireScopes(...(scopes as string[])), { code: 'ERR_BEARER_GUARD_INVALID_OPTION' });
    });
  }
});

describe('our key prefixes are reserved', () => {
  const broken: Array<[string, string]> = [
    ['a truncated key', reader.token.slice(0, -1)],
    ['a key with one character changed', changed],
    ['a made-up token with our prefix', 'bgs_0123456789abcdefghijklmnopqrstuvwxyz'],
  ];
  for (const [name, token] of broken) {
    test(`${name} as the single token is a start-up error that does not show it`, () => {
      assert.throws(() => bearerGuard({ token, logger: captureLogger() }), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'ERR_BEARER_GUARD_TOKEN_INVALID');
        assert.match(err.message, /starts like a bearer-guard key .* \(truncated or mistyped\?\)/);
        assert.ok(!err.message.includes(token));
        return true;
      });
    });
  }
  test('a whole, valid key works as the single token', async () => {
    const app = MAJORS[0].express();
    app.use(bearerGuard({ token: reader.token, logger: captureLogger() }));
    app.get('/v2/models/', (_req, res) => void res.json({}));
    const s = await listen(app);
    try {
      assert.equal((await rawRequest(s, ['GET /v2/models/ HTTP/1.1', 'Host: x', `Authorization: Bearer ${reader.token}`])).status, 200);
    } finally {
      s.close();
    }
  });
});
