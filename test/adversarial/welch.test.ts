// The statistics of npm run check:timing, on data with results worked out by hand. No timing is measured.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rng } from '../helpers/rng.js';
import { moments, percentile, RunningMoments, welch } from '../../scripts/timing/welch.js';

function near(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `${what}: ${actual}, expected ${expected}`);
}


const noise = (seed: number, n: number, shift = 0): number[] => {
  const r = rng(seed);
  return Array.from({ length: n }, () => 500 + 100 * r() + shift);
};

describe('moments', () => {
  test('[1..5]: n 5, mean 3, variance 10/4', () => {
    assert.deepEqual(moments([1, 2, 3, 4, 5]), { n: 5, mean: 3, variance: 2.5 });
  });

  test('a limit crops the values above it', () => {
    assert.deepEqual(moments([1, 2, 3, 100], 3), { n: 3, mean: 2, variance: 1 });
  });

  test('Welford stays exact on large values (timings in ns since boot, say)', () => {
    const m = new RunningMoments();
    for (const x of [4, 7, 13, 16]) m.push(1e9 + x);
    assert.equal(m.mean, 1e9 + 10);
    near(m.variance, (36 + 9 + 9 + 36) / 3, 'variance');
  });

  test('a variance needs two values', () => {
    assert.ok(Number.isNaN(moments([7]).variance));
    assert.ok(Number.isNaN(new RunningMoments().variance));
  });
});

describe('welch', () => {
  test('[1..5] vs [2,4,..,10]: t = -3 / sqrt(2.5/5 + 10/5) = -sqrt(3.6), df = 2.5^2 / (0.5^2/4 + 2^2/4) = 100/17', () => {
    const r = welch(moments([1, 2, 3, 4, 5]), moments([2, 4, 6, 8, 10]));
    near(r.t, -Math.sqrt(3.6), 't');
    near(r.df, 100 / 17, 'df');
    near(r.se, Math.sqrt(2.5), 'se');
  });

  test('unequal sizes, [10,12,14] vs [8..12]: t = 2 / sqrt(4/3 + 2.5/5) = 2 sqrt(6/11), df = 484/137', () => {
    const r = welch(moments([10, 12, 14]), moments([8, 9, 10, 11, 12]));
    near(r.t, 2 * Math.sqrt(6 / 11), 't');
    near(r.df, 484 / 137, 'df');
  });

  test('swapping the samples flips the sign only', () => {
    const [a, b] = [moments([3, 1, 4, 1, 5]), moments([9, 2, 6, 5])];
    assert.equal(welch(b, a).t, -welch(a, b).t);
    assert.equal(welch(b, a).df, welch(a, b).df);
  });

  test('identical samples give 0; constant samples give 0 or an infinite t', () => {
    assert.equal(welch(moments([1, 2, 3]), moments([1, 2, 3])).t, 0);
    assert.equal(welch(moments([5, 5]), moments([5, 5, 5])).t, 0);
    assert.equal(welch(moments([6, 6]), moments([5, 5])).t, Infinity);
  });

  test('fewer than two values: NaN, never a verdict', () => {
    assert.ok(Number.isNaN(welch(moments([1]), moments([1, 2, 3])).t));
  });

  test('a planted difference of a fifth of the noise width gives a large |t|', () => {
    // Uniform noise 100 wide (sd ~28.9), shift 20, n 20000 each: expected t ~ 20 / (28.9 * sqrt(2 / 20000)) ~ 69.
    const { t } = welch(moments(noise(1, 20_000)), moments(noise(2, 20_000, 20)));
    assert.ok(t < -50, `t = ${t}`);
  });

  test('no planted difference: |t| below the 4.5 threshold', () => {
    for (const seed of [3, 5, 7]) {
      const { t } = welch(moments(noise(seed, 20_000)), moments(noise(seed + 1, 20_000)));
      assert.ok(Math.abs(t) < 4.5, `seed ${seed}: t = ${t}`);
    }
  });
});

describe('percentile (nearest rank)', () => {
  const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose

  test('picks the value of rank ceil(p n)', () => {
    assert.equal(percentile(values, 0.99), 99);
    assert.equal(percentile(values, 0.5), 50);
    assert.equal(percentile(values, 1), 100);
    assert.equal(percentile(values, 0), 1);
  });

  test('leaves its input alone', () => {
    percentile(values, 0.5);
    assert.equal(values[0], 100);
  });

  test('refuses no values and p outside [0, 1]', () => {
    assert.throws(() => percentile([], 0.5), RangeError);
    assert.throws(() => percentile([1], 1.5), RangeError);
    assert.throws(() => percentile([1], NaN), RangeError);
  });
});
