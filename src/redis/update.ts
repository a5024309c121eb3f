// Changing the keyring in Redis: read, change in JavaScript, write only if nobody else wrote meanwhile (else retry).
import type { KeyEntry } from '../keys/types.js';
import { redisError } from './errors.js';
import type { RedisNames } from './names.js';
import { diffEntries, snapshotEntries, type KeyringDiff, type Snapshot } from './snapshot.js';

/** What `RedisKeyStore.update` resolves to. */
export interface KeyringUpdate {
  /** The entries now stored. */
  readonly entries: readonly KeyEntry[];
  /** Whether anything was written (false when `mutate` returned undefined or the same entries). */
  readonly changed: boolean;
}

/** The Redis side of {@link updateKeyring}. @internal */
export interface KeyringIo {
  read(): Promise<Snapshot>;
  /** The compare-and-set; resolves undefined when the epoch moved. */
  write(epoch: number | undefined, diff: KeyringDiff): Promise<number | undefined>;
  readonly names: RedisNames;
  readonly label: string;
}

/** How many times a change is tried while other writers keep winning. */
const MAX_TRIES = 100;

/**
 * The compare-and-set loop: reads a snapshot, validates it, applies `mutate`, validates the
 * result, and writes the difference (if any) only if the epoch has not moved; otherwise waits a short
 * random time (growing with the attempts, at most 50 ms) and starts again.
 * @throws BearerGuardConfigError (`ERR_BEARER_GUARD_REDIS`) for an invalid snapshot or result, a
 *   Redis failure, or after {@link MAX_TRIES} lost races; what `mutate` throws
 * @internal
 */
export async function updateKeyring(mutate: (entries: readonly KeyEntry[]) => readonly KeyEntry[] | undefined, io: KeyringIo): Promise<KeyringUpdate> {
  const { names, label } = io;
  for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
    const snapshot = await io.read();
    if (snapshot.epoch === undefined && snapshot.raw.size > 0) {
      throw redisError(`${label} holds keys under prefix ${names.prefix} but no epoch (${names.epoch}); restore the epoch, or delete ${names.keys} and move the keys in again with keys import`);
    }
    const before = Object.freeze(snapshotEntries(snapshot, names, label));
    const next = mutate(before);
    if (next === undefined) return { entries: before, changed: false };
    const checked = snapshotEntries({ epoch: undefined, raw: new Map(next.map((e) => [e.id, JSON.stringify(e)])) }, names, `${label} after the change`);
    if (next.length !== checked.length) throw redisError(`${label} after the change: two entries share an id; ids must be unique`);
    const diff = diffEntries(snapshot.raw, checked);
    // Nothing to write, unless this creates the keyring (its epoch) for the first time.
    if (diff.sets.length === 0 && diff.dels.length === 0 && snapshot.epoch !== undefined) return { entries: before, changed: false };
    if ((await io.write(snapshot.epoch, diff)) !== undefined) return { entries: Object.freeze(checked), changed: true };
    await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * Math.min(50, 5 * attempt)));
  }
  throw redisError(`${label}: gave up after ${MAX_TRIES} tries to change the keys while other writers kept changing them`);
}
