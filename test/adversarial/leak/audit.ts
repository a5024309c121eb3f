// Runs one audited path with every channel captured, and searches the captures for needles.
import type { AddressInfo } from 'node:net';
import { bearerGuard, createBearerStrategy, loadAuthConfig, type AuthConfig } from '../../../src/index.js';
import { Recorder, withProcessOutput, type Capture } from './capture.js';
import { createDetector } from './needles.js';
import { exchange, type RawReply } from '../../../src/self-test/raw-client.js';
import { requestBytes } from '../../helpers/raw-http.js';
import type { Mount } from './servers.js';
import type { Entry } from './startup-paths.js';

export const detector = createDetector();

/** A leak: which path, which channel, which secret in which form, and around what text. */
export interface Leak {
  path: string;
  channel: string;
  what: string;
  context: string;
}

/** Totals for the diagnostic: audited paths (planted ones apart), captures, channel kinds and labels. */
export const totals = { paths: 0, planted: 0, captures: 0, bytes: 0, kinds: new Set<string>(), labels: new Set<string>() };

/** Searches every capture; counts what was audited. */
export function findLeaks(path: string, captures: readonly Capture[]): Leak[] {
  if (path.startsWith('planted')) totals.planted++;
  else totals.paths++;
  const leaks: Leak[] = [];
  for (const c of captures) {
    totals.captures++;
    totals.bytes += c.text.length;
    totals.kinds.add(c.channel.split(/[.[( ]/)[0]!);
    totals.labels.add(c.channel.replace(/ \((handler|after response)\)/, ''));
    for (const f of detector.scan(c.text)) {
      leaks.push({ path, channel: c.channel, what: `${f.secret} (${f.form}) as ${JSON.stringify(f.run)}`, context: JSON.stringify(f.context) });
    }
  }
  return leaks;
}

/** Formats leaks for an assertion message: one entry per path, with its first finding. */
export function report(leaks: readonly Leak[]): string {
  const byPath = new Map<string, Leak[]>();
  for (const l of leaks) byPath.set(l.path, [...(byPath.get(l.path) ?? []), l]);
  const shown = [...byPath].slice(0, 40).map(([path, [first, ...rest]]) =>
    `- ${path}\n    found ${first!.what} in ${first!.channel} (and ${rest.length} more captures)\n    ${first!.context}`,
  );
  return `${leaks.length} leak(s) on ${byPath.size} path(s):\n${shown.join('\n')}${byPath.size > 40 ? '\n...' : ''}`;
}

/** What a start-up call did. */
export interface CallOutcome {
  /** `ok`, the thrown error's code, or `thrown` for an error without one. */
  outcome: string;
  /** Warning codes seen (returned by loadAuthConfig, or logged). */
  warnings: string[];
  captures: Capture[];
}

/** Runs `call` with stdout, stderr and warnings captured, and records the error or the result. */
export async function auditCall(rec: Recorder, call: () => unknown, viewResult: (rec: Recorder, result: unknown) => void): Promise<CallOutcome> {
  let outcome = 'ok';
  await withProcessOutput(rec, () => {
    try {
      viewResult(rec, call());
    } catch (err) {
      rec.error('thrown', err);
      const code = (err as { code?: unknown } | null)?.code;
      outcome = typeof code === 'string' ? code : 'thrown';
    }
  });
  const warnings = new Set<string>();
  for (const c of rec.captures) {
    if (c.channel === 'logger' || c.channel === 'stderr' || c.channel.startsWith('AuthConfig.warnings')) {
      for (const m of c.text.matchAll(/W_BEARER_GUARD_[A-Z_]+/g)) warnings.add(m[0]);
    }
  }
  return { outcome, warnings: [...warnings].sort(), captures: rec.captures };
}

/** Calls one entry point with `options` (plain objects get argv, env and a logger filled in). */
export function callEntry(entry: Entry, options: unknown, rec: Recorder): unknown {
  let o = options;
  const plain = typeof o === 'object' && o !== null && Object.getPrototypeOf(o) === Object.prototype && !('socket' in o);
  if (plain) {
    o = { argv: [], env: {}, ...(o as object) };
    if ((entry === 'bearerGuard' || entry === 'createBearerStrategy') && !('logger' in (o as object))) o = { ...(o as object), logger: rec.logger() };
  }
  if (entry === 'loadAuthConfig') return loadAuthConfig(o as never);
  if (entry === 'createBearerStrategy') return createBearerStrategy(o as never);
  return bearerGuard(o as never);
}

/** Every view of what an entry point returned, plus its parts. */
export function viewReturned(entry: Entry, rec: Recorder, result: unknown): void {
  if (entry === 'loadAuthConfig') {
    const config = result as AuthConfig;
    rec.views('AuthConfig', config);
    rec.views('AuthConfig.token', config.token);
    rec.views('AuthConfig.warnings', config.warnings);
    config.warnings.forEach((w, i) => rec.add(`AuthConfig.warnings[${i}].message`, w.message));
    rec.add('AuthConfig.tokenSource', String(config.tokenSource));
    rec.add('AuthConfig.configFile', String(config.configFile));
    rec.views('AuthConfig spread', { ...config });
  } else if (entry === 'createBearerStrategy') {
    rec.views('strategy', result);
    rec.views('strategy prototype', Object.getPrototypeOf(result));
  } else {
    rec.views('middleware', result);
    rec.add('middleware source', String(result));
  }
}

/** Sends one request to a mount, capturing response, process output, logger and attachments. */
export async function auditRequest(mount: Mount, head: readonly string[], body: string | Buffer | undefined, loggerThrows = false): Promise<{ res: RawReply; captures: Capture[] }> {
  const rec = new Recorder();
  const { holder } = mount;
  holder.rec = rec;
  holder.loggerThrows = loggerThrows;
  holder.pending = undefined;
  try {
    const res = await withProcessOutput(rec, async () => {
      const r = await exchange((mount.server.address() as AddressInfo).port, requestBytes(head, body)) // resolves even with no response (planted cases);
      await settle(holder.pending);
      return r;
    });
    rec.add('response', res.raw);
    return { res, captures: rec.captures };
  } finally {
    holder.rec = undefined;
    holder.loggerThrows = false;
  }
}

async function settle(p: Promise<void> | undefined): Promise<void> {
  if (p === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise<void>((r) => (timer = setTimeout(r, 2000)))]);
  clearTimeout(timer);
}
