// The trusted approver keys in force: read at start-up, re-read when the JWKS file changes, keeping the last good set.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { BearerGuardLogger } from '../config/options.js';
import { BearerGuardConfigError } from '../errors/startup.js';
import { statSignature, watchFile } from '../keys/file-watch.js';
import { fsReason, shownPath } from '../safety/paths.js';
import { parseTrustedKeys, parseTrustedKeysText, type TrustedKeys } from './trusted-keys.js';

/** Where the trusted keys come from: a JWKS file (watched), or a JWKS object (fixed). */
export type ApprovalKeysSource = string | { readonly keys: readonly object[] };

/** The trusted keys of one guard. @internal */
export interface LiveApprovalKeys {
  /** The set in force. */
  current(): TrustedKeys;
  /** Re-reads the file now (what `guard.reload()` does); a file that fails validation is logged and the set stays. */
  refresh(): void;
  /** Stops watching the file. */
  close(): void;
}

/** `approval keys file <path>`, as messages name it. @internal */
export function approvalKeysFileLabel(path: string): string {
  return `approval keys file ${shownPath(path)}`;
}

/**
 * Reads a JWKS file synchronously and validates it.
 * @throws BearerGuardConfigError (`ERR_BEARER_GUARD_APPROVAL_KEYS`) naming the file, never a key
 * @internal
 */
export function readTrustedKeysFile(path: string): { keys: TrustedKeys; digest: string } {
  const where = approvalKeysFileLabel(path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new BearerGuardConfigError('ERR_BEARER_GUARD_APPROVAL_KEYS', `${where}: cannot be read: ${fsReason(err)}`);
  }
  return { keys: parseTrustedKeysText(bytes.toString('utf8'), where), digest: sha256(bytes) };
}

/**
 * Loads the trusted keys now (a bad file or object stops start-up) and, for a file, watches it:
 * a change that validates replaces the whole set; one that does not is logged and the last good
 * set stays in force.
 *
 * @param source - a JWKS file path, or a JWKS object
 * @param logger - told of reloads and failed reloads (never a key)
 * @param where - names an object source in messages, e.g. `the approvalKeys option`
 * @throws BearerGuardConfigError (`ERR_BEARER_GUARD_APPROVAL_KEYS`)
 * @internal
 */
export function loadApprovalKeys(source: ApprovalKeysSource, logger: BearerGuardLogger, where: string, watch = { debounceMs: 100, pollMs: 1000 }): LiveApprovalKeys {
  if (typeof source !== 'string') {
    const fixed = parseTrustedKeys(source, where);
    return { current: () => fixed, refresh: () => undefined, close: () => undefined };
  }
  const label = approvalKeysFileLabel(source);
  let { keys, digest } = readTrustedKeysFile(source);
  const say = (line: string): void => {
    try {
      logger.warn(line);
    } catch {
      // A failing logger changes nothing.
    }
  };
  const check = (): void => {
    let bytes: Buffer | undefined;
    let readError: unknown;
    try {
      bytes = readFileSync(source);
    } catch (err) {
      readError = err;
    }
    const seen = bytes === undefined ? statSignature(source) : sha256(bytes);
    if (seen === digest) return;
    digest = seen;
    try {
      if (bytes === undefined) throw new BearerGuardConfigError('ERR_BEARER_GUARD_APPROVAL_KEYS', `${label}: cannot be read: ${fsReason(readError)}`);
      keys = parseTrustedKeysText(bytes.toString('utf8'), label);
      say(`bearer-guard: approval keys reloaded from ${label}: ${keys.size} key${keys.size === 1 ? '' : 's'}`);
    } catch (err) {
      const problem = err instanceof BearerGuardConfigError ? err.message.replace(/^bearer-guard: /, '') : `${label} could not be read`;
      say(`bearer-guard: error: ${problem}; the previous approval keys stay in force`);
    }
  };
  const stop = watchFile(source, { ...watch, description: label, onError: say }, check);
  return { current: () => keys, refresh: check, close: stop };
}

const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
