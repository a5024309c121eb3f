// Where a `keys` command keeps the keys: a keys file or Redis, behind one small interface.
import type { Command } from 'commander';
import { keysFileLabel } from '../keys/file-format.js';
import { FileKeyStore } from '../keys/file-store.js';
import { updateKeysFile } from '../keys/file-write.js';
import type { KeyEntry } from '../keys/types.js';
import { RedisKeyStore } from '../redis/key-store.js';
import type { CliContext } from './context.js';
import { usageError } from './errors.js';
import { KEYS_FILE_ENV, requireKeysFile } from './keys-file.js';
import { REDIS_URL_ENV, REDIS_URL_FILE_ENV, redisUrlFromEnv, withPrefix } from './redis-source.js';

/** The keys of one command run, from a keys file or from Redis. */
export interface KeysBackend {
  /** `keys file <path>` or `Redis redis://host:port/db (prefix bearer-guard:)`; never a password. */
  readonly description: string;
  /** Every entry, validated. */
  list(): Promise<readonly KeyEntry[]>;
  /**
   * Changes the entries atomically (a locked read-modify-write of the file, a compare-and-set in
   * Redis); `mutate` may run more than once. Undefined from `mutate` writes nothing.
   * @returns the entries now stored
   */
  update(mutate: (entries: readonly KeyEntry[]) => readonly KeyEntry[] | undefined): Promise<readonly KeyEntry[]>;
  /** Each key's last use (id -> ISO time); only Redis records it. */
  lastUsed?(): Promise<Record<string, string>>;
  /** Closes connections. */
  close(): Promise<void>;
}

/** The options every `keys` command takes to choose its backend. */
export interface BackendOptions {
  keysFile?: string;
  redisUrl?: string;
  redisPrefix?: string;
}

/** The keys file as a backend. */
function fileBackend(file: string): KeysBackend {
  return {
    description: keysFileLabel(file),
    list: () => Promise.resolve(new FileKeyStore(file).list()),
    update: (mutate) => updateKeysFile(file, (entries) => [...(mutate(entries) ?? entries)]),
    close: () => Promise.resolve(),
  };
}

/**
 * Opens the backend: flags first (`--keys-file` or `--redis-url`), then the env (`AUTH_KEYS_FILE`
 * or `AUTH_REDIS_URL` / `AUTH_REDIS_URL_FILE`). Both at the same level is a usage error.
 *
 * @param mustExist - the keys file must exist (revoke, rotate); Redis checks that itself
 * @throws CliError (usage) when none or both are given; BearerGuardConfigError
 *   (`ERR_BEARER_GUARD_REDIS`, exit 1) when Redis cannot be reached
 */
export async function openKeysBackend(cmd: Command, opts: BackendOptions, ctx: CliContext, mustExist = false): Promise<KeysBackend> {
  const given = (v: string | undefined): v is string => v !== undefined && v !== '';
  if (given(opts.keysFile) && given(opts.redisUrl)) throw usageError(cmd, 'give --keys-file or --redis-url, not both');
  let file: string | undefined = opts.keysFile;
  let redis = given(opts.redisUrl) ? { url: opts.redisUrl, source: '--redis-url' } : undefined;
  if (!given(file) && redis === undefined) {
    const envFile = ctx.env[KEYS_FILE_ENV];
    const envRedis = redisUrlFromEnv(cmd, ctx.env);
    if (given(envFile) && envRedis !== undefined) throw usageError(cmd, `both ${KEYS_FILE_ENV} and ${REDIS_URL_ENV} (or ${REDIS_URL_FILE_ENV}) are set; unset one, or choose with --keys-file or --redis-url`);
    file = envFile;
    redis = envRedis;
  }
  if (redis !== undefined) return redisBackend(cmd, redis, opts.redisPrefix, ctx);
  if (given(opts.redisPrefix)) throw usageError(cmd, '--redis-prefix needs --redis-url (or AUTH_REDIS_URL)');
  if (!given(file)) throw usageError(cmd, `no keys given: pass --keys-file PATH or --redis-url URL (or set ${KEYS_FILE_ENV}, ${REDIS_URL_ENV} or ${REDIS_URL_FILE_ENV})`);
  if (mustExist) requireKeysFile(file);
  return fileBackend(file);
}

/** Redis as a backend: connects (a few seconds at most) and checks that Redis answers. */
async function redisBackend(cmd: Command, found: { url: string; source: string }, prefixGiven: string | undefined, ctx: CliContext): Promise<KeysBackend> {
  const { url, source, prefix } = withPrefix(cmd, found, prefixGiven, ctx.env);
  const store = await RedisKeyStore.connect({ url, source, prefix, logger: { warn: (m) => ctx.err(`${m}\n`) } });
  return {
    description: store.description,
    list: () => store.list(),
    update: async (mutate) => (await store.update(mutate)).entries,
    lastUsed: () => store.lastUsed(),
    close: () => store.close(),
  };
}

/**
 * Opens Redis only (`--redis-url`, else `AUTH_REDIS_URL` / `AUTH_REDIS_URL_FILE`), for commands
 * that work on Redis alone (`keys import`).
 * @throws CliError (usage) when no Redis URL is given
 */
export async function openRedisBackend(cmd: Command, opts: BackendOptions, ctx: CliContext): Promise<KeysBackend> {
  const found = opts.redisUrl !== undefined && opts.redisUrl !== '' ? { url: opts.redisUrl, source: '--redis-url' } : redisUrlFromEnv(cmd, ctx.env);
  if (found === undefined) throw usageError(cmd, `no Redis given: pass --redis-url URL (or set ${REDIS_URL_ENV} or ${REDIS_URL_FILE_ENV})`);
  return redisBackend(cmd, found, opts.redisPrefix, ctx);
}

/** Runs `fn` with the backend open, and closes it whatever happens. */
export async function withKeysBackend<T>(cmd: Command, opts: BackendOptions, ctx: CliContext, fn: (backend: KeysBackend) => Promise<T>, mustExist = false): Promise<T> {
  const backend = await openKeysBackend(cmd, opts, ctx, mustExist);
  return using(backend, fn);
}

/** Runs `fn` with `backend`, and closes it whatever happens. */
export async function using<T>(backend: KeysBackend, fn: (backend: KeysBackend) => Promise<T>): Promise<T> {
  try {
    return await fn(backend);
  } finally {
    await backend.close();
  }
}
