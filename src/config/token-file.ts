// Reads a token from a file (Docker/Kubernetes secrets convention): one trailing newline stripped.
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { BearerGuardConfigError } from '../errors.js';
import { mayContainToken } from '../token-rules.js';

/**
 * @param path - the file holding the token
 * @param source - how the file was named, e.g. `env AUTH_BEARER_TOKEN_FILE`
 * @returns the file's text less one trailing `\n` or `\r\n`
 * @throws BearerGuardConfigError when the file is missing, unreadable or empty
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
  return value;
}

/** A short reason for a file-system error, without echoing anything but its code. @internal */
export function fsReason(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return typeof code === 'string' ? code : 'read error';
  }
}

/** Says that a path is left out of a message, and why. @internal */
export const UNSHOWN = (path: string): string => `the path given (${path.length} characters) is not shown because it looks like a token`;

/**
 * True when a path must not be echoed: it does not exist, and the part of it that does not
 * exist looks like a token (see {@link mayContainToken}), as when the token itself is passed
 * where the path of its file goes. A path that exists, or whose missing part reads like a
 * name (`/run/secrets/api_tokn`), is named in full, as before.
 * @internal
 */
export function hidePath(path: string): boolean {
  if (existsSync(path)) return false;
  let missing = path;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (existsSync(dir)) {
      // dirname('token') is '.', which exists without being part of the path.
      missing = dir === '.' && !path.startsWith('.') ? path : path.slice(dir.length);
      break;
    }
    if (dirname(dir) === dir) break;
  }
  return mayContainToken(missing);
}
