// The comparison does the same work whatever the candidate: one digest, one compare per token.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { constantTimeEqual, createTokenChecker, defaultPrimitives, type CheckerPrimitives } from '../src/keys/digest.js';

function counting(): CheckerPrimitives & { digests: number; compares: number; lengths: Set<number> } {
  const c = {
    digests: 0,
    compares: 0,
    lengths: new Set<number>(),
    digest(v: string) {
      c.digests++;
      return defaultPrimitives.digest(v);
    },
    equal(a: string, b: string) {
      c.compares++;
      c.lengths.add(a.length).add(b.length);
      return defaultPrimitives.equal(a, b);
    },
  };
  return c;
}

const TOKENS = ['first-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'second-token-bbbbbbbbbbbbbbbbbbbbbbbbbbb', 'third-token-cccccccccccccccccccccccccccc'];
const CANDIDATES: Array<[name: string, candidate: string, expected: number]> = [
  ['matches the first token', TOKENS[0]!, 0],
  ['matches the last token', TOKENS[2]!, 2],
  ['long matching prefix', `${TOKENS[0]!.slice(0, -1)}X`, -1],
  ['different length', 'x', -1],
  ['same length, nothing in common', 'Z'.repeat(TOKENS[0]!.length), -1],
  ['very long', 'y'.repeat(4096), -1],
];

describe('token checker', () => {
  for (const [name, candidate, expected] of CANDIDATES) {
    test(`${name}: result ${expected}, one digest and ${TOKENS.length} fixed-size compares`, () => {
      const seam = counting();
      const check = createTokenChecker(TOKENS, seam);
      seam.digests = 0; // the accepted tokens' digests are computed once, at creation
      assert.equal(check(candidate), expected);
      assert.equal(seam.digests, 1);
      assert.equal(seam.compares, TOKENS.length, 'no early exit');
      assert.deepEqual([...seam.lengths], [32], 'only 32-byte digests are compared');
    });
  }

  test('a single token: exactly one compare', () => {
    const seam = counting();
    const check = createTokenChecker([TOKENS[0]!], seam);
    assert.equal(check('nope'), -1);
    assert.equal(seam.compares, 1);
  });
});

describe('constantTimeEqual', () => {
  const d = defaultPrimitives.digest('abc');
  const cases: Array<[string, string, string, boolean]> = [
    ['equal digests', d, defaultPrimitives.digest('abc'), true],
    ['first byte differs', d, String.fromCharCode(d.charCodeAt(0) ^ 1) + d.slice(1), false],
    ['last byte differs', d, d.slice(0, -1) + String.fromCharCode(d.charCodeAt(31) ^ 0x80), false],
    ['different lengths', d, d.slice(1), false],
  ];
  for (const [name, a, b, expected] of cases) {
    test(name, () => assert.equal(constantTimeEqual(a, b), expected));
  }

  test('the default digest is SHA-256 as 32 latin1 characters', () => {
    assert.equal(d.length, 32);
    assert.equal(Buffer.from(d, 'latin1').toString('hex'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
