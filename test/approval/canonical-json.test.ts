// RFC 8785 test vectors for the canonical JSON serializer, and strict base64url.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeBase64url, encodeBase64url } from '../../src/approval/base64url.js';
import { canonicalize } from '../../src/approval/canonical-json.js';

const hexDouble = (hex: string): number => Buffer.from(hex, 'hex').readDoubleBE(0);

describe('RFC 8785 canonical JSON', () => {
  test('section 3.2.2: the sample input (numbers, escaping, literals)', () => {
    const input = '{\n  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n  "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n  "literals": [null, true, false]\n}';
    const expected = '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}';
    assert.equal(canonicalize(JSON.parse(input)), expected);
    // And its UTF-8 bytes, as the RFC shows them in hex.
    const rfcHex = `
      7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72
      75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a
      5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31
      65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37
      5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30
      30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d`;
    assert.equal(Buffer.from(canonicalize(JSON.parse(input)), 'utf8').toString('hex'), rfcHex.replace(/\s+/g, ''));
  });

  test('section 3.2.3: members sorted by UTF-16 code units', () => {
    const input = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
    const keys = Object.keys(JSON.parse(canonicalize(input)) as object);
    // Integer-like keys come first in a JS object whatever the order; compare the serialized order instead.
    const order = [...canonicalize(input).matchAll(/"([^"]*)":/g)].map((m) => JSON.parse(`"${m[1]!}"`) as string);
    assert.deepEqual(order, ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
    assert.equal(keys.length, 7);
    assert.equal(canonicalize(input), '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis","€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}');
  });

  // Appendix B: IEEE 754 doubles (given as hex) and their ECMAScript serialization.
  const NUMBERS: Array<[string, string]> = [
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ];
  for (const [hex, expected] of NUMBERS) {
    test(`appendix B: ${hex} -> ${expected}`, () => assert.equal(canonicalize(hexDouble(hex)), expected));
  }

  test('appendix B: NaN and Infinity are errors', () => {
    for (const hex of ['7fffffffffffffff', '7ff0000000000000', 'fff0000000000000']) assert.throws(() => canonicalize(hexDouble(hex)), TypeError);
  });

  test('nested structures: arrays keep their order, objects are sorted at every depth, no whitespace', () => {
    assert.equal(canonicalize({ b: [3, { z: 1, a: [] }, 'x'], a: { d: {}, c: null } }), '{"a":{"c":null,"d":{}},"b":[3,{"a":[],"z":1},"x"]}');
  });

  test('string escaping: the short escapes, other controls as lower-case \\u00xx, DEL and non-ASCII as they are', () => {
    assert.equal(canonicalize('\b\t\n\f\r"\\/\u0000\u001f\u007f\u00e9'), '"\\b\\t\\n\\f\\r\\"\\\\/\\u0000\\u001f\u007fé"');
  });

  test('what JSON cannot hold is refused: lone surrogates, undefined, functions, bigints, class instances', () => {
    for (const bad of ['\ud800', 'a\udc00b', undefined, () => 1, 1n, new Date(0), new Map(), Buffer.from('x'), [undefined]]) {
      assert.throws(() => canonicalize(bad), TypeError, String(bad));
    }
    assert.equal(canonicalize('\ud83d\ude00'), '"😀"', 'a surrogate pair is fine');
    assert.equal(canonicalize(Object.assign(Object.create(null) as object, { b: 1, a: 2 })), '{"a":2,"b":1}');
  });
});

describe('strict base64url', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['plain', 'aGVsbG8', '68656c6c6f'],
    ['empty', '', ''],
    ['- and _', '-_8', 'fbff'],
    ['padding', 'aGVsbG8=', undefined],
    ['standard alphabet +', '+_8', undefined],
    ['standard alphabet /', '-/8', undefined],
    ['a stray character', 'aGVs$bG8', undefined],
    ['whitespace', 'aGVs bG8', undefined],
    ['a newline', 'aGVsbG8\n', undefined],
    ['non-zero unused bits (not the canonical encoding)', 'aGVsbG9', undefined],
    ['an impossible length', 'aGVsb', undefined],
  ];
  for (const [name, text, hex] of cases) {
    test(name, () => assert.equal(decodeBase64url(text)?.toString('hex'), hex));
  }
  test('Node alone would accept a stray character (which is why the check exists)', () => {
    assert.equal(Buffer.from('ab$c', 'base64url').length, 2);
    assert.equal(decodeBase64url('ab$c'), undefined);
  });
  test('round trip', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n) & 255));
      assert.deepEqual(decodeBase64url(encodeBase64url(bytes)), bytes);
    }
  });
});
