// A KeyStore backed by a JSON keys file, re-read when the file changes (directory watch plus a poll).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BearerGuardConfigError, optionRangeError, warning, type BearerGuardWarning } from '../errors/startup.js';
import { fsReason, modeOpenToOthers } from '../safety/paths.js';
import { keysFileLabel, parseKeysFile } from './file-format.js';
import { statSignature, watchFile } from './file-watch.js';
import { enrollInEntries, type EnrollRequest, type EnrollResult } from './enroll.js';
import { updateKeysFile } from './file-write.js';
import type { KeyStore } from './store.js';
import type { KeyEntry } from './types.js';

/** Options of {@link FileKeyStore}. */
export interface FileKeyStoreOptions {
  /** Quiet time (ms) after a file event before the file is checked. Default 100. */
  debounceMs?: number;
  /** Period (ms) of the `fs.stat` safety-net poll. Default 1000. */
  pollMs?: number;
  /** Told when watching fails (the poll then works alone) or a listener throws. Never gets a secret. */
  onError?: (message: string) => void;
}

/**
 * The keys of a keys file (`{"version": 1, "keys": [...]}`, see {@link parseKeysFile}).
 * Subscribers hear of every change to the file's content, including atomic rename-replaces and
 * Kubernetes secret updates: the directory is watched (a watch on the file goes deaf after a
 * rename), events are debounced, and a SHA-256 of the bytes tells real changes from noise.
 *
 * @example
 * ```ts
 * app.use(bearerGuard({ keyStore: new FileKeyStore('/etc/model/keys.json') }));
 * ```
 */
export class FileKeyStore implements KeyStore {
  /** `keys file <path>` (the path is left out when it looks like a token). */
  readonly description: string;
  readonly #path: string;
  readonly #debounceMs: number;
  readonly #pollMs: number;
  readonly #onError: (message: string) => void;
  readonly #listeners = new Set<() => void>();
  #stopWatching: (() => void) | undefined;
  #lastSeen: string | undefined;

  /**
   * @param path - the keys file
   * @param options - see {@link FileKeyStoreOptions}
   */
  constructor(path: string, options: FileKeyStoreOptions = {}) {
    const { debounceMs = 100, pollMs = 1000, onError = () => undefined } = options;
    for (const [key, value, min] of [['debounceMs', debounceMs, 0], ['pollMs', pollMs, 1]] as const) {
      if (!(value >= min && value < 2 ** 31)) throw optionRangeError('ERR_BEARER_GUARD_INVALID_OPTION', `FileKeyStore: ${key} must be a number of ms >= ${min}`);
    }
    this.#path = path;
    this.#debounceMs = debounceMs;
    this.#pollMs = pollMs;
    this.#onError = onError;
    this.description = keysFileLabel(path);
  }

  /**
   * Reads and validates the whole file, synchronously.
   * @throws BearerGuardConfigError (`ERR_BEARER_GUARD_KEYS_FILE`) when it cannot be read or is invalid
   */
  list(): readonly KeyEntry[] {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.#path);
    } catch (err) {
      throw new BearerGuardConfigError('ERR_BEARER_GUARD_KEYS_FILE', `${this.description}: cannot be read: ${fsReason(err)}`);
    }
    // What was read is what the watcher compares with, so a change made since is not missed.
    this.#lastSeen = sha256(bytes);
    return Object.freeze(parseKeysFile(bytes.toString('utf8'), this.description));
  }

  /**
   * Enrolls an agent (see {@link KeyStore.enroll}) with a read-modify-write of the file under its
   * lock file, so that processes sharing the file never consume one use twice. Writes nothing
   * when it refuses.
   */
  async enroll(request: EnrollRequest): Promise<EnrollResult> {
    let result: EnrollResult | undefined;
    const refused = new Error('refused');
    try {
      await updateKeysFile(this.#path, (entries) => {
        const step = enrollInEntries(entries, request);
        result = step.result;
        if (step.entries === undefined) throw refused;
        return step.entries;
      });
    } catch (err) {
      if (err !== refused) throw err;
    }
    return result!;
  }

  /** A `W_BEARER_GUARD_KEYS_FILE_MODE` warning when group or others can read the file (not on Windows). */
  warnings(): BearerGuardWarning[] {
    const mode = modeOpenToOthers(this.#path);
    if (mode === undefined) return [];
    return [warning('W_BEARER_GUARD_KEYS_FILE_MODE', `${this.description} can be read by group or others (mode ${mode}); run: chmod 600 ${this.#path}`)];
  }

  /**
   * Calls `listener` after each change of the file's content (debounced). Timers and the watcher
   * never keep the process alive.
   * @returns a function that stops the notifications
   */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    this.#stopWatching ??= this.#watch();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) {
        this.#stopWatching?.();
        this.#stopWatching = undefined;
      }
    };
  }

  #watch(): () => void {
    this.#lastSeen ??= this.#signature();
    return watchFile(this.#path, { debounceMs: this.#debounceMs, pollMs: this.#pollMs, description: this.description, onError: this.#onError }, () => this.#check());
  }

  #check(): void {
    const now = this.#signature();
    if (now === this.#lastSeen) return;
    this.#lastSeen = now;
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch (err) {
        this.#onError(`${this.description}: a change listener threw ${err instanceof Error ? err.name : typeof err}`);
      }
    }
  }

  /** SHA-256 of the bytes, or the stat signature when the file cannot be read. */
  #signature(): string {
    try {
      return sha256(readFileSync(this.#path));
    } catch {
      return statSignature(this.#path);
    }
  }
}

const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
