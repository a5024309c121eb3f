// Redis store fixtures: stores on a test Redis with their own prefix, a capturing logger, and polling.
import { randomBytes } from 'node:crypto';
import { RedisKeyStore, type RedisKeyStoreOptions } from '../../src/redis/key-store.js';

/** A fresh prefix, so that tests sharing one redis-server never see each other's keys. */
export const freshPrefix = (): string => `t${randomBytes(4).toString('hex')}:`;

/** A logger that keeps its lines. */
export function lines(): { warn(message: string): void; lines: string[] } {
  const kept: string[] = [];
  return { warn: (m: string) => void kept.push(m), lines: kept };
}

/** Stores opened by {@link openStore}, closed by `closeAll()`. */
export class Stores {
  readonly #open: RedisKeyStore[] = [];

  async open(url: string, options: Omit<RedisKeyStoreOptions, 'url'> = {}): Promise<RedisKeyStore> {
    const store = await RedisKeyStore.connect({ url, logger: lines(), source: 'test', ...options });
    this.#open.push(store);
    return store;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.#open.splice(0).map((s) => s.close()));
  }
}

/** Polls `check` every 10 ms until it is true; rejects after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
