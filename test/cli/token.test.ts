// token generate and token hash: a strong random token, and the digest of a token read from stdin only.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { hasStackTrace, jsonOf, runCli } from './helpers.js';

const sha256 = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

describe('token generate', () => {
  test('prints 43 base64url characters (32 random bytes), a new one each time', async () => {
    const [a, b] = await Promise.all([runCli(['token', 'generate']), runCli(['token', 'generate'])]);
    for (const r of [a!, b!]) {
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^[A-Za-z0-9_-]{43}\n$/);
      assert.equal(Buffer.from(r.stdout.trimEnd(), 'base64url').length, 32);
      assert.equal(r.stderr, '');
    }
    assert.notEqual(a!.stdout, b!.stdout);
  });

  test('--json prints {"token": ...}', async () => {
    const r = await runCli(['token', 'generate', '--json']);
    assert.equal(r.code, 0);
    assert.match(jsonOf<{ token: string }>(r).token, /^[A-Za-z0-9_-]{43}$/);
  });
});

describe('token hash', () => {
  const token = 'Zx8Qm2Lp7Rv4Nt6Kw1Hy3Jd5Bf9Gc0Ts-_~+/=';
  const inputs: Array<[name: string, input: string, hashed: string]> = [
    ['without a newline', token, token],
    ['with one trailing \\n', `${token}\n`, token],
    ['with one trailing \\r\\n', `${token}\r\n`, token],
    ['with a trailing space (kept)', `${token} \n`, `${token} `],
  ];
  for (const [name, input, hashed] of inputs) {
    test(`reads the token from stdin ${name} and prints sha256:<hex>`, async () => {
      const r = await runCli(['token', 'hash'], { input });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${sha256(hashed)}\n`);
      assert.ok(!(r.stdout + r.stderr).includes(token));
    });
  }

  const refused: Array<[name: string, args: string[]]> = [
    ['a positional argument', [token]],
    ['two positional arguments', ['a', 'b']],
    ['--token <value>', ['--token', token]],
    ['--token=<value>', [`--token=${token}`]],
    ['--token alone', ['--token']],
  ];
  for (const [name, args] of refused) {
    test(`refuses ${name} with exit 2: the token is read from stdin only`, async () => {
      const r = await runCli(['token', 'hash', ...args], { input: token });
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^bearer-guard token hash: the token is read from stdin only, because arguments show in ps and in shell history/);
      assert.ok(r.stderr.endsWith('see bearer-guard token hash --help\n'));
      assert.ok(!r.stderr.includes(token));
    });
  }

  const bad: Array<[name: string, input: string, says: RegExp]> = [
    ['empty stdin', '', /stdin is empty/],
    ['a lone newline', '\n', /stdin is empty/],
    ['two lines', 'abc\ndef\n', /more than one line/],
  ];
  for (const [name, input, says] of bad) {
    test(`refuses ${name} with exit 1`, async () => {
      const r = await runCli(['token', 'hash'], { input });
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, says);
      assert.ok(!hasStackTrace(r.stderr));
    });
  }
});
