// Whether the shared (Redis) counter is in use or the memory fallback is: each change logged once.
import type { BearerGuardLogger } from '../config/options.js';

/** Logs the fall-back to memory once, and the recovery once; and the throttle's other lines. @internal */
export class RedisHealth {
  #down = false;
  readonly #logger: BearerGuardLogger;

  constructor(logger: BearerGuardLogger) {
    this.#logger = logger;
  }

  /** True while the memory fallback counts. */
  get down(): boolean {
    return this.#down;
  }

  /** Logs one line; called from timers and Redis events, so a throwing logger is ignored. */
  say(line: string): void {
    try {
      this.#logger.warn(line);
    } catch {
      // The logger's failure is its own.
    }
  }

  /** Redis failed (an error or no answer in time): say so once. */
  failed(): void {
    if (this.#down) return;
    this.#down = true;
    this.say('bearer-guard: throttle: Redis is unavailable; failed attempts are counted in this process only until it is back (blocks already known stay in force)');
  }

  /** Redis answered: if it had failed, say it is back, once. */
  answered(): void {
    if (!this.#down) return;
    this.#down = false;
    this.say('bearer-guard: throttle: Redis is back; failed attempts are counted across replicas again');
  }
}

/**
 * `promise`, or a rejection after `ms` if it has not settled by then.
 * @internal
 */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('Redis did not answer in time')), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
