// An error inside the check is a 500 with a generic body, never a pass; misuse fails closed too.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bearerGuard } from '../src/index.js';
import { captureLogger, listen, MAJORS, TOKEN } from './helpers/apps.js';
import { rawRequest } from './helpers/raw-http.js';

for (const { label, express } of MAJORS) {
  describe(`fail closed on ${label}`, () => {
    test('an exception while reading the request is a 500, and the handler never runs', async () => {
      const logger = captureLogger();
      const hits: string[] = [];
      const app = express();
      // Sabotage: reading the headers throws inside the guard's check.
      app.use((req, _res, next) => {
        Object.defineProperty(req, 'headers', { get: () => { throw new Error(`boom ${TOKEN}`); } });
        next();
      });
      app.use(bearerGuard({ token: TOKEN, logger }));
      app.get('/v2/models/', (_req, res) => {
        hits.push('models');
        res.json({ models: [] });
      });
      const s = await listen(app);
      try {
        for (const auth of [[], [`Authorization: Bearer ${TOKEN}`]]) {
          const res = await rawRequest(s, ['GET /v2/models/ HTTP/1.1', 'Host: x', ...auth]);
          assert.equal(res.status, 500);
          assert.deepEqual(JSON.parse(res.body), { detail: 'Internal authentication error' });
          assert.equal(res.headers['cache-control'], 'no-store');
        }
        assert.deepEqual(hits, []);
        assert.equal(logger.lines.length, 2, 'one report per failed check');
        for (const line of logger.lines) {
          assert.match(line, /error inside the token check \(Error\)/);
          assert.ok(!line.includes(TOKEN), 'the report must not echo the error message');
        }
      } finally {
        s.close();
      }
    });

    test('app.use(bearerGuard) without the call refuses every request', async () => {
      const hits: string[] = [];
      const app = express();
      app.use(bearerGuard as never);
      app.get('/v2/models/', (_req, res) => {
        hits.push('models');
        res.json({});
      });
      // Silence Express's default error log for this deliberate misuse.
      app.use(((err: Error & { code?: string }, _req: unknown, res: { status(n: number): { json(b: unknown): void } }, _next: unknown) => {
        res.status(500).json({ code: err.code });
      }) as never);
      const s = await listen(app);
      try {
        const res = await rawRequest(s, ['GET /v2/models/ HTTP/1.1', 'Host: x', `Authorization: Bearer ${TOKEN}`]);
        assert.equal(res.status, 500);
        assert.deepEqual(JSON.parse(res.body), { code: 'ERR_BEARER_GUARD_NOT_CALLED' });
        assert.deepEqual(hits, []);
      } finally {
        s.close();
      }
    });
  });
}
