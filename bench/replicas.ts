// The Redis parts of npm run bench: the store variants' Redis and keys file, CPU per request of a server process, and revocation propagation across 3 replica processes.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisKeyStore } from '../src/redis/index.js';
import type { KeyEntry } from '../src/keys/types.js';
import { startRedis } from '../test/helpers/redis-server.js';
import { startCluster } from '../test/replicas/cluster.js';
import { measurePropagation, summary } from '../test/replicas/propagation.js';
import { killSubscriberOf } from '../test/replicas/subscriber.js';
import { median } from './measure.js';
import { BENCH_KEYS_FILE_ENV, BENCH_REDIS_URL_ENV } from './stores.js';

/** The one key of (p) and (q): the bench key, stored as the keys file and Redis hold it (digest only). */
function benchEntry(token: string): KeyEntry {
  return {
    id: 'key_benchstores',
    name: 'bench',
    family: 'service',
    scopes: ['models:read'],
    digest: `sha256:${createHash('sha256').update(token).digest('hex')}`,
    hint: `…${token.slice(-4)}`,
    created_at: '2026-01-01T00:00:00.000Z',
  };
}

/**
 * Starts a redis-server and writes a keys file, both holding `token`'s entry, and hands them to
 * the server processes forked afterwards through {@link BENCH_REDIS_URL_ENV} and {@link BENCH_KEYS_FILE_ENV}.
 * @returns stop(): stops Redis and removes the keys file
 */
export async function startStoreFixtures(token: string): Promise<{ stop(): Promise<void> }> {
  const redis = await startRedis();
  const dir = mkdtempSync(join(tmpdir(), 'bg-bench-'));
  const entry = benchEntry(token);
  const file = join(dir, 'keys.json');
  writeFileSync(file, `${JSON.stringify({ version: 1, keys: [entry] }, null, 2)}\n`, { mode: 0o600 });
  const store = await RedisKeyStore.connect({ url: redis.url, logger: { warn: () => undefined }, source: 'the bench' });
  await store.update(() => [entry]);
  await store.close();
  process.env[BENCH_REDIS_URL_ENV] = redis.url;
  process.env[BENCH_KEYS_FILE_ENV] = file;
  return {
    stop: async () => {
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The CPU time (user + system, µs) a bench server process has used so far (bench/server.ts answers 'cpu'). */
export function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (m: unknown): void => {
      if (typeof m === 'object' && m !== null && typeof (m as { cpu?: unknown }).cpu === 'number') {
        child.off('message', onMessage);
        resolve((m as { cpu: number }).cpu);
      }
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}

/** One measurement's CPU: what the server process used while it served `requests` requests. */
export interface CpuSample {
  cpuUs: number;
  requests: number;
}

/**
 * The CPU-per-request table of (p) and (q): µs per request (median of rounds) and the median of
 * the per-round ratios (p)/(q), so that a cheaper Redis variant gives a ratio above 1, like the
 * throughput ratios.
 */
export function cpuPerRequest(p: readonly CpuSample[], q: readonly CpuSample[], min: number): { text: string; ratio: number } {
  const per = (s: CpuSample): number => s.cpuUs / s.requests;
  const ratio = median(p.map((s, i) => per(s) / per(q[i]!)));
  const text = [
    '| CPU per request (server process, user + system) | (p) keys file | (q) Redis store | (p)/(q), median of rounds | | goal |',
    '| --- | ---: | ---: | ---: | --- | ---: |',
    `| µs per request, median of rounds | ${median(p.map(per)).toFixed(1)} | ${median(q.map(per)).toFixed(1)} | ${ratio.toFixed(3)} | ${ratio >= min ? 'met' : 'MISSED'} | >= ${min.toFixed(2)} |`,
  ].join('\n');
  return { text, ratio };
}

/**
 * Starts Redis and 3 example-server replicas (default settings: resync every 5 s), measures
 * `rounds` key creations and revocations under load, then as many with one replica's subscriber
 * killed before each revocation, and returns the markdown table. Unpins this process first
 * (run.ts pins it to one CPU), so that the replicas it starts may use every CPU.
 */
export async function replicaPropagation(rounds: number): Promise<string> {
  if (process.platform === 'linux' && cpus().length > 1) {
    try {
      execFileSync('taskset', ['-p', '-c', `0-${cpus().length - 1}`, String(process.pid)], { stdio: 'ignore' });
    } catch {
      // No taskset: the replicas share this process's CPU.
    }
  }
  const cluster = await startCluster();
  try {
    const plain = await measurePropagation(cluster, { rounds });
    const killed = await measurePropagation(cluster, { rounds, beforeRevoke: async (round) => void (await killSubscriberOf(cluster.redis, cluster.replicas[round % 3]!.pid)) });
    const row = (what: string, latencies: number[][], goal: string): string => {
      const s = summary(latencies);
      return `| ${what} | ${s.count} | ${s.p50.toFixed(0)} | ${s.p99.toFixed(0)} | ${s.max.toFixed(0)} | ${goal} |`;
    };
    const violations = [...plain.violations, ...killed.violations];
    return [
      `Revocation propagation, 3 example-server replicas on one Redis under load (${rounds} keys created, then revoked, per row; ms from the start of the write to Redis to each replica's first response showing it):`,
      '',
      '| change | samples | p50 ms | p99 ms | max ms | goal |',
      '| --- | ---: | ---: | ---: | ---: | --- |',
      row('revocation refused', plain.revoked, 'p99 <= 1000, max <= 6000'),
      row('new key accepted', plain.created, 'p99 <= 1000, max <= 6000'),
      row("revocation, one replica's subscriber killed just before", killed.revoked, 'p99 <= 1000, max <= 6000'),
      row('new key, after a subscriber was killed', killed.created, 'p99 <= 1000, max <= 6000'),
      '',
      violations.length === 0 ? 'No replica accepted a key after refusing it, or refused a key after accepting it; the steady key never failed.' : `VIOLATIONS: ${violations.join('; ')}`,
    ].join('\n');
  } finally {
    await cluster.stop();
  }
}
