// Reads a token from a file (Docker/Kubernetes secrets convention): one trailing newline stripped.
import { readFileSync } from 'node:fs';
import { BearerGuardConfigError } from '../errors/startup.js';
import { fsReason, hidePath, UNSHOWN } from '../safety/paths.js';

/**
 * @param path - the file holding the token
 * @param source - how the file was named, e.g. `env AUTH_BEARER_TOKEN_FILE`
 * @returns the file's text less one trailing `\n` or `\r\n`
 * @throws BearerGuardConfigError when the file is missing, unreadable, empty or holds more than one line
 * @internal
 */
export function readTokenFile(path: string, source: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (hidePath(path)) {
      throw new BearerGuardConfigError(
        'ERR_BEARER_GUARD_TOKEN_FILE',
        `cannot read the token file named by ${source}: ${fsReason(err)}; ${UNSHOWN(path)}: give the path of a file that holds the token, not the token itself`,
      );
    }
    throw new BearerGuardConfigError('ERR_BEARER_GUARD_TOKEN_FILE', `cannot read the token file ${path} named by ${source}: ${fsReason(err)}`);
  }
  const value = text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
  if (value === '') {
    throw new BearerGuardConfigError('ERR_BEARER_GUARD_TOKEN_FILE', `the token file ${path} named by ${source} is empty; write the token into it, or unset ${source}`);
  }
  if (/[\r\n]/.test(value)) {
    throw new BearerGuardConfigError(
      'ERR_BEARER_GUARD_TOKEN_FILE',
      `the token file ${path} named by ${source} has more than one line; it must hold one token (one trailing newline is allowed). For several tokens, give each client a named key in a keys file (--auth-keys-file, see docs/keys.md)`,
    );
  }
  return value;
}
