// File paths in messages: a short reason for a file-system error, and paths that must not be echoed.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { mayContainToken } from './redact.js';

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
