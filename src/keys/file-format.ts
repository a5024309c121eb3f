// The keys file format: strict parsing of `{"version": 1, "keys": [...]}` and its serialisation.
import { BearerGuardConfigError } from '../errors/startup.js';
import { shownPath } from '../safety/paths.js';
import { mayContainToken } from '../safety/redact.js';
import { isScope } from './scopes.js';
import { checkFamilyFields, MAX_USES } from './family-rules.js';
import { KEY_FAMILIES, type KeyEntry } from './types.js';

type Check = (value: unknown) => boolean;
const str = (re: RegExp): Check => (v) => typeof v === 'string' && re.test(v);
const ID = /^[A-Za-z0-9_.-]{1,64}$/;
const isTime: Check = (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() === v;
const TIME = 'an ISO 8601 UTC time as toISOString() writes it, e.g. 2027-01-31T00:00:00.000Z';
const ID_RULE = '1 to 64 characters from A-Z, a-z, 0-9, "_", "." and "-"';

// Every field in KeyEntry order: whether it is required, its check, and what it must be.
const FIELDS: ReadonlyArray<readonly [keyof KeyEntry, boolean, Check, string]> = [
  ['id', true, str(ID), `a string of ${ID_RULE}`],
  ['name', true, (v) => str(/^[\x20-\x7e]{1,64}$/)(v) && !/["'`]/.test(v as string), 'a string of 1 to 64 printable ASCII characters without quotes'],
  ['family', true, (v) => (KEY_FAMILIES as readonly unknown[]).includes(v), `one of ${KEY_FAMILIES.join(', ')}`],
  ['scopes', true, (v) => Array.isArray(v) && v.every(isScope), 'an array of scope strings such as "models:read", "models:*" or "*"'],
  ['digest', true, str(/^sha256:[0-9a-f]{64}$/), '"sha256:" followed by 64 lower-case hex digits'],
  ['hint', true, (v) => typeof v === 'string' && v.length >= 1 && v.length <= 16, 'a string of 1 to 16 characters'],
  ['created_at', true, isTime, TIME],
  ['expires_at', false, isTime, TIME],
  ['revoked_at', false, isTime, TIME],
  ['environment', false, str(ID), `a string of ${ID_RULE}`],
  ['agent_id', false, str(ID), `a string of ${ID_RULE}`],
  ['enrolled_by', false, str(ID), `a string of ${ID_RULE}`],
  ['grant_scopes', false, (v) => Array.isArray(v) && v.every(isScope), 'an array of scope strings such as "models:predict"'],
  ['uses', false, (v) => Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= MAX_USES, `an integer from 1 to ${MAX_USES}`],
  ['used', false, (v) => Number.isSafeInteger(v) && (v as number) >= 0, 'an integer >= 0'],
];
const FIELD_NAMES: readonly string[] = FIELDS.map(([name]) => name);

/** `keys file <path>`, as every message names it (a path that looks like a token is left out). @internal */
export function keysFileLabel(path: string): string {
  return `keys file ${shownPath(path)}`;
}

/** A field name that is safe to repeat in a message (a token pasted as a name is not). */
const nameOf = (key: string): string => (/^[A-Za-z0-9_]{1,40}$/.test(key) && !mayContainToken(key) ? `"${key}"` : '(name not shown)');

/**
 * Parses and validates a whole keys file. Messages name the entry's index, its id (when it is a
 * valid id that does not look like a token) and the field; never a value, a digest or the text.
 *
 * @param text - the file's content
 * @param where - names the file in messages, e.g. `keys file /etc/model/keys.json`
 * @returns the entries, each frozen, with absent (or null) optional fields left out
 * @throws BearerGuardConfigError (`ERR_BEARER_GUARD_KEYS_FILE`) on the first problem found
 */
export function parseKeysFile(text: string, where: string): KeyEntry[] {
  const fail = (problem: string): never => {
    throw new BearerGuardConfigError('ERR_BEARER_GUARD_KEYS_FILE', `${where}: ${problem}`);
  };
  if (text.trim() === '') fail('is empty; an empty keys file is {"version": 1, "keys": []}');
  const json = text.replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    const at = syntaxErrorAt(json);
    fail(`is not valid JSON${at === undefined ? '' : ` (line ${json.slice(0, at).split('\n').length})`}`);
  }
  if (!isObject(data)) return fail('must be a JSON object with "version" and "keys"');
  for (const key of Object.keys(data)) {
    if (key !== 'version' && key !== 'keys') fail(`has an unknown top-level field ${nameOf(key)}; only "version" and "keys" are allowed`);
  }
  if (data.version !== 1) fail('"version" must be 1');
  if (!Array.isArray(data.keys)) return fail('"keys" must be an array of key entries');
  return checkKeyEntries(data.keys, fail);
}

/**
 * Validates raw key entries (parsed JSON) as {@link parseKeysFile} does, for any store that holds
 * entries in the keys file's JSON form (the Redis store does). Messages name the entry by
 * `at(index)` (default `keys[<index>]`), then its id when it is a valid id that does not look like
 * a token, and the field; never a value or a digest.
 *
 * @param raws - the entries as parsed from JSON
 * @param fail - throws the store's error for one problem
 * @param at - how messages name entry `index`
 * @returns the entries, each frozen, with absent (or null) optional fields left out
 * @throws what `fail` throws, on the first problem found
 */
export function checkKeyEntries(raws: readonly unknown[], fail: (problem: string) => never, at: (index: number) => string = (i) => `keys[${i}]`): KeyEntry[] {
  const ids = new Map<string, number>();
  const digests = new Map<string, number>();
  return raws.map((raw: unknown, index) => {
    const where = at(index);
    if (!isObject(raw)) return fail(`${where}: must be an object`);
    const label = str(ID)(raw.id) && !mayContainToken(raw.id as string) ? `${where} (id ${raw.id as string})` : where;
    for (const key of Object.keys(raw)) {
      if (!FIELD_NAMES.includes(key)) fail(`${label}: has an unknown field ${nameOf(key)} (known fields: ${FIELD_NAMES.join(', ')})`);
    }
    const entry: Record<string, unknown> = {};
    for (const [name, required, check, rule] of FIELDS) {
      const value = raw[name];
      if (value === undefined || (value === null && !required)) {
        if (required) fail(`${label}: "${name}" is missing; it must be ${rule}`);
        continue;
      }
      if (!check(value)) fail(`${label}: "${name}" must be ${rule}`);
      entry[name] = Array.isArray(value) ? Object.freeze([...(value as unknown[])]) : value;
    }
    for (const field of ['scopes', 'grant_scopes'] as const) {
      const scopes = (entry[field] ?? []) as string[];
      const repeated = scopes.findIndex((s, i) => scopes.indexOf(s) !== i);
      if (repeated !== -1) fail(`${label}: "${field}" lists ${field}[${scopes.indexOf(scopes[repeated]!)}] again as ${field}[${repeated}]; list each scope once`);
    }
    checkFamilyFields(entry as unknown as KeyEntry, (problem) => fail(`${label}: ${problem}`));
    const first = ids.get(entry.id as string);
    if (first !== undefined) fail(`${label}: "id" is the same as that of ${at(first)}; ids must be unique`);
    ids.set(entry.id as string, index);
    const twin = digests.get(entry.digest as string);
    if (twin !== undefined) fail(`${label}: "digest" is the same as that of ${at(twin)}; every key needs its own token`);
    digests.set(entry.digest as string, index);
    return Object.freeze(entry) as unknown as KeyEntry;
  });
}

/**
 * One entry as a plain object with its fields in {@link KeyEntry} order and absent optional
 * fields left out: what the keys file holds per key (and the Redis store per hash field).
 */
export function entryRecord(entry: KeyEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name] of FIELDS) if (entry[name] !== undefined) out[name] = entry[name];
  return out;
}

/**
 * Writes entries as a keys file: 2-space JSON, fields in {@link KeyEntry} order, absent optional
 * fields left out, with a trailing newline.
 *
 * @param entries - the entries (not validated here; {@link parseKeysFile} the result to check)
 * @returns the file's text
 */
export function serializeKeysFile(entries: readonly KeyEntry[]): string {
  const keys = entries.map(entryRecord);
  return `${JSON.stringify({ version: 1, keys }, null, 2)}\n`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The offset of the first JSON syntax error (the length when the text ends early), if found. @internal */
export function syntaxErrorAt(text: string): number | undefined {
  let i = 0;
  const token = (re: RegExp): boolean => {
    re.lastIndex = i;
    const ok = re.test(text);
    if (ok) i = re.lastIndex;
    return ok;
  };
  const WS = /[ \t\n\r]*/y;
  const STRING = /"(?:[^"\\\p{Cc}]|\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4}))*"/uy;
  const SCALAR = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
  const need = (ok: boolean): void => {
    if (!ok) throw i;
  };
  const next = (c: string): boolean => token(WS) && text[i] === c && ++i > 0;
  const value = (): void => {
    token(WS);
    const close = text[i] === '{' ? '}' : text[i] === '[' ? ']' : undefined;
    if (close === undefined) return need(token(STRING) || token(SCALAR));
    i++;
    if (next(close)) return;
    do {
      if (close === '}') need(token(WS) && token(STRING) && next(':'));
      value();
    } while (next(','));
    need(next(close));
  };
  try {
    value();
    token(WS);
    return i < text.length ? i : undefined;
  } catch (at) {
    return typeof at === 'number' ? at : undefined;
  }
}
