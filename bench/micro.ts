// npm run bench:micro: in-process cost of one guard call and of its digest options (best of 15 runs).
import { createHash, hash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerGuard } from 'bearer-guard';
import { BENCH_TOKEN } from './variants.js';

const guard = bearerGuard({ token: BENCH_TOKEN, logger: { warn: () => undefined } });
const settings: Record<string, unknown> = {};
const app = { settings, get: (k: string) => settings[k] };
const res = { setHeader: () => undefined, end: () => undefined } as unknown as ServerResponse;
const header = `Bearer ${BENCH_TOKEN}`;
const req = {
  headers: { authorization: header, host: 'x' },
  rawHeaders: ['Host', 'localhost:1234', 'Connection', 'keep-alive', 'Authorization', header],
  path: '/v2/models/iris',
  app,
} as unknown as IncomingMessage;
let passed = 0;
const next = (): void => void passed++;

function bench(name: string, f: () => unknown): void {
  let best = Infinity;
  for (let rep = 0; rep < 15; rep++) {
    const n = 200_000;
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) f();
    best = Math.min(best, Number(process.hrtime.bigint() - t) / n);
  }
  console.log(`${name.padEnd(32)} ${best.toFixed(0)} ns`);
}

const expected = createHash('sha256').update(BENCH_TOKEN).digest();
const digest = hash('sha256', BENCH_TOKEN, 'buffer');
bench('bearerGuard, valid token', () => guard(req, res, next));
bench("hash('sha256', t, 'buffer')", () => hash('sha256', BENCH_TOKEN, 'buffer'));
bench("hash('sha256', t, 'binary')", () => hash('sha256', BENCH_TOKEN, 'binary'));
bench('createHash().update().digest()', () => createHash('sha256').update(BENCH_TOKEN).digest());
bench('timingSafeEqual(32 bytes)', () => timingSafeEqual(digest, expected));
