// The credentials file format: {"version":1,"current":...,"contexts":{...}}, parsed strictly, never echoing a value.
import { syntaxErrorAt } from '../keys/file-format.js';
import { mayContainToken } from '../safety/redact.js';
import { BearerGuardClientError } from './errors.js';

/** The identity whoami answered at login (snake_case, as the server sends it), or null when the server has no whoami. */
export interface SavedIdentity {
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly scopes: readonly string[];
  readonly expires_at: string | null;
  readonly agent_id?: string;
  readonly environment?: string;
}

/** One saved context. */
export interface SavedContext {
  readonly endpoint: string;
  readonly token: string;
  readonly identity: SavedIdentity | null;
  /** ISO 8601 UTC. */
  readonly saved_at: string;
}

/** The whole file. `contexts` has no prototype, so any valid name is a plain key. */
export interface ContextsData {
  readonly version: 1;
  readonly current: string | null;
  readonly contexts: Readonly<Record<string, SavedContext>>;
}

/** Context names: a letter or digit, then up to 63 of letters, digits, `.`, `_` and `-`. */
export const CONTEXT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** What {@link CONTEXT_NAME} allows, for messages. */
export const CONTEXT_NAME_RULE = '1 to 64 characters: a letter or digit, then letters, digits, ".", "_" or "-" (e.g. staging)';
/** A token as the file and the Authorization header may carry it (RFC 6750 b64token). */
export const TOKEN_SHAPE = /^[A-Za-z0-9\-._~+/]+=*$/;

/** An empty file's data. */
export const emptyContexts = (): ContextsData => ({ version: 1, current: null, contexts: Object.create(null) as Record<string, SavedContext> });

/** `name` quoted when it is safe to repeat, else a placeholder. */
export const shownName = (name: string): string => (CONTEXT_NAME.test(name) && !mayContainToken(name) ? `"${name}"` : '(the name given is not shown)');

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';

/** True when `value` is an identity as whoami answers it. */
export function isIdentity(value: unknown): value is SavedIdentity {
  if (!isObject(value)) return false;
  const { id, name, family, scopes, expires_at: exp, agent_id: agent, environment: env } = value;
  return isString(id) && isString(name) && isString(family) && Array.isArray(scopes) && scopes.every(isString)
    && (exp === null || isString(exp)) && (agent === undefined || isString(agent)) && (env === undefined || isString(env));
}

/**
 * Parses the credentials file. Messages name the file, the context and the field, never a value.
 * @throws BearerGuardClientError (`ERR_CREDENTIALS_FILE`) on the first problem
 */
export function parseContexts(text: string, file: string): ContextsData {
  const fail = (problem: string): never => {
    throw new BearerGuardClientError('ERR_CREDENTIALS_FILE', `credentials file ${file}: ${problem}; fix or remove the file (it was left as it is)`);
  };
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    const at = syntaxErrorAt(text);
    fail(`is not valid JSON${at === undefined ? '' : ` (line ${text.slice(0, at).split('\n').length})`}`);
  }
  if (!isObject(data)) return fail('must be a JSON object {"version":1,"current":...,"contexts":{...}}');
  if (data.version !== 1) {
    fail(typeof data.version === 'number' ? `has version ${data.version}, which this bearer-guard cannot read (it reads version 1); upgrade bearer-guard` : '"version" must be 1');
  }
  if (!isObject(data.contexts)) return fail('"contexts" must be an object of named contexts');
  const contexts = Object.create(null) as Record<string, SavedContext>;
  for (const [name, raw] of Object.entries(data.contexts)) {
    if (!CONTEXT_NAME.test(name) || mayContainToken(name)) fail(`a context name (${name.length} characters, not shown) is not ${CONTEXT_NAME_RULE}`);
    const at = `context "${name}"`;
    if (!isObject(raw)) return fail(`${at} must be an object {"endpoint","token","identity","saved_at"}`);
    if (!isString(raw.endpoint) || !/^https?:\/\//.test(raw.endpoint)) fail(`${at}: "endpoint" must be an http:// or https:// URL`);
    if (!isString(raw.token) || !TOKEN_SHAPE.test(raw.token)) fail(`${at}: "token" must be a non-empty token (letters, digits and - . _ ~ + / =)`);
    const identity = raw.identity ?? null;
    if (identity !== null && !isIdentity(identity)) fail(`${at}: "identity" must be null or {"id","name","family","scopes","expires_at"}`);
    if (!isString(raw.saved_at)) fail(`${at}: "saved_at" must be an ISO 8601 time`);
    contexts[name] = { endpoint: raw.endpoint as string, token: raw.token as string, identity: identity as SavedIdentity | null, saved_at: raw.saved_at as string };
  }
  const current = data.current ?? null;
  if (current !== null && (!isString(current) || !(current in contexts))) fail('"current" must be null or the name of one of its contexts');
  return { version: 1, current: current as string | null, contexts };
}

/** The file's text: 2-space JSON with a trailing newline, contexts in name order. */
export function serializeContexts(data: ContextsData): string {
  const contexts: Record<string, SavedContext> = {};
  for (const name of Object.keys(data.contexts).sort()) contexts[name] = data.contexts[name]!;
  return `${JSON.stringify({ version: 1, current: data.current, contexts }, null, 2)}\n`;
}
