// Checks of what `keys create` and `keys rotate` are given: name, scopes, expiry and grace period.
import type { Command } from 'commander';
import { parseDuration, parseExpiry } from '../keys/duration.js';
import { isScope } from '../keys/scopes.js';
import { mayContainToken } from '../safety/redact.js';
import { usageError } from './errors.js';

const NAME = /^[\x20-\x7e]{1,64}$/;

/** `text` quoted when it is short, plain and not token-like; otherwise a placeholder. */
export function quoted(text: string): string {
  return /^[\x21-\x7e]{1,64}$/.test(text) && !mayContainToken(text) ? `"${text}"` : '(the value given is not shown)';
}

/**
 * A key name: 1 to 64 printable ASCII characters without quotes.
 * @throws CliError (usage) otherwise
 */
export function checkName(cmd: Command, name: string): string {
  if (!NAME.test(name) || /["'`]/.test(name)) {
    throw usageError(cmd, '--name must be 1 to 64 printable ASCII characters (letters, digits, spaces, punctuation) without quotes, e.g. ci-deploy');
  }
  return name;
}

/**
 * The scopes, each checked, repeats dropped (first one kept).
 * @throws CliError (usage) for a scope that is not a scope string
 */
export function checkScopes(cmd: Command, scopes: readonly string[]): string[] {
  for (const scope of scopes) {
    if (!isScope(scope)) {
      throw usageError(cmd, `--scope ${quoted(scope)} is not a scope: use lower-case words joined by ":" such as models:read, models:* or * (allowed: a-z 0-9 _ . - and a final *)`);
    }
  }
  return [...new Set(scopes)];
}

/**
 * The instant of `--expires`, which must lie in the future.
 * @throws CliError (usage) for an invalid or past expiry
 */
export function checkExpires(cmd: Command, text: string, now: number): number {
  let at: number;
  try {
    at = parseExpiry(text, now);
  } catch (err) {
    throw usageError(cmd, `--expires: ${(err as Error).message}`);
  }
  if (at <= now) throw usageError(cmd, `--expires ${quoted(text)} is in the past; give a future date or a duration such as 30d`);
  return at;
}

/**
 * The grace period of `--grace` in ms (`0` allowed).
 * @throws CliError (usage) for an invalid duration
 */
export function checkGrace(cmd: Command, text: string): number {
  try {
    return parseDuration(text);
  } catch (err) {
    throw usageError(cmd, `--grace: ${(err as Error).message}`);
  }
}
