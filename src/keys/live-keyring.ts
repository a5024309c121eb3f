// The keyring in force: built at start-up, rebuilt on store changes and reload(), keeping the last good one on failure.
import type { BearerGuardLogger } from '../config/options.js';
import { BearerGuardConfigError } from '../errors/startup.js';
import { mayContainToken } from '../safety/redact.js';
import { Keyring, type KeyringChange, type LegacyKey } from './keyring.js';
import type { Issuer } from './principal.js';
import type { KeyStore } from './store.js';

/** The single token read from a file: re-read on each reload, watched for changes. @internal */
export interface TokenSource {
  /** How messages name it, e.g. `env AUTH_BEARER_TOKEN_FILE (/run/secrets/token)`. */
  readonly description: string;
  /** The token now; throws (without the value) when the file is broken. */
  read(): string;
  subscribe(listener: () => void): () => void;
}

/** @internal */
export interface LiveKeyring {
  /** The keyring in force, or undefined while a store's first list() is still pending or failed. */
  current(): Keyring | undefined;
  /** Settles once the first keyring is in force (rejects if the first load failed). */
  readonly ready: Promise<void>;
  reload(): Promise<KeyringChange>;
  close(): void;
}

/**
 * Builds the first keyring (synchronously when the store answers synchronously, so a bad keys
 * file stops start-up) and keeps it current. With a token file, its token replaces the legacy
 * key `token` on every build, so a change of the file is a reload like a change of the keys.
 *
 * @throws whatever a synchronous store's first list() (or the token file's first read) throws
 * @internal
 */
export function createLiveKeyring(issuer: Issuer, legacy: readonly LegacyKey[], store: KeyStore | undefined, logger: BearerGuardLogger, tokenFile?: TokenSource): LiveKeyring {
  let current: Keyring | undefined;
  const legacyNow = (): readonly LegacyKey[] => (tokenFile === undefined ? legacy : [...legacy.filter((k) => k.id !== 'token'), { id: 'token', token: tokenFile.read() }]);
  // Reloads run one after another, each reading the store after the previous one finished, so
  // a reload() never reports a read that began before it was asked for.
  let queue: Promise<unknown> = Promise.resolve();

  const build = async (): Promise<KeyringChange> => {
    const keys = legacyNow();
    const entries = store === undefined ? [] : await store.list();
    const next = Keyring.build(issuer, keys, entries);
    const change = next.changesSince(current ?? Keyring.build(issuer, [], []));
    current = next;
    return change;
  };
  const reload = (): Promise<KeyringChange> => {
    const run = queue.then(build, build);
    queue = run.catch(() => undefined);
    return run;
  };

  let ready: Promise<void>;
  const firstKeys = legacyNow();
  const first = store === undefined ? [] : store.list();
  if (Array.isArray(first)) {
    current = Keyring.build(issuer, firstKeys, first);
    ready = Promise.resolve();
  } else {
    ready = Promise.resolve(first).then((entries) => {
      current = Keyring.build(issuer, firstKeys, entries);
    });
    ready.catch((err: unknown) => logger.warn(`bearer-guard: error: ${describeStoreError(store!, err)}; every request is refused with 503 until a reload succeeds`));
  }

  const unsubscribe = store?.subscribe?.(() => {
    reload().then(
      (c) => {
        if (c.added.length + c.removed.length + c.changed.length > 0) {
          logger.warn(`bearer-guard: keys reloaded from ${store.description}: ${c.size} keys (${c.added.length} added, ${c.removed.length} removed, ${c.changed.length} changed)`);
        }
      },
      (err: unknown) => logger.warn(`bearer-guard: error: ${describeStoreError(store, err)}; the previous keys stay in force`),
    );
  });

  // A broken update (empty, several lines, removed) keeps the last good token; each problem is told once.
  const unwatchToken = tokenFile?.subscribe(() => {
    reload().then(
      () => logger.warn(`bearer-guard: the token from ${tokenFile.description} changed; the new token is in force`),
      (err: unknown) => logger.warn(`bearer-guard: error: ${describeError(tokenFile.description, err)}; the previous token and keys stay in force`),
    );
  });

  return {
    current: () => current,
    ready,
    reload: () =>
      reload().catch((err: unknown) => {
        logger.warn(`bearer-guard: error: ${describeStoreError(store, err)}; the previous keys stay in force`);
        throw err;
      }),
    close: () => {
      unsubscribe?.();
      unwatchToken?.();
    },
  };
}

// Our own errors say what is wrong without values; anything else is named by type only.
function describeStoreError(store: KeyStore | undefined, err: unknown): string {
  return describeError(store?.description ?? 'the keys', err);
}

function describeError(description: string, err: unknown): string {
  if (err instanceof BearerGuardConfigError) return err.message.replace(/^bearer-guard: /, '');
  return `${description} could not be read (${err instanceof Error && !mayContainToken(err.name) ? err.name : typeof err})`;
}
