// The keyring in force: built at start-up, rebuilt on store changes and reload(), keeping the last good one on failure.
import type { BearerGuardLogger } from '../config/options.js';
import { BearerGuardConfigError } from '../errors/startup.js';
import { mayContainToken } from '../safety/redact.js';
import { Keyring, type KeyringChange, type LegacyKey } from './keyring.js';
import type { Issuer } from './principal.js';
import type { KeyStore } from './store.js';

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
 * file stops start-up) and keeps it current.
 *
 * @throws whatever a synchronous store's first list() throws
 * @internal
 */
export function createLiveKeyring(issuer: Issuer, legacy: readonly LegacyKey[], store: KeyStore | undefined, logger: BearerGuardLogger): LiveKeyring {
  let current: Keyring | undefined;
  // Reloads run one after another, each reading the store after the previous one finished, so
  // a reload() never reports a read that began before it was asked for.
  let queue: Promise<unknown> = Promise.resolve();

  const build = async (): Promise<KeyringChange> => {
    const entries = store === undefined ? [] : await store.list();
    const next = Keyring.build(issuer, legacy, entries);
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
  const first = store === undefined ? [] : store.list();
  if (Array.isArray(first)) {
    current = Keyring.build(issuer, legacy, first);
    ready = Promise.resolve();
  } else {
    ready = Promise.resolve(first).then((entries) => {
      current = Keyring.build(issuer, legacy, entries);
    });
    ready.catch((err: unknown) => logger.warn(`bearer-guard: error: ${describeStoreError(store!, err)}; every request is refused with 500 until a reload succeeds`));
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

  return {
    current: () => current,
    ready,
    reload: () =>
      reload().catch((err: unknown) => {
        logger.warn(`bearer-guard: error: ${describeStoreError(store!, err)}; the previous keys stay in force`);
        throw err;
      }),
    close: () => unsubscribe?.(),
  };
}

// Our own errors say what is wrong without values; anything else is named by type only.
function describeStoreError(store: KeyStore, err: unknown): string {
  if (err instanceof BearerGuardConfigError) return err.message.replace(/^bearer-guard: /, '');
  return `${store.description} could not be read (${err instanceof Error && !mayContainToken(err.name) ? err.name : typeof err})`;
}
