// A KeyStore in Redis shared by every replica: snapshots fenced by an epoch, compare-and-set writes, staleness.
import type { Redis } from 'ioredis';
import { enrollInEntries, type EnrollRequest, type EnrollResult } from '../keys/enroll.js';
import type { KeyStore } from '../keys/store.js';
import type { KeyEntry } from '../keys/types.js';
import { checkClient, clientLabel, COMMAND_TIMEOUT_MS, connectRedis } from './connect.js';
import { redisError, redisErrorCode, withTimeout } from './errors.js';
import { RedisHealth } from './health.js';
import { LastUsedWriter, readLastUsed } from './last-used.js';
import { redisNames, type RedisNames } from './names.js';
import { resolveRedisOptions, type RedisKeyStoreOptions, type ResolvedRedisOptions } from './key-store-options.js';
import { updateKeyring, type KeyringUpdate } from './update.js';
import { compareAndSet, readSnapshot, snapshotEntries } from './snapshot.js';
import { redisUrlLabel } from './url.js';
import { watchChanges } from './watch.js';

export type { RedisKeyStoreOptions } from './key-store-options.js';

/**
 * The keyring in Redis (see `redisNames` for the layout). Every replica lists the whole keyring
 * into memory; requests never wait on Redis. Changes are published, and the epoch is re-read
 * every `resyncIntervalMs` and on reconnects, so a missed message is caught up.
 *
 * @example
 * ```ts
 * const store = await RedisKeyStore.connect({ url: 'redis://127.0.0.1:6379/0', source: '--auth-redis-url' });
 * app.use(bearerGuard({ keyStore: store }));
 * ```
 */
export class RedisKeyStore implements KeyStore {
  /** E.g. `Redis redis://127.0.0.1:6379/0 (prefix bearer-guard:)`; never a password. */
  readonly description: string;
  readonly #client: Redis;
  readonly #owned: boolean;
  readonly #names: RedisNames;
  readonly #label: string;
  readonly #resyncIntervalMs: number;
  readonly #health: RedisHealth;
  readonly #lastUsed: LastUsedWriter;
  readonly #listeners = new Set<() => void>();
  #stopWatching: (() => void) | undefined;
  /** The epoch of the newest snapshot `list()` returned: the one in force. */
  #listed: number | undefined;
  /** The epoch (or 'missing') of a snapshot that failed validation, not announced again. */
  #failed: number | 'missing' | undefined;
  #resyncing = false;

  private constructor(client: Redis, owned: boolean, label: string, options: ResolvedRedisOptions) {
    const { prefix, resyncIntervalMs, maxStalenessMs, logger } = options;
    this.#client = client;
    this.#owned = owned;
    this.#names = redisNames(prefix);
    this.#label = `Redis ${label}`;
    this.description = `Redis ${label} (prefix ${prefix})`;
    this.#resyncIntervalMs = resyncIntervalMs;
    this.#health = new RedisHealth(this.#label, maxStalenessMs, logger);
    this.#lastUsed = new LastUsedWriter(client, this.#names.lastUsed, this.#label, logger);
  }

  /**
   * Connects (or adopts `client`) and checks that Redis answers. Does not read the keyring: the
   * guard's first `list()` does, and fails when Redis holds none.
   * @throws BearerGuardConfigError (`ERR_BEARER_GUARD_REDIS`) when Redis cannot be reached, naming
   *   the URL without its password and the source; RangeError for bad options
   */
  static async connect(options: RedisKeyStoreOptions): Promise<RedisKeyStore> {
    const resolved = resolveRedisOptions(options);
    const { url, client } = options;
    if (client !== undefined) {
      await checkClient(client, resolved.source);
      return new RedisKeyStore(client, false, clientLabel(client), resolved);
    }
    return new RedisKeyStore(await connectRedis(url!, resolved.source), true, redisUrlLabel(url!), resolved);
  }

  /**
   * Every entry, from one atomic read of the epoch and the hash, validated exactly as a keys file.
   *
   * Fenced: a snapshot whose epoch is lower than that of one already returned is refused (it
   * throws), so an older snapshot can never replace a newer one in the keyring, whatever order
   * concurrent reads finish in, and a Redis restored from an older backup is not served.
   * @throws BearerGuardConfigError (`ERR_BEARER_GUARD_REDIS`) when Redis cannot be read, holds no
   *   keyring (the epoch is missing: never created, or wiped), is older than the keys in force,
   *   or holds an invalid entry (named by its id, never its value)
   */
  async list(): Promise<readonly KeyEntry[]> {
    const snapshot = await this.#read();
    if (snapshot.epoch === undefined) {
      this.#failed = 'missing';
      throw redisError(`${this.#label} holds no bearer-guard keyring under prefix ${this.#names.prefix}; create a key with \`bearer-guard keys create --redis-url ...\` or \`keys import\``);
    }
    if (this.#listed !== undefined && snapshot.epoch < this.#listed) {
      throw redisError(`${this.#label} gave keys at epoch ${snapshot.epoch}, older than epoch ${this.#listed} already in force; keeping the newer keys (was Redis restored from an older backup?)`);
    }
    let entries: KeyEntry[];
    try {
      entries = snapshotEntries(snapshot, this.#names, this.#label);
    } catch (err) {
      this.#failed = snapshot.epoch;
      throw err;
    }
    this.#listed = snapshot.epoch;
    this.#failed = undefined;
    this.#health.confirm(snapshot.epoch);
    return Object.freeze(entries);
  }

  /** The epoch of the snapshot in force (the last one `list()` returned), if any. @internal */
  get epoch(): number | undefined {
    return this.#listed;
  }

  /**
   * Calls `listener` when a published epoch is above the one in force, and when a re-read of the
   * epoch (every `resyncIntervalMs`, and on every reconnect) differs from it.
   * @returns a function that stops the notifications
   */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    this.#stopWatching ??= watchChanges(this.#client, this.#names, this.#resyncIntervalMs, {
      onPublished: (epoch) => {
        if (this.#listed === undefined || epoch > this.#listed) this.#notify();
      },
      onResync: () => void this.#resync(),
    });
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) {
        this.#stopWatching?.();
        this.#stopWatching = undefined;
      }
    };
  }

  /** False once the keys in force went unconfirmed for longer than `maxStalenessMs`. */
  available(): boolean {
    return this.#health.available();
  }

  /**
   * Changes the keyring as a compare-and-set on the epoch: reads a snapshot, applies `mutate`,
   * and writes the difference in one script only if the epoch has not moved (then bumps and
   * publishes it); otherwise retries with a short random backoff. `mutate` may run several times.
   * @param mutate - gets the current entries; returns the new ones, or undefined to write nothing
   * @returns the entries now stored, and whether anything was written
   * @throws BearerGuardConfigError (`ERR_BEARER_GUARD_REDIS`) when Redis cannot be read or
   *   written, holds an invalid entry, or `mutate` returns invalid entries; what `mutate` throws
   */
  async update(mutate: (entries: readonly KeyEntry[]) => readonly KeyEntry[] | undefined): Promise<KeyringUpdate> {
    return updateKeyring(mutate, {
      read: () => this.#read(),
      write: (epoch, diff) => this.#write(() => compareAndSet(this.#client, this.#names, epoch, diff)),
      names: this.#names,
      label: this.#label,
    });
  }

  /** Enrolls an agent (see {@link KeyStore.enroll}) with {@link update}: concurrent enrollments from any process never exceed the token's uses. */
  async enroll(request: EnrollRequest): Promise<EnrollResult> {
    let result: EnrollResult | undefined;
    await this.update((entries) => {
      const step = enrollInEntries(entries, request);
      result = step.result;
      return step.entries;
    });
    return result!;
  }

  /** Records a use of key `id` at `atMs` for `last_used_at` (batched; at most one write per key per minute). Never throws. */
  touch(id: string, atMs: number): void {
    this.#lastUsed.touch(id, atMs);
  }

  /** Writes the batched `last_used_at` times now (the timer does it every few seconds). @internal */
  flushLastUsed(): Promise<void> {
    return this.#lastUsed.flush();
  }

  /** Every key's last use as recorded: id -> ISO time. */
  lastUsed(): Promise<Record<string, string>> {
    return this.#read(() => readLastUsed(this.#client, this.#names.lastUsed));
  }

  /** Stops the timers, writes pending `last_used_at` times, closes the subscriber, and quits the client if the store opened it. */
  async close(): Promise<void> {
    this.#stopWatching?.();
    this.#stopWatching = undefined;
    this.#listeners.clear();
    await this.#lastUsed.close();
    if (this.#owned) await withTimeout(this.#client.quit(), 1000).catch(() => this.#client.disconnect());
  }

  #read(): Promise<Awaited<ReturnType<typeof readSnapshot>>>;
  #read<T>(fn: () => Promise<T>): Promise<T>;
  async #read<T>(fn?: () => Promise<T>): Promise<T> {
    return this.#write(fn ?? (() => readSnapshot(this.#client, this.#names, this.#label) as Promise<T>));
  }

  /** Runs one Redis call; a connection failure is reported to the health tracker and rethrown as ERR_BEARER_GUARD_REDIS. */
  async #write<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ERR_BEARER_GUARD_REDIS') throw err;
      const code = redisErrorCode(err);
      this.#health.failed(code);
      throw redisError(`${this.#label} cannot be used: ${code}`);
    }
  }

  async #resync(): Promise<void> {
    if (this.#resyncing) return;
    this.#resyncing = true;
    try {
      const text = await this.#write(() => withTimeout(this.#client.get(this.#names.epoch), COMMAND_TIMEOUT_MS));
      const epoch = text === null ? 'missing' : Number(text);
      if (epoch === this.#listed) this.#health.confirm(epoch);
      else if (epoch !== this.#failed) this.#notify();
    } catch {
      // Already reported to the health tracker; the next tick tries again.
    } finally {
      this.#resyncing = false;
      this.#health.available();
    }
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch {
        // A listener's failure is the listener's to report; the others still hear of the change.
      }
    }
  }
}
