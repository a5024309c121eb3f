// config check: loads the configuration as bearerGuard() would, shows each setting's source, never a token.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { updateKeysFile } from '../../src/keys/file-write.js';
import { hasStackTrace, jsonOf, runCli, TempDirs, type CliResult } from './helpers.js';

const tmp = new TempDirs();
after(() => tmp.cleanup());
const record: CliResult[] = [];
const check = (args: string[], env?: Record<string, string>): Promise<CliResult> => runCli(['config', 'check', ...args], { record, ...(env && { env }) });

const T = 'Zx8Qm2Lp7Rv4Nt6Kw1Hy3Jd5Bf9Gc0TsQa';
const dir = tmp.make();
const write = (name: string, content: string): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content, { mode: 0o600 });
  return file;
};
const tokenFile = write('token', `${T}\n`);
const ini = write('auth.ini', `[DEFAULT]\nauth_bearer_token = ${T}\nauth_required = true\n`);
const keysFile = path.join(dir, 'keys.json');
const iniKeys = write('keys.ini', `auth_keys_file = ${keysFile}\n`);

interface Report {
  settings: Array<{ name: string; flag: string; env: string; ini: string | null; source: string | null; value?: unknown }>;
  keys?: { file: string; total: number; active: number; expired: number; revoked: number };
  warnings: Array<{ code: string; message: string }>;
  ok: boolean;
}
const sourceOf = (report: Report, name: string): string | null | undefined => report.settings.find((s) => s.name === name)?.source;

describe('config check shows where each setting comes from', () => {
  const past = new Date(Date.now() - 60_000).toISOString();
  const entry = (id: string, more: object) => ({ id, name: id, family: 'service' as const, scopes: [], digest: `sha256:${createHash('sha256').update(id).digest('hex')}`, hint: '…', created_at: past, ...more });
  test.before(() => updateKeysFile(keysFile, () => [entry('key_a', {}), entry('key_b', { expires_at: past }), entry('key_c', { revoked_at: past })]));

  const cases: Array<{ name: string; args: string[]; env?: Record<string, string>; setting: string; source: string; value?: string }> = [
    { name: 'token from env', args: [], env: { AUTH_BEARER_TOKEN: T }, setting: 'auth_bearer_token', source: 'env AUTH_BEARER_TOKEN' },
    { name: 'token from env with --env-prefix', args: ['--env-prefix', 'DEEPAAS_'], env: { DEEPAAS_AUTH_BEARER_TOKEN: T, AUTH_BEARER_TOKEN: 'ignored' }, setting: 'auth_bearer_token', source: 'env DEEPAAS_AUTH_BEARER_TOKEN' },
    { name: 'token from a flag', args: ['--auth-bearer-token', T], setting: 'auth_bearer_token', source: '--auth-bearer-token' },
    { name: 'token file from a flag', args: [`--auth-bearer-token-file=${tokenFile}`], setting: 'auth_bearer_token', source: `--auth-bearer-token-file (${tokenFile})` },
    { name: 'token from INI', args: ['--config-file', ini], setting: 'auth_bearer_token', source: `config file ${ini}` },
    { name: 'config file from a flag', args: ['--config-file', ini], setting: 'auth_config_file', source: '--config-file', value: ini },
    { name: 'config file from env', args: [], env: { AUTH_CONFIG_FILE: ini }, setting: 'auth_config_file', source: 'env AUTH_CONFIG_FILE', value: ini },
    { name: 'required from INI', args: ['--config-file', ini], setting: 'auth_required', source: `config file ${ini}`, value: 'true' },
    { name: 'keys file from a flag', args: ['--auth-keys-file', keysFile], setting: 'auth_keys_file', source: '--auth-keys-file', value: keysFile },
    { name: 'keys file from env', args: [], env: { AUTH_KEYS_FILE: keysFile }, setting: 'auth_keys_file', source: 'env AUTH_KEYS_FILE', value: keysFile },
    { name: 'keys file from INI', args: ['--config-file', iniKeys], setting: 'auth_keys_file', source: `config file ${iniKeys}`, value: keysFile },
  ];
  for (const c of cases) {
    test(`${c.name}: text and --json`, async () => {
      const text = await check([...c.args, '--listen-port', '5000'], c.env);
      assert.equal(text.code, 0, text.stderr);
      const line = text.stdout.split('\n').find((l) => l.startsWith(`${c.setting} `));
      assert.ok(line?.endsWith(`${c.value ?? 'set'} (from ${c.source})`), line);
      // --json given after the server flags still counts as config check's own option.
      const json = await check([...c.args, '--json'], c.env);
      assert.equal(json.code, 0, json.stderr);
      const report = jsonOf<Report>(json);
      assert.equal(report.ok, true);
      assert.equal(sourceOf(report, c.setting), c.source);
    });
  }

  test('every setting of the table is listed with its flag, env var (prefixed) and INI key', async () => {
    const report = jsonOf<Report>(await check(['--json', '--env-prefix', 'DEEPAAS_']));
    assert.deepEqual(
      report.settings.map((s) => [s.name, s.flag, s.env, s.ini, s.source]),
      [
        ['auth_bearer_token', '--auth-bearer-token', 'DEEPAAS_AUTH_BEARER_TOKEN', 'auth_bearer_token', null],
        ['auth_bearer_token_sha256', '--auth-bearer-token-sha256', 'DEEPAAS_AUTH_BEARER_TOKEN_SHA256', 'auth_bearer_token_sha256', null],
        ['auth_keys_file', '--auth-keys-file', 'DEEPAAS_AUTH_KEYS_FILE', 'auth_keys_file', null],
        ['auth_config_file', '--config-file', 'DEEPAAS_AUTH_CONFIG_FILE', null, null],
        ['auth_required', '--auth-required', 'DEEPAAS_AUTH_REQUIRED', 'auth_required', null],
        ['auth_approval_keys_file', '--auth-approval-keys-file', 'DEEPAAS_AUTH_APPROVAL_KEYS_FILE', 'auth_approval_keys_file', null],
        ['auth_environment', '--auth-environment', 'DEEPAAS_AUTH_ENVIRONMENT', 'auth_environment', null],
        ['auth_environment_posture', '--auth-environment-posture', 'DEEPAAS_AUTH_ENVIRONMENT_POSTURE', 'auth_environment_posture', null],
        ['auth_enrollment_path', '--auth-enrollment-path', 'DEEPAAS_AUTH_ENROLLMENT_PATH', 'auth_enrollment_path', null],
        ['auth_redis_url', '--auth-redis-url', 'DEEPAAS_AUTH_REDIS_URL', 'auth_redis_url', null],
        ['auth_redis_prefix', '--auth-redis-prefix', 'DEEPAAS_AUTH_REDIS_PREFIX', 'auth_redis_prefix', null],
        ['auth_redis_resync_interval', '--auth-redis-resync-interval', 'DEEPAAS_AUTH_REDIS_RESYNC_INTERVAL', 'auth_redis_resync_interval', null],
        ['auth_redis_max_staleness', '--auth-redis-max-staleness', 'DEEPAAS_AUTH_REDIS_MAX_STALENESS', 'auth_redis_max_staleness', null],
        ['auth_throttle', '--auth-throttle', 'DEEPAAS_AUTH_THROTTLE', 'auth_throttle', null],
        ['auth_throttle_failures', '--auth-throttle-failures', 'DEEPAAS_AUTH_THROTTLE_FAILURES', 'auth_throttle_failures', null],
        ['auth_throttle_window_seconds', '--auth-throttle-window-seconds', 'DEEPAAS_AUTH_THROTTLE_WINDOW_SECONDS', 'auth_throttle_window_seconds', null],
        ['auth_throttle_block_seconds', '--auth-throttle-block-seconds', 'DEEPAAS_AUTH_THROTTLE_BLOCK_SECONDS', 'auth_throttle_block_seconds', null],
      ],
    );
    assert.deepEqual(report.warnings.map((w) => w.code), ['W_BEARER_GUARD_AUTH_OFF']);
    assert.equal(report.keys, undefined);
  });

  test('the environment settings are shown; an enrollment path without a keys file fails as the server would', async () => {
    const report = jsonOf<Report>(await check(['--json', '--auth-keys-file', keysFile, '--auth-environment', 'prod', '--auth-environment-posture', 'staging', '--auth-enrollment-path', '/v2/agents']));
    const shown = Object.fromEntries(report.settings.map((s) => [s.name, [s.value, s.source]]));
    assert.deepEqual([shown.auth_environment, shown.auth_environment_posture, shown.auth_enrollment_path], [
      ['prod', '--auth-environment'], ['staging', '--auth-environment-posture'], ['/v2/agents', '--auth-enrollment-path'],
    ]);
    const bad = await check(['--auth-bearer-token', 'a-long-enough-single-token-0123456789', '--auth-enrollment-path', '/v2/agents']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /an enrollment path is configured .* no keys file is configured/);
    const posture = await check(['--auth-bearer-token', 'a-long-enough-single-token-0123456789', '--auth-environment-posture', 'live']);
    assert.equal(posture.code, 1);
    assert.match(posture.stderr, /--auth-environment-posture \(auth_environment_posture\) must be one of dev, staging, prod/);
  });

  test('a keys file is summed up by status', async () => {
    const text = await check(['--auth-keys-file', keysFile]);
    assert.ok(text.stdout.includes(`keys file ${keysFile}: 3 keys (1 active, 1 expired, 1 revoked)\n`), text.stdout);
    const json = jsonOf<Report>(await check(['--auth-keys-file', keysFile, '--json']));
    assert.deepEqual(json.keys, { file: keysFile, total: 3, active: 1, expired: 1, revoked: 1 });
  });

  test('warnings are printed', async () => {
    const r = await check(['--auth-bearer-token', 'Short1Token']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /warning \[W_BEARER_GUARD_WEAK_TOKEN\]/);
    assert.match(r.stdout, /configuration OK, with 1 warning\n$/);
  });
});

describe('config check fails with exit 1, naming the file and the problem', () => {
  const badIni = write('bad.ini', `[DEFAULT]\nauth_bearer_tokn = ${T}\n`);
  const missing = path.join(dir, 'missing.json');
  const cases: Array<{ name: string; args: string[]; env?: Record<string, string>; code: string; says: string }> = [
    { name: 'a missing keys file', args: ['--auth-keys-file', missing], code: 'ERR_BEARER_GUARD_KEYS_FILE', says: `keys file ${missing}: cannot be read: no such file` },
    { name: 'a missing keys file from env', args: [], env: { AUTH_KEYS_FILE: missing }, code: 'ERR_BEARER_GUARD_KEYS_FILE', says: `keys file ${missing}: cannot be read` },
    { name: 'a bad INI file', args: ['--config-file', badIni], code: 'ERR_BEARER_GUARD_CONFIG_FILE', says: `config file ${badIni} (from --config-file): ` },
    { name: 'a missing INI file', args: [], env: { AUTH_CONFIG_FILE: path.join(dir, 'nope.ini') }, code: 'ERR_BEARER_GUARD_CONFIG_FILE', says: `config file ${path.join(dir, 'nope.ini')} (from env AUTH_CONFIG_FILE): cannot be read` },
    { name: 'a required token that is missing', args: ['--auth-required'], code: 'ERR_BEARER_GUARD_TOKEN_REQUIRED', says: 'a bearer token is required' },
    { name: 'a token given twice', args: ['--auth-bearer-token', T, '--auth-bearer-token-file', tokenFile], code: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES', says: 'both given' },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const text = await check(c.args, c.env);
      assert.equal(text.code, 1);
      assert.equal(text.stdout, '');
      assert.ok(text.stderr.startsWith('bearer-guard: ') && text.stderr.includes(c.says), text.stderr);
      assert.ok(!hasStackTrace(text.stderr));
      const json = await check([...c.args, '--json'], c.env);
      assert.equal(json.code, 1);
      const out = jsonOf<{ ok: boolean; error: { code: string; message: string } }>(json);
      assert.deepEqual([out.ok, out.error.code], [false, c.code]);
      assert.ok(out.error.message.includes(c.says), out.error.message);
    });
  }
});

// Runs last: covers every run of this file.
test('the token is never printed, whatever its source', () => {
  assert.ok(record.length > 30);
  for (const r of record) {
    const all = r.stdout + r.stderr;
    assert.ok(!all.includes(T) && !all.includes(T.slice(0, 16)), `token shown by: config check ${r.args.join(' ')}`);
  }
});
