// Reads a token from a file (Docker/Kubernetes secrets convention): one trailing newline stripped.
import { readFileSync } from 'node:fs';
import { BearerGuardConfigError } from '../errors.js';

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
