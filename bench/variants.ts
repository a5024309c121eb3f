// The benchmarked apps: the same small JSON route under /v2/models/, guarded in different ways.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import express5 from 'express';
import express4 from 'express4';
import { Passport } from 'passport';
import { Strategy as HttpBearerStrategy } from 'passport-http-bearer';
import { bearerGuard, createBearerStrategy, MemoryKeyStore, requireScopes, type KeyEntry } from 'bearer-guard';
import { keysFileApp, redisStoreApp } from './stores.js';
import { throttledApp } from './throttle.js';

export const BENCH_TOKEN = 'bench-token-3kJ9xQ2mV7pL1sZ8wR4tY6uN0bC5dF';
export const ROUTE = '/v2/models/iris';
/**
 * The named key the load generator presents to the keyring variants. Deliberately not of the
 * key-token shape (`bg[usae]_` + 49 base62), so the guard skips its CRC-32 check; keyring lookup
 * does not need the shape.
 */
export const BENCH_KEY = 'bench-key-Qm7Zr2Kx9LpV4tWn8Ys1Jd6Hb3Fc5Ga0Ne2Uo7Ri4';
/** Size of the large keyring of variant (k). */
export const KEYRING_SIZE = 10_000;

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
const validKey = `Bearer ${BENCH_KEY}`;
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
  // Named keys (keyStore): (j) is the reference for (k), (l) and (m).
  { id: 'j', label: 'bearerGuard, keyStore with 1 key', header: validKey, expectedStatus: 200, build: () => keyed(1) },
  { id: 'k', label: `bearerGuard, keyStore with ${KEYRING_SIZE.toLocaleString('en')} keys`, header: validKey, expectedStatus: 200, build: () => keyed(KEYRING_SIZE) },
  { id: 'l', label: "(j) + requireScopes('models:read') on the route", header: validKey, expectedStatus: 200, build: () => keyed(1, { scopes: true }) },
  { id: 'm', label: '(j) + audit sink that drops events', header: validKey, expectedStatus: 200, build: () => keyed(1, { audit: true }) },
  // The brute-force throttle on (one other client blocked), against (b): valid traffic.
  { id: 'o', label: '(b) + throttle on, one other client blocked', header: valid, expectedStatus: 200, build: () => throttledApp(BENCH_TOKEN, ROUTE, payload) },
  // Where the keyring comes from: a keys file (p) against Redis (q), in a process of their own (bench/stores.ts).
  { id: 'p', label: 'bearerGuard, keys file with 1 key', header: validKey, expectedStatus: 200, build: () => keysFileApp(ROUTE, payload) },
  { id: 'q', label: 'bearerGuard, Redis store with 1 key', header: validKey, expectedStatus: 200, build: () => redisStoreApp(ROUTE, payload) },
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

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `n` random base62 characters (a byte modulo 62 is slightly biased: fine for bench keys). */
function base62(n: number): string {
  let out = '';
  for (const b of randomBytes(n)) out += BASE62[b % 62];
  return out;
}

/** `key_` and 12 lower-case letters (ids have no digits), distinct for each `i`. */
function keyId(i: number): string {
  let letters = '';
  for (let k = 0, n = i; k < 8; k++, n = Math.floor(n / 26)) letters = String.fromCharCode(97 + (n % 26)) + letters;
  return `key_benc${letters}`;
}

function entry(i: number, token: string): KeyEntry {
  return {
    id: keyId(i),
    name: `bench-${i}`,
    family: 'service',
    scopes: ['models:read'],
    digest: `sha256:${createHash('sha256').update(token).digest('hex')}`,
    hint: `…${token.slice(-4)}`,
    created_at: '2026-01-01T00:00:00.000Z',
  };
}

/**
 * A keyring of `size` entries: the presented key in the middle, the rest random tokens of the key
 * shape (`bgs_` + 49 base62; never presented, so their checksums do not matter). Built once per
 * size, so that variants of one size share it.
 */
const keyrings = new Map<number, KeyEntry[]>();
function keyEntries(size: number): KeyEntry[] {
  let entries = keyrings.get(size);
  if (entries === undefined) {
    entries = Array.from({ length: size }, (_, i) => entry(i, i === size >> 1 ? BENCH_KEY : `bgs_${base62(49)}`));
    keyrings.set(size, entries);
  }
  return entries;
}

function keyed(size: number, extra: { scopes?: boolean; audit?: boolean } = {}): ReturnType<Express> {
  const app = express5();
  app.use(bearerGuard({ keyStore: new MemoryKeyStore(keyEntries(size)), logger: silent, ...(extra.audit ? { audit: () => {} } : {}) }));
  return extra.scopes ? withRoute(app, requireScopes('models:read') as express5.RequestHandler) : withRoute(app);
}
