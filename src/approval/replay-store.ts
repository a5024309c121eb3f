// Single use of approvals: the approval ids already used, each remembered until its credential expires.

/**
 * Where used approval ids are remembered. `claim` must be atomic: of concurrent claims of one id,
 * exactly one gets `true`. A store shared by every replica (Redis `SET id 1 NX PXAT until`, say)
 * makes single use hold across processes; the in-memory store holds for one process only.
 * @internal
 */
export interface ReplayStore {
  /**
   * Records `approvalId` as used until `untilMs` (epoch ms), after which it may be forgotten.
   * @returns true when the id was not used before (the approval may proceed), false for a replay
   */
  claim(approvalId: string, untilMs: number): boolean | Promise<boolean>;
}

/** How often (ms) expired ids are swept out. */
const SWEEP_MS = 60_000;

/**
 * A {@link ReplayStore} in this process's memory: a map of id to expiry, swept of expired ids
 * at most once a minute. Only correctly signed, unexpired credentials reach it, so its size is
 * bounded by what approvers issue. @internal
 */
export class MemoryReplayStore implements ReplayStore {
  readonly #used = new Map<string, number>();
  readonly #now: () => number;
  #nextSweep = 0;

  /** @param now - the clock, epoch ms */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  claim(approvalId: string, untilMs: number): boolean {
    const now = this.#now();
    if (now >= this.#nextSweep) {
      this.#nextSweep = now + SWEEP_MS;
      for (const [id, until] of this.#used) if (until <= now) this.#used.delete(id);
    }
    const until = this.#used.get(approvalId);
    if (until !== undefined && until > now) return false;
    this.#used.set(approvalId, untilMs);
    return true;
  }

  /** How many ids are remembered (for tests). */
  get size(): number {
    return this.#used.size;
  }
}
