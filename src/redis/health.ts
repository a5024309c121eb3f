// Whether a Redis store's snapshot may still be served, and the three log lines that say when that changes.

/** Where the store's warnings go. Gets no secret. */
export interface RedisLogger {
  warn(message: string): void;
}

type State = 'starting' | 'ok' | 'unreachable' | 'stale';

/**
 * Tracks when the store last confirmed its snapshot against Redis, and logs each change of state
 * once: unreachable, stale (past `maxStalenessMs`), and reachable again. Never once per request
 * or per retry.
 * @internal
 */
export class RedisHealth {
  readonly #label: string;
  readonly #maxStalenessMs: number;
  readonly #logger: RedisLogger;
  #confirmedAt = Number.NEGATIVE_INFINITY;
  #state: State = 'starting';
  /** Whether the unreachable line was logged since the last confirmation. */
  #toldUnreachable = false;

  /**
   * @param label - names the Redis, e.g. `Redis redis://127.0.0.1:6379/0`
   * @param maxStalenessMs - how long a snapshot may go unconfirmed
   * @param logger - where the three lines go
   */
  constructor(label: string, maxStalenessMs: number, logger: RedisLogger) {
    this.#label = label;
    this.#maxStalenessMs = maxStalenessMs;
    this.#logger = logger;
  }

  /** The snapshot in force (at `epoch`) matches Redis now. */
  confirm(epoch: number): void {
    this.#confirmedAt = Date.now();
    this.#toldUnreachable = false;
    if (this.#state === 'unreachable' || this.#state === 'stale') {
      this.#logger.warn(`bearer-guard: ${this.#label} is reachable again; keys resynced at epoch ${epoch}`);
    }
    this.#state = 'ok';
  }

  /** A read of Redis failed (`code` names why, e.g. ECONNREFUSED). */
  failed(code: string): void {
    // Before the first confirmation, start-up reports the failure itself.
    if (this.#state === 'starting' || this.#toldUnreachable) return;
    this.#toldUnreachable = true;
    if (this.#state === 'ok') this.#state = 'unreachable';
    this.#logger.warn(`bearer-guard: ${this.#label} is unreachable (${code}); serving the last keys for up to ${Math.round(this.#maxStalenessMs / 1000)} s`);
  }

  /** True while the snapshot was confirmed within `maxStalenessMs`. Cheap: one clock read. */
  available(): boolean {
    if (Date.now() - this.#confirmedAt <= this.#maxStalenessMs) return true;
    if (this.#state === 'ok' || this.#state === 'unreachable') {
      this.#state = 'stale';
      this.#logger.warn(`bearer-guard: ${this.#label}: keys older than ${Math.round(this.#maxStalenessMs / 1000)} s; refusing with 503 until Redis is back`);
    }
    return false;
  }
}
