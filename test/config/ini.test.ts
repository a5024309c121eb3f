// The INI config file: layouts, quoting, comments, auth_required, and which file is read.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { loadAuthConfig } from '../../src/index.js';
import { argv, esc, TempDir, tokenFor } from '../helpers/config-fixtures.js';

const tmp = new TempDir();
after(() => tmp.cleanup());

const T = tokenFor('ini');

function fromIni(text: string): ReturnType<typeof loadAuthConfig> {
  return loadAuthConfig({ argv: argv('--config-file', tmp.file(text, 0o600, `x${Math.random().toString(36).slice(2)}.ini`)), env: {} });
}

describe('INI layouts and syntax', () => {
  const cases: Array<{ name: string; text: string; token: string | undefined; required?: boolean }> = [
    { name: 'under [DEFAULT]', text: `[DEFAULT]\nauth_bearer_token = ${T}\n`, token: T },
    { name: 'before any section', text: `auth_bearer_token = ${T}\n`, token: T },
    { name: 'no spaces around =', text: `auth_bearer_token=${T}\n`, token: T },
    { name: 'no trailing newline', text: `auth_bearer_token = ${T}`, token: T },
    { name: 'CRLF line endings', text: `[DEFAULT]\r\nauth_bearer_token = ${T}\r\nauth_required = true\r\n`, token: T, required: true },
    { name: 'double quotes', text: `auth_bearer_token = "${T}"\n`, token: T },
    { name: 'single quotes', text: `auth_bearer_token = '${T}'\n`, token: T },
    { name: 'inline ; comment', text: `auth_bearer_token = ${T} ; the prod token\n`, token: T },
    { name: 'inline # comment', text: `auth_bearer_token = ${T} # the prod token\n`, token: T },
    { name: 'double quotes then a comment', text: `auth_bearer_token = "${T}" ; the prod token\n`, token: T },
    { name: 'single quotes then a comment', text: `auth_bearer_token = '${T}' # the prod token\n`, token: T },
    { name: 'full-line comments and blank lines', text: `; header\n# another\n\n[DEFAULT]\n  ; indented\nauth_bearer_token = ${T}\n\n`, token: T },
    { name: 'auth_required = true, top level', text: `auth_required = true\nauth_bearer_token = ${T}\n`, token: T, required: true },
    { name: 'auth_required = true under [DEFAULT]', text: `[DEFAULT]\nauth_required = true\nauth_bearer_token = ${T}\n`, token: T, required: true },
    { name: 'auth_required = false', text: `auth_required = false\nauth_bearer_token = ${T}\n`, token: T, required: false },
    { name: 'one key top level, the other under [DEFAULT]', text: `auth_required = true\n[DEFAULT]\nauth_bearer_token = ${T}\n`, token: T, required: true },
    { name: 'empty file', text: '', token: undefined },
    { name: 'only comments', text: '; nothing here\n# nor here\n', token: undefined },
    { name: 'empty [DEFAULT] section', text: '[DEFAULT]\n', token: undefined },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const config = fromIni(c.text);
      assert.equal(config.token?.reveal(), c.token);
      assert.equal(config.required, c.required ?? false);
      if (c.token !== undefined) assert.deepEqual(config.warnings, []);
    });
  }

  // Empty values were "unset" before issue 9; now each is refused unless another source gives a token.
  for (const [name, text] of [['empty value', 'auth_bearer_token =\n'], ['empty quoted value', 'auth_bearer_token = ""\n'], ['empty quoted value, then a comment', "auth_bearer_token = '' ; none\n"]]) {
    test(`${name} alone is refused`, () => {
      assert.throws(() => fromIni(text!), { code: 'ERR_BEARER_GUARD_EMPTY_VALUE', message: /config file .+ sets auth_bearer_token to an empty value, and no other source gives a value for auth_bearer_token or auth_bearer_token_sha256/ });
    });
  }

  test('a bare true/false/null token stays the string as written (weak warning expected)', () => {
    for (const word of ['true', 'false', 'null']) {
      const config = fromIni(`auth_bearer_token = ${word}\n`);
      assert.equal(config.token?.reveal(), word);
      assert.equal(typeof config.token?.reveal(), 'string');
      assert.deepEqual(config.warnings.map((w) => w.code), ['W_BEARER_GUARD_WEAK_TOKEN']);
    }
  });

  test('auth_required = true with no token anywhere refuses to start', () => {
    assert.throws(() => fromIni('auth_required = true\n'), { name: 'BearerGuardConfigError', code: 'ERR_BEARER_GUARD_TOKEN_REQUIRED' });
  });

  test('auth_required = true in INI cannot be waived by env or flag', () => {
    const file = tmp.ini(['auth_required = true']);
    for (const a of [['--auth-required=false'], []]) {
      assert.throws(() => loadAuthConfig({ argv: argv('--config-file', file, ...a), env: { AUTH_REQUIRED: 'false' } }), {
        code: 'ERR_BEARER_GUARD_TOKEN_REQUIRED',
      });
    }
  });

  test('an INI token loses to env and flags but its auth_required still counts', () => {
    const file = tmp.ini(['auth_required = true', `auth_bearer_token = ${T}`]);
    const config = loadAuthConfig({ argv: argv('--config-file', file), env: { AUTH_BEARER_TOKEN: tokenFor('env') } });
    assert.equal(config.token?.reveal(), tokenFor('env'));
    assert.equal(config.required, true);
    assert.equal(config.configFile, file);
  });
});

describe('which config file is read: --config-file > env AUTH_CONFIG_FILE > configFile option', () => {
  const byFlag = tmp.ini([`auth_bearer_token = ${tokenFor('byflag')}`]);
  const byEnv = tmp.ini([`auth_bearer_token = ${tokenFor('byenv')}`]);
  const byOption = tmp.ini([`auth_bearer_token = ${tokenFor('byoption')}`]);
  const cases: Array<{ name: string; flag?: string; env?: string; option?: string; winner: string; label: string }> = [
    { name: 'all three', flag: byFlag, env: byEnv, option: byOption, winner: byFlag, label: 'byflag' },
    { name: 'flag and env', flag: byFlag, env: byEnv, winner: byFlag, label: 'byflag' },
    { name: 'flag and option', flag: byFlag, option: byOption, winner: byFlag, label: 'byflag' },
    { name: 'env and option', env: byEnv, option: byOption, winner: byEnv, label: 'byenv' },
    { name: 'option alone', option: byOption, winner: byOption, label: 'byoption' },
    // The losers are never opened: a missing path below the winner is harmless.
    { name: 'flag over missing env and option files', flag: byFlag, env: tmp.missing(), option: tmp.missing(), winner: byFlag, label: 'byflag' },
    { name: 'env over a missing option file', env: byEnv, option: tmp.missing(), winner: byEnv, label: 'byenv' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const config = loadAuthConfig({
        argv: c.flag === undefined ? argv() : argv('--config-file', c.flag),
        env: c.env === undefined ? {} : { AUTH_CONFIG_FILE: c.env },
        ...(c.option !== undefined && { configFile: c.option }),
      });
      assert.equal(config.configFile, c.winner);
      assert.equal(config.token?.reveal(), tokenFor(c.label));
      assert.equal(config.tokenSource, `config file ${c.winner}`);
    });
  }

  test('errors say which source named the file', () => {
    const bad = tmp.missing();
    const sources: Array<[string, Parameters<typeof loadAuthConfig>[0]]> = [
      ['--config-file', { argv: argv('--config-file', bad), env: {} }],
      ['env AUTH_CONFIG_FILE', { argv: argv(), env: { AUTH_CONFIG_FILE: bad } }],
      ['env DEEPAAS_AUTH_CONFIG_FILE', { argv: argv(), env: { DEEPAAS_AUTH_CONFIG_FILE: bad }, envPrefix: 'DEEPAAS_' }],
      ['the configFile option', { argv: argv(), env: {}, configFile: bad }],
    ];
    for (const [source, options] of sources) {
      assert.throws(() => loadAuthConfig(options), {
        code: 'ERR_BEARER_GUARD_CONFIG_FILE',
        message: new RegExp(`config file ${esc(bad)} \\(from ${esc(source)}\\): cannot be read: no such file`),
      });
    }
  });
});
