// The bypass corpus run with an enrollment token, against a guard with the enrollment endpoint at /v2/agents on Express 5
// and 4: no spelling of any path, method, header or request-target lets the enrollment token reach an app handler that the
// same request without any token does not reach (public paths), and every other answer comes from the guard: the endpoint's
// own (201, 400, 405, 413) or the 401 for other paths.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Request, RequestHandler } from 'express';
import { bearerGuard, MemoryKeyStore } from '../../src/index.js';
import { buildCorpus, type Probe, type Seed } from '../../src/self-test/corpus.js';
import { pathSpellings } from '../../src/self-test/spellings.js';
import { captureLogger, listen, MAJORS, type ExpressFactory } from '../helpers/apps.js';
import { makeEnrollKey } from '../helpers/enrollment.js';
import { fire, fromExpress, type ProbeApp } from './harness.js';

const SEEDS: Seed[] = [
  { path: '/v2/agents', method: 'POST' },
  { path: '/v2/agents/', method: 'POST' },
  { path: '/v2/models/', method: 'GET' },
  { path: '/v2/models/iris/predict', method: 'POST' },
  { path: '/', method: 'GET' },
];
const HOST = 'Host: 127.0.0.1';
const GUARD_ANSWERS = new Set([201, 400, 401, 405, 413]);

/** The probe app with an app route at the enrollment path and a catch-all, both recording. */
async function start(factory: ExpressFactory, token: ReturnType<typeof makeEnrollKey>): Promise<ProbeApp> {
  const app = factory();
  const hits = new Map<number, string[]>();
  const route = (name: string): RequestHandler => (req: Request, res) => {
    const port = req.socket.remotePort ?? 0;
    hits.set(port, [...(hits.get(port) ?? []), name]);
    res.status(299).json({ route: name });
  };
  const store = new MemoryKeyStore([token.entry]);
  app.use(bearerGuard({ argv: [], env: {}, keyStore: store, environment: 'prod', enrollment: { path: '/v2/agents' }, logger: captureLogger() }));
  app.get('/', route('root'));
  app.get('/v2/', route('v2'));
  app.all('/v2/agents', route('agents-app'));
  app.get('/v2/models/', route('models'));
  app.post('/v2/models/:name/predict', route('predict'));
  app.use(route('catch-all'));
  const server = await listen(app);
  return { server, hits, close: () => (server.closeAllConnections(), server.close()) };
}

for (const { label, express } of MAJORS) {
  describe(`enrollment path bypass corpus on ${label}`, () => {
    test('an enrollment token reaches no app handler under any spelling', async (t) => {
      const token = makeEnrollKey({ uses: 10_000 });
      const app = await start(express, token);
      try {
        const probes: Probe[] = buildCorpus(SEEDS).filter((p) => !p.family.startsWith('credential') && !p.family.startsWith('token-elsewhere'));
        for (const s of pathSpellings('/v2/agents')) {
          for (const method of ['POST', 'GET', 'PUT']) probes.push({ family: `path:${s.family}`, seed: '/v2/agents', method, target: s.path, headers: [HOST, 'Content-Length: 0'], body: '', version: 'HTTP/1.1' });
        }
        const shots = await fire(app, probes, () => [`Authorization: Bearer ${token.token}`]);
        // What the same requests reach with no token at all (public paths are open to everyone).
        const open = await fire(app, probes);
        const problems: string[] = [];
        const outcomes: Record<string, number> = {};
        shots.forEach((g, i) => {
          const p = probes[i]!;
          const show = `${p.method} ${p.target.slice(0, 100)} [${p.family}]`;
          if (g.hits.length > 0 && g.hits.join() !== open[i]!.hits.join()) problems.push(`${g.hits.join(',')} ran with the enrollment token, not without a token: ${show}`);
          const key = g.hits.length > 0 ? `public handler ${g.reply.status}` : !fromExpress(g.reply) ? `not answered by Express (${g.reply.status || g.reply.failure})` : `guard ${g.reply.status}`;
          if (key.startsWith('guard') && !GUARD_ANSWERS.has(g.reply.status)) problems.push(`unexpected ${g.reply.status}: ${show}`);
          if (g.reply.status === 401 && g.reply.body !== '{"detail":"Invalid bearer token","error":"invalid_token"}' && p.method !== 'HEAD') problems.push(`401 not invalid_token: ${show} ${g.reply.body}`);
          outcomes[key] = (outcomes[key] ?? 0) + 1;
        });
        for (const [k, v] of Object.entries(outcomes).sort()) t.diagnostic(`  ${k}: ${v}`);
        t.diagnostic(`${probes.length} requests with the enrollment token`);
        assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problem(s)`);
        assert.ok(probes.length > 500);
        assert.ok((outcomes['guard 401'] ?? 0) > 0 && (outcomes['guard 405'] ?? 0) > 0, 'both the endpoint and the refusal elsewhere were met');
      } finally {
        app.close();
      }
    });
  });
}
