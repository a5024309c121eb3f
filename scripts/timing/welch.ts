// Welch's two-sample t-test and the helpers check:timing needs: pure functions, no I/O, no clocks.

/** Count, mean and sample variance (divided by n - 1) of one sample. */
export interface Moments {
  readonly n: number;
  readonly mean: number;
  readonly variance: number;
}

/** Mean and variance updated one value at a time (Welford), so millions of timings need no storage. */
export class RunningMoments implements Moments {
  n = 0;
  mean = 0;
  private m2 = 0;

  push(x: number): void {
    this.n++;
    const delta = x - this.mean;
    this.mean += delta / this.n;
    this.m2 += delta * (x - this.mean);
  }

  /** NaN below two values: a variance needs at least two. */
  get variance(): number {
    return this.n < 2 ? NaN : this.m2 / (this.n - 1);
  }
}

/** Moments of the values that are <= `limit` (all of them by default). */
export function moments(values: ArrayLike<number>, limit = Infinity): Moments {
  const m = new RunningMoments();
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x <= limit) m.push(x);
  }
  return { n: m.n, mean: m.mean, variance: m.variance };
}

/** Result of {@link welch}: t, the Welch-Satterthwaite degrees of freedom and the standard error. */
export interface WelchResult {
  readonly t: number;
  readonly df: number;
  /** Standard error of the difference of the means: sqrt(va/na + vb/nb). */
  readonly se: number;
}

/**
 * Welch's t for the difference of the means, (mean a - mean b) / se, which does not assume equal
 * variances. dudect reads |t| >= 4.5 as evidence that the two samples differ.
 * NaN when either sample has fewer than two values.
 */
export function welch(a: Moments, b: Moments): WelchResult {
  if (a.n < 2 || b.n < 2) return { t: NaN, df: NaN, se: NaN };
  const qa = a.variance / a.n;
  const qb = b.variance / b.n;
  const se = Math.sqrt(qa + qb);
  const diff = a.mean - b.mean;
  const t = se === 0 ? (diff === 0 ? 0 : Math.sign(diff) * Infinity) : diff / se;
  const df = (qa + qb) ** 2 / (qa ** 2 / (a.n - 1) + qb ** 2 / (b.n - 1));
  return { t, df, se };
}

/** Nearest-rank percentile (p in [0, 1]) of the values; does not modify them. */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0 || !(p >= 0 && p <= 1)) throw new RangeError('percentile: need values and 0 <= p <= 1');
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}
