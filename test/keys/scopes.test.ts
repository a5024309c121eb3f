// Scope wildcards, requireScopes without the guard, and what req.auth shows.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, mock, test } from 'node:test';
import express from 'express';
import request from 'supertest';
import { bearerGuard, MemoryKeyStore, requireScopes } from '../../src/index.js';
import { formatDigest } from '../../src/keys/digest.js';
import { captureLogger } from '../helpers/apps.js';
import { makeKey } from '../helpers/keys.js';

// [key scopes, route scopes, granted]
const GRANTS: Array<[readonly string[], readonly string[], boolean]> = [
  [['models:read'], ['models:read'], true],
  [['models:read'], ['models:predict'], false],
  [['*'], ['models:train'], true],
  [['*'], ['admin:keys:write'], true],
  [['models:*'], ['models:predict'], true],
  [['models:*'], ['models:predict', 'models:train'], true],
  [['models:*'], ['modelsx:read'], false],
  [['models:*'], ['admin:read'], false],
  [['admin:*'], ['admin:keys:write'], true],
  [['admin:keys:*'], ['admin:keys:write'], true],
  [['admin:keys:*'], ['admin:users:write'], false],
  [['models:read'], ['models:read', 'models:predict'], false],
  [['models:read', 'models:predict'], ['models:read', 'models:predict'], true],
  [[], ['models:read'], false],
  [['models'], ['models:read'], false],
  [['models:read:*'], ['models:read'], false],
  [['Models:read'.toLowerCase()], ['models:read'], true],
];

function appWith(scopes: readonly string[], route: readonly string[]) {
  const k = makeKey('service', { scopes: [...scopes] });
  const app = express();
  app.use(bearerGuard({ keyStore: new MemoryKeyStore([k.entry]), logger: captureLogger(), argv: [], env: {} }));
  app.get('/r', requireScopes(...route), (req, res) => void res.json({ auth: (req as { auth?: unknown }).auth }));
  return { app, token: k.token, entry: k.entry };
}

describe('scope wildcards', () => {
  for (const [held, route, granted] of GRANTS) {
    test(`${JSON.stringify(held)} ${granted ? 'grants' : 'does not grant'} ${route.join(' ')}`, async () => {
      const { app, token } = appWith(held, route);
      const res = await request(app).get('/r').set('Authorization', `Bearer ${token}`);
      assert.equal(res.status, granted ? 200 : 403);
      if (!granted) assert.deepEqual(res.body, { detail: 'Insufficient scope', error: 'insufficient_scope', scope: route.join(' ') });
    });
  }
});

describe('requireScopes fails closed', () => {
  test('without the guard before it: 500 and one clear line in the log', async () => {
    const warn = mock.method(console, 'warn', () => undefined);
    try {
      const app = express();
      app.get('/r', requireScopes('models:read'), (_req, res) => void res.json({ ran: true }));
      for (let i = 0; i < 2; i++) {
        const res = await request(app).get('/r');
        assert.equal(res.status, 500);
        assert.deepEqual(res.body, { detail: 'Internal authentication error' });
      }
      assert.equal(warn.mock.callCount(), 1);
      assert.match(String(warn.mock.calls[0]!.arguments[0]), /requireScopes\(\) ran without bearerGuard\(\)/);
    } finally {
      warn.mock.restore();
    }
  });

  test('a req.auth set by another middleware is not trusted', async () => {
    const warn = mock.method(console, 'warn', () => undefined);
    try {
      const app = express();
      app.use((req, _res, next) => {
        (req as { auth?: unknown }).auth = { id: 'x', name: 'x', family: 'service', scopes: ['*'], expiresAt: null };
        next();
      });
      app.get('/r', requireScopes('models:read'), (_req, res) => void res.json({ ran: true }));
      assert.equal((await request(app).get('/r')).status, 500);
    } finally {
      warn.mock.restore();
    }
  });

  test('with auth off (nothing configured), it lets requests through like the guard', async () => {
    const app = express();
    app.use(bearerGuard({ argv: [], env: {}, logger: captureLogger() }));
    app.get('/r', requireScopes('models:read'), (_req, res) => void res.json({ ran: true }));
    assert.equal((await request(app).get('/r')).status, 200);
  });
});

describe('req.auth', () => {
  test('is frozen, and shows neither the token nor its digest, however it is printed', async () => {
    const { app, token, entry } = appWith(['models:read'], ['models:read']);
    let seen: unknown;
    app.get('/who', (req, res) => {
      seen = (req as { auth?: unknown }).auth;
      res.json({});
    });
    await request(app).get('/who').set('Authorization', `Bearer ${token}`).expect(200);
    assert.ok(Object.isFrozen(seen));
    assert.deepEqual(seen, { id: entry.id, name: entry.name, family: 'service', scopes: ['models:read'], expiresAt: null });
    const hex = formatDigest(token).slice(7);
    for (const text of [inspect(seen, { showHidden: true, depth: 10 }), JSON.stringify(seen), String(Object.entries(seen as object))]) {
      assert.ok(!text.includes(token) && !text.includes(hex) && !text.includes(token.slice(-12)), text);
    }
    assert.throws(() => {
      (seen as { scopes: string[] }).scopes.push('*');
    }, TypeError);
  });
});
