// npm run bench: interleaved autocannon rounds against one server process per variant, on loopback.
// Usage: node --import tsx bench/run.ts [--quick] [--rounds N] [--duration S] [--connections C] [--out DIR]
import { fork, execFileSync, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { markdownTable, svgChart, targetsTable, type Target, type VariantResult } from './report.js';
import { ROUTE, VARIANTS, type Variant } from './variants.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const quick = args.includes('--quick');
const rounds = quick ? 1 : opt('rounds', 5);
const duration = quick ? 0.5 : opt('duration', 4);
const connections = opt('connections', 10);
const outIndex = args.indexOf('--out');
const outDir = outIndex === -1 ? (quick ? undefined : 'docs') : args[outIndex + 1];
const memoryRequests = quick ? 20_000 : 1_000_000;

interface Sample {
  reqPerSec: number;
  p50: number;
  p99: number;
}

function startServer(v: Variant): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(join(import.meta.dirname, 'server.ts'), [v.id], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m) => resolve({ child, port: (m as { port: number }).port }));
    child.once('exit', (code) => reject(new Error(`server ${v.id} exited with ${code}`)));
  });
}

async function measure(v: Variant, port: number, seconds: number): Promise<Sample> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${ROUTE}`,
    connections,
    duration: seconds,
    headers: v.header === undefined ? {} : { authorization: v.header },
  });
  const codes = result.statusCodeStats as unknown as Record<string, { count: number }>;
  const wrong = Object.entries(codes).filter(([code]) => Number(code) !== v.expectedStatus);
  if (result.errors > 0 || wrong.length > 0 || result.requests.total === 0) {
    throw new Error(`variant ${v.id}: ${result.requests.total} requests, ${result.errors} errors, statuses ${JSON.stringify(codes)}`);
  }
  return { reqPerSec: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const servers = new Map<string, number>();
const children: ChildProcess[] = [];
try {
  const started = await Promise.all(VARIANTS.map((v) => startServer(v)));
  started.forEach(({ child, port }, i) => {
    children.push(child);
    servers.set(VARIANTS[i]!.id, port);
  });
  for (const v of VARIANTS) await measure(v, servers.get(v.id)!, quick ? 0.2 : 1); // warm-up
  const samples = new Map<string, Sample[]>(VARIANTS.map((v) => [v.id, []]));
  for (let r = 0; r < rounds; r++) {
    for (const v of VARIANTS) samples.get(v.id)!.push(await measure(v, servers.get(v.id)!, duration));
    process.stderr.write(`round ${r + 1}/${rounds} done\n`);
  }
  const perRound = (id: string, base: string): number[] => samples.get(id)!.map((s, i) => s.reqPerSec / samples.get(base)![i]!.reqPerSec);
  const results: VariantResult[] = VARIANTS.map((v) => {
    const s = samples.get(v.id)!;
    return {
      id: v.id,
      label: v.label,
      reqPerSec: median(s.map((x) => x.reqPerSec)),
      p50: median(s.map((x) => x.p50)),
      p99: median(s.map((x) => x.p99)),
      ratio: median(perRound(v.id, v.id === 'h' || v.id === 'i' ? 'h' : 'a')),
    };
  });
  const targets: Target[] = [
    { name: '(b)/(a) valid token', value: median(perRound('b', 'a')), min: 0.95 },
    { name: '(c)/(a) wrong token', value: median(perRound('c', 'a')), min: 0.95 },
    { name: '(d)/(a) no header', value: median(perRound('d', 'a')), min: 0.95 },
    { name: '(b)/(e) vs passport README', value: median(perRound('b', 'e')), min: 1.15 },
    { name: '(b)/(g) vs minimal guard', value: median(perRound('b', 'g')), min: 0.97 },
    { name: '(i)/(h) Express 4', value: median(perRound('i', 'h')), min: 0.95 },
  ];
  const mem = JSON.parse(
    execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, 'memory.ts'), String(memoryRequests)], { encoding: 'utf8' }),
  ) as { requests: number; warmedHeap: number; finalHeap: number; growth: number };
  const mb = (n: number): string => (n / 1024 / 1024).toFixed(2);
  const memoryLine = `Heap after warm-up ${mb(mem.warmedHeap)} MB, after ${mem.requests.toLocaleString('en')} guarded requests ${mb(mem.finalHeap)} MB: growth ${mb(mem.growth)} MB (goal: within 5 MB).`;
  const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, date: new Date().toISOString().slice(0, 10) };
  const table = markdownTable(results);
  const targetText = targetsTable([...targets, { name: 'heap growth within 5 MB (MB below the limit)', value: 5 - mem.growth / 1024 / 1024, min: 0 }]);
  console.log(`${table}\n\n${targetText}\n\n${memoryLine}`);
  if (outDir !== undefined) {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'benchmarks.svg'), svgChart(targets));
    writeFileSync(join(outDir, 'benchmarks.md'), document(table, targetText, memoryLine, machine));
  }
  console.log(`bench: ${VARIANTS.length} variants, ${rounds} round(s), all produced results`);
} finally {
  for (const c of children) c.disconnect();
}

function document(table: string, targetText: string, memoryLine: string, m: { cores: number; cpu: string; node: string; date: string }): string {
  return `# Benchmarks

Written by \`npm run bench\` (bench/run.ts); do not edit by hand.

## Method

- Every variant serves the same small JSON route (\`GET ${ROUTE}\`) from its own server process on 127.0.0.1;
  the load generator (autocannon, ${connections} connections) runs in a separate process.
- ${rounds} rounds of ${duration} s per variant after a warm-up, interleaved (a b c ... i, a b c ... i, ...) so that drift
  on a shared machine hits every variant alike. Each figure is the median over rounds; each ratio is computed
  within a round and then the median taken.
- (a)-(g) run on Express 5.3, (h)-(i) on Express 4.22; (i)'s ratio is to (h).
- Heap: one guard driven in-process with 1,000,000 requests (valid, wrong and missing tokens in turn), heap measured
  after forced GC.

## Machine

${m.cores} cores (${m.cpu}), Node ${m.node}, measured ${m.date}.

## Results

${table}

## Targets

${targetText}

![ratios](benchmarks.svg)

${memoryLine}
`;
}
