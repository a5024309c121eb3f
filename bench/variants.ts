// The benchmarked apps: the same small JSON route under /v2/models/, guarded in different ways.
import { createHash, timingSafeEqual } from 'node:crypto';
import express5 from 'express';
import express4 from 'express4';
import { Passport } from 'passport';
import { Strategy as HttpBearerStrategy } from 'passport-http-bearer';
import { bearerGuard, createBearerStrategy } from 'bearer-guard';

export const BENCH_TOKEN = 'bench-token-3kJ9xQ2mV7pL1sZ8wR4tY6uN0bC5dF';
export const ROUTE = '/v2/models/iris';

type Express = typeof express5;
export interface Variant {
  id: string;
  label: string;
  /** The Authorization header the load generator sends, if any. */
  header: string | undefined;
  expectedStatus: number;
  build(): ReturnType<Express>;
}

const silent = { warn: () => undefined };
const payload = { id: 'iris', name: 'iris', version: '1.0.0' };

function withRoute(app: ReturnType<Express>, ...guards: express5.RequestHandler[]): ReturnType<Express> {
  app.get(ROUTE, ...guards, (_req, res) => void res.json(payload));
  return app;
}

// What a user writes from passport-http-bearer's README, with a plain lookup as `verify`.
function passportReadme(): ReturnType<Express> {
  const passport = new Passport();
  passport.use(
    new HttpBearerStrategy((token, done) => {
      if (token !== BENCH_TOKEN) return done(null, false);
      return done(null, { name: 'bench' }, { scope: 'all' });
    }),
  );
  return withRoute(express5(), passport.authenticate('bearer', { session: false }) as express5.RequestHandler);
}

// The practical floor: parse, SHA-256, timingSafeEqual, next().
function minimalGuard(): express5.RequestHandler {
  const expected = createHash('sha256').update(BENCH_TOKEN).digest();
  return function minimal(req, res, next) {
    const h = req.headers.authorization;
    if (h !== undefined && h.startsWith('Bearer ')) {
      const got = createHash('sha256').update(h.slice(7)).digest();
      if (timingSafeEqual(got, expected)) return next();
    }
    res.status(401).json({ detail: 'Invalid bearer token' });
  };
}

const valid = `Bearer ${BENCH_TOKEN}`;
const e4 = express4 as unknown as Express;

export const VARIANTS: readonly Variant[] = [
  { id: 'a', label: 'unguarded (Express 5)', header: valid, expectedStatus: 200, build: () => withRoute(express5()) },
  { id: 'b', label: 'bearerGuard, valid token', header: valid, expectedStatus: 200, build: () => guarded(express5) },
  { id: 'c', label: 'bearerGuard, wrong token', header: 'Bearer wrong-token-3kJ9xQ2mV7pL1sZ8wR4tY6uN0bC5dF', expectedStatus: 401, build: () => guarded(express5) },
  { id: 'd', label: 'bearerGuard, no header', header: undefined, expectedStatus: 401, build: () => guarded(express5) },
  { id: 'e', label: 'passport-http-bearer (README style)', header: valid, expectedStatus: 200, build: passportReadme },
  {
    id: 'f',
    label: 'createBearerStrategy via passport',
    header: valid,
    expectedStatus: 200,
    build: () => withRoute(express5(), new Passport().authenticate(createBearerStrategy({ token: BENCH_TOKEN, logger: silent }), { session: false }) as express5.RequestHandler),
  },
  { id: 'g', label: 'minimal hand-written guard', header: valid, expectedStatus: 200, build: () => withRoute(express5(), minimalGuard()) },
  { id: 'n', label: 'no-op app.use middleware (reference)', header: valid, expectedStatus: 200, build: () => withRoute(noop(express5())) },
  { id: 'h', label: 'unguarded (Express 4)', header: valid, expectedStatus: 200, build: () => withRoute(e4()) },
  { id: 'i', label: 'bearerGuard, valid token (Express 4)', header: valid, expectedStatus: 200, build: () => guarded(e4) },
];

function noop(app: ReturnType<Express>): ReturnType<Express> {
  app.use((_req, _res, next) => next());
  return app;
}

function guarded(factory: Express): ReturnType<Express> {
  const app = factory();
  app.use(bearerGuard({ token: BENCH_TOKEN, logger: silent }));
  return withRoute(app);
}
