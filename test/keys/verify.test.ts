// The verify(token, req) escape hatch: only after the keyring found nothing, same checks, fails closed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import express from 'express';
import request from 'supertest';
import { bearerGuard, MemoryKeyStore, requireScopes, type AuthIdentity } from '../../src/index.js';
import { captureLogger } from '../helpers/apps.js';
import { changeCharFromEnd, makeKey } from '../helpers/keys.js';

const EXTERNAL = 'external-oauth-token-0123456789abcdefghij';
const known = makeKey('service', { scopes: ['models:read'] });

function appWith(verify: (token: string) => unknown, calls: string[] = []) {
  const logger = captureLogger();
  const app = express();
  app.use(
    bearerGuard({
      keyStore: new MemoryKeyStore([known.entry]),
      logger,
      argv: [],
      env: {},
      verify: (token) => {
        calls.push(token);
        return verify(token) as Promise<AuthIdentity | null>;
      },
    }),
  );
  app.get('/v2/models/', requireScopes('models:read'), (req, res) => void res.json({ auth: (req as { auth?: unknown }).auth }));
  return { app, logger, calls };
}

describe('verify', () => {
  const cases: Array<{ name: string; result: () => unknown; status: number; body?: unknown }> = [
    { name: 'resolves an identity with the scope', result: async () => ({ name: 'oauth-client', scopes: ['models:read'] }), status: 200 },
    { name: 'returns an identity synchronously', result: () => ({ id: 'c1', name: 'oauth-client', family: 'user', scopes: ['*'] }), status: 200 },
    { name: 'an identity whose expiresAt is past', result: async () => ({ name: 'old', scopes: ['*'], expiresAt: '2020-01-01T00:00:00.000Z' }), status: 401, body: { detail: 'Bearer token expired', error: 'invalid_token' } },
  { name: 'an identity whose expiresAt is not a date is a 500', result: async () => ({ name: 'x', expiresAt: 'soon' }), status: 500 },
  { name: 'resolves null', result: async () => null, status: 401, body: { detail: 'Invalid bearer token', error: 'invalid_token' } },
    { name: 'an identity without the scope gets 403', result: async () => ({ name: 'weak' }), status: 403 },
    { name: 'an identity of an enroll family is refused', result: async () => ({ name: 'e', family: 'enroll', scopes: ['*'] }), status: 401 },
    { name: 'a throw is a 500', result: () => { throw new Error(`boom ${EXTERNAL}`); }, status: 500, body: { detail: 'Internal authentication error' } },
    { name: 'a rejection is a 500', result: async () => { throw new Error('down'); }, status: 500 },
    { name: 'a malformed identity is a 500', result: async () => ({ nope: true }), status: 500 },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const { app, logger } = appWith(c.result);
      const res = await request(app).get('/v2/models/').set('Authorization', `Bearer ${EXTERNAL}`);
      assert.equal(res.status, c.status);
      if (c.body !== undefined) assert.deepEqual(res.body, c.body);
      if (c.status === 200) assert.equal((res.body as { auth: { name: string } }).auth.name, 'oauth-client');
      assert.ok(!logger.lines.join('\n').includes(EXTERNAL));
    });
  }

  test('runs only after the keyring found nothing, and never for a bad checksum or a missing header', async () => {
    const calls: string[] = [];
    const { app } = appWith(async () => null, calls);
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${known.token}`).expect(200);
    await request(app).get('/v2/models/').expect(401);
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${changeCharFromEnd(known.token, 1, 'X')}`).expect(401);
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${known.token.slice(0, 30)}`).expect(401);
    await request(app).get('/v2/models/').set('Authorization', 'Bearer bgs_not-a-key-at-all-0123456789').expect(401);
    assert.deepEqual(calls, []);
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${EXTERNAL}`).expect(401);
    assert.deepEqual(calls, [EXTERNAL]);
  });

  test('verify alone turns auth on: nothing else configured still refuses', async () => {
    const app = express();
    app.use(bearerGuard({ argv: [], env: {}, logger: captureLogger(), verify: async () => null }));
    app.get('/v2/models/', (_req, res) => void res.json({}));
    await request(app).get('/v2/models/').expect(401);
  });
});
