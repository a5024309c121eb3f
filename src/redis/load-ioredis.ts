// Loads the optional peer dependency ioredis, only when Redis is configured.
import type { Redis } from 'ioredis';
import { BearerGuardConfigError } from '../errors/startup.js';

/** The ioredis client class (`import { Redis } from 'ioredis'`). */
export type RedisClass = typeof Redis;

const NOT_INSTALLED = 'Redis is configured but the optional peer dependency ioredis is not installed; run: npm install ioredis@6';

/**
 * Imports ioredis lazily, so that apps that never configure Redis need not install it. Works in
 * the ESM build (a real `import()`) and in the CommonJS build (tsc turns it into `require()`).
 *
 * @param importer - how to import the module (tests pass a failing one) @internal
 * @returns the `Redis` client class
 * @throws BearerGuardConfigError (`ERR_BEARER_GUARD_REDIS`) when ioredis is not installed
 * @example
 * ```ts
 * const Redis = await loadIoredis();
 * const client = new Redis('redis://127.0.0.1:6379/0', { lazyConnect: true });
 * ```
 */
export async function loadIoredis(importer: () => Promise<unknown> = () => import('ioredis')): Promise<RedisClass> {
  let mod: unknown;
  try {
    mod = await importer();
  } catch (err) {
    const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
    // Only ioredis itself missing; a missing dependency of ioredis is another problem, passed on.
    const missing = (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && typeof message === 'string' && message.includes("'ioredis'");
    if (missing) throw new BearerGuardConfigError('ERR_BEARER_GUARD_REDIS', NOT_INSTALLED);
    throw err;
  }
  // ESM sees the named export; some loaders only give the CommonJS exports object as `default`.
  const m = mod as { Redis?: RedisClass; default?: RedisClass & { Redis?: RedisClass } };
  const found = m.Redis ?? m.default?.Redis ?? m.default;
  if (typeof found !== 'function') throw new BearerGuardConfigError('ERR_BEARER_GUARD_REDIS', NOT_INSTALLED);
  return found;
}
