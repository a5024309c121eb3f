// Focused look at a few variants: interleaved rounds against them in one server process, and with
// --prof, a CPU profile of that process (node --cpu-prof) summarised by function and by package.
// Usage: node --import tsx bench/profile.ts [--rounds N] [--duration S] [--connections C] [--prof DIR [--top N]
//   [--inclusive fn,fn [--stop fn,fn] [--under fn]] [--lines fn,fn]] id...
//        node --import tsx bench/profile.ts --from FILE.cpuprofile [--top N] [--inclusive ...] [--stop ...] [--under fn] [--lines ...]
// Ratios are printed to the first id. The profile covers every variant named, so profile one
// variant at a time to attribute its costs.
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, median } from './measure.js';
import { startStoreFixtures } from './replicas.js';
import { BENCH_KEY, VARIANTS } from './variants.js';

const args = process.argv.slice(2);
const flags = new Map<string, string>();
const ids: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i]!.startsWith('--')) flags.set(args[i]!.slice(2), args[++i]!);
  else ids.push(args[i]!);
}
const rounds = Number(flags.get('rounds') ?? 10);
const duration = Number(flags.get('duration') ?? 1);
const connections = Number(flags.get('connections') ?? 10);
const top = Number(flags.get('top') ?? 25);
const profDir = flags.has('prof') ? (flags.get('prof') || mkdtempSync(join(tmpdir(), 'bg-prof-'))) : undefined;
const from = flags.get('from');
if (from === undefined) await run();

// Loads the variants, and with --prof leaves a CPU profile of the server process in profDir.
async function run(): Promise<void> {
  const variants = ids.map((id) => {
    const v = VARIANTS.find((x) => x.id === id);
    if (!v) throw new Error(`unknown variant ${id}`);
    return v;
  });
  if (variants.length === 0) throw new Error('name at least one variant id');
  // The store variants (p) and (q) need their Redis and keys file before the server starts.
  const stores = ids.some((id) => id === 'p' || id === 'q') ? await startStoreFixtures(BENCH_KEY) : undefined;
  const execArgv = ['--import', 'tsx', ...(profDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-interval', '250', '--cpu-prof-dir', profDir])];
  const child = fork(join(import.meta.dirname, 'server.ts'), ids, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ports = await new Promise<Record<string, number>>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { ports: Record<string, number> }).ports));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const rps = new Map<string, number[]>(ids.map((id) => [id, []]));
  try {
    for (const v of variants) await measure(v, ports[v.id]!, 1, connections); // warm-up
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < variants.length; k++) {
        const v = variants[(k + r) % variants.length]!;
        rps.get(v.id)!.push((await measure(v, ports[v.id]!, duration, connections)).reqPerSec);
      }
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.disconnect();
    await exited;
    await stores?.stop();
  }
  const base = rps.get(ids[0]!)!;
  for (const v of variants) {
    const xs = rps.get(v.id)!;
    const ratio = median(xs.map((x, i) => x / base[i]!));
    console.log(`(${v.id}) ${v.label}: ${Math.round(median(xs))} req/s, median per-round ratio to (${ids[0]}) ${ratio.toFixed(3)}`);
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
  positionTicks?: { line: number; ticks: number }[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const projectDist = new URL('../dist/', import.meta.url).href;
/** Which package a script belongs to: bearer-guard (this repo's dist/), a dependency, node, or the VM. */
function packageOf(url: string): string {
  if (url === '') return '(vm)';
  if (url.startsWith('node:')) return 'node';
  if (url.startsWith(projectDist)) return 'bearer-guard';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.includes('/bench/')) return 'bench';
  return url;
}

const profileFile = from ?? (profDir === undefined ? undefined : readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(profDir, f))[0]);
if (profDir !== undefined && profileFile === undefined) throw new Error(`no .cpuprofile in ${profDir}`);
if (profileFile !== undefined) {
  const profile = JSON.parse(readFileSync(profileFile, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  // Busy time: everything but idle (waiting in epoll).
  let busy = 0;
  for (const [id, t] of self) if (byId.get(id)!.callFrame.functionName !== '(idle)') busy += t;
  const label = (n: ProfileNode): string => {
    const { functionName, url, lineNumber } = n.callFrame;
    const short = url.replace(/^.*?\/(node_modules|dist|bench)\//, '$1/').replace(/^file:\/\//, '');
    return `${functionName || '(anonymous)'} ${short}${url ? `:${lineNumber + 1}` : ''}`;
  };
  const fns = new Map<string, { t: number; pkg: string }>();
  const pkgs = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byId.get(id)!;
    if (n.callFrame.functionName === '(idle)') continue;
    const pkg = packageOf(n.callFrame.url);
    const key = label(n);
    fns.set(key, { t: (fns.get(key)?.t ?? 0) + t, pkg });
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + t);
  }
  const pct = (t: number): string => `${((100 * t) / busy).toFixed(2).padStart(6)}%`;
  console.log(`\nprofile ${profileFile}: busy ${(busy / 1e6).toFixed(1)} s; self time by package:`);
  for (const [k, t] of [...pkgs].sort((a, b) => b[1] - a[1]).filter(([, t]) => t / busy >= 0.0005)) console.log(`${pct(t)}  ${k}`);
  console.log(`\ntop ${top} functions by self time:`);
  for (const [k, { t }] of [...fns].sort((a, b) => b[1].t - a[1].t).slice(0, top)) console.log(`${pct(t)}  ${k}`);
  console.log('\nbearer-guard functions by self time:');
  for (const [k, { t }] of [...fns].filter(([, f]) => f.pkg === 'bearer-guard').sort((a, b) => b[1].t - a[1].t)) {
    if (t / busy >= 0.0005) console.log(`${pct(t)}  ${k}`);
  }
  // Inclusive time (self time of the function and everything it called) of the functions named
  // with --inclusive, each counted once where it calls itself. Time under a function named with
  // --stop (say `next`, for what a middleware hands on) is left out.
  const inclusive = (flags.get('inclusive') ?? '').split(',').filter(Boolean);
  const stop = new Set((flags.get('stop') ?? '').split(',').filter(Boolean));
  // With --under, only samples taken inside that function (and not under a --stop one) count.
  const under = flags.get('under');
  if (inclusive.length > 0) {
    const total = new Map<string, number>(inclusive.map((f) => [f, 0]));
    for (const [id, t] of self) {
      const chain: string[] = [];
      for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
        const name = byId.get(n)!.callFrame.functionName;
        if (stop.has(name)) break;
        chain.push(name);
      }
      if (under !== undefined && !chain.includes(under)) continue;
      for (const name of new Set(chain)) if (total.has(name)) total.set(name, total.get(name)! + t);
    }
    const scope = [stop.size > 0 ? `without time under ${[...stop].join(', ')}` : '', under === undefined ? '' : `only inside ${under}`].filter(Boolean);
    console.log(`\ninclusive time (with callees${scope.length > 0 ? `; ${scope.join('; ')}` : ''}):`);
    for (const [f, t] of total) console.log(`${pct(t)}  ${f}`);
  }
  // Hot lines of the functions named with --lines (V8's position ticks; inlined callees count here).
  for (const fn of (flags.get('lines') ?? '').split(',').filter(Boolean)) {
    const lines = new Map<string, number>();
    for (const n of profile.nodes) {
      if (n.callFrame.functionName !== fn) continue;
      for (const { line, ticks } of n.positionTicks ?? []) {
        const key = `${n.callFrame.url.replace(/^.*?\/(node_modules|dist|bench)\//, '$1/')}:${line}`;
        lines.set(key, (lines.get(key) ?? 0) + ticks);
      }
    }
    const sum = [...lines.values()].reduce((a, b) => a + b, 0);
    console.log(`\nticks by line in ${fn} (${sum} ticks):`);
    for (const [k, n] of [...lines].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${String(n).padStart(6)}  ${k}`);
  }
}
