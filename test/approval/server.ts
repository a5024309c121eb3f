// A real Express app behind a real guard, with governed routes, for the requireApproval tests.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { bearerGuard, requireApproval, requireScopes, type AuditEvent, type BearerGuardMiddleware, type BearerGuardOptions } from '../../src/index.js';
import type { EnvironmentPosture } from '../../src/request/environment-context.js';
import { captureLogger } from '../helpers/apps.js';

export interface ApprovalServer {
  url: string;
  events: AuditEvent[];
  logger: ReturnType<typeof captureLogger>;
  guard: BearerGuardMiddleware;
  /** Names of the handlers that ran. */
  hits: string[];
  close(): Promise<void>;
}

export interface ServerSetup {
  guard: BearerGuardOptions;
  /** The server environment, given to the guard as its `environment` and `environmentPosture`; `null` for none. */
  environment?: { name: string | undefined; posture: EnvironmentPosture | undefined } | null;
}

/**
 * Routes: POST /train (scope models:train, JSON body as the spec, approval once), POST /retrain
 * (same, `once: false`), POST /raw (text body hashed as bytes), POST /boom (spec throws),
 * POST /nothing-before (requireApproval without the guard's request having gone through it:
 * mounted on a separate router before the guard).
 */
export async function startApprovalServer(setup: ServerSetup): Promise<ApprovalServer> {
  const events: AuditEvent[] = [];
  const logger = captureLogger();
  const hits: string[] = [];
  const app = express();
  const train = requireApproval({ capability: 'models:train', spec: (req) => (req as express.Request).body ?? {} });
  app.post('/unguarded', express.json(), train, (_req, res) => void res.json({ ran: 'unguarded' }));
  const env = setup.environment === undefined ? { name: 'prod-eu', posture: 'prod' as const } : setup.environment;
  const guard = bearerGuard({ logger, audit: (e) => void events.push(e), ...(env !== null && { environment: env.name, environmentPosture: env.posture }), ...setup.guard });
  app.use(guard);
  const done = (name: string) => (req: express.Request, res: express.Response) => {
    hits.push(name);
    res.status(201).json({ ran: name, body: req.body as unknown });
  };
  app.post('/train', requireScopes('models:train'), express.json(), train, done('train'));
  app.post('/retrain', requireScopes('models:train'), express.json(), requireApproval({ capability: 'models:train', spec: (req) => (req as express.Request).body ?? {}, once: false }), done('retrain'));
  app.post('/raw', express.text({ type: 'text/plain' }), requireApproval({ capability: 'models:replace', spec: (req) => String((req as express.Request).body) }), done('raw'));
  app.post('/prod-only', express.json(), requireApproval({ capability: 'models:train', spec: (req) => (req as express.Request).body ?? {}, postures: ['prod'] }), done('prod-only'));
  app.post('/boom', requireApproval({ capability: 'models:train', spec: () => { throw new Error('spec failed'); } }), done('boom'));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    events,
    logger,
    guard,
    hits,
    close: () =>
      new Promise((resolve) => {
        guard.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** POSTs JSON with a bearer token and an approval credential (each optional). */
export async function post(url: string, body: unknown, headers: { token?: string; approval?: string; type?: string } = {}): Promise<{ status: number; body: unknown; cacheControl: string | null; text: string }> {
  const h: Record<string, string> = { 'content-type': headers.type ?? 'application/json' };
  if (headers.token !== undefined) h.authorization = `Bearer ${headers.token}`;
  if (headers.approval !== undefined) h['approval-credential'] = headers.approval;
  const res = await fetch(url, { method: 'POST', headers: h, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed, cacheControl: res.headers.get('cache-control'), text };
}

/** Waits until `condition()` holds (checking every 50 ms), or fails after `ms`. */
export async function eventually(condition: () => boolean | Promise<boolean>, what: string, ms = 8000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
