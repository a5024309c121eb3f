// Audit events: one per decision on a non-public request, with the documented fields and nothing secret.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import express from 'express';
import request from 'supertest';
import { bearerGuard, MemoryKeyStore, requireScopes, type AuditEvent } from '../../src/index.js';
import { auditPath } from '../../src/audit/event.js';
import { formatDigest } from '../../src/keys/digest.js';
import { captureLogger } from '../helpers/apps.js';
import { changeCharFromEnd, makeKey } from '../helpers/keys.js';

const reader = makeKey('service', { name: 'reader', scopes: ['models:read'] });
const expired = makeKey('service', { name: 'old', expires_at: '2026-01-01T00:00:00.000Z' });
const revoked = makeKey('user', { name: 'gone', revoked_at: '2026-01-01T00:00:00.000Z' });
const enroll = makeKey('enroll', { name: 'boot' });
const SECRETS = [reader, expired, revoked, enroll].flatMap((k) => [k.token, formatDigest(k.token).slice(7)]);

function appWith(audit: unknown, trustProxy = false) {
  const app = express();
  if (trustProxy) app.set('trust proxy', true);
  app.use(bearerGuard({ keyStore: new MemoryKeyStore([reader.entry, expired.entry, revoked.entry, enroll.entry]), logger: captureLogger(), argv: [], env: {}, audit: audit as never }));
  app.get('/v2/', (_req, res) => void res.json({}));
  app.get('/v2/models/', requireScopes('models:read'), (_req, res) => void res.json({}));
  app.post('/v2/models/:name/predict', requireScopes('models:predict'), (_req, res) => void res.json({}));
  return app;
}

type Call = { name: string; method: 'get' | 'post'; path: string; token?: string; header?: string; expect: Partial<AuditEvent> };
const CALLS: Call[] = [
  { name: 'allowed', method: 'get', path: '/v2/models/?access_token=x', token: reader.token, expect: { outcome: 'allow', reason: 'ok', status: 200, key_id: reader.entry.id, key_name: 'reader', family: 'service', path: '/v2/models/' } },
  { name: 'no header', method: 'get', path: '/v2/models/', expect: { outcome: 'deny', reason: 'missing_token', status: 401 } },
  { name: 'two headers', method: 'get', path: '/v2/models/', header: `Bearer ${reader.token}, Bearer x`, expect: { outcome: 'deny', reason: 'invalid_request', status: 401 } },
  { name: 'malformed', method: 'get', path: '/v2/models/', header: 'Bearer a$b', expect: { outcome: 'deny', reason: 'invalid_token', status: 401 } },
  { name: 'bad checksum', method: 'get', path: '/v2/models/', token: changeCharFromEnd(reader.token, 1, '0'), expect: { outcome: 'deny', reason: 'invalid_token', status: 401 } },
  { name: 'truncated key (our prefix, not a whole key)', method: 'get', path: '/v2/models/', token: reader.token.slice(0, -3), expect: { outcome: 'deny', reason: 'invalid_token', status: 401 } },
  { name: 'unknown key', method: 'get', path: '/v2/models/', token: makeKey().token, expect: { outcome: 'deny', reason: 'unknown_key', status: 401 } },
  { name: 'expired', method: 'get', path: '/v2/models/', token: expired.token, expect: { outcome: 'deny', reason: 'expired', status: 401, key_id: expired.entry.id, key_name: 'old' } },
  { name: 'revoked', method: 'get', path: '/v2/models/', token: revoked.token, expect: { outcome: 'deny', reason: 'revoked', status: 401, family: 'user' } },
  { name: 'wrong family', method: 'get', path: '/v2/models/', token: enroll.token, expect: { outcome: 'deny', reason: 'wrong_family', status: 401, family: 'enroll' } },
  { name: 'token-like path segment', method: 'get', path: `/v2/models/${reader.token}/%0d%0a`, token: 'zz', expect: { reason: 'unknown_key', path: '/v2/models/[redacted]/%0d%0a' } },
];

describe('auditPath', () => {
  // Node's parser refuses control characters in a request line; a URL rewritten by the app may still hold them.
  const rows: Array<[string, string]> = [
    ['/v2/models/?access_token=x', '/v2/models/'],
    ['/a\u0001b\u007f"\\', '/a\\x01b\\x7f\\x22\\x5c'],
    [`/${'a'.repeat(300)}`, `/${'a'.repeat(254)}…`],
    [`/x/${reader.token}`, '/x/[redacted]'],
  ];
  for (const [input, shown] of rows) test(JSON.stringify(input.slice(0, 40)), () => assert.equal(auditPath(input), shown));
});

describe('audit events', () => {
  for (const c of CALLS) {
    test(c.name, async () => {
      const events: AuditEvent[] = [];
      const app = appWith((e: AuditEvent) => events.push(e));
      let r = request(app)[c.method](c.path);
      if (c.token !== undefined) r = r.set('Authorization', `Bearer ${c.token}`);
      if (c.header !== undefined) r = r.set('Authorization', c.header);
      await r;
      assert.equal(events.length, 1, JSON.stringify(events));
      const e = events[0]!;
      assert.equal(e.type, 'auth');
      assert.equal(e.method, c.method.toUpperCase());
      assert.match(e.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.match(e.ip, /127\.0\.0\.1/);
      for (const [k, v] of Object.entries(c.expect)) assert.deepEqual(e[k as keyof AuditEvent], v, k);
      const text = JSON.stringify(e);
      for (const s of SECRETS) assert.ok(!text.includes(s), 'no token or digest');
      assert.ok(!/authorization|access_token/i.test(text));
    });
  }

  test('a 403 from requireScopes is one more event with the route scope', async () => {
    const events: AuditEvent[] = [];
    await request(appWith((e: AuditEvent) => events.push(e))).post('/v2/models/iris/predict').set('Authorization', `Bearer ${reader.token}`).expect(403);
    assert.deepEqual(events.map((e) => [e.outcome, e.reason, e.status, e.scope]), [['allow', 'ok', 200, undefined], ['deny', 'insufficient_scope', 403, 'models:predict']]);
  });

  test('public paths give no event', async () => {
    const events: AuditEvent[] = [];
    await request(appWith((e: AuditEvent) => events.push(e))).get('/v2/').expect(200);
    assert.deepEqual(events, []);
  });

  test('a pino-style logger gets info for allow and warn for deny', async () => {
    const seen: string[] = [];
    const app = appWith({ info: (e: AuditEvent) => seen.push(`info ${e.reason}`), warn: (e: AuditEvent) => seen.push(`warn ${e.reason}`) });
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${reader.token}`).expect(200);
    await request(app).get('/v2/models/').expect(401);
    assert.deepEqual(seen, ['info ok', 'warn missing_token']);
  });

  test('ip follows trust proxy', async () => {
    const events: AuditEvent[] = [];
    await request(appWith((e: AuditEvent) => events.push(e), true)).get('/v2/models/').set('X-Forwarded-For', '203.0.113.7').expect(401);
    assert.equal(events[0]!.ip, '203.0.113.7');
  });

  const sinks: Array<[string, unknown]> = [
    ['a throwing sink', () => { throw new Error('sink down'); }],
    ['a rejecting sink', async () => { throw new Error('sink down'); }],
    ['a throwing logger', { info: () => { throw new Error('x'); }, warn: () => { throw new Error('x'); } }],
  ];
  for (const [name, sink] of sinks) {
    test(`${name} changes no response`, async () => {
      const app = appWith(sink);
      await request(app).get('/v2/models/').set('Authorization', `Bearer ${reader.token}`).expect(200);
      await request(app).get('/v2/models/').expect(401, { detail: 'Bearer token required' });
      await request(app).post('/v2/models/x/predict').set('Authorization', `Bearer ${reader.token}`).expect(403);
    });
  }
});
