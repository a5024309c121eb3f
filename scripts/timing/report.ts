// Turns check:timing's per-class timings into the printed tables and the verdict line.
import type { CandidateClass, Group, Pair } from './classes.js';
import type { ClassTimings } from './sampler.js';
import { welch, type WelchResult } from './welch.js';

/** dudect's thresholds: |t| >= 4.5 is evidence of a difference, |t| >= 10 strong evidence. */
export const T_EVIDENCE = 4.5;
export const T_STRONG = 10;

export interface PairResult {
  readonly pair: Pair;
  readonly a: ClassTimings;
  readonly b: ClassTimings;
  readonly raw: WelchResult;
  readonly cropped: WelchResult;
  /** The larger |t| of raw and cropped. */
  readonly worst: number;
}

/** Welch t for each pair of the group whose classes were both measured (`timings` in class order). */
export function comparePairs(group: Group, classes: readonly CandidateClass[], timings: readonly ClassTimings[]): PairResult[] {
  const byId = new Map(classes.map((c, i) => [c.id, timings[i]!]));
  return group.pairs.flatMap((pair) => {
    const a = byId.get(pair.a);
    const b = byId.get(pair.b);
    if (a === undefined || b === undefined) return []; // a class not measured in this mode
    const raw = welch(a.raw, b.raw);
    const cropped = welch(a.cropped, b.cropped);
    return [{ pair, a, b, raw, cropped, worst: Math.max(Math.abs(raw.t), Math.abs(cropped.t)) }];
  });
}

const f1 = (x: number): string => x.toFixed(1);
const ft = (x: number): string => (x >= 0 ? ' ' : '') + x.toFixed(2);

export function formatClasses(classes: readonly CandidateClass[], timings: readonly ClassTimings[]): string {
  const lines = ['  class      samples    mean ns  cropped: kept   mean ns  candidates'];
  classes.forEach((c, i) => {
    const t = timings[i]!;
    const kept = `${((100 * t.cropped.n) / t.raw.n).toFixed(1)}%`;
    lines.push(`  ${c.id.padEnd(10)} ${String(t.raw.n).padStart(8)} ${f1(t.raw.mean).padStart(9)}  ${kept.padStart(13)} ${f1(t.cropped.mean).padStart(9)}  ${c.description}`);
  });
  return lines.join('\n');
}

function reading(r: PairResult): string {
  if (!(r.worst >= T_EVIDENCE)) return Number.isNaN(r.worst) ? 'too few samples' : 'no evidence of a difference';
  const strength = r.worst >= T_STRONG ? 'differs strongly' : 'differs';
  return r.pair.kind === 'secret' ? `${strength}: POSSIBLE LEAK` : `${strength} (not about the secret)`;
}

/** One line per pair: `t pair ...`, with t raw and cropped and the smallest shift that would have shown. */
export function formatPairs(results: readonly PairResult[]): string {
  const lines = ['  pair                 kind       mean a / b ns (cropped)   t raw  t cropped  4.5 SE ns  reading'];
  for (const r of results) {
    const name = `${r.pair.a} vs ${r.pair.b}`;
    const means = `${f1(r.a.cropped.mean)} / ${f1(r.b.cropped.mean)}`;
    lines.push(
      `t ${name.padEnd(20)} ${r.pair.kind.padEnd(9)}  ${means.padStart(22)} ${ft(r.raw.t).padStart(8)} ${ft(r.cropped.t).padStart(10)} ${(T_EVIDENCE * r.cropped.se).toFixed(2).padStart(10)}  ${reading(r)}; ${r.pair.question}`,
    );
  }
  return lines.join('\n');
}

/** The verdict, on the secret pairs only; the other kinds are there to read them by. */
export function verdict(results: readonly PairResult[], samples: number): string {
  const secret = results.filter((r) => r.pair.kind === 'secret');
  const flagged = secret.filter((r) => !(r.worst < T_EVIDENCE));
  const control = results.find((r) => r.pair.kind === 'control');
  if (flagged.length === 0) {
    const resolution = Math.max(...secret.map((r) => T_EVIDENCE * r.cropped.se));
    const aa = control === undefined ? '' : ` (A/A control: |t| = ${control.worst.toFixed(1)})`;
    return (
      `verdict: no evidence of a timing leak about the secret: every secret pair has |t| < ${T_EVIDENCE}, raw and cropped${aa}, ` +
      `${samples} samples per class. Evidence, not proof: a mean difference under about ${resolution.toFixed(1)} ns would not have crossed the threshold.`
    );
  }
  const floor =
    control !== undefined && control.worst >= T_EVIDENCE
      ? ` The A/A control crossed too (|t| = ${control.worst.toFixed(1)}): at this sample size the harness itself shows differences that large, so only |t| far above it means something.`
      : '';
  return (
    `verdict: POSSIBLE LEAK: |t| >= ${T_EVIDENCE} for ${flagged.map((r) => `${r.pair.a} vs ${r.pair.b} (${r.worst.toFixed(1)})`).join(', ')}.${floor} ` +
    'Rerun (load on the machine can do this too); if it persists with the same sign, inspect the check before trusting it.'
  );
}
