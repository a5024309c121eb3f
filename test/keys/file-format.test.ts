// The keys file format: a valid file round-trips; every invalid field is named without echoing a value.
import assert from 'node:assert/strict';
import { createHash, randomInt } from 'node:crypto';
import { describe, test } from 'node:test';
import { BearerGuardConfigError } from '../../src/errors/startup.js';
import { parseKeysFile, serializeKeysFile } from '../../src/keys/file-format.js';
import { assertNoLeak, errorTexts, thrown } from '../helpers/config-fixtures.js';

const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** A token-looking string, planted where a value goes; it must never reach a message. */
const TOKEN = `bgs_${Array.from({ length: 49 }, () => B62[randomInt(62)]).join('')}`;
const WHERE = 'keys file /srv/keys.json';
const digest = (n: number): string => `sha256:${createHash('sha256').update(`token-${n}`).digest('hex')}`;

type Raw = Record<string, unknown>;
const entries = (): Raw[] => [
  {
    id: 'key_alpha', name: 'ci-deploy', family: 'service', scopes: ['models:read', 'models:*'], digest: digest(0), hint: 'bgs_…9xYz',
    created_at: '2026-01-31T00:00:00.000Z', expires_at: '2027-01-31T00:00:00.000Z', revoked_at: '2026-06-01T12:30:00.500Z',
    environment: 'prod', agent_id: 'agent_one',
  },
  // The name looks like a token: no message may echo it, whatever the error.
  { id: 'key_bravo', name: TOKEN, family: 'user', scopes: ['*'], digest: digest(1), hint: 'bgu_…abcd', created_at: '2026-02-01T00:00:00.000Z' },
  { id: 'key_charlie', name: 'runner', family: 'agent', scopes: [], digest: digest(2), hint: 'bga_…wxyz', created_at: '2026-03-01T00:00:00.000Z', expires_at: null },
];
const file = (top: Raw): string => JSON.stringify(top, null, 2);
/** A file whose entry `index` is changed by `change`. */
const withEntry = (index: number, change: (e: Raw) => void): string => {
  const keys = entries();
  change(keys[index]!);
  return file({ version: 1, keys });
};
const set = (field: string, value: unknown) => (e: Raw) => void (e[field] = value);
const drop = (field: string) => (e: Raw) => void delete e[field];

describe('a valid keys file', () => {
  const parsed = parseKeysFile(file({ version: 1, keys: entries() }), WHERE);

  test('parses, with null optionals left out, every entry and scope list frozen', () => {
    assert.equal(parsed.length, 3);
    assert.equal(parsed[1]?.name, TOKEN);
    assert.ok(!('expires_at' in parsed[2]!), 'null counts as absent');
    assert.ok(!('environment' in parsed[1]!), 'absent stays absent');
    for (const entry of parsed) assert.ok(Object.isFrozen(entry) && Object.isFrozen(entry.scopes));
  });

  test('parse(serialize(x)) deep-equals x; the text is 2-space JSON in KeyEntry order with a newline', () => {
    const text = serializeKeysFile(parsed);
    assert.deepEqual(parseKeysFile(text, WHERE), parsed);
    assert.match(text, /^\{\n {2}"version": 1,\n {2}"keys": \[\n {4}\{\n {6}"id": "key_alpha",\n {6}"name"/);
    assert.ok(text.endsWith('}\n'));
    const order = [...text.matchAll(/^ {6}"([a-z_]+)":/gm)].slice(0, 11).map((m) => m[1]);
    assert.deepEqual(order, ['id', 'name', 'family', 'scopes', 'digest', 'hint', 'created_at', 'expires_at', 'revoked_at', 'environment', 'agent_id']);
    assert.ok(!text.includes('null'));
  });

  test('an empty key list and a byte-order mark are fine', () => {
    assert.deepEqual(parseKeysFile('\uFEFF{"version": 1, "keys": []}\n', WHERE), []);
  });
});

// [what is wrong, file text, patterns the message must match]
const B1 = /keys\[1\] \(id key_bravo\): /;
const rows: Array<[string, string, RegExp[]]> = [
  ['id of the wrong type', withEntry(1, set('id', 42)), [/keys\[1\]: "id" must be a string of 1 to 64/]],
  ['id with a bad character', withEntry(1, set('id', `${TOKEN}!`)), [/keys\[1\]: "id" must be/]],
  ['id too long', withEntry(1, set('id', 'k'.repeat(65))), [/keys\[1\]: "id" must be/]],
  ['id missing', withEntry(1, drop('id')), [/keys\[1\]: "id" is missing/]],
  ['a token-like id is not shown', withEntry(1, (e) => Object.assign(e, { id: TOKEN, family: 'root' })), [/keys\[1\]: "family" must be one of user, service, agent, enroll/]],
  ['name of the wrong type', withEntry(1, set('name', 7)), [B1, /"name" must be a string of 1 to 64 printable ASCII/]],
  ['name empty', withEntry(1, set('name', '')), [B1, /"name" must be/]],
  ['name too long', withEntry(1, set('name', 'n'.repeat(65))), [B1, /"name" must be/]],
  ['name with a quote', withEntry(1, set('name', `${TOKEN}"`)), [B1, /"name" must be/]],
  ['name with a control character', withEntry(1, set('name', `${TOKEN}\t`)), [B1, /"name" must be/]],
  ['name missing', withEntry(1, drop('name')), [B1, /"name" is missing/]],
  ['family unknown', withEntry(1, set('family', TOKEN)), [B1, /"family" must be one of/]],
  ['family missing', withEntry(1, drop('family')), [B1, /"family" is missing/]],
  ['scopes not an array', withEntry(1, set('scopes', TOKEN)), [B1, /"scopes" must be an array of scope strings/]],
  ['scopes with a bad scope', withEntry(1, set('scopes', ['models:read', TOKEN])), [B1, /"scopes" must be an array/]],
  ['scopes with a non-string', withEntry(1, set('scopes', [1])), [B1, /"scopes" must be an array/]],
  ['scopes with an empty part', withEntry(1, set('scopes', ['models::read'])), [B1, /"scopes" must be an array/]],
  ['scopes repeated', withEntry(1, set('scopes', ['a:b', 'models:read', 'models:read'])), [B1, /"scopes" lists scopes\[1\] again as scopes\[2\]/]],
  ['scopes missing', withEntry(1, drop('scopes')), [B1, /"scopes" is missing/]],
  ['digest not a digest', withEntry(1, set('digest', TOKEN)), [B1, /"digest" must be "sha256:" followed by 64 lower-case hex/]],
  ['digest in upper case', withEntry(1, set('digest', digest(1).toUpperCase())), [B1, /"digest" must be/]],
  ['digest one digit short', withEntry(1, set('digest', digest(1).slice(0, -1))), [B1, /"digest" must be/]],
  ['digest missing', withEntry(1, drop('digest')), [B1, /"digest" is missing/]],
  ['hint too long', withEntry(1, set('hint', TOKEN)), [B1, /"hint" must be a string of 1 to 16/]],
  ['hint empty', withEntry(1, set('hint', '')), [B1, /"hint" must be/]],
  ['hint missing', withEntry(1, drop('hint')), [B1, /"hint" is missing/]],
  ['created_at not a time', withEntry(1, set('created_at', TOKEN)), [B1, /"created_at" must be an ISO 8601 UTC time/]],
  ['created_at without milliseconds', withEntry(1, set('created_at', '2026-02-01T00:00:00Z')), [B1, /"created_at" must be/]],
  ['created_at a date only', withEntry(1, set('created_at', '2026-02-01')), [B1, /"created_at" must be/]],
  ['created_at a number', withEntry(1, set('created_at', 1767225600000)), [B1, /"created_at" must be/]],
  ['created_at missing', withEntry(1, drop('created_at')), [B1, /"created_at" is missing/]],
  ['expires_at not a time', withEntry(1, set('expires_at', TOKEN)), [B1, /"expires_at" must be an ISO 8601/]],
  ['expires_at with an offset', withEntry(1, set('expires_at', '2027-01-31T01:00:00.000+01:00')), [B1, /"expires_at" must be/]],
  ['revoked_at an impossible date', withEntry(1, set('revoked_at', '2026-02-30T00:00:00.000Z')), [B1, /"revoked_at" must be/]],
  ['environment with a bad character', withEntry(1, set('environment', `${TOKEN}!`)), [B1, /"environment" must be a string of 1 to 64/]],
  ['environment empty', withEntry(1, set('environment', '')), [B1, /"environment" must be/]],
  ['agent_id of the wrong type', withEntry(1, set('agent_id', ['agent_one'])), [B1, /"agent_id" must be/]],
  ['agent_id with a bad character', withEntry(1, set('agent_id', `${TOKEN}/`)), [B1, /"agent_id" must be/]],
  ['an unknown field', withEntry(1, set('colour', TOKEN)), [B1, /has an unknown field "colour"/]],
  ['an unknown field named like a token', withEntry(1, set(TOKEN, 1)), [B1, /has an unknown field \(name not shown\)/]],
  ['an unknown field named like a short token', withEntry(1, set(TOKEN.slice(4, 36), 1)), [B1, /has an unknown field \(name not shown\)/]],
  ['an entry that is not an object', file({ version: 1, keys: [entries()[0], TOKEN] }), [/: keys\[1\]: must be an object$/]],
  ['a duplicate id', withEntry(2, set('id', 'key_alpha')), [/keys\[2\] \(id key_alpha\): "id" is the same as that of keys\[0\]/]],
  ['a duplicate digest', withEntry(2, set('digest', digest(0))), [/keys\[2\] \(id key_charlie\): "digest" is the same as that of keys\[0\]/]],
  ['version 2', file({ version: 2, keys: entries() }), [/: "version" must be 1$/]],
  ['version as a string', file({ version: '1', keys: entries() }), [/: "version" must be 1$/]],
  ['version missing', file({ keys: entries() }), [/: "version" must be 1$/]],
  ['keys not an array', file({ version: 1, keys: { 0: entries()[0] } }), [/: "keys" must be an array/]],
  ['keys missing', file({ version: 1 }), [/: "keys" must be an array/]],
  ['an unknown top-level field', file({ version: 1, keys: [], comment: TOKEN }), [/has an unknown top-level field "comment"/]],
  ['a top-level field named like a token', file({ version: 1, keys: [], [TOKEN]: 1 }), [/unknown top-level field \(name not shown\)/]],
  ['an array', JSON.stringify([entries()[1]]), [/: must be a JSON object with "version" and "keys"$/]],
  ['a JSON string', JSON.stringify(TOKEN), [/: must be a JSON object/]],
  ['null', 'null', [/: must be a JSON object/]],
  ['not JSON: a bare token', `${TOKEN}\n`, [/: is not valid JSON \(line 1\)$/]],
  ['not JSON: a token unquoted on line 4', `{\n  "version": 1,\n  "keys": [\n    {"id": ${TOKEN}}\n  ]\n}\n`, [/: is not valid JSON \(line 4\)$/]],
  ['not JSON: a trailing comma, so the closing brace on line 4 is wrong', `{\n  "version": 1,\n  "keys": [],\n}\n`, [/: is not valid JSON \(line 4\)$/]],
  ['not JSON: cut short', withEntry(1, () => undefined).slice(0, -40), [/: is not valid JSON \(line \d+\)$/]],
  ['not JSON: a raw newline in a string on line 2', `{"version": 1,\n"keys": ["${TOKEN}\n"]}`, [/: is not valid JSON \(line 2\)$/]],
  ['empty', '\n', [/: is empty/]],
];

describe('an invalid keys file', () => {
  test('the table covers every field', () => {
    const named = rows.map(([what]) => what).join(' ');
    for (const field of ['id', 'name', 'family', 'scopes', 'digest', 'hint', 'created_at', 'expires_at', 'revoked_at', 'environment', 'agent_id']) {
      assert.match(named, new RegExp(`\\b${field} `), field);
    }
  });

  for (const [what, text, patterns] of rows) {
    test(what, () => {
      const err = thrown(() => parseKeysFile(text, WHERE));
      assert.ok(err instanceof BearerGuardConfigError);
      assert.equal(err.code, 'ERR_BEARER_GUARD_KEYS_FILE');
      assert.ok(err.message.startsWith(`bearer-guard: ${WHERE}: `), err.message);
      for (const pattern of patterns) assert.match(err.message, pattern);
      assertNoLeak(errorTexts(err), TOKEN, what);
      assert.doesNotMatch(err.message, /[0-9a-fA-F]{16}/, 'no digest, nor a piece of one');
    });
  }
});
