// Reading and changing the credentials file: never created by a read, written atomically 0600 under a lock.
import { readFileSync } from 'node:fs';
import { withFileLock, writeFileAtomic } from '../keys/file-write.js';
import { fsReason, modeOpenToOthers } from '../safety/paths.js';
import { emptyContexts, parseContexts, serializeContexts, type ContextsData } from './contexts-format.js';
import { BearerGuardClientError } from './errors.js';

/** Where warnings go (stderr in the CLI, `process.emitWarning` in the client). */
export type Warn = (message: string) => void;

/** The warning, as ssh gives it, for a file others may read; undefined when only the owner can. */
export function openModeWarning(file: string): string | undefined {
  const mode = modeOpenToOthers(file);
  return mode === undefined ? undefined : `warning: credentials file ${file} is readable or writable by others (mode ${mode}); it holds tokens: run chmod 600 ${file}`;
}

/**
 * Reads the credentials file. A missing file is an empty one, and is not created.
 * @param warn - gets the warning for a group- or world-readable file
 * @throws BearerGuardClientError (`ERR_CREDENTIALS_FILE`) for an unreadable or invalid file, which is left untouched
 */
export function readContexts(file: string, warn: Warn): ContextsData {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return emptyContexts();
    throw new BearerGuardClientError('ERR_CREDENTIALS_FILE', `credentials file ${file}: cannot be read: ${fsReason(err)}`);
  }
  const warning = openModeWarning(file);
  if (warning !== undefined) warn(warning);
  return parseContexts(text, file);
}

/**
 * Changes the credentials file under its lock (`contexts.json.lock`): reads it, applies `change`,
 * and replaces it atomically as mode 0600 (directory created 0700) with the directory fsynced.
 * Concurrent runs never lose each other's changes. A corrupt file is not overwritten.
 *
 * @param change - gets the current data, returns the new data
 * @returns the data written
 * @throws BearerGuardClientError (`ERR_CREDENTIALS_FILE`) for an invalid file or a lock held too long
 */
export async function updateContexts(file: string, warn: Warn, change: (data: ContextsData) => ContextsData): Promise<ContextsData> {
  const onTimeout = (lock: string, ms: number): Error =>
    new BearerGuardClientError('ERR_CREDENTIALS_FILE', `gave up after ${ms} ms waiting for the lock file ${lock}; if no other bearer-guard is running, remove ${lock} and try again`);
  // A first pass without the lock: a change that fails or changes nothing touches nothing (not
  // even the directory, which taking the lock would create).
  const first = readContexts(file, warn);
  const preview = change(first);
  if (serializeContexts(preview) === serializeContexts(first)) return preview;
  return withFileLock(file, async () => {
    const next = change(readContexts(file, () => undefined));
    const text = serializeContexts(next);
    parseContexts(text, file); // never write what could not be read back
    try {
      await writeFileAtomic(file, text);
    } catch (err) {
      throw new BearerGuardClientError('ERR_CREDENTIALS_FILE', `credentials file ${file}: cannot be written: ${fsReason(err)}`);
    }
    return next;
  }, { onTimeout });
}
