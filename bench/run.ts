// npm run bench: interleaved autocannon rounds against the variants, on loopback; writes docs/benchmarks.md.
// Usage: node --import tsx bench/run.ts [--quick] [--rounds N] [--duration S] [--connections C] [--out DIR]
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { measure, median, quantile, type Sample } from './measure.js';
import { PROFILE_NOTES } from './notes.js';
import { cpuOf, cpuPerRequest, replicaPropagation, startStoreFixtures, type CpuSample } from './replicas.js';
import { benchDocument, markdownTable, svgChart, targetNotes, targetsTable, type Target, type VariantResult } from './report.js';
import { BENCH_KEY, VARIANTS, type Variant } from './variants.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const quick = args.includes('--quick');
const rounds = quick ? 1 : opt('rounds', 30);
const duration = quick ? 0.5 : opt('duration', 1);
const connections = opt('connections', 10);
const outIndex = args.indexOf('--out');
const outDir = outIndex === -1 ? (quick ? undefined : 'docs') : args[outIndex + 1];
const memoryRequests = quick ? 20_000 : 1_000_000;

// Variants compared by a target share a server process, so that process-level luck (code layout,
// JIT decisions) does not pass for a difference; passport, which reshapes every request object it
// sees, and Express 4 get processes of their own. The named-key variants (j k l m) sit with (a),
// so that their ratio to unguarded is also measured within one process.
// The store variants (p: keys file, q: Redis) share a process of their own, so the Redis client's
// connections and timers stay out of the others' process.
const PROCESS_GROUPS = [['a', 'b', 'c', 'd', 'g', 'n', 'j', 'k', 'l', 'm', 'o'], ['e', 'f'], ['h', 'i'], ['p', 'q']];
const baseOf = (id: string): string => (id === 'h' || id === 'i' ? 'h' : 'a');

interface TargetSpec {
  name: string;
  id: string;
  base: string;
  min: number;
  /** Allowed to compare variants of two server processes (see below). */
  crossProcess?: boolean;
}
const TARGETS: readonly TargetSpec[] = [
  { name: '(b)/(a) valid token', id: 'b', base: 'a', min: 0.95 },
  { name: '(c)/(a) wrong token', id: 'c', base: 'a', min: 0.95 },
  { name: '(d)/(a) no header', id: 'd', base: 'a', min: 0.95 },
  { name: '(b)/(e) vs passport README', id: 'b', base: 'e', min: 1.15, crossProcess: true },
  { name: '(b)/(g) vs minimal guard', id: 'b', base: 'g', min: 0.97 },
  { name: '(i)/(h) Express 4', id: 'i', base: 'h', min: 0.95 },
  { name: '(b)/(n) vs no-op app.use', id: 'b', base: 'n', min: 0.97 },
  { name: '(k)/(j) 10,000-key keyring', id: 'k', base: 'j', min: 0.97 },
  { name: '(l)/(j) requireScopes', id: 'l', base: 'j', min: 0.98 },
  { name: '(m)/(j) audit sink', id: 'm', base: 'j', min: 0.97 },
  { name: '(o)/(b) throttle on, valid traffic', id: 'o', base: 'b', min: 0.98 },
  { name: '(q)/(p) Redis store vs keys file', id: 'q', base: 'p', min: 0.97 },
];
/** Goal of the CPU-per-request ratio (p)/(q), measured on the store variants' server process. */
const STORE_CPU_MIN = 0.97;
/** Keys created and revoked per propagation row (3 replicas each). */
const propagationRounds = quick ? 3 : 20;
// A target compares variants of one server process. The one exception is (b)/(e): passport must
// stay out of (b)'s process, and that target's margin (goal 1.15) is wider than the up to 10%
// process luck it can suffer. Checked before anything runs, and every variant must be served.
const groupOf = (id: string): number => PROCESS_GROUPS.findIndex((g) => g.includes(id));
for (const v of VARIANTS) if (groupOf(v.id) === -1) throw new Error(`variant (${v.id}) is in no PROCESS_GROUPS entry`);
for (const t of TARGETS) {
  if (!t.crossProcess && groupOf(t.id) !== groupOf(t.base)) throw new Error(`target ${t.name} compares variants of different server processes`);
}
for (const name of Object.keys(PROFILE_NOTES)) {
  if (!TARGETS.some((t) => t.name === name)) throw new Error(`bench/notes.ts has a note for ${name}, which is no target`);
}
// The machine is shared: its load average before and after the run goes into the document.
const loadBefore = loadavg()[0]!;

function startServer(ids: readonly string[]): Promise<{ child: ChildProcess; ports: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const child = fork(join(import.meta.dirname, 'server.ts'), ids, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m) => resolve({ child, ports: (m as { ports: Record<string, number> }).ports }));
    child.once('exit', (code) => reject(new Error(`server for ${ids.join(',')} exited with ${code}`)));
  });
}

// On Linux with 2+ CPUs, pin the load generator to CPU 0 and the servers to CPU 1 (taskset), so
// that the two never fight over one core.
function pin(pid: number, cpu: number): boolean {
  if (process.platform !== 'linux' || cpus().length < 2) return false;
  try {
    execFileSync('taskset', ['-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const children: ChildProcess[] = [];
// Redis and the keys file of (p) and (q), before their server process is forked.
const stores = await startStoreFixtures(BENCH_KEY);
try {
  const ports = new Map<string, number>();
  const serverOf = new Map<string, ChildProcess>();
  for (const { child, ports: p } of await Promise.all(PROCESS_GROUPS.map((ids) => startServer(ids)))) {
    children.push(child);
    for (const [id, port] of Object.entries(p)) {
      ports.set(id, port);
      serverOf.set(id, child);
    }
  }
  const pinned = pin(process.pid, 0) && children.every((c) => c.pid !== undefined && pin(c.pid, 1));
  const run = (v: Variant, seconds: number): Promise<Sample> => measure(v, ports.get(v.id)!, seconds, connections);
  for (const v of VARIANTS) await run(v, quick ? 0.2 : 1); // warm-up
  const samples = new Map<string, Sample[]>(VARIANTS.map((v) => [v.id, []]));
  // CPU per request of the store variants: their process's CPU time around each measurement.
  const cpu = new Map<string, CpuSample[]>([['p', []], ['q', []]]);
  for (let r = 0; r < rounds; r++) {
    // Rotate the starting variant each round, so no variant always follows the same neighbour.
    for (let k = 0; k < VARIANTS.length; k++) {
      const v = VARIANTS[(k + r) % VARIANTS.length]!;
      const server = cpu.has(v.id) ? serverOf.get(v.id)! : undefined;
      const before = server === undefined ? 0 : await cpuOf(server);
      const sample = await run(v, duration);
      if (server !== undefined) cpu.get(v.id)!.push({ cpuUs: (await cpuOf(server)) - before, requests: sample.requests });
      samples.get(v.id)!.push(sample);
    }
    process.stderr.write(`round ${r + 1}/${rounds}: ${VARIANTS.map((v) => `${v.id}=${Math.round(samples.get(v.id)![r]!.reqPerSec)}`).join(' ')}\n`);
  }
  const perRound = (id: string, base: string): number[] => samples.get(id)!.map((s, i) => s.reqPerSec / samples.get(base)![i]!.reqPerSec);
  // Full speed: the 90th percentile of all 100 ms slices of a variant over the whole run.
  const fullSpeed = (id: string): number => quantile(samples.get(id)!.flatMap((s) => s.buckets), 0.9);
  const ratio = (id: string, base: string): { value: number; fullSpeed: number } => ({
    value: median(perRound(id, base)),
    fullSpeed: fullSpeed(id) / fullSpeed(base),
  });
  const results: VariantResult[] = VARIANTS.map((v) => {
    const s = samples.get(v.id)!;
    const r = ratio(v.id, baseOf(v.id));
    return { id: v.id, label: v.label, reqPerSec: median(s.map((x) => x.reqPerSec)), p50: median(s.map((x) => x.p50)), p99: median(s.map((x) => x.p99)), ratio: r.value, fullSpeedRatio: r.fullSpeed };
  });
  const targets: Target[] = TARGETS.map((t) => ({ name: t.name, ...ratio(t.id, t.base), min: t.min, note: PROFILE_NOTES[t.name] }));
  const loadAfter = loadavg()[0]!;
  const mem = JSON.parse(
    execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, 'memory.ts'), String(memoryRequests)], { encoding: 'utf8' }),
  ) as { requests: number; warmedHeap: number; finalHeap: number; growth: number };
  const mb = (n: number): string => (n / 1024 / 1024).toFixed(2);
  const heapGrowthMb = mem.growth / 1024 / 1024;
  const memoryLine = `Heap after warm-up ${mb(mem.warmedHeap)} MB, after ${mem.requests.toLocaleString('en')} guarded requests ${mb(mem.finalHeap)} MB: growth ${mb(mem.growth)} MB (goal: within 5 MB: ${heapGrowthMb <= 5 ? 'met' : 'MISSED'}).`;
  const table = markdownTable(results);
  const targetText = targetsTable(targets);
  const storeCpu = cpuPerRequest(cpu.get('p')!, cpu.get('q')!, STORE_CPU_MIN);
  const propagation = await replicaPropagation(propagationRounds);
  const storesText = `${storeCpu.text}\n\n${propagation}`;
  console.log(`${table}\n\n${targetText}\n\n${memoryLine}\n\n${storesText}\n\n${targetNotes(targets)}`);
  if (outDir !== undefined) {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'benchmarks.svg'), svgChart(targets));
    const machine = {
      cores: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      date: new Date().toISOString().slice(0, 10),
      pinning: pinned ? 'load generator pinned to CPU 0, servers to CPU 1 (taskset)' : 'no CPU pinning',
      load: `1-minute load average ${loadBefore.toFixed(1)} before the run, ${loadAfter.toFixed(1)} after it (the bench itself adds about 2).`,
    };
    writeFileSync(join(outDir, 'benchmarks.md'), benchDocument({ table, targetText, memoryLine, storesText, machine, rounds, duration, connections, groups: PROCESS_GROUPS, targets }));
  }
  console.log(`bench: ${VARIANTS.length} variants, ${rounds} round(s), all produced results`);
} finally {
  for (const c of children) c.disconnect();
  await stores.stop();
}
