// Issue 9, fail safe at start-up: empty sources, misspelt flags and env vars, boolean flag forms, clearer messages.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, describe, test } from 'node:test';
import express from 'express';
import request from 'supertest';
import { bearerGuard, loadAuthConfig, type LoadAuthConfigOptions } from '../../src/index.js';
import { SETTINGS, type Setting } from '../../src/config/settings.js';
import { makeKey, writeKeysFile } from '../helpers/keys.js';
import { approver, jwks } from '../approval/fixtures.js';
import { argv, captureLogger, errorTexts, TempDir, thrown, tokenFor } from '../helpers/config-fixtures.js';

const tmp = new TempDir();
after(() => tmp.cleanup());

const T = tokenFor('failsafe');
const keysFile = tmp.file('');
writeKeysFile(keysFile, [makeKey().entry]);

// A valid value for each setting, so that a real source can stand beside an empty one. A setting
// added to the table without one here gets its "alone" cases, and a skipped "beside" case saying so.
const VALID: Record<string, string> = {
  token: T,
  tokenSha256: `sha256:${createHash('sha256').update(T).digest('hex')}`,
  keysFile,
  configFile: tmp.ini(['auth_required = false']),
  required: 'false',
  approvalKeysFile: tmp.file(jwks(approver('k1'))),
  environment: 'prod-eu',
  environmentPosture: 'prod',
  enrollmentPath: '/v2/agents',
  redisUrl: 'redis://127.0.0.1:6379/0',
  redisPrefix: 'svc-a:',
  redisResyncInterval: '5',
  redisMaxStaleness: '60',
  throttle: 'true',
  throttleFailures: '50',
  throttleWindowSeconds: '60',
  throttleBlockSeconds: '300',
};

type Where = 'flag' | 'flag-file' | 'env' | 'env-file' | 'ini';

/** Options giving `s` empty at `where`, or with `value` there. */
function at(s: Setting, where: Where, value: string): LoadAuthConfigOptions {
  switch (where) {
    case 'flag':
      return { argv: argv(`${s.flag}=${value}`), env: {} };
    case 'flag-file':
      return { argv: argv(`${s.flag}-file=${value}`), env: {} };
    case 'env':
      return { argv: argv(), env: { [s.env]: value } };
    case 'env-file':
      return { argv: argv(), env: { [`${s.env}_FILE`]: value } };
    case 'ini':
      return { argv: argv(), env: {}, configFile: tmp.ini([`${s.ini} = ${value}`]) };
  }
}

function merge(a: LoadAuthConfigOptions, b: LoadAuthConfigOptions): LoadAuthConfigOptions {
  return { argv: [...(a.argv ?? []), ...(b.argv ?? []).slice(2)], env: { ...a.env, ...b.env }, ...((a.configFile ?? b.configFile) !== undefined && { configFile: a.configFile ?? b.configFile }) };
}

const NAMES: Record<Where, (s: Setting) => string> = {
  flag: (s) => s.flag,
  'flag-file': (s) => `${s.flag}-file`,
  env: (s) => `env ${s.env}`,
  'env-file': (s) => `env ${s.env}_FILE`,
  ini: (s) => `config file .+ sets ${s.ini}`,
};

function wheres(s: Setting): Where[] {
  // A boolean flag's `=` form with nothing after it is a bad boolean (see "boolean flags" below).
  const list: Where[] = s.type === 'boolean' ? ['env'] : ['flag', 'env'];
  if (s.fileTwin) list.push('flag-file', 'env-file');
  if (s.ini !== undefined) list.push('ini');
  return list;
}

describe('every setting of the table: an empty source alone is ERR_BEARER_GUARD_EMPTY_VALUE naming it', () => {
  const covered = new Set<string>();
  for (const s of SETTINGS) {
    for (const where of wheres(s)) {
      covered.add(s.key);
      test(`${s.name} empty at ${where}`, () => {
        const err = thrown(() => loadAuthConfig(at(s, where, '')));
        assert.equal((err as { code?: string }).code, 'ERR_BEARER_GUARD_EMPTY_VALUE');
        assert.match((err as Error).message, new RegExp(`^bearer-guard: ${NAMES[where](s)}`));
        assert.match((err as Error).message, /no other source gives a value for /);
      });
    }
  }
  test('the table covers every setting', () => {
    assert.deepEqual([...covered].sort(), SETTINGS.map((s) => s.key).sort());
  });

  test('--auth-bearer-token "$TOKEN" with TOKEN unset: bearerGuard refuses to build, so no server starts open', () => {
    assert.throws(() => bearerGuard({ argv: argv('--auth-bearer-token', ''), env: {}, logger: captureLogger() }), {
      code: 'ERR_BEARER_GUARD_EMPTY_VALUE',
      message: /--auth-bearer-token was given an empty value \(an unset shell variable, as in --auth-bearer-token "\$VAR"\?\), and no other source gives a value for auth_bearer_token or auth_bearer_token_sha256, so it would stay unset; give a value, or leave --auth-bearer-token out/,
    });
  });

  test('an empty --auth-bearer-token is not rescued by a keys file: the token it meant is still missing', () => {
    assert.throws(() => loadAuthConfig({ argv: argv('--auth-bearer-token=', '--auth-keys-file', keysFile), env: {} }), { code: 'ERR_BEARER_GUARD_EMPTY_VALUE' });
  });
});

describe('every setting of the table: an empty source beside a value elsewhere is W_BEARER_GUARD_EMPTY_VALUE', () => {
  for (const s of SETTINGS) {
    for (const where of wheres(s)) {
      const value = VALID[s.key];
      // The value comes from the env var, or from the flag when the env var is the empty one.
      const other: Where = where === 'env' || where === 'env-file' ? (s.type === 'boolean' ? 'ini' : 'flag') : 'env';
      test(`${s.name} empty at ${where}, given at ${other}`, { skip: value === undefined ? `no valid value for ${s.key} in VALID` : false }, () => {
        const config = loadAuthConfig(merge(at(s, where, ''), at(s, other, value!)));
        const w = config.warnings.find((x) => x.code === 'W_BEARER_GUARD_EMPTY_VALUE');
        assert.ok(w, config.warnings.map((x) => x.message).join('\n'));
        assert.match(w.message, new RegExp(`${NAMES[where](s)}.*; it is ignored, and a value for .*${s.name}.* comes from ${NAMES[other](s).replace(/ sets .*/, '')}`));
        if (s.key === 'token') assert.equal(config.token?.reveal(), T);
      });
    }
  }

  test('the token digest covers an empty token: they are one setting', () => {
    const config = loadAuthConfig({ argv: argv('--auth-bearer-token='), env: { AUTH_BEARER_TOKEN_SHA256: VALID.tokenSha256! } });
    assert.deepEqual(config.warnings.map((w) => w.code), ['W_BEARER_GUARD_EMPTY_VALUE']);
    assert.match(config.warnings[0]!.message, /comes from env AUTH_BEARER_TOKEN_SHA256/);
  });

  test('an empty token beside a real one on a real app: the real one is accepted, the warning logged', async () => {
    const logger = captureLogger();
    const app = express();
    app.use(bearerGuard({ argv: argv('--auth-bearer-token='), env: { AUTH_BEARER_TOKEN: T }, logger }));
    app.get('/v2/models/', (_req, res) => void res.json({ ok: true }));
    await request(app).get('/v2/models/').expect(401);
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${T}`).expect(200);
    assert.equal(logger.lines.length, 1);
    assert.match(logger.lines[0]!, /warning \[W_BEARER_GUARD_EMPTY_VALUE\]: --auth-bearer-token was given an empty value/);
  });
});

interface Refusal {
  name: string;
  options: LoadAuthConfigOptions;
  code: string;
  message: RegExp;
}

function refusals(title: string, cases: readonly Refusal[]): void {
  describe(title, () => {
    for (const c of cases) {
      test(c.name, () => {
        assert.throws(() => loadAuthConfig(c.options), { name: 'BearerGuardConfigError', code: c.code, message: c.message });
      });
    }
  });
}

const withToken = (...flags: string[]): string[] => argv('--auth-bearer-token', T, ...flags);

refusals('misspelt flags starting with --auth: ERR_BEARER_GUARD_UNKNOWN_ARGUMENT with "did you mean", even beside a token', [
  { name: '--auth-bearer-tokn', options: { argv: argv('--auth-bearer-tokn', T), env: {} }, code: 'ERR_BEARER_GUARD_UNKNOWN_ARGUMENT', message: /^bearer-guard: unknown argument --auth-bearer-tokn; did you mean --auth-bearer-token\?/ },
  { name: '--auth_bearer_token', options: { argv: argv('--auth_bearer_token', T), env: {} }, code: 'ERR_BEARER_GUARD_UNKNOWN_ARGUMENT', message: /unknown argument --auth_bearer_token; did you mean --auth-bearer-token\?/ },
  { name: '--auth_bearer_token=<t>', options: { argv: argv(`--auth_bearer_token=${T}`), env: {} }, code: 'ERR_BEARER_GUARD_UNKNOWN_ARGUMENT', message: /unknown argument --auth_bearer_token; did you mean --auth-bearer-token\?/ },
  { name: '--AUTH-BEARER-TOKEN', options: { argv: argv('--AUTH-BEARER-TOKEN', T), env: {} }, code: 'ERR_BEARER_GUARD_UNKNOWN_ARGUMENT', message: /did you mean --auth-bearer-token\?/ },
  { name: '-auth-bearer-token (one dash)', options: { argv: argv('-auth-bearer-token', T), env: {} }, code: 'ERR_BEARER_GUARD_UNKNOWN_ARGUMENT', message: /did you mean --auth-bearer-token\?/ },
  { name: '--authbearer-token', options: { argv: argv('--authbearer-token', T), env: {} }, code: 'ERR_BEARER_GUARD_UNKNOWN_ARGUMENT', message: /did you mean --auth-bearer-token\?/ },
  { name: '--auth-bearer-token_file', options: { argv: argv('--auth-bearer-token_file', 'x'), env: {} }, code: 'ERR_BEARER_GUARD_UNKNOWN_ARGUMENT', message: /did you mean --auth-bearer-token-file\?/ },
  { name: '--auth-keys-files beside a token', options: { argv: withToken('--auth-keys-files', keysFile), env: {} }, code: 'ERR_BEARER_GUARD_UNKNOWN_ARGUMENT', message: /did you mean --auth-keys-file\?/ },
  { name: '--auth-requird', options: { argv: withToken('--auth-requird'), env: {} }, code: 'ERR_BEARER_GUARD_UNKNOWN_ARGUMENT', message: /did you mean --auth-required\?/ },
  { name: '--no-auth-requird', options: { argv: withToken('--no-auth-requird'), env: {} }, code: 'ERR_BEARER_GUARD_UNKNOWN_ARGUMENT', message: /did you mean --no-auth-required\?/ },
  { name: '--auth alone', options: { argv: withToken('--auth'), env: {} }, code: 'ERR_BEARER_GUARD_UNKNOWN_ARGUMENT', message: /unknown argument --auth \(bearer-guard's flags: --auth-bearer-token, / },
  { name: '--auth-token (no close match)', options: { argv: withToken('--auth-mode', 'strict'), env: {} }, code: 'ERR_BEARER_GUARD_UNKNOWN_ARGUMENT', message: /unknown argument --auth-mode \(bearer-guard's flags/ },
  { name: '--config_file (only _ differs)', options: { argv: withToken('--config_file', 'x.ini'), env: {} }, code: 'ERR_BEARER_GUARD_UNKNOWN_ARGUMENT', message: /did you mean --config-file\?/ },
]);

describe('arguments that are not ours are left to the app', () => {
  for (const args of [['--author', 'me'], ['--authority=x'], ['--listen-port', '5000'], ['--config-dir', '/etc'], ['--', '--auth-bearer-tokn', 'x'], ['model.bin']]) {
    test(args.join(' '), () => {
      assert.equal(loadAuthConfig({ argv: withToken(...args), env: {} }).token?.reveal(), T);
    });
  }
  test('a misspelt flag that holds a token is described, not shown', () => {
    const err = thrown(() => loadAuthConfig({ argv: argv(`--auth-${T}`), env: {} }));
    assert.equal((err as { code?: string }).code, 'ERR_BEARER_GUARD_UNKNOWN_ARGUMENT');
    for (const text of errorTexts(err)) assert.ok(!text.includes(T.slice(0, 20)), text);
  });
});

const D = { envPrefix: 'DEEPAAS_' };
refusals('env vars: unknown <envPrefix>AUTH_ names and unprefixed names of ours', [
  { name: 'DEEPAAS_AUTH_BEARER_TOKE', options: { argv: argv(), env: { DEEPAAS_AUTH_BEARER_TOKE: T }, ...D }, code: 'ERR_BEARER_GUARD_UNKNOWN_ENV', message: /^bearer-guard: env DEEPAAS_AUTH_BEARER_TOKE is not a bearer-guard variable; did you mean DEEPAAS_AUTH_BEARER_TOKEN\?/ },
  { name: 'DEEPAAS_AUTH_BEARER_TOKE beside a real token', options: { argv: withToken(), env: { DEEPAAS_AUTH_BEARER_TOKE: T }, ...D }, code: 'ERR_BEARER_GUARD_UNKNOWN_ENV', message: /did you mean DEEPAAS_AUTH_BEARER_TOKEN\?/ },
  { name: 'deepaas_auth_bearer_token (lower case)', options: { argv: argv(), env: { deepaas_auth_bearer_token: T }, ...D }, code: 'ERR_BEARER_GUARD_UNKNOWN_ENV', message: /did you mean DEEPAAS_AUTH_BEARER_TOKEN\?/ },
  { name: 'DEEPAAS_AUTH_BEARER_TOKEN_FIEL', options: { argv: argv(), env: { DEEPAAS_AUTH_BEARER_TOKEN_FIEL: 'x' }, ...D }, code: 'ERR_BEARER_GUARD_UNKNOWN_ENV', message: /did you mean DEEPAAS_AUTH_BEARER_TOKEN_FILE\?/ },
  { name: 'DEEPAAS_AUTH_SOMETHING_ELSE (no close match)', options: { argv: withToken(), env: { DEEPAAS_AUTH_SOMETHING_ELSE: '1' }, ...D }, code: 'ERR_BEARER_GUARD_UNKNOWN_ENV', message: /env DEEPAAS_AUTH_SOMETHING_ELSE is not a bearer-guard variable \(bearer-guard reads only DEEPAAS_AUTH_BEARER_TOKEN, / },
  { name: 'no prefix: AUTH_BEARER_TOKE beside a real token', options: { argv: withToken(), env: { AUTH_BEARER_TOKE: T } }, code: 'ERR_BEARER_GUARD_UNKNOWN_ENV', message: /env AUTH_BEARER_TOKE is not a bearer-guard variable; did you mean AUTH_BEARER_TOKEN\?/ },
  { name: 'no prefix: AUTH_TYPE while auth would be off', options: { argv: argv(), env: { AUTH_TYPE: 'Basic' } }, code: 'ERR_BEARER_GUARD_UNKNOWN_ENV', message: /env AUTH_TYPE is not a bearer-guard variable .*, and no token or keys file is configured, so auth would be off/ },
  { name: 'unprefixed AUTH_BEARER_TOKEN with envPrefix DEEPAAS_', options: { argv: argv(), env: { AUTH_BEARER_TOKEN: T }, ...D }, code: 'ERR_BEARER_GUARD_UNPREFIXED_ENV', message: /^bearer-guard: AUTH_BEARER_TOKEN is set, but this app reads DEEPAAS_AUTH_BEARER_TOKEN, and no token or keys file is configured/ },
  { name: 'unprefixed AUTH_REQUIRED with envPrefix DEEPAAS_', options: { argv: argv(), env: { AUTH_REQUIRED: 'true' }, ...D }, code: 'ERR_BEARER_GUARD_UNPREFIXED_ENV', message: /AUTH_REQUIRED is set, but this app reads DEEPAAS_AUTH_REQUIRED/ },
]);

describe('env vars that warn', () => {
  const unprefixed = SETTINGS.flatMap((s) => [s.env, ...(s.fileTwin ? [`${s.env}_FILE`] : [])]);
  for (const name of unprefixed) {
    test(`unprefixed ${name} while DEEPAAS_AUTH_BEARER_TOKEN gives a token: W_BEARER_GUARD_UNPREFIXED_ENV`, () => {
      const config = loadAuthConfig({ argv: argv(), env: { DEEPAAS_AUTH_BEARER_TOKEN: T, [name]: 'whatever' }, ...D });
      assert.deepEqual(config.warnings.map((w) => w.code), ['W_BEARER_GUARD_UNPREFIXED_ENV']);
      assert.match(config.warnings[0]!.message, new RegExp(`\\]: ${name} is set, but this app reads DEEPAAS_${name}; `));
      assert.ok(!config.warnings[0]!.message.includes('whatever'));
    });
  }
  test('no prefix: AUTH_TYPE beside a token is a warning (it may belong to other software)', () => {
    const config = loadAuthConfig({ argv: withToken(), env: { AUTH_TYPE: 'Basic' } });
    assert.deepEqual(config.warnings.map((w) => w.code), ['W_BEARER_GUARD_UNKNOWN_ENV']);
    assert.match(config.warnings[0]!.message, /env AUTH_TYPE is set, but is not a bearer-guard variable/);
  });
  test('values are never shown', () => {
    const err = thrown(() => loadAuthConfig({ argv: argv(), env: { DEEPAAS_AUTH_BEARER_TOKE: T }, ...D }));
    for (const text of errorTexts(err)) assert.ok(!text.includes(T), text);
  });
});

describe('boolean flags', () => {
  const forms: Array<[string, string[], boolean]> = [
    ['--auth-required', ['--auth-required'], true],
    ['--auth-required=true', ['--auth-required=true'], true],
    ['--auth-required=false', ['--auth-required=false'], false],
    ['--no-auth-required', ['--no-auth-required'], false],
    ['--auth-required then a positional argument', ['--auth-required', 'model.bin'], true],
  ];
  for (const [name, flags, required] of forms) {
    test(`${name} -> required ${required}`, () => {
      assert.equal(loadAuthConfig({ argv: withToken(...flags), env: {} }).required, required);
    });
  }
  test('--no-auth-required does not waive another source', () => {
    assert.throws(() => loadAuthConfig({ argv: argv('--no-auth-required'), env: { AUTH_REQUIRED: 'true' } }), { code: 'ERR_BEARER_GUARD_TOKEN_REQUIRED' });
  });
});

refusals('boolean flags: stray values and wrong forms show the right spelling', [
  { name: '--auth-required false', options: { argv: withToken('--auth-required', 'false'), env: {} }, code: 'ERR_BEARER_GUARD_INVALID_ARGUMENT', message: /--auth-required takes no separate value, but is followed by "false"; write --auth-required=false/ },
  { name: '--auth-required true', options: { argv: withToken('--auth-required', 'true'), env: {} }, code: 'ERR_BEARER_GUARD_INVALID_ARGUMENT', message: /write --auth-required=true/ },
  { name: '--auth-required 0', options: { argv: withToken('--auth-required', '0'), env: {} }, code: 'ERR_BEARER_GUARD_INVALID_ARGUMENT', message: /write --auth-required=false/ },
  { name: '--no-auth-required false', options: { argv: withToken('--no-auth-required', 'False'), env: {} }, code: 'ERR_BEARER_GUARD_INVALID_ARGUMENT', message: /--no-auth-required takes no separate value.*write --auth-required, --auth-required=true, --auth-required=false or --no-auth-required/ },
  { name: '--no-auth-required=true', options: { argv: withToken('--no-auth-required=true'), env: {} }, code: 'ERR_BEARER_GUARD_INVALID_VALUE', message: /--no-auth-required takes no value/ },
  { name: '--auth-required with --no-auth-required', options: { argv: withToken('--auth-required', '--no-auth-required'), env: {} }, code: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES', message: /--no-auth-required was given more than once/ },
]);

describe('clearer messages', () => {
  test('a token file with two lines says so and points to the keys file', () => {
    assert.throws(() => loadAuthConfig({ argv: argv('--auth-bearer-token-file', tmp.file(`${T}\n${tokenFor('second')}\n`)), env: {} }), {
      code: 'ERR_BEARER_GUARD_TOKEN_FILE',
      message: /named by --auth-bearer-token-file has more than one line; it must hold one token .*For several tokens, .* a keys file \(--auth-keys-file/,
    });
  });
  test('the token-required error says how to name a config file', () => {
    assert.throws(() => loadAuthConfig({ argv: argv('--auth-required'), env: {}, envPrefix: 'DEEPAAS_' }), {
      code: 'ERR_BEARER_GUARD_TOKEN_REQUIRED',
      message: /in a config file named with --config-file <path> or env DEEPAAS_AUTH_CONFIG_FILE/,
    });
  });
  test("an INI file shared with DEEPaaS: its keys are named in a warning, ours are read", () => {
    const file = tmp.ini(['[DEFAULT]', 'listen_ip = 0.0.0.0', 'listen_port = 5000', `auth_bearer_token = ${T}`, 'debug = true']);
    const config = loadAuthConfig({ argv: argv('--config-file', file), env: {} });
    assert.equal(config.token?.reveal(), T);
    assert.deepEqual(config.warnings.map((w) => w.code), ['W_BEARER_GUARD_CONFIG_FILE_DEEPAAS_KEY']);
    assert.match(config.warnings[0]!.message, /has DEEPaaS's own keys listen_ip \(line 2\), listen_port \(line 3\), debug \(line 5\); bearer-guard reads only its own keys \(auth_bearer_token, .*\) and ignores them/);
  });
  test('a key that is neither ours nor DEEPaaS\'s is still refused', () => {
    assert.throws(() => loadAuthConfig({ argv: argv('--config-file', tmp.ini(['listen_ip = 0.0.0.0', 'colour = blue'])), env: {} }), { code: 'ERR_BEARER_GUARD_CONFIG_FILE', message: /line 2 has an unknown key/ });
  });
});

describe('the weak-token warning: once per process per source, not once per guard', () => {
  const weak = 'Wk7pQ2xZ9mLr4Tn8';
  test('three guards from the same flag log it once; another source logs it again', () => {
    const logger = captureLogger();
    for (let i = 0; i < 3; i++) bearerGuard({ argv: argv('--auth-bearer-token', weak), env: {}, logger });
    assert.equal(logger.lines.filter((l) => l.includes('W_BEARER_GUARD_WEAK_TOKEN')).length, 1);
    bearerGuard({ argv: argv(), env: { AUTH_BEARER_TOKEN: weak }, logger });
    assert.equal(logger.lines.filter((l) => l.includes('W_BEARER_GUARD_WEAK_TOKEN')).length, 2);
    assert.match(logger.lines[1]!, /the token from env AUTH_BEARER_TOKEN is shorter/);
  });
  test('loadAuthConfig still returns it every time (it logs nothing)', () => {
    for (let i = 0; i < 2; i++) assert.deepEqual(loadAuthConfig({ argv: argv('--auth-bearer-token', weak), env: {} }).warnings.map((w) => w.code), ['W_BEARER_GUARD_WEAK_TOKEN']);
  });
});
