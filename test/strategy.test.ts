// createBearerStrategy through passport.authenticate answers exactly like bearerGuard.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { inspect } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { Passport } from 'passport';
import { bearerGuard, createBearerStrategy } from '../src/index.js';
import { captureLogger, listen, MAJORS, TOKEN, WRONG } from './helpers/apps.js';
import { rawRequest, type RawResponse } from './helpers/raw-http.js';

const CASES: Array<{ name: string; headers: string[]; path?: string }> = [
  { name: 'no header', headers: [] },
  { name: 'Basic', headers: ['Authorization: Basic eDp5'] },
  { name: 'Bearer alone', headers: ['Authorization: Bearer'] },
  { name: 'wrong token', headers: [`Authorization: Bearer ${WRONG}`] },
  { name: 'malformed token', headers: ['Authorization: Bearer a b'] },
  { name: 'two header lines', headers: [`Authorization: Bearer ${TOKEN}`, `Authorization: Bearer ${TOKEN}`] },
  { name: 'comma-joined', headers: [`Authorization: Bearer ${TOKEN},x`] },
  { name: 'query token only', headers: [], path: `/v2/models/?access_token=${TOKEN}` },
  { name: 'right token', headers: [`Authorization: bearer  ${TOKEN}`] },
];

const comparable = (r: RawResponse) => ({
  status: r.status,
  body: r.body,
  challenge: r.headers['www-authenticate'],
  type: r.headers['content-type'],
  cache: r.headers['cache-control'],
});

for (const { label, express } of MAJORS) {
  describe(`createBearerStrategy on ${label}`, () => {
    let viaPassport: Server;
    let viaGuard: Server;
    const users: unknown[] = [];
    before(async () => {
      const passport = new Passport();
      const strategy = createBearerStrategy({ token: TOKEN, logger: captureLogger() });
      const a = express();
      a.get('/v2/models/', passport.authenticate(strategy, { session: false }), (req, res) => {
        users.push((req as { user?: unknown }).user);
        res.json({ models: ['iris'] });
      });
      viaPassport = await listen(a);
      const b = express();
      b.use(bearerGuard({ token: TOKEN, logger: captureLogger() }));
      b.get('/v2/models/', (_req, res) => void res.json({ models: ['iris'] }));
      viaGuard = await listen(b);
    });
    after(() => {
      viaPassport.close();
      viaGuard.close();
    });

    for (const c of CASES) {
      test(`${c.name}: same status, body and challenge as bearerGuard`, async () => {
        const head = [`GET ${c.path ?? '/v2/models/'} HTTP/1.1`, 'Host: x', ...c.headers];
        const [p, g] = await Promise.all([rawRequest(viaPassport, head), rawRequest(viaGuard, head)]);
        assert.deepEqual(comparable(p), comparable(g));
        assert.equal(p.status, c.name === 'right token' ? 200 : 401);
      });
    }

    test('success hands passport an identity without the token', () => {
      assert.deepEqual(users.at(-1), { id: 'token', name: 'token', family: 'service', scopes: ['*'], expiresAt: null });
      assert.ok(!inspect(users, { depth: 5 }).includes(TOKEN));
    });
  });
}

describe('createBearerStrategy', () => {
  test('is a passport strategy named bearer whose inspection shows no token', () => {
    const strategy = createBearerStrategy({ token: TOKEN, logger: captureLogger() });
    assert.equal(strategy.name, 'bearer');
    assert.equal(typeof strategy.authenticate, 'function');
    assert.ok(!inspect(strategy, { depth: 10, showHidden: true }).includes(TOKEN));
    assert.ok(!JSON.stringify(strategy).includes(TOKEN));
  });

  test('with auth off it lets requests through, after a warning', async () => {
    const logger = captureLogger();
    const passport = new Passport();
    const strategy = createBearerStrategy({ argv: [], env: {}, logger });
    assert.match(logger.lines.join('\n'), /W_BEARER_GUARD_AUTH_OFF/);
    const app = MAJORS[0].express();
    app.get('/x', passport.authenticate(strategy, { session: false }), (_req, res) => void res.json({ ok: true }));
    const s = await listen(app);
    try {
      assert.equal((await rawRequest(s, ['GET /x HTTP/1.1', 'Host: x'])).status, 200);
    } finally {
      s.close();
    }
  });

  test('rejects the public option it has no use for', () => {
    assert.throws(() => createBearerStrategy({ token: TOKEN, public: [] } as never), { code: 'ERR_BEARER_GUARD_UNKNOWN_OPTION', name: 'TypeError' });
  });
});
