// Heap check: one guard, 1,000,000 requests driven in-process; prints heap before and after as JSON.
// Run with --expose-gc. Requests alternate valid, wrong and missing tokens, so every path is exercised.
import { bearerGuard } from 'bearer-guard';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BENCH_TOKEN } from './variants.js';

const total = Number(process.argv[2] ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const guard = bearerGuard({ token: BENCH_TOKEN, logger: { warn: () => undefined } });
const app = { get: () => undefined };
const headers = [`Bearer ${BENCH_TOKEN}`, 'Bearer wrong-token-3kJ9xQ2mV7pL1sZ8wR4tY6uN0bC5dF', undefined];
const res = { headersSent: false, statusCode: 200, setHeader: () => res, end: () => res } as unknown as ServerResponse;
let passed = 0;
const next = (): void => void passed++;

function drive(n: number): void {
  for (let i = 0; i < n; i++) {
    const authorization = headers[i % 3];
    const req = {
      headers: authorization === undefined ? {} : { authorization },
      rawHeaders: authorization === undefined ? ['Host', 'x'] : ['Host', 'x', 'Authorization', authorization],
      path: '/v2/models/iris',
      app,
    } as unknown as IncomingMessage;
    guard(req, res, next);
  }
}

const heap = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
drive(50_000);
const warmed = heap();
drive(total);
const after = heap();
console.log(JSON.stringify({ requests: total, passed, warmedHeap: warmed, finalHeap: after, growth: after - warmed }));
