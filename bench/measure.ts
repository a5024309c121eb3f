// One measurement: autocannon against one variant, with 100 ms throughput buckets on the side.
import type { EventEmitter } from 'node:events';
import autocannon, { type Result } from 'autocannon';
import { ROUTE, type Variant } from './variants.js';

export interface Sample {
  /** autocannon's average requests per second over the window. */
  reqPerSec: number;
  /** How many requests completed in the window (for CPU per request). */
  requests: number;
  p50: number;
  p99: number;
  /** Requests per second in each 100 ms slice of the window (ramp-up and tail slices dropped). */
  buckets: number[];
}

const BUCKET_MS = 100;

/**
 * Loads `v` on `port` for `seconds` with `connections` connections and checks that every
 * response had the variant's expected status.
 * @throws when a request failed or got another status
 */
export async function measure(v: Variant, port: number, seconds: number, connections: number): Promise<Sample> {
  // Without a callback, autocannon returns an instance that is both an emitter and a promise.
  const instance = autocannon({
    url: `http://127.0.0.1:${port}${ROUTE}`,
    connections,
    duration: seconds,
    headers: v.header === undefined ? {} : { authorization: v.header },
  }) as unknown as EventEmitter & PromiseLike<Result>;
  let count = 0;
  let last = 0;
  const buckets: number[] = [];
  instance.on('response', () => void count++);
  const timer = setInterval(() => {
    buckets.push(((count - last) * 1000) / BUCKET_MS);
    last = count;
  }, BUCKET_MS);
  const result = await instance;
  clearInterval(timer);
  const codes = result.statusCodeStats as unknown as Record<string, { count: number }>;
  const wrong = Object.keys(codes).filter((code) => Number(code) !== v.expectedStatus);
  if (result.errors > 0 || wrong.length > 0 || result.requests.total === 0) {
    throw new Error(`variant ${v.id}: ${result.requests.total} requests, ${result.errors} errors, statuses ${JSON.stringify(codes)}`);
  }
  return { reqPerSec: result.requests.average, requests: result.requests.total, p50: result.latency.p50, p99: result.latency.p99, buckets: buckets.slice(1, -1) };
}

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** Linear-interpolated quantile. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}
