// The store variants of the bench: one key in a keys file (p) against the same key in Redis (q), served by one process.
import express5 from 'express';
import { bearerGuard } from 'bearer-guard';

/** Env vars through which bench/run.ts hands the keys file and the Redis to its server processes. */
export const BENCH_KEYS_FILE_ENV = 'BENCH_KEYS_FILE';
export const BENCH_REDIS_URL_ENV = 'BENCH_REDIS_URL';

const silent = { warn: () => undefined };

function fromEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`bench: ${name} is not set; the store variants (p) and (q) run through bench/run.ts, which starts their Redis and keys file`);
  return value;
}

function withRoute(guard: express5.RequestHandler, route: string, payload: object): ReturnType<typeof express5> {
  const app = express5();
  app.use(guard);
  app.get(route, (_req, res) => void res.json(payload));
  return app;
}

/** (p): `bearerGuard({ keysFile })`, the keys file bench/run.ts wrote (watched, as in production). */
export function keysFileApp(route: string, payload: object): ReturnType<typeof express5> {
  return withRoute(bearerGuard({ argv: [], env: {}, keysFile: fromEnv(BENCH_KEYS_FILE_ENV), logger: silent }), route, payload);
}

/**
 * (q): `bearerGuard({ redis })` on the Redis bench/run.ts seeded with the same key: subscribed to
 * changes, re-reading the epoch every 5 s, `last_used_at` batched. Requests that arrive before the
 * keyring is loaded wait for it; the warm-up covers that.
 */
export function redisStoreApp(route: string, payload: object): ReturnType<typeof express5> {
  return withRoute(bearerGuard({ argv: [], env: {}, redis: fromEnv(BENCH_REDIS_URL_ENV), logger: silent }), route, payload);
}
