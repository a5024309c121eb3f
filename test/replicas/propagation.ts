// Measures how long a new key and a revocation take to reach every replica, under load: used by the replica tests and the bench.
import { makeKey } from '../helpers/keys.js';
import type { Cluster } from './cluster.js';
import { Load, quantile, sleep, type Sample } from './load.js';

/** Options of {@link measurePropagation}. */
export interface PropagationOptions {
  /** How many keys are created and then revoked (default 15). */
  rounds?: number;
  /** Loops per replica presenting the key under test (default 2). */
  loops?: number;
  /** Runs just before each revocation is written (e.g. kill a replica's subscriber). */
  beforeRevoke?: (round: number) => Promise<void>;
  /** How long to wait for one change to reach every replica before giving up (default 15 s). */
  timeoutMs?: number;
}

/** What {@link measurePropagation} saw. */
export interface Propagation {
  /** Per replica: ms from each creation's write to that replica's first 200 with the new key. */
  created: number[][];
  /** Per replica: ms from each revocation's write to that replica's first refusal of the key. */
  revoked: number[][];
  /** Broken promises: a refused key answered 200 again, an accepted key refused again, a steady request failed. */
  violations: string[];
  /** Every request sent. */
  samples: Sample[];
  /** The tokens of the keys created (for the checks that no replica ever prints one). */
  tokens: string[];
}

/**
 * Under load (every replica receives back-to-back requests with the key under test and with the
 * cluster's steady key), creates a key, waits until every replica accepted it, revokes it, waits
 * until every replica refused it; `rounds` times. A latency counts from the moment the write to
 * Redis was started (so it includes the write) to the end of the first response showing the change.
 */
export async function measurePropagation(cluster: Cluster, options: PropagationOptions = {}): Promise<Propagation> {
  const { rounds = 15, loops = 2, timeoutMs = 15_000 } = options;
  const n = cluster.replicas.length;
  let target: { token: string; label: string } | undefined;
  const steady = { token: cluster.key.token, label: 'steady' };
  const load = new Load(cluster.replicas.map((r) => r.url), [
    { name: 'target', loops, next: () => target },
    { name: 'steady', next: () => steady },
  ]);
  const created: number[][] = Array.from({ length: n }, () => []);
  const revoked: number[][] = Array.from({ length: n }, () => []);
  const violations: string[] = [];
  const tokens: string[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const key = makeKey('service', { name: `propagation-${round}`, scopes: ['models:read'] });
      const label = `round-${round}`;
      tokens.push(key.token);
      target = { token: key.token, label };
      await sleep(20); // a few refusals first: the key does not exist yet
      const addedAt = await cluster.add(key.entry);
      const accepted = await firstOnEach(load, label, n, (s) => s.status === 200, () => addedAt, timeoutMs, `round ${round}: the new key`);
      await options.beforeRevoke?.(round);
      const revokedAt = await cluster.revoke(key.entry.id);
      const refused = await firstOnEach(load, label, n, (s) => s.status === 401 && s.sent >= accepted[s.replica]!.done, () => revokedAt, timeoutMs, `round ${round}: the revocation`);
      await sleep(30); // keep presenting the revoked key for a while: it must stay refused
      target = undefined;
      for (let r = 0; r < n; r++) {
        created[r]!.push(accepted[r]!.done - addedAt);
        revoked[r]!.push(refused[r]!.done - revokedAt);
        for (const s of load.of('target', label, r)) {
          if (s.status === 200 && s.sent > refused[r]!.done) violations.push(`replica ${r}, ${label}: 200 for a request sent ${s.sent - refused[r]!.done} ms after it refused the revoked key`);
          if (s.status !== 200 && s.sent > accepted[r]!.done && s.done < revokedAt) violations.push(`replica ${r}, ${label}: ${s.status} for the new key after it accepted it`);
        }
      }
    }
  } finally {
    target = undefined;
    await load.stop();
  }
  for (const s of load.of('steady')) {
    if (s.status !== 200) violations.push(`replica ${s.replica}: the steady key got ${s.status}`);
  }
  return { created, revoked, violations, samples: load.samples, tokens };
}

/** Waits until every replica has a sample of `label` matching `pick`; resolves with the first (by end time) of each. */
async function firstOnEach(load: Load, label: string, n: number, pick: (s: Sample) => boolean, since: () => number, timeoutMs: number, what: string): Promise<Sample[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const firsts: Array<Sample | undefined> = Array.from({ length: n });
    for (const s of load.of('target', label)) {
      if (pick(s) && (firsts[s.replica] === undefined || s.done < firsts[s.replica]!.done)) firsts[s.replica] = s;
    }
    if (firsts.every((s) => s !== undefined)) return firsts as Sample[];
    if (Date.now() > deadline) {
      const missing = firsts.flatMap((s, r) => (s === undefined ? [r] : []));
      throw new Error(`${what} did not reach replica(s) ${missing.join(', ')} within ${Date.now() - since()} ms`);
    }
    await sleep(10);
  }
}

/** p50, p99 and max of every replica's latencies together, in ms. */
export function summary(perReplica: readonly (readonly number[])[]): { p50: number; p99: number; max: number; count: number } {
  const all = perReplica.flat();
  return { p50: quantile(all, 0.5), p99: quantile(all, 0.99), max: Math.max(...all), count: all.length };
}

/** One line for the test output, e.g. `revocation: p50 4 ms, p99 12 ms, max 13 ms (45 samples)`. */
export function describeLatencies(what: string, perReplica: readonly (readonly number[])[]): string {
  const s = summary(perReplica);
  return `${what}: p50 ${s.p50.toFixed(0)} ms, p99 ${s.p99.toFixed(0)} ms, max ${s.max.toFixed(0)} ms (${s.count} samples over ${perReplica.length} replicas)`;
}
