// Which credentials a command or client uses: --context, else BEARER_GUARD_TOKEN(+_FILE)+ENDPOINT, else BEARER_GUARD_CONTEXT, else current.
import { readFileSync } from 'node:fs';
import { fsReason, shownPath } from '../safety/paths.js';
import { mayContainToken } from '../safety/redact.js';
import { readContexts, type Warn } from './contexts-file.js';
import { CONTEXT_NAME, CONTEXT_NAME_RULE, shownName, TOKEN_SHAPE, type ContextsData, type SavedIdentity } from './contexts-format.js';
import { checkEndpoint } from './endpoint.js';
import { BearerGuardClientError } from './errors.js';
import type { ClientEnv } from './location.js';

/** Where resolved credentials came from. */
export type CredentialsSource = 'context' | 'env' | 'options';

/** Credentials ready to use. The token is never printed by anything that receives this. */
export interface Credentials {
  readonly source: CredentialsSource;
  /** The context's name, for source `context`. */
  readonly context: string | null;
  /** Why this context: `--context`, `BEARER_GUARD_CONTEXT` or `current`. */
  readonly via: 'flag' | 'BEARER_GUARD_CONTEXT' | 'current' | 'BEARER_GUARD_TOKEN' | 'BEARER_GUARD_TOKEN_FILE' | 'options';
  readonly endpoint: string;
  readonly token: string;
  readonly identity: SavedIdentity | null;
}

const set = (v: string | undefined): v is string => v !== undefined && v !== '';

/** The token a file holds (one trailing newline dropped), checked. */
export function readTokenFile(path: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new BearerGuardClientError('ERR_TOKEN_FILE', `${what} ${shownPath(path)}: cannot be read: ${fsReason(err)}`);
  }
  const token = text.replace(/\r?\n$/, '');
  if (token === '') throw new BearerGuardClientError('ERR_TOKEN_FILE', `${what} ${shownPath(path)}: is empty`);
  checkToken(token, `${what} ${shownPath(path)}`);
  return token;
}

/** Checks that `token` can go in an Authorization header. @throws ERR_INVALID_ARGUMENT or ERR_TOKEN_FILE */
export function checkToken(token: string, what: string): string {
  if (!TOKEN_SHAPE.test(token)) {
    const code = what.includes('FILE') || what.includes('file') ? 'ERR_TOKEN_FILE' : 'ERR_INVALID_ARGUMENT';
    throw new BearerGuardClientError(code, `${what}: the token must be one line of letters, digits and - . _ ~ + / = (no spaces); the value is not shown`);
  }
  return token;
}

/** The env token: BEARER_GUARD_TOKEN or the file BEARER_GUARD_TOKEN_FILE names (not both), else undefined. */
export function envToken(env: ClientEnv): { token: string; via: 'BEARER_GUARD_TOKEN' | 'BEARER_GUARD_TOKEN_FILE' } | undefined {
  const value = env.BEARER_GUARD_TOKEN;
  const file = env.BEARER_GUARD_TOKEN_FILE;
  if (set(value) && set(file)) {
    throw new BearerGuardClientError('ERR_INVALID_ARGUMENT', 'BEARER_GUARD_TOKEN and BEARER_GUARD_TOKEN_FILE are both set; set only one');
  }
  if (set(value)) return { token: checkToken(value, 'BEARER_GUARD_TOKEN'), via: 'BEARER_GUARD_TOKEN' };
  if (set(file)) return { token: readTokenFile(file, 'BEARER_GUARD_TOKEN_FILE'), via: 'BEARER_GUARD_TOKEN_FILE' };
  return undefined;
}

/** True when BEARER_GUARD_TOKEN or BEARER_GUARD_TOKEN_FILE is set (not empty). */
export const hasEnvToken = (env: ClientEnv): boolean => set(env.BEARER_GUARD_TOKEN) || set(env.BEARER_GUARD_TOKEN_FILE);

/** Checks a context name given by a user. @throws BearerGuardClientError (`ERR_INVALID_ARGUMENT`) */
export function checkContextName(name: string, what: string): string {
  if (!CONTEXT_NAME.test(name)) throw new BearerGuardClientError('ERR_INVALID_ARGUMENT', `${what} ${shownName(name)} is not a context name: use ${CONTEXT_NAME_RULE}`);
  return name;
}

/** The error for a context name the file does not have, listing the names it has. */
export function unknownContext(data: ContextsData, name: string, what: string, file: string): BearerGuardClientError {
  const known = Object.keys(data.contexts).sort();
  const list = known.length === 0 ? `there are no saved contexts in ${file}; run bearer-guard login --context ${CONTEXT_NAME.test(name) && !mayContainToken(name) ? name : 'NAME'}` : `known contexts: ${known.join(', ')}`;
  return new BearerGuardClientError('ERR_UNKNOWN_CONTEXT', `${what}: no context ${shownName(name)}; ${list}`);
}

function fromContext(data: ContextsData, name: string, via: Credentials['via'], file: string): Credentials {
  const what = via === 'flag' ? '--context' : via === 'BEARER_GUARD_CONTEXT' ? 'BEARER_GUARD_CONTEXT' : 'the current context';
  const saved = data.contexts[checkContextName(name, what)];
  if (saved === undefined) throw unknownContext(data, name, what, file);
  return { source: 'context', context: name, via, endpoint: saved.endpoint, token: saved.token, identity: saved.identity };
}

/**
 * Resolves credentials in the documented order:
 * 1. `context` (the `--context` flag or option);
 * 2. `BEARER_GUARD_TOKEN` or `BEARER_GUARD_TOKEN_FILE`, with `BEARER_GUARD_ENDPOINT` (required);
 * 3. `BEARER_GUARD_CONTEXT`;
 * 4. the file's current context.
 * When 1 wins over a set env token, `note` says the env token was ignored. Reads the file only
 * when needed, and never writes it.
 * @throws BearerGuardClientError: `ERR_NO_CREDENTIALS`, `ERR_NO_ENDPOINT`, `ERR_UNKNOWN_CONTEXT`,
 *   `ERR_TOKEN_FILE`, `ERR_INVALID_ENDPOINT`, `ERR_CREDENTIALS_FILE`, `ERR_INVALID_ARGUMENT`
 */
export function resolveCredentials(input: { context?: string | undefined; env: ClientEnv; file: string; warn: Warn; note: Warn }): Credentials {
  const { env, file, warn } = input;
  if (input.context !== undefined) {
    if (hasEnvToken(env)) input.note(`note: --context ${shownName(input.context)} was given, so the token in ${set(env.BEARER_GUARD_TOKEN) ? 'BEARER_GUARD_TOKEN' : 'BEARER_GUARD_TOKEN_FILE'} is ignored`);
    return fromContext(readContexts(file, warn), input.context, 'flag', file);
  }
  const fromEnv = envToken(env);
  if (fromEnv !== undefined) {
    if (!set(env.BEARER_GUARD_ENDPOINT)) {
      throw new BearerGuardClientError('ERR_NO_ENDPOINT', `${fromEnv.via} is set but BEARER_GUARD_ENDPOINT is not; set it to the server's URL (there is no default host for an env token)`);
    }
    const endpoint = checkEndpoint(env.BEARER_GUARD_ENDPOINT, 'BEARER_GUARD_ENDPOINT');
    return { source: 'env', context: null, via: fromEnv.via, endpoint, token: fromEnv.token, identity: null };
  }
  if (set(env.BEARER_GUARD_CONTEXT)) return fromContext(readContexts(file, warn), env.BEARER_GUARD_CONTEXT, 'BEARER_GUARD_CONTEXT', file);
  const data = readContexts(file, warn);
  if (data.current === null) {
    const hint = set(env.BEARER_GUARD_ENDPOINT) ? ' (BEARER_GUARD_ENDPOINT is set, but without BEARER_GUARD_TOKEN)' : '';
    const some = Object.keys(data.contexts).length > 0 ? `; or pick a saved one with bearer-guard context use NAME (${Object.keys(data.contexts).sort().join(', ')})` : '';
    throw new BearerGuardClientError('ERR_NO_CREDENTIALS', `no credentials${hint}: run bearer-guard login, or set BEARER_GUARD_TOKEN and BEARER_GUARD_ENDPOINT${some}`);
  }
  return fromContext(data, data.current, 'current', file);
}
