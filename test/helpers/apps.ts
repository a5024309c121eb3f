// Test apps on Express 5 and Express 4 whose handlers record every execution.
import type { Server } from 'node:http';
import { after, before } from 'node:test';
import express5 from 'express';
import express4 from 'express4';
import { bearerGuard, type BearerGuardLogger, type BearerGuardOptions } from '../../src/index.js';

export const TOKEN = 'tok_0123456789-abcdefghijklmnopqrstuvwxyz.ABC~+/==';
export const WRONG = 'tok_0123456789-abcdefghijklmnopqrstuvwxyz.ABD~+/==';

export const MAJORS = [
  { label: 'Express 5', express: express5 },
  { label: 'Express 4', express: express4 as unknown as typeof express5 },
] as const;
export type ExpressFactory = (typeof MAJORS)[number]['express'];

/** A logger that keeps every line, so tests can assert on (and search) what was logged. */
export function captureLogger(): BearerGuardLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (m: string) => void lines.push(m) };
}

export interface TestApp {
  app: ReturnType<ExpressFactory>;
  /** Names of the handlers that ran, in order. */
  hits: string[];
  /** How many times a body parser ran. */
  parsed: { count: number };
}

/**
 * The DEEPaaS route shape behind `bearerGuard(options)`: public `/` and `/v2/`, protected
 * models, model, predict (JSON body parsed after the guard).
 */
export function buildApp(factory: ExpressFactory, options: BearerGuardOptions = { token: TOKEN }, settings: Record<string, boolean> = {}): TestApp {
  const app = factory();
  for (const [k, v] of Object.entries(settings)) app.set(k, v);
  const hits: string[] = [];
  const parsed = { count: 0 };
  app.use(bearerGuard({ logger: captureLogger(), ...options }));
  const json = factory.json({ limit: '20mb' });
  const countParse: express5.RequestHandler = (req, _res, next) => {
    parsed.count++;
    json(req, _res, next);
  };
  const route = (name: string, body: (req: express5.Request) => unknown): express5.RequestHandler => (req, res) => {
    hits.push(name);
    res.json(body(req));
  };
  app.get('/', route('root', () => ({ versions: [] })));
  app.get('/v2/', route('v2', () => ({ id: 'v2' })));
  app.get('/v2/models/', route('models', () => ({ models: ['iris'] })));
  app.get('/v2/models/:name', route('model', (req) => ({ name: req.params.name })));
  app.post('/v2/models/:name/predict', countParse, route('predict', (req) => ({ status: 'OK', name: req.params.name, body: req.body as unknown })));
  return { app, hits, parsed };
}

/** Builds an app, starts it, runs `fn` against it, and always closes it. */
export async function withApp(
  factory: ExpressFactory,
  options: BearerGuardOptions,
  settings: Record<string, boolean>,
  fn: (server: Server, t: TestApp) => Promise<void>,
): Promise<void> {
  const t = buildApp(factory, options, settings);
  const server = await listen(t.app);
  try {
    await fn(server, t);
  } finally {
    server.close();
  }
}

/** Registers before/after hooks serving `buildApp(factory)` for the enclosing describe(). */
export function serveForSuite(factory: ExpressFactory, options?: BearerGuardOptions): { t: TestApp; server: Server } {
  const state = {} as { t: TestApp; server: Server };
  before(async () => {
    state.t = buildApp(factory, options);
    state.server = await listen(state.t.app);
  });
  after(() => state.server.close());
  return state;
}

/** Starts `app` on an ephemeral loopback port. */
export function listen(app: TestApp['app']): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}
