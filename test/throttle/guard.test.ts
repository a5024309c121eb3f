// The brute-force throttle in bearerGuard() and createBearerStrategy(), in memory: what counts, the block, the 429, its end, the audit.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import express from 'express';
import { Passport } from 'passport';
import request from 'supertest';
import { bearerGuard, createBearerStrategy, MemoryKeyStore, type AuditEvent, type BearerGuardOptions } from '../../src/index.js';
import { captureLogger } from '../helpers/apps.js';
import { until } from '../helpers/example-server.js';
import { makeKey } from '../helpers/keys.js';

const good = makeKey('service');
const expired = makeKey('service', { expires_at: '2020-01-01T00:00:00.000Z' });
const revoked = makeKey('service', { revoked_at: '2020-01-01T00:00:00.000Z' });
const user = makeKey('user');
const WRONG = makeKey('service').token;
const FAILURES = 3;
const RATE_LIMITED = { detail: 'Too many failed attempts', error: 'rate_limited' };

type Mount = 'guard' | 'strategy';

/** An app behind the guard (or the strategy) with `trust proxy`, so X-Forwarded-For picks the client IP. */
function build(options: BearerGuardOptions, mount: Mount = 'guard') {
  const logger = captureLogger();
  const events: AuditEvent[] = [];
  const app = express();
  app.set('trust proxy', true);
  const all: BearerGuardOptions = { keyStore: new MemoryKeyStore([good.entry, expired.entry, revoked.entry, user.entry]), families: ['service'], logger, audit: (e) => void events.push(e), ...options };
  if (mount === 'guard') {
    app.use(bearerGuard(all));
    app.get('/v2/', (_req, res) => res.json({ open: true }));
    app.get('/v2/models/', (_req, res) => res.json({ models: [] }));
  } else {
    const passport = new Passport();
    const { public: _p, ...check } = all;
    passport.use(createBearerStrategy(check) as never);
    app.get('/v2/models/', passport.authenticate('bearer', { session: false }), (_req, res) => res.json({ models: [] }));
  }
  const get = (ip: string, token?: string, path = '/v2/models/') => {
    const r = request(app).get(path).set('x-forwarded-for', ip);
    return token === undefined ? r : r.set('authorization', `Bearer ${token}`);
  };
  return { app, get, logger, events };
}

async function expect429(res: request.Response, blockSeconds: number): Promise<void> {
  assert.equal(res.status, 429, res.text);
  assert.deepEqual(res.body, RATE_LIMITED);
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.match(res.headers['content-type'] ?? '', /^application\/json/);
  assert.equal(res.headers['www-authenticate'], undefined);
  const retry = Number(res.headers['retry-after']);
  assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= blockSeconds, `Retry-After ${res.headers['retry-after']}`);
}

describe('throttle: which refusals count as failed attempts', () => {
  // Each request is sent 2 * FAILURES + 2 times from one IP; then a valid key from that IP tells whether it was blocked.
  const cases: Array<{ name: string; send: (b: ReturnType<typeof build>) => request.Test; status: number; counts: boolean }> = [
    { name: 'an unknown token', send: (b) => b.get('10.0.0.1', WRONG), status: 401, counts: true },
    { name: 'a malformed token', send: (b) => b.get('10.0.0.1', 'not a token'), status: 401, counts: true },
    { name: 'a truncated key (bad checksum)', send: (b) => b.get('10.0.0.1', good.token.slice(0, -1)), status: 401, counts: true },
    { name: 'an expired key', send: (b) => b.get('10.0.0.1', expired.token), status: 401, counts: true },
    { name: 'a revoked key', send: (b) => b.get('10.0.0.1', revoked.token), status: 401, counts: true },
    { name: 'a key of a family this guard refuses', send: (b) => b.get('10.0.0.1', user.token), status: 401, counts: true },
    { name: 'no credentials at all', send: (b) => b.get('10.0.0.1'), status: 401, counts: false },
    { name: 'a valid key', send: (b) => b.get('10.0.0.1', good.token), status: 200, counts: false },
    { name: 'a public path', send: (b) => b.get('10.0.0.1', WRONG, '/v2/'), status: 200, counts: false },
  ];
  for (const c of cases) {
    test(`${c.name}: ${c.counts ? 'counts' : 'never counts'}`, async () => {
      const b = build({ throttle: { failures: FAILURES } });
      const statuses: number[] = [];
      for (let i = 0; i < 2 * FAILURES + 2; i++) statuses.push((await c.send(b)).status);
      if (c.counts) {
        assert.deepEqual(statuses, [...Array(FAILURES + 1).fill(c.status), ...Array(FAILURES + 1).fill(429)]);
        await expect429(await b.get('10.0.0.1', good.token), 300);
      } else {
        assert.deepEqual(statuses, Array(2 * FAILURES + 2).fill(c.status));
        assert.equal((await b.get('10.0.0.1', good.token)).status, 200);
      }
    });
  }
});

describe('throttle: the block', () => {
  for (const mount of ['guard', 'strategy'] as const) {
    test(`${mount}: the (N+1)th failure blocks; then 429 even for a valid key; other IPs and public paths unaffected`, async () => {
      const b = build({ throttle: { failures: FAILURES, blockSeconds: 120 } }, mount);
      for (let i = 0; i < FAILURES; i++) assert.equal((await b.get('192.0.2.7', WRONG)).status, 401);
      assert.equal((await b.get('192.0.2.7', good.token)).status, 200, 'N failures: not blocked yet');
      assert.equal((await b.get('192.0.2.7', WRONG)).status, 401, 'the (N+1)th failure is still answered 401');
      await expect429(await b.get('192.0.2.7', good.token), 120);
      await expect429(await b.get('192.0.2.7', WRONG), 120);
      await expect429(await b.get('192.0.2.7'), 120);
      assert.equal((await b.get('192.0.2.8', good.token)).status, 200, 'another IP');
      assert.equal((await b.get('192.0.2.8', WRONG)).status, 401, 'another IP is refused as usual');
      if (mount === 'guard') assert.equal((await b.get('192.0.2.7', undefined, '/v2/')).status, 200, 'a public path stays open');
    });
  }

  test('successes never consume points: N failures, many successes, still not blocked', async () => {
    const b = build({ throttle: { failures: FAILURES } });
    for (let i = 0; i < FAILURES; i++) assert.equal((await b.get('198.51.100.1', WRONG)).status, 401);
    for (let i = 0; i < 20; i++) assert.equal((await b.get('198.51.100.1', good.token)).status, 200);
    assert.equal((await b.get('198.51.100.1', WRONG)).status, 401);
    assert.equal((await b.get('198.51.100.1', good.token)).status, 429);
  });

  test('the block ends after blockSeconds; the IP then starts from zero', async () => {
    const b = build({ throttle: { failures: 1, blockSeconds: 1 } });
    for (let i = 0; i < 2; i++) assert.equal((await b.get('203.0.113.9', WRONG)).status, 401);
    await expect429(await b.get('203.0.113.9', good.token), 1);
    await until('the block ends', 10_000, async () => (await b.get('203.0.113.9', good.token)).status === 200);
    assert.equal((await b.get('203.0.113.9', WRONG)).status, 401, 'one failure after the block: not blocked again');
    assert.equal((await b.get('203.0.113.9', good.token)).status, 200);
  });

  test('without the throttle option, the library never answers 429', async () => {
    const b = build({});
    for (let i = 0; i < 60; i++) assert.equal((await b.get('10.9.9.9', WRONG)).status, 401);
    assert.equal((await b.get('10.9.9.9', good.token)).status, 200);
  });

  test('without trust proxy, every client behind the proxy shares the socket address', async () => {
    const b = build({ throttle: { failures: 1 } });
    b.app.set('trust proxy', false);
    for (let i = 0; i < 2; i++) assert.equal((await b.get(`172.16.0.${i}`, WRONG)).status, 401);
    assert.equal((await b.get('172.16.0.99', good.token)).status, 429, 'X-Forwarded-For ignored: one IP for all');
  });
});

describe('throttle: audit and logs', () => {
  test('a throttled request is audited as `throttled`; the block start is logged once, with no token', async () => {
    const b = build({ throttle: { failures: 2 } });
    for (let i = 0; i < 3; i++) await b.get('192.0.2.50', WRONG);
    for (let i = 0; i < 5; i++) await b.get('192.0.2.50', good.token);
    const throttled = b.events.filter((e) => e.reason === 'throttled');
    assert.equal(throttled.length, 5);
    assert.deepEqual(
      { outcome: throttled[0]!.outcome, status: throttled[0]!.status, ip: throttled[0]!.ip, path: throttled[0]!.path, key_id: throttled[0]!.key_id },
      { outcome: 'deny', status: 429, ip: '192.0.2.50', path: '/v2/models/', key_id: undefined },
    );
    assert.deepEqual(b.logger.lines, ['bearer-guard: throttle: 192.0.2.50 reached 3 failed attempts within 60 s and is blocked for 300 s (429)']);
    const everything = JSON.stringify([b.events, b.logger.lines]);
    for (const token of [good.token, WRONG]) assert.equal(everything.includes(token), false);
  });

  test('an X-Forwarded-For value that is no IP address is never echoed in the log', async () => {
    const b = build({ throttle: { failures: 1 } });
    for (let i = 0; i < 2; i++) await b.get(WRONG, WRONG);
    assert.equal((await b.get(WRONG, good.token)).status, 429);
    assert.deepEqual(b.logger.lines, ['bearer-guard: throttle: a client reached 2 failed attempts within 60 s and is blocked for 300 s (429)']);
  });
});
