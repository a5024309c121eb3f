// File paths in messages: a short reason for a file-system error, and paths that must not be echoed.
import { existsSync, statSync } from 'node:fs';
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

/** `path`, or why it is not shown (see {@link hidePath}): what messages put where a path goes. @internal */
export function shownPath(path: string): string {
  return hidePath(path) ? `(${UNSHOWN(path)})` : path;
}

/**
 * The file's mode as four octal digits (`0644`) when group or others may read or write it;
 * undefined when only the owner can, when it cannot be stat'ed, and on Windows.
 * @internal
 */
export function modeOpenToOthers(path: string): string | undefined {
  if (process.platform === 'win32') return undefined;
  const mode = statSync(path, { throwIfNoEntry: false })?.mode;
  if (mode === undefined || (mode & 0o077) === 0) return undefined;
  return (mode & 0o777).toString(8).padStart(4, '0');
}
