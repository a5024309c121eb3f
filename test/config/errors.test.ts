// Every start-up error of loadAuthConfig, by code and by message (which names the source).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { BearerGuardConfigError, loadAuthConfig, type LoadAuthConfigOptions } from '../../src/index.js';
import { argv, esc, IS_ROOT, TempDir, tokenFor } from '../helpers/config-fixtures.js';

const tmp = new TempDir();
after(() => tmp.cleanup());

const T = tokenFor('err');
const U = tokenFor('other');

interface Case {
  name: string;
  options: LoadAuthConfigOptions;
  code: string;
  message: RegExp;
}

function table(title: string, cases: readonly Case[]): void {
  describe(title, () => {
    for (const c of cases) {
      test(c.name, () => {
        assert.throws(() => loadAuthConfig(c.options), { name: 'BearerGuardConfigError', code: c.code, message: c.message });
        assert.throws(() => loadAuthConfig(c.options), BearerGuardConfigError);
      });
    }
  });
}

const opts = (flags: string[], env: Record<string, string> = {}, extra: LoadAuthConfigOptions = {}): LoadAuthConfigOptions => ({
  argv: argv(...flags),
  env,
  ...extra,
});

table('command-line flags', [
  { name: '--auth-bearer-token without a value', options: opts(['--auth-bearer-token']), code: 'ERR_BEARER_GUARD_INVALID_ARGUMENT', message: /^bearer-guard: --auth-bearer-token needs a value/ },
  { name: '--auth-bearer-token-file without a value', options: opts(['--auth-bearer-token-file']), code: 'ERR_BEARER_GUARD_INVALID_ARGUMENT', message: /--auth-bearer-token-file needs a value/ },
  { name: '--auth-bearer-token followed by another flag', options: opts(['--auth-bearer-token', '--listen-port', '5000']), code: 'ERR_BEARER_GUARD_INVALID_ARGUMENT', message: /--auth-bearer-token is followed by another flag instead of a value; .* --auth-bearer-token=<value>/ },
  { name: '--auth-bearer-token-file followed by another flag', options: opts(['--auth-bearer-token-file', '--auth-required']), code: 'ERR_BEARER_GUARD_INVALID_ARGUMENT', message: /--auth-bearer-token-file is followed by another flag/ },
  { name: '--config-file without a value', options: opts(['--config-file']), code: 'ERR_BEARER_GUARD_INVALID_ARGUMENT', message: /--config-file needs a value/ },
  { name: '--auth-required=x', options: opts(['--auth-required=x']), code: 'ERR_BEARER_GUARD_INVALID_VALUE', message: /--auth-required takes no value, or =true or =false/ },
  { name: '--auth-required=yes', options: opts(['--auth-required=yes']), code: 'ERR_BEARER_GUARD_INVALID_VALUE', message: /--auth-required/ },
  { name: '--auth-required=', options: opts(['--auth-required=']), code: 'ERR_BEARER_GUARD_INVALID_VALUE', message: /--auth-required/ },
]);

table('conflicting sources', [
  { name: '--auth-bearer-token twice', options: opts(['--auth-bearer-token', T, '--auth-bearer-token', U]), code: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES', message: /--auth-bearer-token was given more than once/ },
  { name: '--auth-bearer-token twice, both forms', options: opts([`--auth-bearer-token=${T}`, '--auth-bearer-token', T]), code: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES', message: /--auth-bearer-token was given more than once/ },
  { name: '--auth-bearer-token-file twice', options: opts(['--auth-bearer-token-file', 'a', '--auth-bearer-token-file=b']), code: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES', message: /--auth-bearer-token-file was given more than once/ },
  { name: '--config-file twice', options: opts(['--config-file', 'a', '--config-file', 'b']), code: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES', message: /--config-file was given more than once/ },
  { name: '--auth-required twice', options: opts(['--auth-required', '--auth-required=true']), code: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES', message: /--auth-required was given more than once/ },
  { name: '--auth-bearer-token with --auth-bearer-token-file', options: opts(['--auth-bearer-token', T, '--auth-bearer-token-file', tmp.file(`${U}\n`)]), code: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES', message: /--auth-bearer-token and --auth-bearer-token-file were both given/ },
  { name: 'env AUTH_BEARER_TOKEN with AUTH_BEARER_TOKEN_FILE', options: opts([], { AUTH_BEARER_TOKEN: T, AUTH_BEARER_TOKEN_FILE: tmp.file(`${U}\n`) }), code: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES', message: /env AUTH_BEARER_TOKEN and AUTH_BEARER_TOKEN_FILE are both set/ },
  { name: 'env DEEPAAS_ pair', options: opts([], { DEEPAAS_AUTH_BEARER_TOKEN: T, DEEPAAS_AUTH_BEARER_TOKEN_FILE: 'x' }, { envPrefix: 'DEEPAAS_' }), code: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES', message: /env DEEPAAS_AUTH_BEARER_TOKEN and DEEPAAS_AUTH_BEARER_TOKEN_FILE are both set/ },
  // Conflicts are refused even when a higher source would have won.
  { name: 'env pair under a winning flag', options: opts(['--auth-bearer-token', T], { AUTH_BEARER_TOKEN: U, AUTH_BEARER_TOKEN_FILE: 'x' }), code: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES', message: /env AUTH_BEARER_TOKEN and AUTH_BEARER_TOKEN_FILE/ },
]);

table('env AUTH_REQUIRED', [
  { name: 'AUTH_REQUIRED=maybe', options: opts([], { AUTH_REQUIRED: 'maybe' }), code: 'ERR_BEARER_GUARD_INVALID_VALUE', message: /env AUTH_REQUIRED must be true, false, 1 or 0/ },
  { name: 'AUTH_REQUIRED=yes', options: opts([], { AUTH_REQUIRED: 'yes' }), code: 'ERR_BEARER_GUARD_INVALID_VALUE', message: /env AUTH_REQUIRED must be/ },
  { name: 'AUTH_REQUIRED=2', options: opts([], { AUTH_REQUIRED: '2' }), code: 'ERR_BEARER_GUARD_INVALID_VALUE', message: /env AUTH_REQUIRED must be/ },
  { name: 'DEEPAAS_AUTH_REQUIRED=on', options: opts([], { DEEPAAS_AUTH_REQUIRED: 'on' }, { envPrefix: 'DEEPAAS_' }), code: 'ERR_BEARER_GUARD_INVALID_VALUE', message: /env DEEPAAS_AUTH_REQUIRED must be/ },
]);

const missing = tmp.missing();
const dir = tmp.subdir();
const empty = tmp.file('');
const newlineOnly = tmp.file('\n');
table('token files', [
  { name: 'flag: missing', options: opts(['--auth-bearer-token-file', missing]), code: 'ERR_BEARER_GUARD_TOKEN_FILE', message: new RegExp(`cannot read the token file ${esc(missing)} named by --auth-bearer-token-file: no such file`) },
  { name: 'env: missing', options: opts([], { AUTH_BEARER_TOKEN_FILE: missing }), code: 'ERR_BEARER_GUARD_TOKEN_FILE', message: new RegExp(`${esc(missing)} named by env AUTH_BEARER_TOKEN_FILE: no such file`) },
  { name: 'env with prefix: a directory', options: opts([], { DEEPAAS_AUTH_BEARER_TOKEN_FILE: dir }, { envPrefix: 'DEEPAAS_' }), code: 'ERR_BEARER_GUARD_TOKEN_FILE', message: new RegExp(`${esc(dir)} named by env DEEPAAS_AUTH_BEARER_TOKEN_FILE: it is a directory`) },
  { name: 'flag: empty', options: opts([`--auth-bearer-token-file=${empty}`]), code: 'ERR_BEARER_GUARD_TOKEN_FILE', message: new RegExp(`the token file ${esc(empty)} named by --auth-bearer-token-file is empty`) },
  { name: 'env: only a newline', options: opts([], { AUTH_BEARER_TOKEN_FILE: newlineOnly }), code: 'ERR_BEARER_GUARD_TOKEN_FILE', message: new RegExp(`the token file ${esc(newlineOnly)} named by env AUTH_BEARER_TOKEN_FILE is empty`) },
]);

test('token file unreadable (chmod 000)', { skip: IS_ROOT ? 'running as root: chmod 000 does not stop root from reading' : false }, () => {
  const locked = tmp.file(`${T}\n`, 0o000);
  assert.throws(() => loadAuthConfig(opts(['--auth-bearer-token-file', locked])), {
    code: 'ERR_BEARER_GUARD_TOKEN_FILE',
    message: new RegExp(`${esc(locked)} named by --auth-bearer-token-file: permission denied`),
  });
});

const ini = (lines: string[]): LoadAuthConfigOptions => opts(['--config-file', tmp.ini(lines)]);
function iniCase(name: string, file: string, problem: string): Case {
  return { name, options: opts(['--config-file', file]), code: 'ERR_BEARER_GUARD_CONFIG_FILE', message: new RegExp(`^bearer-guard: config file ${esc(file)} \\(from --config-file\\): ${problem}`) };
}
const binary = tmp.file(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0xff, 0xfe]));
table('config files', [
  iniCase('missing', missing, 'cannot be read: no such file'),
  iniCase('a directory', dir, 'cannot be read: it is a directory'),
  iniCase('binary', binary, 'is not a text file'),
  iniCase('a line that is neither key = value nor [section]', tmp.ini(['[DEFAULT]', 'auth_bearer_token']), 'line 2 is not "key = value" or "\\[section\\]"'),
  iniCase('a line starting with =', tmp.ini([`= ${T}`]), 'line 1 is not "key = value"'),
  iniCase('YAML instead of INI', tmp.ini([`auth_bearer_token: ${T}`]), 'line 1 is not "key = value"'),
  iniCase('unknown key with a did-you-mean hint', tmp.ini([`auth_bearer_tokn = ${T}`]), 'line 1 has an unknown key; did you mean auth_bearer_token\\? \\(known keys: auth_bearer_token, auth_bearer_token_sha256, auth_keys_file, auth_required, auth_approval_keys_file, auth_environment, auth_environment_posture, auth_enrollment_path, auth_redis_url, auth_redis_prefix, auth_redis_resync_interval, auth_redis_max_staleness, auth_throttle, auth_throttle_failures, auth_throttle_window_seconds, auth_throttle_block_seconds\\)'),
  iniCase('unknown key, upper case', tmp.ini([`AUTH_BEARER_TOKEN = ${T}`]), 'line 1 has an unknown key; did you mean auth_bearer_token\\?'),
  iniCase('unknown key, no hint', tmp.ini(['port = 5000']), 'line 1 has an unknown key \\(known keys'),
  iniCase('unknown section', tmp.ini(['[server]', `auth_bearer_token = ${T}`]), 'line 1 starts a section other than \\[DEFAULT\\]; put auth_bearer_token, auth_bearer_token_sha256, auth_keys_file, auth_required, auth_approval_keys_file, auth_environment, auth_environment_posture, auth_enrollment_path, auth_redis_url, auth_redis_prefix, auth_redis_resync_interval, auth_redis_max_staleness, auth_throttle, auth_throttle_failures, auth_throttle_window_seconds, auth_throttle_block_seconds under \\[DEFAULT\\]'),
  iniCase('key set twice in [DEFAULT]', tmp.ini(['[DEFAULT]', `auth_bearer_token = ${T}`, `auth_bearer_token = ${U}`]), 'line 3 repeats a key already set on line 2'),
  iniCase('key set twice at the top', tmp.ini([`auth_bearer_token = ${T}`, `auth_bearer_token = ${T}`]), 'line 2 repeats a key already set on line 1'),
  iniCase('key set at the top and under [DEFAULT]', tmp.ini([`auth_bearer_token = ${T}`, '[DEFAULT]', `auth_bearer_token = ${U}`]), 'auth_bearer_token is set twice'),
  iniCase('auth_required = yes', tmp.ini(['auth_required = yes']), 'auth_required must be true or false'),
]);

test('config file unreadable (chmod 000)', { skip: IS_ROOT ? 'running as root: chmod 000 does not stop root from reading' : false }, () => {
  const locked = tmp.ini([`auth_bearer_token = ${T}`], 0o000);
  assert.throws(() => loadAuthConfig(opts(['--config-file', locked])), {
    code: 'ERR_BEARER_GUARD_CONFIG_FILE',
    message: new RegExp(`config file ${esc(locked)} \\(from --config-file\\): cannot be read: permission denied`),
  });
});

describe('required: any source can demand a token, none can waive it', () => {
  const demands: Array<[string, LoadAuthConfigOptions]> = [
    ['option required: true', opts([], {}, { required: true })],
    ['--auth-required', opts(['--auth-required'])],
    ['--auth-required=true', opts(['--auth-required=true'])],
    ['AUTH_REQUIRED=true', opts([], { AUTH_REQUIRED: 'true' })],
    ['AUTH_REQUIRED=1', opts([], { AUTH_REQUIRED: '1' })],
    ['AUTH_REQUIRED=TRUE', opts([], { AUTH_REQUIRED: 'TRUE' })],
    ['DEEPAAS_AUTH_REQUIRED=true', opts([], { DEEPAAS_AUTH_REQUIRED: 'true' }, { envPrefix: 'DEEPAAS_' })],
    ['INI auth_required = true', ini(['auth_required = true'])],
    ['option true, env AUTH_REQUIRED=false', opts([], { AUTH_REQUIRED: 'false' }, { required: true })],
    ['option true, --auth-required=false', opts(['--auth-required=false'], {}, { required: true })],
    ['env true, --auth-required=false', opts(['--auth-required=false'], { AUTH_REQUIRED: '1' })],
    ['--auth-required, env AUTH_REQUIRED=0', opts(['--auth-required'], { AUTH_REQUIRED: '0' })],
    ['INI true, env false and flag false', opts(['--config-file', tmp.ini(['auth_required = true']), '--auth-required=false'], { AUTH_REQUIRED: 'false' })],
    ['option true, INI false', opts([], {}, { required: true, configFile: tmp.ini(['auth_required = false']) })],
  ];
  for (const [name, options] of demands) {
    test(`${name}: no token -> ERR_BEARER_GUARD_TOKEN_REQUIRED`, () => {
      assert.throws(() => loadAuthConfig(options), {
        name: 'BearerGuardConfigError',
        code: 'ERR_BEARER_GUARD_TOKEN_REQUIRED',
        message: /a bearer token is required but none is configured; set --auth-bearer-token-file <path>, env (DEEPAAS_)?AUTH_BEARER_TOKEN or (DEEPAAS_)?AUTH_BEARER_TOKEN_FILE/,
      });
    });
    test(`${name}: with a token -> required: true`, () => {
      const withToken = { ...options, env: { ...options.env, AUTH_BEARER_TOKEN: T, DEEPAAS_AUTH_BEARER_TOKEN: T } };
      const config = loadAuthConfig(withToken);
      assert.equal(config.required, true);
      assert.equal(config.token?.reveal(), T);
    });
  }
  test('the message uses the prefixed names', () => {
    assert.throws(() => loadAuthConfig(opts([], { DEEPAAS_AUTH_REQUIRED: 'true' }, { envPrefix: 'DEEPAAS_' })), {
      message: /env DEEPAAS_AUTH_BEARER_TOKEN or DEEPAAS_AUTH_BEARER_TOKEN_FILE/,
    });
  });
  test('false everywhere and no token: not required, auth off', () => {
    const config = loadAuthConfig({ ...opts(['--auth-required=false'], { AUTH_REQUIRED: '0' }), required: false, configFile: tmp.ini(['auth_required = false']) });
    assert.equal(config.required, false);
    assert.equal(config.token, undefined);
  });
});
