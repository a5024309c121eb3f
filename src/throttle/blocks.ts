// The blocks this process knows of, in memory: the only thing the request path reads.

// Expired entries are dropped when read; past this size they are also swept on each new block.
const SWEEP_AT = 10_000;

/** Client IP -> the end of its block (ms since the epoch, this process's clock). @internal */
export class BlockTable {
  readonly #until = new Map<string, number>();

  /** How many entries (some may have expired). */
  get size(): number {
    return this.#until.size;
  }

  /** Milliseconds left in `ip`'s block, or 0 when it is not blocked. */
  msLeft(ip: string, now = Date.now()): number {
    const until = this.#until.get(ip);
    if (until === undefined) return 0;
    if (until > now) return until - now;
    this.#until.delete(ip);
    return 0;
  }

  /**
   * Blocks `ip` for `ms` from now, unless it is already blocked for longer.
   * @returns true when this is a new block (the IP was not blocked before)
   */
  add(ip: string, ms: number, now = Date.now()): boolean {
    if (!(ms > 0)) return false;
    const fresh = this.msLeft(ip, now) === 0;
    const until = now + ms;
    if (fresh || until > this.#until.get(ip)!) this.#until.set(ip, until);
    if (fresh && this.#until.size > SWEEP_AT) this.#sweep(now);
    return fresh;
  }

  #sweep(now: number): void {
    for (const [ip, until] of this.#until) if (until <= now) this.#until.delete(ip);
  }
}
