// selfTest(): fires the bypass corpus at an app on a loopback port and reports every route that
// a request without a valid token reached.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { optionRangeError, optionTypeError } from '../errors/startup.js';
import { DEFAULT_PUBLIC_PATHS } from '../config/options.js';
import { isExpress4, normalise } from '../request/public-paths.js';
import { validateOptions } from '../config/validate-options.js';
import { buildCorpus, publicPathProbes, serializeProbe, type Probe, type Seed } from './corpus.js';
import { exchange, type RawReply } from './raw-client.js';
import { concretePaths, instrumentRoutes } from './routes.js';
import type { SelfTestFinding, SelfTestOptions, SelfTestReport } from './report.js';

export { formatSelfTestReport, type SelfTestFinding, type SelfTestFindingKind, type SelfTestOptions, type SelfTestReport } from './report.js';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

const SELF_TEST_KEYS = ['public', 'paths', 'concurrency', 'timeoutMs'];

/**
 * Starts `app` on an ephemeral 127.0.0.1 port, sends it the bypass corpus (thousands of requests,
 * none with a valid token: path spellings, methods, proxy headers, request-target forms, wrong
 * credentials, tokens outside the header), and reports each non-public route that ran anyway,
 * and each declared public path that answered 401 (`public-path-refused`).
 * Run it in your tests against a test instance: unprotected handlers really run, with their
 * side effects.
 *
 * @param app - an Express 4 or 5 app (any request listener works; route discovery needs Express)
 * @param options - see {@link SelfTestOptions}
 * @returns the report; `report.ok` is what to assert
 * @throws TypeError or RangeError for bad options
 * @example
 * ```ts
 * const report = await selfTest(app, { public: ['/', '/v2/'] });
 * assert.ok(report.ok, formatSelfTestReport(report));
 * ```
 */
export async function selfTest(app: Listener, options: SelfTestOptions = {}): Promise<SelfTestReport> {
  if (typeof app !== 'function') throw optionTypeError('ERR_BEARER_GUARD_INVALID_OPTION', 'selfTest: app must be an Express app or a request listener function');
  // The options object, unknown keys ("did you mean"), and `public` by bearerGuard's own rules.
  validateOptions(options, SELF_TEST_KEYS, 'selfTest');
  const concurrency = positiveInt(options.concurrency, 8, 'concurrency');
  const timeoutMs = positiveInt(options.timeoutMs, 5000, 'timeoutMs');
  const extra = options.paths ?? [];
  if (!Array.isArray(extra) || !extra.every((p) => typeof p === 'string' && p.startsWith('/'))) {
    throw optionTypeError('ERR_BEARER_GUARD_INVALID_OPTION', 'selfTest: paths must be an array of paths starting with "/"');
  }

  const settings = app as unknown as { get?(name: string): unknown };
  const caseSensitive = typeof settings.get === 'function' && settings.get('case sensitive routing') === true;
  const strict = typeof settings.get === 'function' && settings.get('strict routing') === true;
  const publicPaths = options.public ?? DEFAULT_PUBLIC_PATHS;
  const publicSet = new Set(publicPaths.map((p) => normalise(p, caseSensitive, strict)));
  const isPublic = (path: string): boolean => !(path === '//' && !strict && isExpress4(app)) && publicSet.has(normalise(path, caseSensitive, strict));

  const hits = new Map<number, string[]>();
  const probe = instrumentRoutes(app, (req, route) => {
    const port = req.socket.remotePort ?? 0;
    hits.set(port, [...(hits.get(port) ?? []), `${req.method ?? '?'} ${route}`]);
  });
  const seeds = new Map<string, Seed>();
  for (const r of probe.routes) {
    const method = r.methods.includes('GET') ? 'GET' : (r.methods[0] ?? 'GET');
    for (const path of concretePaths(r.pattern)) seeds.set(path, { path, method });
  }
  for (const path of extra) if (!seeds.has(path)) seeds.set(path, { path, method: 'GET' });
  // Each declared public path once, plainly, first: a 401 there is a configuration mismatch.
  const corpus = [...publicPathProbes(publicPaths), ...buildCorpus([...seeds.values()])];

  const server = createServer(app);
  const outcomes: Record<string, number> = {};
  const findings = new Map<string, SelfTestFinding>();
  try {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < corpus.length) {
        const p = corpus[next++]!;
        let localPort = 0;
        const reply = await exchange(port, serializeProbe(p), timeoutMs, (lp) => (localPort = lp));
        const ran = hits.get(localPort) ?? [];
        hits.delete(localPort);
        classify(p, reply, ran);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    probe.restore();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  function classify(p: Probe, reply: RawReply, ran: readonly string[]): void {
    const key = reply.status === 0 ? `no response (${reply.failure ?? 'closed'})` : reply.status === 401 ? `401 ${challengeError(reply)}` : String(reply.status);
    outcomes[key] = (outcomes[key] ?? 0) + 1;
    if (p.family === 'public-path' && reply.status === 401) note(`${p.method} ${p.target}`, 'public-path-refused', p, reply);
    const open = ran.filter((r) => !isPublic(r.slice(r.indexOf(' ') + 1)));
    for (const route of open) note(route, 'handler-ran', p, reply);
    const path = targetPath(p.target);
    if (ran.length === 0 && reply.status >= 200 && reply.status < 400 && p.method !== 'OPTIONS' && !isPublic(path)) {
      note(`${p.method} ${path}`, 'answered', p, reply);
    }
  }

  function note(route: string, kind: SelfTestFinding['kind'], p: Probe, reply: RawReply): void {
    const seen = findings.get(route);
    findings.set(route, seen ? { ...seen, count: seen.count + 1 } : { route, kind, request: printable(p), family: p.family, status: reply.status, count: 1 });
  }

  const list = [...findings.values()];
  return Object.freeze({
    ok: list.length === 0,
    sent: corpus.length,
    outcomes: Object.freeze(outcomes),
    findings: Object.freeze(list),
    routes: Object.freeze(probe.routes.map((r) => `${r.methods.join(',')} ${r.pattern}`)),
    unprobed: Object.freeze([...probe.unprobed]),
  });
}

function challengeError(reply: RawReply): string {
  return /error="([^"]*)"/.exec(reply.headers['www-authenticate'] ?? '')?.[1] ?? 'missing_token';
}

/** The path of a request-target in origin or absolute form, without its query. */
function targetPath(target: string): string {
  const abs = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(target);
  const path = abs ? target.slice(abs[0].length) || '/' : target;
  return path.split('?')[0]!;
}

function printable(p: Probe): string {
  const esc = (s: string): string => JSON.stringify(s.length > 200 ? `${s.slice(0, 200)}...(${s.length} bytes)` : s).slice(1, -1);
  return [`${esc(p.method)} ${esc(p.target)} ${p.version}`, ...p.headers.map(esc), ...(p.body ? ['', esc(p.body)] : [])].join('\n');
}

function positiveInt(v: unknown, fallback: number, name: string): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw optionRangeError('ERR_BEARER_GUARD_INVALID_OPTION', `selfTest: ${name} must be a positive integer`);
  return v;
}
