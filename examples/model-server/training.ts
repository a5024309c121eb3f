// Background training jobs: validated arguments, a new forest trained chunk by chunk, cancellation.
import { randomUUID } from 'node:crypto';
import { setImmediate as nextTick } from 'node:timers/promises';
import { loadIris, stratifiedSplit } from './dataset.js';
import { HttpError } from './errors.js';
import { trainSteps } from './model.js';

export interface TrainArgs {
  /** Trees in the new forest: integer 1..1000 (default 20). */
  n_estimators: number;
  /** Seed of the split and of the forest: integer 0..2147483647 (default 42). */
  seed: number;
  /** Share of each class held out for the accuracy: 0.1..0.5 (default 0.3). */
  test_size: number;
}

export type TrainingStatus = 'running' | 'done' | 'error' | 'cancelled';

export interface TrainResult {
  accuracy: number;
  n_train: number;
  n_test: number;
  n_estimators: number;
}

/** A training as the API shows it (DEEPaaS 2.x shape). */
export interface Training {
  date: string;
  args: TrainArgs;
  uuid: string;
  status: TrainingStatus;
  finish_date?: string;
  result?: TrainResult;
  message?: string;
}

const LIMITS = {
  n_estimators: { min: 1, max: 1000, integer: true, fallback: 20 },
  seed: { min: 0, max: 2_147_483_647, integer: true, fallback: 42 },
  test_size: { min: 0.1, max: 0.5, integer: false, fallback: 0.3 },
} as const;

/** Validates the optional JSON arguments of POST .../train; throws a 422 HttpError. */
export function parseTrainArgs(body: unknown): TrainArgs {
  if (body === undefined) body = {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(422, 'Training arguments must be a JSON object');
  }
  const input = body as Record<string, unknown>;
  const unknown = Object.keys(input).filter((key) => !Object.hasOwn(LIMITS, key));
  if (unknown.length > 0) {
    throw new HttpError(422, `Unknown training argument(s): ${unknown.slice(0, 5).join(', ')}`);
  }
  const read = (key: keyof TrainArgs): number => {
    const { min, max, integer, fallback } = LIMITS[key];
    const value = input[key] === undefined ? fallback : input[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      throw new HttpError(422, `${key} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
    }
    if (value < min || value > max) throw new HttpError(422, `${key} must be from ${min} to ${max}`);
    return value;
  };
  return { n_estimators: read('n_estimators'), seed: read('seed'), test_size: read('test_size') };
}

/** Trains a new forest on a stratified split and measures its accuracy on the held-out part. */
async function train(args: TrainArgs, signal: AbortSignal): Promise<TrainResult> {
  const { train: trainSet, test } = stratifiedSplit(loadIris(), args.test_size, args.seed);
  const steps = trainSteps(trainSet, { nEstimators: args.n_estimators, seed: args.seed });
  for (;;) {
    await nextTick();
    signal.throwIfAborted();
    const step = steps.next();
    if (step.done === true) {
      const accuracy = Math.round(step.value.accuracy(test) * 1e4) / 1e4;
      return { accuracy, n_train: trainSet.y.length, n_test: test.y.length, n_estimators: args.n_estimators };
    }
  }
}

/** The trainings of one model. Keeps the latest `maxKept` and runs at most `maxRunning` at once. */
export class TrainingJobs {
  readonly #jobs = new Map<string, { view: Training; abort: AbortController }>();

  readonly maxRunning: number;
  readonly maxKept: number;

  constructor(maxRunning = 4, maxKept = 100) {
    this.maxRunning = maxRunning;
    this.maxKept = maxKept;
  }

  start(args: TrainArgs): Training {
    if (this.list().filter((job) => job.status === 'running').length >= this.maxRunning) {
      throw new HttpError(429, `Too many trainings running (at most ${this.maxRunning})`);
    }
    const view: Training = { date: new Date().toISOString(), args, uuid: randomUUID(), status: 'running' };
    const abort = new AbortController();
    this.#jobs.set(view.uuid, { view, abort });
    this.#prune();
    train(args, abort.signal).then(
      (result) => Object.assign(view, { status: 'done', result, finish_date: new Date().toISOString() }),
      (err: unknown) => {
        if (abort.signal.aborted) return;
        const message = err instanceof Error ? err.message : 'training failed';
        Object.assign(view, { status: 'error', message, finish_date: new Date().toISOString() });
      },
    );
    return { ...view };
  }

  list(): Training[] {
    return [...this.#jobs.values()].map((job) => ({ ...job.view }));
  }

  get(uuid: string): Training | undefined {
    const job = this.#jobs.get(uuid);
    return job === undefined ? undefined : { ...job.view };
  }

  /** Removes a training, cancelling it if it still runs (as DEEPaaS does); undefined if unknown. */
  cancel(uuid: string): Training | undefined {
    const job = this.#jobs.get(uuid);
    if (job === undefined) return undefined;
    this.#jobs.delete(uuid);
    if (job.view.status === 'running') {
      job.abort.abort();
      Object.assign(job.view, { status: 'cancelled', finish_date: new Date().toISOString() });
    }
    return { ...job.view };
  }

  /** Cancels every running training (on shutdown). */
  cancelAll(): void {
    for (const job of this.#jobs.values()) if (job.view.status === 'running') job.abort.abort();
  }

  #prune(): void {
    for (const [uuid, job] of this.#jobs) {
      if (this.#jobs.size <= this.maxKept) return;
      if (job.view.status !== 'running') this.#jobs.delete(uuid);
    }
  }
}
