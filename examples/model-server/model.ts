// The served model: an iris random forest (ml-random-forest), trained in chunks, predicting labels with vote shares.
import { RandomForestClassifier } from 'ml-random-forest';
import { CLASSES, loadIris, type Samples } from './dataset.js';

/** The model's name in the API: `/v2/models/iris-rf`. */
export const MODEL_NAME = 'iris-rf';

/** Trees trained per chunk; training yields to the event loop between chunks. */
const TREES_PER_CHUNK = 5;

export interface ForestOptions {
  /** Number of trees, 1 or more. */
  readonly nEstimators: number;
  /** 32-bit seed for bagging and feature selection. */
  readonly seed: number;
}

export interface Prediction {
  /** The predicted species. */
  label: string;
  /** Share of the trees that voted for each species (0..1). */
  probabilities: Record<string, number>;
}

/** A forest made of one or more ml-random-forest classifiers; the trees of all of them vote. */
export class IrisForest {
  readonly #parts: readonly RandomForestClassifier[];

  constructor(parts: readonly RandomForestClassifier[]) {
    this.#parts = parts;
  }

  /** Predicts one result per row; every row must hold the 4 features, in `FEATURES` order. */
  predict(rows: number[][]): Prediction[] {
    const votes = rows.map(() => new Array<number>(CLASSES.length).fill(0));
    for (const part of this.#parts) {
      const values = part.predictionValues(rows);
      votes.forEach((counts, row) => {
        for (const classIndex of values.getRow(row)) {
          counts[classIndex] = (counts[classIndex] ?? 0) + 1;
        }
      });
    }
    return votes.map(toPrediction);
  }

  /** Share of the samples whose label is predicted correctly. */
  accuracy(samples: Samples): number {
    const predictions = this.predict(samples.x);
    const correct = predictions.filter((p, i) => p.label === CLASSES[samples.y[i] ?? -1]).length;
    return samples.y.length === 0 ? 0 : correct / samples.y.length;
  }
}

function toPrediction(counts: number[]): Prediction {
  const total = counts.reduce((sum, count) => sum + count, 0);
  let best = 0;
  const probabilities: Record<string, number> = {};
  counts.forEach((count, classIndex) => {
    if (count > (counts[best] ?? 0)) best = classIndex;
    probabilities[CLASSES[classIndex] ?? String(classIndex)] =
      total === 0 ? 0 : Math.round((count / total) * 1e4) / 1e4;
  });
  return { label: CLASSES[best] ?? String(best), probabilities };
}

/**
 * Trains a forest chunk by chunk. Each `yield` reports the number of trees trained so far, so a
 * caller can pause between chunks (background jobs) or run straight through (`trainForest`).
 */
export function* trainSteps(samples: Samples, options: ForestOptions): Generator<number, IrisForest> {
  const parts: RandomForestClassifier[] = [];
  for (let done = 0; done < options.nEstimators; done += TREES_PER_CHUNK) {
    const part = new RandomForestClassifier({
      nEstimators: Math.min(TREES_PER_CHUNK, options.nEstimators - done),
      // A distinct 32-bit seed per chunk, derived from the job's seed.
      seed: (options.seed + Math.imul(parts.length, 0x9e3779b1)) | 0,
      noOOB: true,
    });
    part.train(samples.x, samples.y);
    parts.push(part);
    yield Math.min(done + TREES_PER_CHUNK, options.nEstimators);
  }
  return new IrisForest(parts);
}

/** Trains a forest in one go (used at start-up). */
export function trainForest(samples: Samples, options: ForestOptions): IrisForest {
  const steps = trainSteps(samples, options);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** The forest served at start-up: 50 trees on all 150 samples. */
export function createDefaultForest(): IrisForest {
  return trainForest(loadIris(), { nEstimators: 50, seed: 42 });
}

/** Model metadata in DEEPaaS's ModelMeta shape, with links based on `baseUrl`. */
export function modelMeta(baseUrl: string): Record<string, unknown> {
  return {
    id: MODEL_NAME,
    name: MODEL_NAME,
    summary: 'Classifies iris flowers (setosa, versicolor, virginica) from four measurements in cm.',
    description:
      'A random forest (ml-random-forest) trained at start-up on the 150 samples of the iris data ' +
      'set. Input columns: sepal_length, sepal_width, petal_length, petal_width. ' +
      'Each prediction carries the share of trees that voted for each species.',
    license: 'MIT',
    author: 'bearer-guard examples',
    version: '1.0.0',
    url: 'https://archive.ics.uci.edu/dataset/53/iris',
    links: [{ rel: 'self', type: 'application/json', href: `${baseUrl}/v2/models/${MODEL_NAME}` }],
  };
}
