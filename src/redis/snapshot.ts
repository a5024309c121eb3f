// Reading and writing the keyring in Redis: one consistent snapshot (epoch + entries), and one compare-and-set write.
import type { Redis } from 'ioredis';
import { checkKeyEntries, entryRecord } from '../keys/file-format.js';
import { mayContainToken } from '../safety/redact.js';
import type { KeyEntry } from '../keys/types.js';
import { redisError, withTimeout } from './errors.js';
import type { RedisNames } from './names.js';
import { COMMAND_TIMEOUT_MS } from './connect.js';

/** The keyring as one atomic read saw it. @internal */
export interface Snapshot {
  /** The epoch; undefined when the epoch key is missing (never initialised, or wiped). */
  readonly epoch: number | undefined;
  /** The hash as stored: id -> JSON text. */
  readonly raw: ReadonlyMap<string, string>;
}

// One script, so that the epoch and the entries are read at the same instant.
const READ = "return {redis.call('GET', KEYS[1]), redis.call('HGETALL', KEYS[2])}";

// Compare-and-set: only when the epoch is still ARGV[1] ('' = missing), apply ARGV[4] HSET pairs
// and HDEL the rest, bump the epoch (or create it as ARGV[2]) and publish the new one on the
// channel ARGV[3] (a channel is no key: a client's keyPrefix must not rename it).
const WRITE = `
local cur = redis.call('GET', KEYS[1])
if (cur or '') ~= ARGV[1] then return false end
local i = 5
for n = 1, tonumber(ARGV[4]) do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]); i = i + 2 end
for j = i, #ARGV do redis.call('HDEL', KEYS[2], ARGV[j]) end
local e
if cur then e = redis.call('INCR', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2]); e = tonumber(ARGV[2]) end
redis.call('PUBLISH', ARGV[3], tostring(e))
return tostring(e)`;

/** Reads the epoch and every entry in one script. @internal */
export async function readSnapshot(client: Redis, names: RedisNames, label: string): Promise<Snapshot> {
  const reply = (await withTimeout(client.eval(READ, 2, names.epoch, names.keys), COMMAND_TIMEOUT_MS)) as [string | null, string[]];
  const [epochText, flat] = reply;
  let epoch: number | undefined;
  if (epochText !== null) {
    epoch = Number(epochText);
    if (!Number.isSafeInteger(epoch)) throw redisError(`${label}: ${names.epoch} must hold an integer; a bearer-guard keyring's epoch only goes up, set by bearer-guard itself`);
  }
  const raw = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) raw.set(flat[i]!, flat[i + 1]!);
  return { epoch, raw };
}

/** A hash field as messages may name it: the id, unless it is not id-like or looks like a token. */
const fieldLabel = (names: RedisNames, field: string, index: number): string =>
  /^[A-Za-z0-9_.-]{1,64}$/.test(field) && !mayContainToken(field) ? `${names.keys}[${field}]` : `${names.keys} field #${index + 1}`;

/**
 * The snapshot's entries, validated exactly as a keys file's (see `checkKeyEntries`), with each
 * hash field required to equal its entry's id. Sorted by `created_at` then id, so that every
 * replica builds the same keyring.
 * @throws BearerGuardConfigError (`ERR_BEARER_GUARD_REDIS`) naming the field and key id, never a value or digest
 * @internal
 */
export function snapshotEntries(snapshot: Snapshot, names: RedisNames, label: string): KeyEntry[] {
  const fail = (problem: string): never => {
    throw redisError(`${label}: ${problem}`);
  };
  const fields = [...snapshot.raw.keys()].sort();
  const parsed = fields.map((field, index) => {
    try {
      return JSON.parse(snapshot.raw.get(field)!) as unknown;
    } catch {
      return fail(`${fieldLabel(names, field, index)}: is not valid JSON; each field holds one key entry as in a keys file`);
    }
  });
  const entries = checkKeyEntries(parsed, fail, (index) => fieldLabel(names, fields[index]!, index));
  entries.forEach((entry, index) => {
    if (entry.id !== fields[index]) fail(`${fieldLabel(names, fields[index]!, index)}: the field name differs from the entry's "id"; each entry is stored under its id`);
  });
  return entries.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : 1));
}

/** An entry as the hash stores it: the keys file's JSON for one key. @internal */
export const entryJson = (entry: KeyEntry): string => JSON.stringify(entryRecord(entry));

/** What a change writes: the fields to set (id, JSON) and the ids to delete. @internal */
export interface KeyringDiff {
  readonly sets: ReadonlyArray<readonly [string, string]>;
  readonly dels: readonly string[];
}

/** The difference between the hash as stored and the entries wanted. @internal */
export function diffEntries(before: ReadonlyMap<string, string>, after: readonly KeyEntry[]): KeyringDiff {
  const sets: Array<readonly [string, string]> = [];
  for (const entry of after) {
    const json = entryJson(entry);
    if (before.get(entry.id) !== json) sets.push([entry.id, json]);
  }
  const keep = new Set(after.map((e) => e.id));
  return { sets, dels: [...before.keys()].filter((id) => !keep.has(id)) };
}

/**
 * Writes `diff` if the epoch is still `epoch`, bumping and publishing it. A missing epoch is
 * created as the current time in ms, so that a keyring created again after a wipe never has a
 * lower epoch than the one replicas last saw.
 * @returns the new epoch, or undefined when another writer changed the keyring first (retry)
 * @internal
 */
export async function compareAndSet(client: Redis, names: RedisNames, epoch: number | undefined, diff: KeyringDiff): Promise<number | undefined> {
  const args = [epoch === undefined ? '' : String(epoch), String(Date.now()), names.changes, String(diff.sets.length), ...diff.sets.flat(), ...diff.dels];
  const reply = await withTimeout(client.eval(WRITE, 2, names.epoch, names.keys, ...args), COMMAND_TIMEOUT_MS);
  return reply === null ? undefined : Number(reply);
}
