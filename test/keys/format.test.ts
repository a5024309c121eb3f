// Key token format: shape, b64token charset, uniqueness, CRC-32 checksum, hints, ids, base62 randomness.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as zlib from 'node:zlib';
import { BASE62, encodeBase62Fixed, randomBase62 } from '../../src/keys/base62.js';
import { crc32 } from '../../src/keys/crc32.js';
import {
  generateAgentId,
  generateKey,
  generateKeyId,
  generateLegacyToken,
  hasValidChecksum,
  KEY_TOKEN_LENGTH,
  keyHint,
  looksLikeKeyToken,
} from '../../src/keys/format.js';
import { FAMILY_PREFIX, KEY_FAMILIES } from '../../src/keys/types.js';

const SHAPE = /^bg[usae]_[0-9A-Za-z]{49}$/;
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** `token` with the character at `i` replaced by another base62 character. */
function withCharChanged(token: string, i: number): string {
  const old = BASE62.indexOf(token[i]!);
  const replacement = BASE62[(old + 1 + (i % 61)) % 62]!;
  assert.notEqual(replacement, token[i]);
  return token.slice(0, i) + replacement + token.slice(i + 1);
}

describe('crc32', () => {
  const vectors: [string, number][] = [
    ['', 0],
    ['123456789', 0xcbf43926],
    ['a', 0xe8b7be43],
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
    ['é', 0x0e048d3e], // UTF-8 bytes c3 a9
  ];
  for (const [text, expected] of vectors) {
    test(JSON.stringify(text), () => assert.equal(crc32(text), expected));
  }
  // zlib.crc32 exists from Node 20.15 only (the library supports 20.12), hence the copy under test.
  const zlibCrc32 = (zlib as { crc32?: (data: string) => number }).crc32;
  test('agrees with zlib.crc32 on random and non-ASCII text', { skip: zlibCrc32 === undefined }, () => {
    for (let i = 0; i < 200; i++) {
      const text = randomBase62(i) + (i % 3 === 0 ? '\u00e9\u2026\u{1f511}' : '');
      assert.equal(crc32(text), zlibCrc32!(text), text);
    }
  });
});

describe('base62', () => {
  test('alphabet: digits, upper case, lower case', () => {
    assert.equal(BASE62, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
  });
  const fixed: [number, number, string][] = [
    [0, 6, '000000'],
    [61, 3, '00z'],
    [62, 2, '10'],
    [0xffffffff, 6, '4gfFC3'],
  ];
  for (const [n, width, expected] of fixed) {
    test(`encodeBase62Fixed(${n}, ${width})`, () => assert.equal(encodeBase62Fixed(n, width), expected));
  }
  test('encodeBase62Fixed refuses a number that does not fit, or is not a non-negative integer', () => {
    for (const [n, width] of [[62, 1], [-1, 6], [1.5, 6], [Number.NaN, 6]] as const) {
      assert.throws(() => encodeBase62Fixed(n, width), RangeError);
    }
  });
  test('randomBase62 gives the length asked, from the alphabet, with every character occurring', () => {
    assert.equal(randomBase62(0), '');
    const text = randomBase62(20_000);
    assert.equal(text.length, 20_000);
    const counts = new Map<string, number>();
    for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
    assert.deepEqual([...counts.keys()].sort().join(''), [...BASE62].sort().join(''));
    // Expected ~322 each; a biased or broken sampler (e.g. only 0-9A-Z) falls far outside.
    for (const [c, n] of counts) assert.ok(n > 200 && n < 450, `${c} occurs ${n} times`);
    // A plain `byte % 62` would favour 0-7 (5/256 against 4/256: ~390 against ~312 occurrences).
    const mean = (chars: string): number => [...chars].reduce((sum, c) => sum + (counts.get(c) ?? 0), 0) / chars.length;
    assert.ok(Math.abs(mean(BASE62.slice(0, 8)) - mean(BASE62.slice(8))) < 40, 'the first characters are favoured');
  });
});

describe('generateKey', () => {
  for (const family of KEY_FAMILIES) {
    test(`${family}: shape, b64token, valid checksum, unique over 1000`, () => {
      const seen = new Set<string>();
      for (let i = 0; i < 1000; i++) {
        const token = generateKey(family);
        assert.match(token, SHAPE);
        assert.match(token, B64TOKEN);
        assert.equal(token.length, KEY_TOKEN_LENGTH);
        assert.ok(token.startsWith(`${FAMILY_PREFIX[family]}_`));
        assert.equal(looksLikeKeyToken(token), family);
        assert.ok(hasValidChecksum(token), token);
        seen.add(token);
      }
      assert.equal(seen.size, 1000);
    });
  }
  test('each of the 43 random positions takes many values (no fixed or low-entropy part)', () => {
    const tokens = Array.from({ length: 1000 }, () => generateKey('enroll'));
    for (let i = 4; i < 47; i++) {
      const values = new Set(tokens.map((t) => t[i]));
      assert.ok(values.size >= 55, `position ${i} took ${values.size} values`);
    }
  });
  test('the checksum is the CRC-32 of the first 47 characters', () => {
    const token = generateKey('user');
    assert.equal(token.slice(47), encodeBase62Fixed(crc32(token.slice(0, 47)), 6));
  });
});

describe('looksLikeKeyToken and hasValidChecksum', () => {
  const token = generateKey('service');
  test('every truncation (0 to 52 characters) is not of our shape or fails the checksum', () => {
    for (let n = 0; n < KEY_TOKEN_LENGTH; n++) {
      const cut = token.slice(0, n);
      assert.equal(looksLikeKeyToken(cut), undefined, `length ${n}`);
      assert.equal(hasValidChecksum(cut), false, `length ${n}`);
    }
  });
  test('changing any single character breaks the shape (prefix) or the checksum (body)', () => {
    for (let i = 0; i < KEY_TOKEN_LENGTH; i++) {
      const changed = withCharChanged(token, i);
      if (i < 4) assert.equal(looksLikeKeyToken(changed), undefined, `position ${i}: ${changed}`);
      else assert.equal(looksLikeKeyToken(changed), 'service', `position ${i}`);
      assert.equal(hasValidChecksum(changed), false, `position ${i}: ${changed}`);
    }
  });
  test('the body of one family under another prefix fails the checksum', () => {
    for (const family of KEY_FAMILIES) {
      const original = generateKey(family);
      for (const other of KEY_FAMILIES.filter((f) => f !== family)) {
        const moved = `${FAMILY_PREFIX[other]}_${original.slice(4)}`;
        assert.equal(looksLikeKeyToken(moved), other);
        assert.equal(hasValidChecksum(moved), false, `${family} body under ${other}`);
      }
    }
  });
  const refused: [string, string][] = [
    ['unknown prefix', `bgx_${token.slice(4)}`],
    ['upper-case prefix', `BGS_${token.slice(4)}`],
    ['dash instead of underscore', `bgs-${token.slice(4)}`],
    ['one character too many', `${token}A`],
    ['non-base62 character', `${token.slice(0, 20)}-${token.slice(21)}`],
    ['base64url legacy token', generateLegacyToken()],
    ['empty', ''],
  ];
  for (const [label, value] of refused) {
    test(`refused: ${label}`, () => {
      assert.equal(looksLikeKeyToken(value), undefined);
      assert.equal(hasValidChecksum(value), false);
    });
  }
});

describe('keyHint', () => {
  const cases: [string, string][] = [
    [`bgs_${'A'.repeat(45)}9xYz`, 'bgs_…9xYz'],
    [`bge_${'0'.repeat(45)}abcd`, 'bge_…abcd'],
    ['x'.repeat(39) + 'TAIL', '…TAIL'],
    ['short-secret', '…'],
  ];
  for (const [token, hint] of cases) test(`${token.slice(0, 8)}… gives ${hint}`, () => assert.equal(keyHint(token), hint));
  test('a generated key hints its prefix and last 4 characters', () => {
    const token = generateKey('agent');
    assert.equal(keyHint(token), `bga_\u2026${token.slice(-4)}`);
  });
});

describe('ids and legacy tokens', () => {
  const ids: [string, () => string, RegExp][] = [
    ['generateKeyId', generateKeyId, /^key_[a-z]{12}$/],
    ['generateAgentId', generateAgentId, /^agt_[a-z]{12}$/],
    ['generateLegacyToken', generateLegacyToken, /^[A-Za-z0-9_-]{43}$/],
  ];
  for (const [name, make, shape] of ids) {
    test(`${name}: shape and uniqueness over 1000`, () => {
      const seen = new Set<string>();
      for (let i = 0; i < 1000; i++) {
        const id = make();
        assert.match(id, shape);
        seen.add(id);
      }
      assert.equal(seen.size, 1000);
    });
  }
  test('ids use every letter', () => {
    const letters = new Set(Array.from({ length: 300 }, () => generateKeyId().slice(4)).join(''));
    for (const c of 'abcdefghijklmnopqrstuvwxyz') assert.ok(letters.has(c), c);
  });
});
