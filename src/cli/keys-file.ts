// The keys file's env var, and a check that the file exists (see keys-backend.ts for how a command picks it).
import { statSync } from 'node:fs';
import { keysFileLabel } from '../keys/file-format.js';
import { fsReason } from '../safety/paths.js';
import { failure } from './errors.js';

/** The env var that names the keys file when neither `--keys-file` nor `--redis-url` is given. */
export const KEYS_FILE_ENV = 'AUTH_KEYS_FILE';

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
