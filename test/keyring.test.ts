// The lookup does the same work whatever the candidate and however many keys: one digest, one map lookup.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { digestToken, formatDigest } from '../src/keys/digest.js';
import { Keyring } from '../src/keys/keyring.js';
import type { KeyEntry } from '../src/keys/types.js';

const ISSUER = { realm: 'api', audit: undefined };
const TOKENS = ['first-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'second-token-bbbbbbbbbbbbbbbbbbbbbbbbbbb', 'third-token-cccccccccccccccccccccccccccc'];

function entries(n: number): KeyEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `key_${String.fromCharCode(97 + (i % 26))}${i}`,
    name: `k${i}`,
    family: 'service' as const,
    scopes: ['*'],
    digest: formatDigest(`token-number-${i}-xxxxxxxxxxxxxxxxxxxxxxxx`),
    hint: 'x',
    created_at: '2026-01-01T00:00:00.000Z',
  }));
}

const CANDIDATES: Array<[name: string, candidate: string, expected: string | undefined]> = [
  ['matches the first token', TOKENS[0]!, 'token[0]'],
  ['matches the last token', TOKENS[2]!, 'token[2]'],
  ['long matching prefix', `${TOKENS[0]!.slice(0, -1)}X`, undefined],
  ['different length', 'x', undefined],
  ['same length, nothing in common', 'Z'.repeat(TOKENS[0]!.length), undefined],
  ['very long', 'y'.repeat(4096), undefined],
];

describe('keyring lookup', () => {
  for (const size of [0, 1, 10_000]) {
    const counter = { calls: 0, inputs: [] as string[] };
    const counting = (t: string): string => {
      counter.calls++;
      counter.inputs.push(t);
      return digestToken(t);
    };
    const ring = Keyring.build(ISSUER, TOKENS.map((token, i) => ({ id: `token[${i}]`, token })), entries(size), counting);
    counter.calls = 0; // the accepted tokens' digests are computed once, at build time
    counter.inputs.length = 0;
    for (const [name, candidate, expected] of CANDIDATES) {
      test(`${name}, with ${size} named keys too: ${expected ?? 'no key'}, one digest of the candidate`, () => {
        assert.equal(ring.find(candidate)?.principal.id, expected);
        assert.equal(counter.calls, 1, 'one digest per lookup, none per key');
        assert.deepEqual(counter.inputs, [candidate], 'only the candidate is digested: no raw token is compared');
        counter.calls = 0;
        counter.inputs.length = 0;
      });
    }
  }

  test('a named key is found by its token, and nothing else is', () => {
    const ring = Keyring.build(ISSUER, [], entries(10_000));
    assert.equal(ring.size, 10_000);
    assert.equal(ring.find('token-number-9999-xxxxxxxxxxxxxxxxxxxxxxxx')?.principal.name, 'k9999');
    assert.equal(ring.find('token-number-10000-xxxxxxxxxxxxxxxxxxxxxxxx'), undefined);
  });

  test('a stored digest and a token digest name the same map key', () => {
    const ring = Keyring.build(ISSUER, [{ id: 'token', digest: formatDigest(TOKENS[1]!) }], []);
    assert.equal(ring.find(TOKENS[1]!)?.principal.id, 'token');
  });

  test('the map key is SHA-256 as 32 latin1 characters', () => {
    const d = digestToken('abc');
    assert.equal(d.length, 32);
    assert.equal(Buffer.from(d, 'latin1').toString('hex'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(formatDigest('abc'), `sha256:${createHash('sha256').update('abc').digest('hex')}`);
  });
});
