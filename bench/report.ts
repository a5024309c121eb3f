// Turns benchmark results into the markdown table, the targets list and an SVG chart of the ratios.

export interface VariantResult {
  id: string;
  label: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  /** Median of the per-round ratio to its baseline (a, or h for Express 4 variants). */
  ratio: number;
}

export interface Target {
  name: string;
  value: number;
  min: number;
}

export interface Machine {
  cores: number;
  cpu: string;
  node: string;
  date: string;
}

const fmt = (n: number, digits = 2): string => n.toFixed(digits);

export function markdownTable(results: readonly VariantResult[]): string {
  const rows = results.map((r) => `| (${r.id}) ${r.label} | ${Math.round(r.reqPerSec)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${fmt(r.ratio, 3)} |`);
  return ['| variant | req/s (median) | p50 ms | p99 ms | ratio to unguarded (median of rounds) |', '| --- | ---: | ---: | ---: | ---: |', ...rows].join('\n');
}

export function targetsTable(targets: readonly Target[]): string {
  const rows = targets.map((t) => `| ${t.name} | ${fmt(t.value, 3)} | >= ${fmt(t.min, 2)} | ${t.value >= t.min ? 'met' : 'MISSED'} |`);
  return ['| target | measured | goal | |', '| --- | ---: | ---: | --- |', ...rows].join('\n');
}

/** A horizontal bar chart of the target ratios, each with its goal marked. */
export function svgChart(targets: readonly Target[]): string {
  const width = 720;
  const rowHeight = 34;
  const left = 230;
  const scaleMax = Math.max(1.6, ...targets.map((t) => t.value + 0.1));
  const x = (v: number): number => left + ((width - left - 60) * v) / scaleMax;
  const height = 40 + targets.length * rowHeight + 30;
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const bars = targets.map((t, i) => {
    const y = 40 + i * rowHeight;
    const color = t.value >= t.min ? '#2e7d32' : '#c62828';
    return [
      `<text x="${left - 8}" y="${y + 17}" text-anchor="end" font-size="13">${esc(t.name)}</text>`,
      `<rect x="${left}" y="${y + 4}" width="${fmt(x(t.value) - left, 1)}" height="18" fill="${color}"/>`,
      `<line x1="${fmt(x(t.min), 1)}" x2="${fmt(x(t.min), 1)}" y1="${y}" y2="${y + 26}" stroke="#000" stroke-dasharray="3,2"/>`,
      `<text x="${fmt(x(t.value) + 6, 1)}" y="${y + 17}" font-size="12">${fmt(t.value, 3)}</text>`,
    ].join('');
  });
  const axis = `<line x1="${left}" x2="${left}" y1="34" y2="${height - 24}" stroke="#444"/><line x1="${fmt(x(1), 1)}" x2="${fmt(x(1), 1)}" y1="34" y2="${height - 24}" stroke="#999"/><text x="${fmt(x(1), 1)}" y="${height - 8}" text-anchor="middle" font-size="11">1.0</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif"><text x="10" y="22" font-size="15">bearer-guard throughput ratios (dashed line: goal)</text>${axis}${bars.join('')}</svg>\n`;
}
