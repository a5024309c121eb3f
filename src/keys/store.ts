// Where keys live: the store interface the keyring is built from, and the in-memory store.
import { enrollInEntries, type EnrollRequest, type EnrollResult } from './enroll.js';
import type { KeyEntry } from './types.js';

/**
 * A source of keys. The guard builds its in-memory keyring from {@link KeyStore.list} at start-up
 * and again whenever the store signals a change; requests are answered from that keyring, never
 * by asking the store. Implement it to back the keyring with your own database.
 *
 * @example
 * ```ts
 * const store: KeyStore = {
 *   description: 'keys table',
 *   list: async () => (await db.query('select * from api_keys')).rows,
 *   subscribe: (listener) => { const t = setInterval(listener, 5000); return () => clearInterval(t); },
 * };
 * app.use(bearerGuard({ keyStore: store }));
 * ```
 */
export interface KeyStore {
  /** Names the store in messages, e.g. `keys file /etc/model/keys.json`. Never holds a secret. */
  readonly description: string;
  /**
   * Every entry. Throw (or reject) when the store cannot be read or holds an invalid entry: the
   * guard then keeps its last good keyring (or, at start-up, refuses to start).
   */
  list(): readonly KeyEntry[] | Promise<readonly KeyEntry[]>;
  /**
   * Calls `listener` whenever `list()` may now give something else. Optional: without it, keys
   * change only through the middleware's `reload()`.
   * @returns a function that stops the notifications
   */
  subscribe?(listener: () => void): () => void;
  /**
   * Enrolls one agent, atomically: counts one use of the enrollment token `request.tokenId`
   * (refusing when it is used up, expired, revoked, gone or bound to another environment) and
   * adds the new agent key, so that concurrent calls never enroll more agents than the token
   * allows. Optional: a guard with an enrollment endpoint needs a store that has it. Build it on
   * {@link enrollInEntries} inside your store's transaction.
   */
  enroll?(request: EnrollRequest): Promise<EnrollResult>;
  /**
   * Whether the entries last listed may still be served. A store shared over the network (Redis)
   * answers false once it has not confirmed them for longer than its staleness limit; the guard
   * then refuses every request whose token would need the keyring with 503 (audit reason
   * `store_unavailable`, `Retry-After`) until it answers true again. Called on every request, so it must be cheap and synchronous. Optional: without it,
   * the store is always available.
   */
  available?(): boolean;
  /**
   * Records that key `id` was used at `atMs` (epoch ms), for `last_used_at`. Called on every
   * accepted request, so it must be cheap and never throw; the store batches its writes.
   * Optional.
   */
  touch?(id: string, atMs: number): void;
  /** Releases connections and timers. Called by the guard's `close()`. Optional. */
  close?(): void | Promise<void>;
}

/** A store held in memory, for tests and for apps that build their keys in code. */
export class MemoryKeyStore implements KeyStore {
  readonly description = 'memory key store';
  #entries: readonly KeyEntry[];
  readonly #listeners = new Set<() => void>();

  /** @param entries - the initial entries */
  constructor(entries: readonly KeyEntry[] = []) {
    this.#entries = Object.freeze([...entries]);
  }

  /** @returns the current entries */
  list(): readonly KeyEntry[] {
    return this.#entries;
  }

  /** Replaces every entry and notifies subscribers. */
  set(entries: readonly KeyEntry[]): void {
    this.#entries = Object.freeze([...entries]);
    for (const listener of this.#listeners) listener();
  }

  /** @returns a function that stops the notifications */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Enrolls an agent (see {@link KeyStore.enroll}); JavaScript's one thread makes it atomic. */
  enroll(request: EnrollRequest): Promise<EnrollResult> {
    const { entries, result } = enrollInEntries(this.#entries, request);
    if (entries !== undefined) this.set(entries);
    return Promise.resolve(result);
  }
}
