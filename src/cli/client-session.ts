// What the client-side commands share: the credentials file of this run, resolution, options, masking and descriptions.
import { Option, type Command } from 'commander';
import type { Warn } from '../client/contexts-file.js';
import type { SavedIdentity } from '../client/contexts-format.js';
import { BearerGuardClientError } from '../client/errors.js';
import { DEFAULT_TIMEOUT_MS } from '../client/http.js';
import { contextsFilePath } from '../client/location.js';
import { resolveCredentials, type Credentials } from '../client/resolve.js';
import { keyHint } from '../keys/format.js';
import type { CliContext } from './context.js';
import { usageError } from './errors.js';

/** The credentials file of this run (from the run's env), and where its warnings go. */
export function fileOf(ctx: CliContext): { file: string; warn: Warn } {
  return { file: contextsFilePath(ctx.env), warn: (message) => ctx.err(`${message}\n`) };
}

/** The credentials a command uses (see resolveCredentials); notes and warnings go to stderr. */
export function credentialsFor(ctx: CliContext, context: string | undefined): Credentials {
  const { file, warn } = fileOf(ctx);
  return resolveCredentials({ context, env: ctx.env, file, warn, note: warn });
}

/** A token as commands show it: the family prefix and the last 4 characters, e.g. `bgs_…9xYz`. */
export const maskToken = (token: string): string => keyHint(token);

/** `--context <name>`. */
export const contextOption = (what = 'use this saved context (wins over BEARER_GUARD_TOKEN and BEARER_GUARD_CONTEXT)'): Option => new Option('--context <name>', what);

/** `--timeout <seconds>`, default 10. */
export const timeoutOption = (): Option => new Option('--timeout <seconds>', `how long to wait for the server, in seconds (default ${DEFAULT_TIMEOUT_MS / 1000})`);

/**
 * The timeout in ms from `--timeout` (seconds, up to 3600; fractions allowed).
 * @throws CliError (usage) for anything else
 */
export function timeoutMsOf(cmd: Command, text: string | undefined): number {
  if (text === undefined) return DEFAULT_TIMEOUT_MS;
  const s = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(s > 0 && s <= 3600)) throw usageError(cmd, '--timeout must be a number of seconds above 0 and up to 3600, e.g. 30');
  return Math.max(1, Math.round(s * 1000));
}

/** Runs `fn`, turning a client error about what the user typed into a usage error of `cmd`. */
export function asUsage<T>(cmd: Command, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof BearerGuardClientError && (err.code === 'ERR_INVALID_ARGUMENT' || err.code === 'ERR_INVALID_ENDPOINT')) throw usageError(cmd, err.message);
    throw err;
  }
}

/** `key key_x "ci" (family service, scopes models:read, expires never)`, or what is known without whoami. */
export function describeIdentity(identity: SavedIdentity | null): string {
  if (identity === null) return 'identity unknown (the server has no /v2/auth/whoami)';
  const scopes = identity.scopes.length === 0 ? '(none)' : identity.scopes.join(',');
  const id = identity.id === identity.name ? identity.id : `${identity.id} "${identity.name}"`;
  return `key ${id} (family ${identity.family}, scopes ${scopes}, expires ${identity.expires_at ?? 'never'})`;
}

/** Where credentials came from, for a human. */
export function describeSource(c: Credentials): string {
  if (c.source === 'env') return `the env var ${c.via} with BEARER_GUARD_ENDPOINT`;
  if (c.via === 'flag') return `context "${c.context!}" (--context)`;
  if (c.via === 'BEARER_GUARD_CONTEXT') return `context "${c.context!}" (BEARER_GUARD_CONTEXT)`;
  return `context "${c.context!}" (the current context)`;
}

/** Pads rows into columns. @returns the lines, each ending with a newline */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows.map((row) => `${row.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd()}\n`).join('');
}
