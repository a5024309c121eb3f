// Token values arrive byte for byte from every source; values that could never match are refused.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { loadAuthConfig, type LoadAuthConfigOptions } from '../../src/index.js';
import { argv, errorTexts, esc, TempDir, thrown } from '../helpers/config-fixtures.js';

const tmp = new TempDir();
after(() => tmp.cleanup());

interface Via {
  name: string;
  /** Options carrying `value`, and the text the source is named by in messages. */
  build(value: string): { options: LoadAuthConfigOptions; names: RegExp };
}

const VIAS: readonly Via[] = [
  { name: 'flag <t>', build: (v) => ({ options: { argv: argv('--auth-bearer-token', v), env: {} }, names: /the token from --auth-bearer-token / }) },
  { name: 'flag =<t>', build: (v) => ({ options: { argv: argv(`--auth-bearer-token=${v}`), env: {} }, names: /the token from --auth-bearer-token / }) },
  {
    name: 'flag file',
    build: (v) => {
      const f = tmp.file(`${v}\n`);
      return { options: { argv: argv('--auth-bearer-token-file', f), env: {} }, names: new RegExp(`--auth-bearer-token-file \\(${esc(f)}\\)`) };
    },
  },
  { name: 'env', build: (v) => ({ options: { argv: argv(), env: { AUTH_BEARER_TOKEN: v } }, names: /the token from env AUTH_BEARER_TOKEN / }) },
  {
    name: 'env with prefix',
    build: (v) => ({ options: { argv: argv(), env: { DEEPAAS_AUTH_BEARER_TOKEN: v }, envPrefix: 'DEEPAAS_' }, names: /the token from env DEEPAAS_AUTH_BEARER_TOKEN / }),
  },
  {
    name: 'env file',
    build: (v) => {
      const f = tmp.file(`${v}\r\n`);
      return { options: { argv: argv(), env: { AUTH_BEARER_TOKEN_FILE: f } }, names: new RegExp(`env AUTH_BEARER_TOKEN_FILE \\(${esc(f)}\\)`) };
    },
  },
  {
    name: 'INI (JSON-quoted, so that whitespace survives)',
    build: (v) => {
      const f = tmp.ini([`auth_bearer_token = ${JSON.stringify(v)}`]);
      return { options: { argv: argv(), env: {}, configFile: f }, names: new RegExp(`the token from config file ${esc(f)} `) };
    },
  },
  {
    name: 'INI (bare)',
    build: (v) => {
      const f = tmp.ini([`auth_bearer_token = ${v}`]);
      return { options: { argv: argv(), env: {}, configFile: f }, names: new RegExp(`the token from config file ${esc(f)} `) };
    },
  },
];

const INTACT: ReadonlyArray<[string, string]> = [
  ['number-like 1e3...', '1e3000000000000000000000000000000000'],
  ['hex-like 0x1F...', '0x1FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF'],
  ['leading zeros, all digits', '000123456789012345678901234567890123456789'],
  ['starts with -', '-abcdefghijklmnopqrstuvwxyz0123456789'],
  ['starts with --', '--auth-required-but-really-a-token-0123456789'],
  ['all b64token punctuation', 'a+b/c~d.e_f-g+h/i~j.k_l-m+n/o~p.q_r-s'],
  ['one = of padding', 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmM='],
  ['== padding', 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk+/=='],
  ['base64url', 'xK3_9-Qz8LmN2pR5tV7wY0aB4cD6eF1gH3jK5lM7nP0'],
];

describe('tokens arrive byte for byte', () => {
  for (const via of VIAS) {
    for (const [label, value] of INTACT) {
      // "--flag --value" is refused as a forgotten value (see errors.test.ts); "--flag=--value" works.
      if (via.name === 'flag <t>' && value.startsWith('--')) continue;
      test(`${via.name}: ${label}`, () => {
        const config = loadAuthConfig(via.build(value).options);
        assert.equal(config.token?.reveal(), value);
        assert.deepEqual(config.warnings, []);
      });
    }
  }
});

describe('token files: exactly one trailing newline is stripped', () => {
  const V = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmM=';
  const ok: ReadonlyArray<[string, string]> = [
    ['no newline', V],
    ['\\n', `${V}\n`],
    ['\\r\\n', `${V}\r\n`],
  ];
  for (const [label, content] of ok) {
    test(label, () => {
      const config = loadAuthConfig({ argv: argv(), env: { AUTH_BEARER_TOKEN_FILE: tmp.file(content) } });
      assert.equal(config.token?.reveal(), V);
    });
  }
  // Before issue 9 this was ERR_BEARER_GUARD_TOKEN_INVALID; the file's own problem is now named.
  test('two newlines: the second one stays, and the file is refused for having more than one line', () => {
    assert.throws(() => loadAuthConfig({ argv: argv(), env: { AUTH_BEARER_TOKEN_FILE: tmp.file(`${V}\n\n`) } }), {
      code: 'ERR_BEARER_GUARD_TOKEN_FILE',
      message: /has more than one line; it must hold one token .* keys file \(--auth-keys-file/,
    });
  });
});

const REFUSED: ReadonlyArray<[string, string, RegExp]> = [
  ['contains $', 'abc$defghijklmnopqrstuvwxyz0123456789', /contains characters that RFC 6750 does not allow/],
  ['contains a space', 'abcdefghijklmnop qrstuvwxyz0123456789', /contains characters that RFC 6750 does not allow/],
  ['= in the middle', 'abcdefghijklmnop=qrstuvwxyz0123456789', /contains characters that RFC 6750 does not allow/],
  ['non-ASCII letter', 'abcdefghijklmnopéqrstuvwxyz0123456789', /contains characters that RFC 6750 does not allow/],
  ['whitespace only', ' \t \t ', /is only whitespace/],
];

describe('tokens that could never match are refused at start-up, naming the source, not the value', () => {
  for (const via of VIAS) {
    for (const [label, value, why] of REFUSED) {
      // A bare INI value is trimmed to empty (unset); the quoted form covers whitespace there.
      if (via.name === 'INI (bare)' && label === 'whitespace only') continue;
      test(`${via.name}: ${label}`, () => {
        const { options, names } = via.build(value);
        const err = thrown(() => loadAuthConfig(options));
        assert.equal((err as { code?: unknown }).code, 'ERR_BEARER_GUARD_TOKEN_INVALID');
        assert.equal((err as Error).name, 'BearerGuardConfigError');
        assert.match((err as Error).message, names);
        assert.match((err as Error).message, why);
        for (const text of errorTexts(err)) assert.ok(!text.includes(value), `leaks the value: ${text}`);
      });
    }
  }

  test('longer than maxTokenLength', () => {
    const long = 'a'.repeat(41);
    assert.throws(() => loadAuthConfig({ argv: argv(), env: { DEEPAAS_AUTH_BEARER_TOKEN: long }, envPrefix: 'DEEPAAS_', maxTokenLength: 40 }), {
      code: 'ERR_BEARER_GUARD_TOKEN_INVALID',
      message: /the token from env DEEPAAS_AUTH_BEARER_TOKEN is longer than maxTokenLength \(40 characters\)/,
    });
    assert.equal(loadAuthConfig({ argv: argv(), env: { AUTH_BEARER_TOKEN: long }, maxTokenLength: 41 }).token?.reveal(), long);
  });

  test('the default maxTokenLength is 4096', () => {
    const at = 'b'.repeat(4096);
    assert.equal(loadAuthConfig({ argv: argv('--auth-bearer-token', at), env: {} }).token?.reveal(), at);
    assert.throws(() => loadAuthConfig({ argv: argv('--auth-bearer-token', `${at}b`), env: {} }), {
      code: 'ERR_BEARER_GUARD_TOKEN_INVALID',
      message: /--auth-bearer-token is longer than maxTokenLength \(4096 characters\)/,
    });
  });
});
