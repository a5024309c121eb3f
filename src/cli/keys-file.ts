// Which keys file a `keys` command works on, how messages name it, and a check that it exists.
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { keysFileLabel } from '../keys/file-format.js';
import { fsReason } from '../safety/paths.js';
import { failure, usageError } from './errors.js';

/** The env var that names the keys file when `--keys-file` is not given. */
export const KEYS_FILE_ENV = 'AUTH_KEYS_FILE';

/**
 * The keys file: `--keys-file`, else env `AUTH_KEYS_FILE` (empty counts as unset).
 * @throws CliError (usage) when neither names one
 */
export function keysFileOf(cmd: Command, given: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const file = given !== undefined && given !== '' ? given : env[KEYS_FILE_ENV];
  if (file === undefined || file === '') {
    throw usageError(cmd, `no keys file given: pass --keys-file PATH (or set ${KEYS_FILE_ENV})`);
  }
  return file;
}

/**
 * Checks that the keys file exists, so that `revoke` and `rotate` fail on a mistyped path
 * instead of treating it as an empty file.
 * @throws CliError (failure) naming the file and the reason
 */
export function requireKeysFile(path: string): void {
  try {
    if (!statSync(path).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
  } catch (err) {
    throw failure(`${keysFileLabel(path)}: cannot be read: ${fsReason(err)}`);
  }
}
