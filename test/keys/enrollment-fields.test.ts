// Keys-file rules for enrollment: the fields of enrollment tokens and enrolled agents, and the store-level enrollment step.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import type { BearerGuardConfigError } from '../../src/errors/startup.js';
import { enrollInEntries, type EnrollRequest } from '../../src/keys/enroll.js';
import { parseKeysFile, serializeKeysFile } from '../../src/keys/file-format.js';
import { MemoryKeyStore } from '../../src/keys/store.js';
import type { KeyEntry } from '../../src/keys/types.js';

const WHERE = 'keys file /srv/keys.json';
const digest = (n: number): string => `sha256:${createHash('sha256').update(`t${n}`).digest('hex')}`;
const NOW = Date.parse('2026-06-01T00:00:00.000Z');
const enrollEntry = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'key_enroll', name: 'edge-fleet', family: 'enroll', scopes: ['agent:enroll'], digest: digest(0), hint: 'bge_…abcd',
  created_at: '2026-06-01T00:00:00.000Z', expires_at: '2026-06-01T01:00:00.000Z', environment: 'prod', grant_scopes: ['models:predict'], uses: 3, used: 0, ...fields,
});
const parse = (...keys: Record<string, unknown>[]): KeyEntry[] => parseKeysFile(JSON.stringify({ version: 1, keys }), WHERE);

describe('keys file: enrollment fields', () => {
  test('an enrollment token and an enrolled agent round-trip', () => {
    const agent = { id: 'key_agent', name: 'edge-01', family: 'agent', scopes: ['models:predict'], digest: digest(1), hint: 'bga_…wxyz', created_at: '2026-06-01T00:10:00.000Z', environment: 'prod', agent_id: 'agt_abcdefghijkl', enrolled_by: 'key_enroll' };
    const parsed = parse(enrollEntry(), agent);
    assert.deepEqual(parseKeysFile(serializeKeysFile(parsed), WHERE), parsed);
    assert.deepEqual([parsed[0]!.grant_scopes, parsed[0]!.uses, parsed[0]!.used, parsed[1]!.enrolled_by], [['models:predict'], 3, 0, 'key_enroll']);
  });

  const refused: Array<[string, Record<string, unknown>, RegExp]> = [
    ['no environment', enrollEntry({ environment: undefined }), /an enrollment token needs "environment"/],
    ['no expiry', enrollEntry({ expires_at: undefined }), /an enrollment token needs "expires_at"/],
    ['no grant_scopes', enrollEntry({ grant_scopes: undefined }), /needs "grant_scopes"/],
    ['no uses', enrollEntry({ uses: undefined, used: undefined }), /needs "uses"/],
    ['scopes of its own', enrollEntry({ scopes: ['models:predict'] }), /"scopes" must be \["agent:enroll"\]/],
    ['a lifetime over 24 h', enrollEntry({ expires_at: '2026-06-02T00:00:00.001Z' }), /at most 24 h after "created_at"/],
    ['used over uses', enrollEntry({ used: 4 }), /"used" must not be more than "uses"/],
    ['uses 0', enrollEntry({ uses: 0 }), /"uses" must be an integer from 1 to 10000/],
    ['uses 1.5', enrollEntry({ uses: 1.5 }), /"uses" must be an integer/],
    ['used -1', enrollEntry({ used: -1 }), /"used" must be an integer >= 0/],
    ['a bad grant scope', enrollEntry({ grant_scopes: ['Models'] }), /"grant_scopes" must be an array of scope strings/],
    ['a repeated grant scope', enrollEntry({ grant_scopes: ['a', 'a'] }), /"grant_scopes" lists grant_scopes\[0\] again/],
    ['grant_scopes on a service key', { ...enrollEntry(), family: 'service', scopes: ['x'], environment: undefined }, /"grant_scopes" is only for an enrollment token/],
    ['enrolled_by on a user key', { id: 'key_u', name: 'u', family: 'user', scopes: [], digest: digest(2), hint: 'h', created_at: '2026-06-01T00:00:00.000Z', enrolled_by: 'key_enroll' }, /"enrolled_by" is only for an agent key/],
  ];
  for (const [name, entry, says] of refused) {
    test(`refused: ${name}`, () => {
      assert.throws(() => parse(JSON.parse(JSON.stringify(entry)) as Record<string, unknown>), (err: BearerGuardConfigError) => err.code === 'ERR_BEARER_GUARD_KEYS_FILE' && says.test(err.message));
    });
  }
});

describe('enrollInEntries: the store-level step', () => {
  const base = (): KeyEntry[] => parse(enrollEntry({ uses: 2 }));
  const request: EnrollRequest = { tokenId: 'key_enroll', name: 'edge-01', environment: 'prod', now: NOW };

  test('counts one use and adds an agent key bound like the token', () => {
    const { entries, result } = enrollInEntries(base(), request);
    assert.ok(result.ok);
    assert.equal(entries!.length, 2);
    assert.equal(entries![0]!.used, 1);
    const agent = entries![1]!;
    assert.deepEqual([agent.family, agent.name, agent.scopes, agent.environment, agent.enrolled_by, agent.created_at, agent.expires_at], ['agent', 'edge-01', ['models:predict'], 'prod', 'key_enroll', '2026-06-01T00:00:00.000Z', undefined]);
    assert.equal(agent.agent_id, result.entry.agent_id);
    assert.match(result.token, /^bga_/);
    assert.deepEqual(parseKeysFile(serializeKeysFile(entries!), WHERE).length, 2, 'the result is a valid keys file');
  });

  const refusals: Array<[string, (e: KeyEntry[]) => KeyEntry[], Partial<EnrollRequest>, string]> = [
    ['used up', (e) => e.map((x) => ({ ...x, used: 2 })), {}, 'used_up'],
    ['expired at the instant', (e) => e, { now: Date.parse('2026-06-01T01:00:00.000Z') }, 'expired'],
    ['revoked', (e) => e.map((x) => ({ ...x, revoked_at: '2026-05-31T00:00:00.000Z' })), {}, 'revoked'],
    ['another environment', (e) => e, { environment: 'staging' }, 'wrong_environment'],
    ['a server without environment', (e) => e, { environment: undefined }, 'wrong_environment'],
    ['gone', () => [], {}, 'unknown'],
    ['not an enrollment token', (e) => e.map((x) => ({ ...x, family: 'service' as const })), {}, 'unknown'],
  ];
  for (const [name, change, req, reason] of refusals) {
    test(`refuses: ${name}, and changes nothing`, () => {
      const { entries, result } = enrollInEntries(change(base()), { ...request, ...req });
      assert.deepEqual([result.ok, result.ok ? '' : result.reason, entries], [false, reason, undefined]);
    });
  }

  test('MemoryKeyStore.enroll uses it and notifies subscribers', async () => {
    const store = new MemoryKeyStore(base());
    let heard = 0;
    store.subscribe(() => heard++);
    const results = await Promise.all([1, 2, 3].map(() => store.enroll(request)));
    assert.deepEqual(results.map((r) => r.ok), [true, true, false]);
    assert.equal(store.list().length, 3);
    assert.equal(heard, 2);
  });
});
