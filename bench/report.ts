// Turns benchmark results into the markdown tables, the SVG chart and docs/benchmarks.md.
import { ROUTE } from './variants.js';

export interface VariantResult {
  id: string;
  label: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  /** Median of the per-round ratio to its baseline (a, or h for Express 4 variants). */
  ratio: number;
  /** Ratio of the 90th percentiles of 100 ms throughput slices over the whole run. */
  fullSpeedRatio: number;
}

export interface Target {
  name: string;
  /** Median of the per-round throughput ratios: what the target is judged on. */
  value: number;
  /** Ratio at full speed (90th percentile of 100 ms slices), a steadier view on a noisy machine. */
  fullSpeed: number;
  min: number;
  /** What a CPU profile showed for this target (bench/notes.ts), printed under the targets table. */
  note?: string | undefined;
}

const fmt = (n: number, digits = 2): string => n.toFixed(digits);
const verdict = (v: number, min: number): string => (v >= min ? 'met' : 'MISSED');

export function markdownTable(results: readonly VariantResult[]): string {
  const rows = results.map(
    (r) => `| (${r.id}) ${r.label} | ${Math.round(r.reqPerSec)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${fmt(r.ratio, 3)} | ${fmt(r.fullSpeedRatio, 3)} |`,
  );
  return [
    '| variant | req/s (median) | p50 ms | p99 ms | ratio to unguarded (median of rounds) | ratio at full speed |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

export function targetsTable(targets: readonly Target[]): string {
  const rows = targets.map(
    (t) => `| ${t.name} | ${fmt(t.value, 3)} | ${verdict(t.value, t.min)} | ${fmt(t.fullSpeed, 3)} | ${verdict(t.fullSpeed, t.min)} | >= ${fmt(t.min, 2)} |`,
  );
  return [
    '| target | median of per-round ratios | | ratio at full speed | | goal |',
    '| --- | ---: | --- | ---: | --- | ---: |',
    ...rows,
  ].join('\n');
}

/** A horizontal bar chart of the target ratios (median of rounds), each with its goal marked. */
export function svgChart(targets: readonly Target[]): string {
  const width = 760;
  const rowHeight = 34;
  const left = 230;
  const scaleMax = Math.max(1.6, ...targets.map((t) => Math.max(t.value, t.fullSpeed) + 0.1));
  const x = (v: number): number => left + ((width - left - 70) * v) / scaleMax;
  const height = 40 + targets.length * rowHeight + 30;
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const bars = targets.map((t, i) => {
    const y = 40 + i * rowHeight;
    const color = t.value >= t.min ? '#2e7d32' : '#c62828';
    return [
      `<text x="${left - 8}" y="${y + 17}" text-anchor="end" font-size="13">${esc(t.name)}</text>`,
      `<rect x="${left}" y="${y + 3}" width="${fmt(x(t.value) - left, 1)}" height="12" fill="${color}"/>`,
      `<rect x="${left}" y="${y + 16}" width="${fmt(x(t.fullSpeed) - left, 1)}" height="7" fill="#90a4ae"/>`,
      `<line x1="${fmt(x(t.min), 1)}" x2="${fmt(x(t.min), 1)}" y1="${y}" y2="${y + 26}" stroke="#000" stroke-dasharray="3,2"/>`,
      `<text x="${fmt(Math.max(x(t.value), x(t.fullSpeed)) + 6, 1)}" y="${y + 17}" font-size="12">${fmt(t.value, 3)} / ${fmt(t.fullSpeed, 3)}</text>`,
    ].join('');
  });
  const axis = `<line x1="${left}" x2="${left}" y1="34" y2="${height - 24}" stroke="#444"/><line x1="${fmt(x(1), 1)}" x2="${fmt(x(1), 1)}" y1="34" y2="${height - 24}" stroke="#999"/><text x="${fmt(x(1), 1)}" y="${height - 8}" text-anchor="middle" font-size="11">1.0</text>`;
  const title = 'bearer-guard throughput ratios: median of rounds (thick) / at full speed (thin); dashed: goal';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif"><rect width="100%" height="100%" fill="#fff"/><text x="10" y="22" font-size="14">${title}</text>${axis}${bars.join('')}</svg>\n`;
}

export interface DocumentInput {
  table: string;
  targetText: string;
  memoryLine: string;
  /** CPU per request of (p) and (q), and the revocation propagation across 3 replicas (bench/replicas.ts). */
  storesText: string;
  machine: { cores: number; cpu: string; node: string; date: string; pinning: string; load: string };
  targets: readonly Target[];
  rounds: number;
  duration: number;
  connections: number;
  /** The variants of each server process. */
  groups: readonly (readonly string[])[];
}

/** The profile notes, each with this run's figure; a missed target without one says so. */
export function targetNotes(targets: readonly Target[]): string {
  const items = targets
    .filter((t) => t.note !== undefined || t.value < t.min)
    .map((t) => {
      const figure = `this run ${fmt(t.value, 3)}, ${verdict(t.value, t.min)}; at full speed ${fmt(t.fullSpeed, 3)}; goal >= ${fmt(t.min, 2)}`;
      return `- **${t.name}** (${figure}). ${t.note ?? 'Not profiled yet: see bench/profile.ts, and add what it shows to bench/notes.ts.'}`;
    });
  return items.length === 0 ? 'Every target was met; no profile notes.' : items.join('\n');
}

export function benchDocument(d: DocumentInput): string {
  const m = d.machine;
  return `# Benchmarks

Written by \`npm run bench\` (bench/run.ts); do not edit by hand. \`npm test\` runs a one-round \`--quick\`
version so the benchmark cannot rot; it asserts that every variant produced results, not any timing.

## Method

- Every variant serves the same small JSON route (\`GET ${ROUTE}\`) on its own port on 127.0.0.1; the load
  generator (autocannon, ${d.connections} connections) runs in a separate process. Variants compared by a target
  share one server process (${d.groups.map((g) => g.join(' ')).join('; ')}), so that process-level luck (code layout,
  JIT decisions: up to 10% between identical processes here) does not pass for a difference between them. The
  one exception is (b)/(e): passport reshapes every request object it sees, so it stays out of (b)'s process,
  and that target's margin is wider than process luck. bench/run.ts refuses any other cross-process target.
- ${d.rounds} rounds of ${d.duration} s per variant after a warm-up, interleaved (a b c ... n, then b c ... n a, ...:
  the starting variant rotates) so that drift hits every variant alike. req/s, p50 and p99 are medians over
  rounds; each ratio is computed within a round, then the median is taken. Targets are judged on that.
- Ratio at full speed: this virtual machine's speed swings by up to 2x within a second (a plain CPU loop
  timed in 100 ms slices shows it), which blurs per-round ratios by several percent. The 90th percentile
  of each variant's 100 ms throughput slices over the whole run estimates its throughput when the machine
  runs at full speed; the ratio of those is the steadier figure, shown beside the judged one.
- (h)-(i) run on Express 4.22, every other variant on Express 5.3; (i)'s ratio is to (h). (n), a no-op
  \`app.use\` middleware, is a reference: it is what Express itself charges for any middleware, and
  (b)/(n) is bearerGuard's own cost on top of that.
- Named keys: (j) is \`bearerGuard({ keyStore })\` with a \`MemoryKeyStore\` of one \`service\` key (scopes
  \`models:read\`); (k) the same with ${'10,000'} keys, the presented one among them; (l) is (j) plus
  \`requireScopes('models:read')\` on the route; (m) is (j) plus \`audit: () => {}\`. Each is judged against (j).
  The presented key is not of the key-token shape (\`bg[usae]_\` + 49 base62), so the CRC-32 check those
  tokens get is not in these figures; the other ${'9,999'} keys are random tokens of that shape.
- Stores: (p) is \`bearerGuard({ keysFile })\` with one key, (q) \`bearerGuard({ redis })\` with the same key in a
  local redis-server (subscribed to changes, re-reading the epoch every 5 s, \`last_used_at\` batched); both
  answer from memory. They share a server process of their own; its CPU time (user + system) is read around
  each of their measurements, and divided by the requests served.
- Replicas: three example-server processes on one Redis (default settings), each under back-to-back requests
  with the key under test and a steady key; keys are created, then revoked, one at a time, and each
  latency runs from the start of the write to Redis to a replica's first response showing the change. The
  second pair of rows kills one replica's subscriber connection (\`CLIENT KILL\`) before each revocation.
- Heap: one guard driven in-process with ${'1,000,000'} requests (valid, wrong and missing tokens in turn); heap
  measured after forced GC.

## Machine

${m.cores} cores (${m.cpu}), Node ${m.node}, measured ${m.date}; ${m.pinning}. ${m.load}

## Results

${d.table}

## Targets

${d.targetText}

![ratios](benchmarks.svg)

${d.memoryLine}

## Stores and replicas

${d.storesText}

## Where the time goes

What CPU profiles of the server under load showed, next to this run's figure (notes from bench/notes.ts,
profiles from \`node --import tsx bench/profile.ts --prof DIR <variant>\`; shares are of the server's busy CPU):

${targetNotes(d.targets)}

Earlier finding: \`crypto.hash(..., 'buffer')\` costs about 3.5 times a string digest on Node 20, so digests
are 32-character strings, and keys are looked up by them in a map (see docs/security.md); one guard call takes about 0.4 us in-process
(\`npm run bench:micro\`).
`;
}
