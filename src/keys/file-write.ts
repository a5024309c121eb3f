// Writing the keys file safely: atomic 0600 replacement, a lock file, and a locked read-modify-write.
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm, stat, utimes, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BearerGuardConfigError } from '../errors/startup.js';
import { fsReason } from '../safety/paths.js';
import { keysFileLabel, parseKeysFile, serializeKeysFile } from './file-format.js';
import type { KeyEntry } from './types.js';

/** How long {@link withFileLock} waits. */
export interface FileLockOptions {
  /** A lock file not touched for this long (ms) is taken for a crashed holder's and removed. Default 10000. */
  staleMs?: number;
  /** Give up after this long (ms). Default 15000. */
  timeoutMs?: number;
  /** The error to throw on giving up; default: a BearerGuardConfigError about the keys file. */
  onTimeout?: (lock: string, timeoutMs: number) => Error;
}

const codeOf = (err: unknown): unknown => (err as { code?: unknown } | null)?.code;

/**
 * Replaces `path` with `text` atomically, as mode 0600 whatever the old file's mode: a temp file
 * in the same directory (created with `wx`, 0600), written, fsynced, renamed onto the target, then
 * the directory fsynced. Readers see the old file or the new one, never a part of either.
 *
 * @param path - the file to write; its directory is created (mode 0700) when missing
 * @param text - the whole content
 * @throws the file-system error; the temp file is removed first
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(tmp, 'wx', 0o600);
    await handle.chmod(0o600); // a umask could have removed bits from 0600
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, path);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  // Makes the rename itself durable. Best effort: some systems cannot fsync a directory.
  if (process.platform === 'win32') return;
  const dirHandle = await open(dir, 'r').catch(() => undefined);
  await dirHandle?.sync().catch(() => undefined);
  await dirHandle?.close();
}

/**
 * Runs `fn` while holding the lock file `${path}.lock` (created with `wx`), so that two processes
 * never read-modify-write the same file at once. Waits with a 5-25 ms random backoff while another
 * process holds the lock; a lock older than `staleMs` is taken over. The lock is kept fresh while
 * `fn` runs, and released (only if still ours) when it settles.
 *
 * @param path - the file being protected (the lock sits beside it)
 * @param fn - the work to do under the lock
 * @returns what `fn` returns
 * @throws BearerGuardConfigError (`ERR_BEARER_GUARD_KEYS_FILE`), or what `onTimeout` makes, after
 *   `timeoutMs` without the lock
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const { staleMs = 10_000, timeoutMs = 15_000, onTimeout } = options;
  const lock = `${path}.lock`;
  const owner = `${process.pid} ${randomBytes(8).toString('hex')}\n`;
  await mkdir(dirname(lock), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + timeoutMs;
  while (!(await tryLock(lock, owner, staleMs))) {
    if (Date.now() >= deadline) {
      if (onTimeout !== undefined) throw onTimeout(lock, timeoutMs);
      throw new BearerGuardConfigError(
        'ERR_BEARER_GUARD_KEYS_FILE',
        `gave up after ${timeoutMs} ms waiting for the lock file ${lock}; if no other process is changing the keys file, remove ${lock} and try again`,
      );
    }
    await sleep(5 + Math.random() * 20);
  }
  const touch = (): void => void utimes(lock, new Date(), new Date()).catch(() => undefined);
  const heartbeat = setInterval(touch, Math.max(10, staleMs / 3));
  heartbeat.unref();
  try {
    return await fn();
  } finally {
    clearInterval(heartbeat);
    if ((await readFile(lock, 'utf8').catch(() => '')) === owner) await rm(lock, { force: true });
  }
}

/** One attempt: true when the lock is now ours; a stale lock is moved away (then false, retry). */
async function tryLock(lock: string, owner: string, staleMs: number): Promise<boolean> {
  try {
    const handle = await open(lock, 'wx', 0o600);
    try {
      await handle.writeFile(owner);
    } finally {
      await handle.close();
    }
    return true;
  } catch (err) {
    if (codeOf(err) !== 'EEXIST') throw err;
  }
  const seen = await stat(lock).catch(() => undefined);
  if (seen === undefined || Date.now() - seen.mtimeMs <= staleMs) return false;
  // rename is atomic: of several processes taking over the same stale lock, one moves it.
  const grave = `${lock}.stale-${randomBytes(6).toString('hex')}`;
  if (!(await rename(lock, grave).then(() => true, () => false))) return false;
  const moved = await stat(grave);
  // Another process took over first, and what was moved is its fresh lock: put that back.
  if (moved.ino !== seen.ino || moved.mtimeMs !== seen.mtimeMs) await link(grave, lock).catch(() => undefined);
  await rm(grave, { force: true });
  return false;
}

/**
 * Changes the keys file under its lock: reads it (a missing file counts as no keys), validates it,
 * applies `change`, validates the result, and writes it atomically (mode 0600).
 *
 * @param path - the keys file
 * @param change - gets the current entries, returns the new ones
 * @returns the entries now in the file
 * @throws BearerGuardConfigError (`ERR_BEARER_GUARD_KEYS_FILE`) when the file cannot be read or
 *   is invalid, when `change` returns invalid entries, or when the lock cannot be had
 */
export async function updateKeysFile(
  path: string,
  change: (entries: KeyEntry[]) => KeyEntry[] | Promise<KeyEntry[]>,
): Promise<KeyEntry[]> {
  const where = keysFileLabel(path);
  return withFileLock(path, async () => {
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if (codeOf(err) !== 'ENOENT') throw new BearerGuardConfigError('ERR_BEARER_GUARD_KEYS_FILE', `${where}: cannot be read: ${fsReason(err)}`);
    }
    const next = await change(text === undefined ? [] : parseKeysFile(text, where));
    const out = serializeKeysFile(next);
    // Never write a file that could not be read back.
    const entries = parseKeysFile(out, `${where} after the change`);
    await writeFileAtomic(path, out);
    return entries;
  });
}
