// The adversarial harness: a guarded app and its unguarded twin, handlers that record which
// request (by client port) reached them, and a runner that fires probes at both.
import type { Server } from 'node:http';
import { after, before } from 'node:test';
import type { AddressInfo } from 'node:net';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { bearerGuard, type BearerGuardOptions } from '../../src/index.js';
import { serializeProbe, type Probe } from '../../src/self-test/corpus.js';
import { exchange, type RawReply } from '../../src/self-test/raw-client.js';
import { captureLogger, listen, TOKEN, type ExpressFactory } from '../helpers/apps.js';

/** Handlers that may run without a token. */
export const PUBLIC_HANDLERS = new Set(['root', 'v2']);

export interface ProbeApp {
  server: Server;
  /** Handler names that ran, per client port; taken (and cleared) by {@link fire}. */
  hits: Map<number, string[]>;
  close(): void;
}

/**
 * The DEEPaaS route shape, guarded by `bearerGuard(options)` or not at all. Handlers echo their
 * name and decoded params; predict parses JSON after the guard.
 */
export async function startProbeApp(factory: ExpressFactory, guard: BearerGuardOptions | false, settings: Record<string, boolean> = {}): Promise<ProbeApp> {
  const app = factory();
  app.set('env', 'test');
  for (const [k, v] of Object.entries(settings)) app.set(k, v);
  const hits = new Map<number, string[]>();
  if (guard) app.use(bearerGuard({ token: TOKEN, logger: captureLogger(), ...guard }));
  const route = (name: string): RequestHandler => (req: Request, res) => {
    const port = req.socket.remotePort ?? 0;
    hits.set(port, [...(hits.get(port) ?? []), name]);
    res.json({ route: name, params: req.params as unknown, body: req.body as unknown });
  };
  app.get('/', route('root'));
  app.get('/v2/', route('v2'));
  app.get('/v2/models/', route('models'));
  app.get('/v2/models/:name', route('model'));
  app.delete('/v2/models/:name', route('delete-model'));
  app.post('/v2/models/:name/predict', factory.json(), route('predict'));
  // Errors (a bad percent-encoding in a param, bad JSON) as JSON without a stack, whose frames
  // would differ between the guarded app and its twin.
  app.use(((err: { status?: number; message?: string }, _req: Request, res: Response, _next: NextFunction) => {
    res.status(err.status ?? 500).json({ error: err.message });
  }) as ErrorRequestHandler);
  const server = await listen(app);
  return { server, hits, close: () => (server.closeAllConnections(), server.close()) };
}

/** One probe's outcome on one app. */
export interface Shot {
  reply: RawReply;
  hits: string[];
}

/** Sends every probe (plus `extraHeaders`) to `target`, `concurrency` at a time, in order of `probes`. */
export async function fire(target: ProbeApp, probes: readonly Probe[], extraHeaders: (p: Probe) => readonly string[] = () => [], concurrency = 16): Promise<Shot[]> {
  const { port } = target.server.address() as AddressInfo;
  const out: Shot[] = new Array(probes.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < probes.length) {
      const i = next++;
      const p = probes[i]!;
      let local = 0;
      const reply = await exchange(port, serializeProbe(p, extraHeaders(p)), 5000, (lp) => (local = lp));
      out[i] = { reply, hits: target.hits.get(local) ?? [] };
      target.hits.delete(local);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

/** A comparable summary of a reply: status and body (headers like Date vary). */
export const sig = (s: Shot): string => `${s.reply.status} ${s.reply.failure ?? ''} ${s.reply.body} [${s.hits.join(',')}]`;

/** Whether Express answered (it sets X-Powered-By); otherwise Node's parser refused the request. */
export const fromExpress = (r: RawReply): boolean => r.headers['x-powered-by'] === 'Express';

/** Registers hooks serving a guarded app and its unguarded twin for the enclosing describe(). */
export function serveGuardedAndTwin(factory: ExpressFactory, guard: BearerGuardOptions = {}): { guarded: ProbeApp; twin: ProbeApp } {
  const state = {} as { guarded: ProbeApp; twin: ProbeApp };
  before(async () => {
    state.guarded = await startProbeApp(factory, guard);
    state.twin = await startProbeApp(factory, false);
  });
  after(() => {
    state.guarded.close();
    state.twin.close();
  });
  return state;
}
