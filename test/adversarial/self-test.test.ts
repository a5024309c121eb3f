// selfTest() on deliberately broken apps (each layout mistake of docs/security.md) and on correct
// ones, on Express 5 and Express 4.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NextFunction, Request, Response } from 'express';
import { bearerGuard, formatSelfTestReport, selfTest, type SelfTestFinding } from '../../src/index.js';
import { buildApp, captureLogger, MAJORS, TOKEN, type ExpressFactory } from '../helpers/apps.js';

type App = ReturnType<ExpressFactory>;
const guard = (publicPaths?: string[]): ReturnType<typeof bearerGuard> =>
  bearerGuard({ token: TOKEN, logger: captureLogger(), ...(publicPaths ? { public: publicPaths } : {}) });
const ok = (name: string) => (_req: Request, res: Response): void => void res.json({ name });

/** A hand-written guard that compares a path string: the mistake of many peers' users. */
const stringGuard = (path: (req: Request) => string, prefix: string) => (req: Request, res: Response, next: NextFunction): void => {
  if (path(req).startsWith(prefix) && req.headers.authorization !== `Bearer ${TOKEN}`) {
    res.status(401).json({ detail: 'no' });
    return;
  }
  next();
};

interface Case {
  name: string;
  build(express: ExpressFactory, major: 4 | 5): App;
  /** Findings selfTest must report: `METHOD pattern`, or `refused METHOD path` for a public path that answered 401; empty for a correct app. */
  expect: string[];
  /** What the app means to leave open, as the client sends it; `PUBLIC` when absent. */
  public?: string[];
  /** Extra paths to probe (sub-apps are not read). */
  paths?: string[];
}

/** A DEEPaaS-like sub-app (`/`, `/v2/` and the models list), to mount under `/api`. */
function modelSubApp(express: ExpressFactory, guardInside?: ReturnType<typeof bearerGuard>): App {
  const sub = express();
  sub.set('env', 'test');
  if (guardInside) sub.use(guardInside);
  sub.get('/', ok('root'));
  sub.get('/v2/', ok('v2'));
  sub.get('/v2/models/', ok('models'));
  return sub;
}
const API_PUBLIC = ['/api/', '/api/v2/'];

const CASES: Case[] = [
  {
    name: 'a route registered before the guard',
    build(express) {
      const app = express();
      app.get('/v2/models/', ok('models'));
      app.use(guard());
      app.get('/v2/models/:name', ok('model'));
      return app;
    },
    expect: ['GET /v2/models/'],
  },
  {
    name: 'a wildcard mount that misses the bare collection',
    build(express, major) {
      const app = express();
      app.use(major === 5 ? '/v2/models/*splat' : '/v2/models/*', guard());
      app.get('/v2/models', ok('models'));
      app.get('/v2/models/:name', ok('model'));
      return app;
    },
    expect: ['GET /v2/models'],
  },
  {
    name: 'a regex mount without the i flag',
    build(express) {
      const app = express();
      app.use(/^\/v2\/models/, guard());
      app.get('/v2/models/', ok('models'));
      app.get('/v2/models/:name', ok('model'));
      return app;
    },
    expect: ['GET /v2/models/', 'GET /v2/models/:name'],
  },
  {
    name: 'a guard in a sub-router comparing absolute paths (req.path is relative there)',
    build(express) {
      const app = express();
      const router = express.Router();
      router.use(stringGuard((req) => req.path, '/v2/models'));
      router.get('/models/', ok('models'));
      router.post('/models/:name/predict', ok('predict'));
      app.use('/v2', router);
      return app;
    },
    expect: ['GET /v2/models/', 'POST /v2/models/:name/predict'],
  },
  {
    name: 'a guard in a sub-router comparing req.originalUrl (case and absolute-form bypasses)',
    build(express) {
      const app = express();
      const router = express.Router();
      router.use(stringGuard((req) => req.originalUrl, '/v2/models'));
      router.get('/models/:name', ok('model'));
      app.use('/v2', router);
      return app;
    },
    expect: ['GET /v2/models/:name'],
  },
  {
    name: 'correct: the DEEPaaS layout behind bearerGuard()',
    build: (express) => buildApp(express).app,
    expect: [],
  },
  {
    name: 'correct: bearerGuard() inside a sub-router, public paths relative to it',
    build(express) {
      const app = express();
      const router = express.Router();
      router.use(guard(['/']));
      router.get('/', ok('v2'));
      router.get('/models/', ok('models'));
      router.get('/models/:name', ok('model'));
      app.get('/', ok('root'));
      app.use('/v2', router);
      return app;
    },
    expect: [],
  },
  {
    name: 'correct: per-route guards on every protected route',
    build(express) {
      const app = express();
      const g = guard([]);
      app.get('/', ok('root'));
      app.get('/v2/models/', g, ok('models'));
      app.route('/v2/models/:name').get(g, ok('model')).delete(g, ok('delete'));
      return app;
    },
    expect: [],
  },
  {
    name: 'correct: a new bearerGuard() on each route (the README\'s per-route form)',
    build(express) {
      const app = express();
      app.get('/', ok('root'));
      app.get('/v2/models/', guard(), ok('models'));
      app.post('/v2/models/:name/predict', guard(), ok('predict'));
      return app;
    },
    expect: [],
  },
  {
    name: 'correct: app.use("/v2", bearerGuard({ public: ["/"] }), router) (the README\'s router form)',
    build(express) {
      const app = express();
      const v2 = express.Router();
      v2.get('/', ok('v2'));
      v2.get('/models/', ok('models'));
      v2.get('/models/:name', ok('model'));
      app.use('/v2', guard(['/']), v2);
      return app;
    },
    expect: [],
  },
  {
    name: 'bearerGuard() inside a sub-app mounted under /api: the default public paths apply at the app root only',
    build(express) {
      const app = express();
      app.use('/api', modelSubApp(express, guard()));
      return app;
    },
    public: API_PUBLIC,
    paths: ['/api/v2/models/'],
    expect: ['refused GET /api/', 'refused GET /api/v2/'],
  },
  {
    name: 'bearerGuard() above a sub-app mounted under /api: the default public paths are the app root\'s',
    build(express) {
      const app = express();
      app.use(guard());
      app.use('/api', modelSubApp(express));
      return app;
    },
    public: API_PUBLIC,
    paths: ['/api/v2/models/'],
    expect: ['refused GET /api/', 'refused GET /api/v2/'],
  },
  {
    name: 'correct: bearerGuard({ public: ["/", "/v2/"] }) inside the sub-app under /api',
    build: (express) => {
      const app = express();
      app.use('/api', modelSubApp(express, guard(['/', '/v2/'])));
      return app;
    },
    public: API_PUBLIC,
    paths: ['/api/v2/models/'],
    expect: [],
  },
  {
    name: 'correct: bearerGuard({ public: ["/api/", "/api/v2/"] }) above the sub-app under /api',
    build(express) {
      const app = express();
      app.use(guard(API_PUBLIC));
      app.use('/api', modelSubApp(express));
      return app;
    },
    public: API_PUBLIC,
    paths: ['/api/v2/models/'],
    expect: [],
  },
];

const PUBLIC = ['/', '/v2/'];
const describeFinding = (f: SelfTestFinding): string => (f.kind === 'public-path-refused' ? `refused ${f.route}` : f.route.replace(/^HEAD /, 'GET '));

describe('selfTest() finds each layout mistake and passes correct apps', () => {
  for (const { label, express } of MAJORS) {
    const major = label === 'Express 5' ? 5 : 4;
    for (const c of CASES) {
      test(`${label}: ${c.name}`, async (t) => {
        const app = c.build(express, major);
        app.set('env', 'test'); // Express logs the stack of each 4xx/5xx error outside 'test'
        const report = await selfTest(app, { public: c.public ?? PUBLIC, paths: c.paths });
        t.diagnostic(formatSelfTestReport(report).split('\n')[0]!);
        const found = report.findings.map(describeFinding).filter((r, i, all) => all.indexOf(r) === i);
        for (const route of c.expect) assert.ok(found.includes(route), `expected ${route}\n${formatSelfTestReport(report)}`);
        assert.deepEqual(found.filter((r) => !c.expect.includes(r)), [], formatSelfTestReport(report));
        assert.equal(report.ok, c.expect.length === 0);
        assert.ok(report.sent >= 200, `only ${report.sent} requests sent`);
        for (const f of report.findings) assert.match(f.request, /^[A-Z]+ \S+ HTTP\/1\.[01]\n/);
      });
    }
  }
});

describe('selfTest() reporting', () => {
  test('names the request that reached a route, and what it could not probe', async () => {
    const { express } = MAJORS[0];
    const app = express();
    app.use(guard());
    app.get(/^\/regex-route$/, ok('regex'));
    const report = await selfTest(app, { paths: ['/extra/'] });
    assert.ok(report.ok, formatSelfTestReport(report));
    assert.deepEqual(report.unprobed.length, 1);
    assert.match(formatSelfTestReport(report), /not probed .*regex-route/);
  });

  test('a refused public path: its own kind, the plain request, and the fix in the summary', async () => {
    const { express } = MAJORS[0];
    const app = CASES.find((c) => c.name.startsWith('bearerGuard() inside a sub-app'))!.build(express, 5);
    const report = await selfTest(app, { public: ['/api/v2/'] });
    assert.equal(report.ok, false);
    assert.deepEqual(report.findings, [
      { route: 'GET /api/v2/', kind: 'public-path-refused', request: 'GET /api/v2/ HTTP/1.1\nHost: 127.0.0.1', family: 'public-path', status: 401, count: 1 },
    ]);
    const text = formatSelfTestReport(report);
    assert.match(text, /0 route\(s\) reachable without a valid token, 1 public path\(s\) refused/);
    assert.match(text, /GET \/api\/v2\/ \(declared public, but answered 401 without a token/);
    assert.match(text, /relative to where the guard is mounted/);
  });

  test('the found request really reaches the route when replayed', async () => {
    const { express } = MAJORS[0];
    const report = await selfTest(CASES[2]!.build(express, 5));
    const finding = report.findings.find((f) => f.family.startsWith('path:case'));
    assert.ok(finding, formatSelfTestReport(report));
    assert.equal(finding.status, 200);
  });

  test('bad options fail fast with a fix-it message', async () => {
    const { express } = MAJORS[0];
    await assert.rejects(selfTest(express(), { concurrency: 0 }), { code: 'ERR_BEARER_GUARD_INVALID_OPTION', message: /concurrency/ });
    await assert.rejects(selfTest(express(), { public: ['v2/'] }), { code: 'ERR_BEARER_GUARD_INVALID_OPTION', message: /public/ });
    await assert.rejects(selfTest({} as never), { code: 'ERR_BEARER_GUARD_INVALID_OPTION', message: /app/ });
    await assert.rejects(selfTest(express(), { publik: [] } as never), { code: 'ERR_BEARER_GUARD_UNKNOWN_OPTION', message: /did you mean `public`/ });
  });

  test('leaves the app as it found it: handlers restored, nothing listening', async () => {
    const { express } = MAJORS[0];
    const { app } = buildApp(express);
    const stack = (app as unknown as { router: { stack: { route?: { stack: { handle: unknown }[] } }[] } }).router.stack;
    const before = stack.flatMap((l) => l.route?.stack.map((s) => s.handle) ?? []);
    await selfTest(app);
    const after = stack.flatMap((l) => l.route?.stack.map((s) => s.handle) ?? []);
    assert.deepEqual(after, before);
  });
});

describe('selfTest() on the example model server (the README\'s main job)', () => {
  test('no route of examples/model-server is reachable without the token', async (t) => {
    const { createApp } = await import('../../examples/model-server/app.js');
    const { PUBLIC_PATHS } = await import('../../examples/model-server/routes-public.js');
    // selfTest sends many refused requests from one address: run it with the throttle off.
    const app = createApp({ argv: ['node', 'main', '--auth-bearer-token', TOKEN, '--no-auth-throttle'] });
    const report = await selfTest(app, { public: [...PUBLIC_PATHS] });
    t.diagnostic(formatSelfTestReport(report).split('\n')[0]!);
    assert.ok(report.ok, formatSelfTestReport(report));
    assert.ok(report.routes.length >= 6, `found only ${report.routes.join(', ')}`);
    assert.deepEqual(report.unprobed, []);
  });
});
