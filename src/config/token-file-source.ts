// The single token's file, re-read when it changes (Kubernetes secret updates, atomic renames).
import { createHash } from 'node:crypto';
import { BearerGuardConfigError, type BearerGuardWarning } from '../errors/startup.js';
import { watchFile } from '../keys/file-watch.js';
import { readTokenFile } from './token-file.js';
import { checkConfiguredToken } from './token-rules.js';

/** How {@link TokenFileSource} watches; the defaults match the keys file's. @internal */
export interface TokenFileWatchOptions {
  debounceMs?: number;
  pollMs?: number;
}

/**
 * A token file named by `--auth-bearer-token-file` or `<ENV>_FILE`. `read()` reads and checks it
 * (one line, a valid token); subscribers hear when what it holds changes: a new token, or a new
 * problem (each problem once, however often the watcher fires). Nothing here holds the token
 * beyond the call, and no message carries it.
 * @internal
 */
export class TokenFileSource {
  /** Where the token comes from, e.g. `env AUTH_BEARER_TOKEN_FILE (/run/secrets/token)`. */
  readonly description: string;
  readonly #path: string;
  readonly #named: string;
  readonly #maxLength: number;
  readonly #onWarning: (w: BearerGuardWarning) => void;
  readonly #options: Required<TokenFileWatchOptions>;
  #lastSeen: string | undefined;

  /**
   * @param path - the token file
   * @param description - the token's source as loadConfig names it: `<flag or env> (<path>)`
   * @param maxLength - the request-side cap (maxTokenLength)
   * @param onWarning - told of a weak token read on a change
   */
  constructor(path: string, description: string, maxLength: number, onWarning: (w: BearerGuardWarning) => void, options: TokenFileWatchOptions = {}) {
    this.#path = path;
    this.description = description;
    const suffix = ` (${path})`;
    this.#named = description.endsWith(suffix) ? description.slice(0, -suffix.length) : description;
    this.#maxLength = maxLength;
    this.#onWarning = onWarning;
    this.#options = { debounceMs: options.debounceMs ?? 100, pollMs: options.pollMs ?? 1000 };
  }

  /**
   * Reads the file and checks the token as at start-up.
   * @throws BearerGuardConfigError (`ERR_BEARER_GUARD_TOKEN_FILE` or `ERR_BEARER_GUARD_TOKEN_INVALID`)
   */
  read(): string {
    try {
      const { token, weak } = this.#load();
      this.#lastSeen = signature(token);
      if (weak) this.#onWarning(weak);
      return token;
    } catch (err) {
      this.#lastSeen = problem(err);
      throw err;
    }
  }

  /**
   * Calls `listener` (debounced) when the file's token or problem differs from the last read.
   * @returns a function that stops watching
   */
  subscribe(listener: () => void): () => void {
    const { debounceMs, pollMs } = this.#options;
    // A directory that cannot be watched leaves the stat poll, which is enough within 2 s.
    const onError = (): void => undefined;
    return watchFile(this.#path, { debounceMs, pollMs, description: this.description, onError }, () => {
      if (this.#peek() !== this.#lastSeen) listener();
    });
  }

  #load(): { token: string; weak: BearerGuardWarning | undefined } {
    const token = readTokenFile(this.#path, this.#named);
    const weak = checkConfiguredToken(token, this.description, this.#maxLength, (code, message) => new BearerGuardConfigError(code, message));
    return { token, weak };
  }

  // What the file holds now, as a signature: a digest of the token, or the problem.
  #peek(): string {
    try {
      return signature(this.#load().token);
    } catch (err) {
      return problem(err);
    }
  }
}

const signature = (token: string): string => `token:${createHash('sha256').update(token).digest('hex')}`;
const problem = (err: unknown): string => `error:${err instanceof Error ? err.message : typeof err}`;
