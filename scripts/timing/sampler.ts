// The measurement loop of check:timing: one timed call per class per round, classes in random order.
import { percentile, RunningMoments } from './welch.js';

export interface SamplerOptions {
  /** Rounds that are timed and kept: each class gets this many samples. */
  readonly samples: number;
  /** Rounds run first and thrown away, so that the JIT has settled before anything counts. */
  readonly warmup: number;
  /** Timed rounds after the warm-up whose only use is to set the crop thresholds (as dudect does). */
  readonly calibration: number;
  /** Crop percentile: a sample counts in the cropped statistics when <= this percentile of the calibration rounds. */
  readonly crop: number;
}

export interface ClassTimings {
  readonly raw: RunningMoments;
  readonly cropped: RunningMoments;
}

export interface Timings {
  readonly perClass: ClassTimings[];
  /** The crop threshold in ns, shared by all classes so that cropping cannot favour one. */
  readonly threshold: number;
  readonly seconds: number;
  /** The last result of `run`, kept so that the timed calls cannot be optimised away. */
  readonly last: unknown;
}

/**
 * Times `run(input)` with process.hrtime.bigint(). Each round shuffles the classes and times one
 * randomly drawn input of each, so drift, GC and neighbours' load fall on every class alike.
 *
 * @param pools - per class, the inputs to draw from
 * @param run - the code under test; its result is kept so that it cannot be optimised away
 */
export function sample<T>(pools: readonly (readonly T[])[], run: (input: T) => unknown, o: SamplerOptions): Timings {
  const started = process.hrtime.bigint();
  const k = pools.length;
  const order = Int32Array.from({ length: k }, (_, i) => i);
  let sink: unknown;
  const round = (record: (cls: number, ns: number) => void): void => {
    for (let i = k - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    for (let i = 0; i < k; i++) {
      const cls = order[i]!;
      const pool = pools[cls]!;
      const input = pool[Math.floor(Math.random() * pool.length)]!;
      const t0 = process.hrtime.bigint();
      sink = run(input);
      const ns = Number(process.hrtime.bigint() - t0);
      record(cls, ns);
    }
  };

  for (let r = 0; r < o.warmup; r++) round(() => undefined);
  const calibration = new Float64Array(o.calibration * k);
  let c = 0;
  for (let r = 0; r < o.calibration; r++) round((_cls, ns) => void (calibration[c++] = ns));
  const threshold = percentile(calibration, o.crop);

  const perClass = pools.map(() => ({ raw: new RunningMoments(), cropped: new RunningMoments() }));
  for (let r = 0; r < o.samples; r++) {
    round((cls, ns) => {
      const m = perClass[cls]!;
      m.raw.push(ns);
      if (ns <= threshold) m.cropped.push(ns);
    });
  }
  return { perClass, threshold, seconds: Number(process.hrtime.bigint() - started) / 1e9, last: sink };
}
