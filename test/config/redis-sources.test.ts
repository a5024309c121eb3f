// The Redis settings from every source: flag, -file, env, env _FILE, INI, the redis option; empty values, conflicts, bad values.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { bearerGuard, loadAuthConfig, MemoryKeyStore } from '../../src/index.js';
import { argv, captureLogger, TempDir } from '../helpers/config-fixtures.js';

const tmp = new TempDir();
after(() => tmp.cleanup());

const PASSWORD = 'Zq7Lp2Vx9Kt4';
const URL_A = `redis://:${PASSWORD}@127.0.0.1:6390/1`;
const URL_B = 'redis://127.0.0.1:6391/2';
const keysFile = tmp.file(JSON.stringify({ version: 1, keys: [] }));

/** The message never holds the URL's password (nor the URL). */
function secretFree(err: unknown): boolean {
  const text = `${(err as Error).message}\n${(err as Error).stack}`;
  assert.ok(!text.includes(PASSWORD), `the password leaked: ${text}`);
  return true;
}

describe('the Redis URL: where it comes from', () => {
  const fileA = tmp.file(`${URL_A}\n`);
  const cases: Array<{ name: string; load: Parameters<typeof loadAuthConfig>[0]; url: string; source: string }> = [
    { name: 'flag', load: { argv: argv('--auth-redis-url', URL_A), env: {} }, url: URL_A, source: '--auth-redis-url' },
    { name: 'flag=', load: { argv: argv(`--auth-redis-url=${URL_A}`), env: {} }, url: URL_A, source: '--auth-redis-url' },
    { name: 'flag -file', load: { argv: argv('--auth-redis-url-file', fileA), env: {} }, url: URL_A, source: `--auth-redis-url-file (${fileA})` },
    { name: 'env', load: { argv: [], env: { AUTH_REDIS_URL: URL_A } }, url: URL_A, source: 'env AUTH_REDIS_URL' },
    { name: 'env with envPrefix', load: { argv: [], env: { DEEPAAS_AUTH_REDIS_URL: URL_A }, envPrefix: 'DEEPAAS_' }, url: URL_A, source: 'env DEEPAAS_AUTH_REDIS_URL' },
    { name: 'env _FILE', load: { argv: [], env: { AUTH_REDIS_URL_FILE: fileA } }, url: URL_A, source: `env AUTH_REDIS_URL_FILE (${fileA})` },
    { name: 'INI', load: { argv: [], env: {}, configFile: tmp.ini([`auth_redis_url = ${URL_A}`]) }, url: URL_A, source: 'config file' },
    // Precedence: flag > env > INI; a level's file counts as that level.
    { name: 'flag beats env', load: { argv: argv('--auth-redis-url', URL_B), env: { AUTH_REDIS_URL: URL_A } }, url: URL_B, source: '--auth-redis-url' },
    { name: 'flag -file beats env', load: { argv: argv('--auth-redis-url-file', fileA), env: { AUTH_REDIS_URL: URL_B } }, url: URL_A, source: '--auth-redis-url-file' },
    { name: 'env beats INI', load: { argv: [], env: { AUTH_REDIS_URL: URL_B }, configFile: tmp.ini([`auth_redis_url = ${URL_A}`]) }, url: URL_B, source: 'env AUTH_REDIS_URL' },
    { name: 'env _FILE beats INI', load: { argv: [], env: { AUTH_REDIS_URL_FILE: fileA }, configFile: tmp.ini([`auth_redis_url = ${URL_B}`]) }, url: URL_A, source: 'env AUTH_REDIS_URL_FILE' },
    { name: 'a stale lower-level file is never read', load: { argv: argv('--auth-redis-url', URL_B), env: { AUTH_REDIS_URL_FILE: tmp.missing() } }, url: URL_B, source: '--auth-redis-url' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const config = loadAuthConfig(c.load);
      assert.equal(config.redisUrl?.reveal(), c.url);
      assert.ok(config.sources.auth_redis_url?.startsWith(c.source), config.sources.auth_redis_url);
      assert.ok(!JSON.stringify(config).includes(PASSWORD) && !String(config.redisUrl).includes(PASSWORD));
      // Redis counts as keys: auth is on.
      assert.ok(!config.warnings.some((w) => w.code === 'W_BEARER_GUARD_AUTH_OFF'));
    });
  }

  test('prefix and the two intervals, from flags, env and INI', () => {
    const config = loadAuthConfig({
      argv: argv('--auth-redis-url', URL_B, '--auth-redis-prefix', 'models:'),
      env: { AUTH_REDIS_RESYNC_INTERVAL: '0.5' },
      configFile: tmp.ini(['auth_redis_max_staleness = 2']),
    });
    assert.deepEqual([config.redisPrefix, config.redisResyncInterval, config.redisMaxStaleness], ['models:', 0.5, 2]);
  });

  test('the INI mode warning says the file holds a Redis URL', () => {
    const file = tmp.ini([`auth_redis_url = ${URL_A}`], 0o644);
    const config = loadAuthConfig({ argv: [], env: {}, configFile: file });
    const w = config.warnings.find((x) => x.code === 'W_BEARER_GUARD_CONFIG_FILE_MODE');
    assert.match(w?.message ?? '', /holds a Redis URL and can be read by group or others \(mode 0644\)/);
  });
});

describe('the Redis URL: refused with the source named, never the value', () => {
  const cases: Array<{ name: string; load: Parameters<typeof loadAuthConfig>[0]; code: string; message: RegExp }> = [
    { name: 'empty flag, nothing else', load: { argv: argv('--auth-redis-url='), env: {} }, code: 'ERR_BEARER_GUARD_EMPTY_VALUE', message: /--auth-redis-url was given an empty value/ },
    { name: 'empty flag -file', load: { argv: argv('--auth-redis-url-file='), env: {} }, code: 'ERR_BEARER_GUARD_EMPTY_VALUE', message: /--auth-redis-url-file was given an empty value/ },
    { name: 'empty env', load: { argv: [], env: { AUTH_REDIS_URL: '' } }, code: 'ERR_BEARER_GUARD_EMPTY_VALUE', message: /env AUTH_REDIS_URL is set to the empty string/ },
    { name: 'empty env _FILE', load: { argv: [], env: { AUTH_REDIS_URL_FILE: '' } }, code: 'ERR_BEARER_GUARD_EMPTY_VALUE', message: /env AUTH_REDIS_URL_FILE is set to the empty string/ },
    { name: 'empty INI key', load: { argv: [], env: {}, configFile: tmp.ini(['auth_redis_url =']) }, code: 'ERR_BEARER_GUARD_EMPTY_VALUE', message: /sets auth_redis_url to an empty value/ },
    { name: 'flag and its -file', load: { argv: argv('--auth-redis-url', URL_A, '--auth-redis-url-file', tmp.file(URL_B)), env: {} }, code: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES', message: /--auth-redis-url and --auth-redis-url-file were both given; give one/ },
    { name: 'env and its _FILE', load: { argv: [], env: { AUTH_REDIS_URL: URL_A, AUTH_REDIS_URL_FILE: tmp.file(URL_B) } }, code: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES', message: /env AUTH_REDIS_URL and AUTH_REDIS_URL_FILE are both set; set one/ },
    { name: 'not a redis:// URL (flag)', load: { argv: argv('--auth-redis-url', `http://:${PASSWORD}@127.0.0.1/`), env: {} }, code: 'ERR_BEARER_GUARD_REDIS', message: /--auth-redis-url must be a redis:\/\/ or rediss:\/\/ URL/ },
    { name: 'not a URL (env)', load: { argv: [], env: { AUTH_REDIS_URL: PASSWORD } }, code: 'ERR_BEARER_GUARD_REDIS', message: /env AUTH_REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/ },
    { name: 'not a URL (INI)', load: { argv: [], env: {}, configFile: tmp.ini([`auth_redis_url = ${PASSWORD}`]) }, code: 'ERR_BEARER_GUARD_REDIS', message: /config file .* must be a redis:\/\/ or rediss:\/\/ URL/ },
    { name: 'file missing', load: { argv: argv('--auth-redis-url-file', tmp.missing()), env: {} }, code: 'ERR_BEARER_GUARD_REDIS', message: /cannot read the file .*missing-\d+ named by --auth-redis-url-file: no such file/ },
    { name: 'file empty', load: { argv: [], env: { AUTH_REDIS_URL_FILE: tmp.file('\n') } }, code: 'ERR_BEARER_GUARD_REDIS', message: /named by env AUTH_REDIS_URL_FILE is empty/ },
    { name: 'file of two lines', load: { argv: [], env: { AUTH_REDIS_URL_FILE: tmp.file(`${URL_A}\n${URL_B}\n`) } }, code: 'ERR_BEARER_GUARD_REDIS', message: /named by env AUTH_REDIS_URL_FILE has more than one line; it must hold a Redis URL on one line/ },
    { name: 'the URL given where its file goes', load: { argv: argv('--auth-redis-url-file', URL_A), env: {} }, code: 'ERR_BEARER_GUARD_REDIS', message: /is not shown because it looks like a secret\) named by --auth-redis-url-file/ },
    { name: 'file holding a URL that is not redis://', load: { argv: [], env: { AUTH_REDIS_URL_FILE: tmp.file(`https://:${PASSWORD}@x.org/\n`) } }, code: 'ERR_BEARER_GUARD_REDIS', message: /env AUTH_REDIS_URL_FILE \(.*\) must be a redis:\/\// },
    { name: 'resync interval out of range', load: { argv: argv('--auth-redis-url', URL_B, '--auth-redis-resync-interval', '0'), env: {} }, code: 'ERR_BEARER_GUARD_INVALID_VALUE', message: /--auth-redis-resync-interval must be a number of seconds from 0.05 to 3600/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.throws(() => loadAuthConfig(c.load), (err: Error & { code?: string }) => {
        assert.equal(err.code, c.code, err.message);
        assert.match(err.message, c.message);
        return secretFree(err);
      });
    });
  }

  test('an empty source next to one with a value is a warning naming the one in force', () => {
    const config = loadAuthConfig({ argv: argv('--auth-redis-url', URL_B), env: { AUTH_REDIS_URL: '' } });
    assert.match(config.warnings.find((w) => w.code === 'W_BEARER_GUARD_EMPTY_VALUE')?.message ?? '', /env AUTH_REDIS_URL is set to the empty string; it is ignored, and a value for auth_redis_url comes from --auth-redis-url/);
  });
});

describe('a keys file and Redis together: refused, naming both sources', () => {
  const conflict = (a: RegExp, b: RegExp) => (err: Error & { code?: string }): boolean => {
    assert.equal(err.code, 'ERR_BEARER_GUARD_CONFLICTING_SOURCES', err.message);
    assert.match(err.message, a);
    assert.match(err.message, b);
    return secretFree(err);
  };
  const quiet = { logger: captureLogger() };
  test('keys file flag + Redis env', () => {
    assert.throws(() => loadAuthConfig({ argv: argv('--auth-keys-file', keysFile), env: { AUTH_REDIS_URL: URL_A } }), conflict(/--auth-keys-file names a keys file/, /env AUTH_REDIS_URL configures Redis/));
  });
  test('keys file in INI + Redis flag', () => {
    assert.throws(() => loadAuthConfig({ argv: argv('--auth-redis-url', URL_A), env: {}, configFile: tmp.ini([`auth_keys_file = ${keysFile}`]) }), conflict(/config file .* names a keys file/, /--auth-redis-url configures Redis/));
  });
  test('keysFile option + Redis URL file', () => {
    assert.throws(() => loadAuthConfig({ argv: [], env: { AUTH_REDIS_URL_FILE: tmp.file(URL_A) }, keysFile }), conflict(/the keysFile option names a keys file/, /env AUTH_REDIS_URL_FILE .* configures Redis/));
  });
  test('keys file env + redis option', () => {
    assert.throws(() => bearerGuard({ argv: [], env: { AUTH_KEYS_FILE: keysFile }, redis: URL_A, ...quiet }), conflict(/env AUTH_KEYS_FILE names a keys file/, /the redis option configures Redis/));
  });
  test('keyStore option + Redis flag', () => {
    assert.throws(() => bearerGuard({ argv: argv('--auth-redis-url', URL_A), env: {}, keyStore: new MemoryKeyStore(), ...quiet }), conflict(/the keyStore option names a keys file \(or key store\)/, /--auth-redis-url configures Redis/));
  });
  test('keysFile option + redis option next to the token option', () => {
    assert.throws(() => bearerGuard({ token: 'Zx8Qm2Lp7Rv4Nt6Kw1Hy3Jd5Bf9Gc0Ts_abc', keysFile, redis: { url: URL_A }, ...quiet }), conflict(/the keysFile option names a keys file/, /the redis option configures Redis/));
  });
});

describe('the redis option: checked with fix-it messages', () => {
  const cases: Array<{ value: unknown; type: 'TypeError' | 'RangeError'; message: RegExp }> = [
    { value: 5, type: 'TypeError', message: /`redis` must be a redis:\/\/ URL string, an ioredis client, or an object/ },
    { value: '', type: 'RangeError', message: /`redis` must not be empty; omit it to use no Redis/ },
    { value: { url: URL_A, urll: 1 }, type: 'RangeError', message: /`redis` has an unknown field `urll` \(known: url, client, prefix, resyncInterval, maxStaleness\)/ },
    { value: { url: 7 }, type: 'RangeError', message: /`redis` .url must be a non-empty redis:\/\/ or rediss:\/\/ URL string/ },
    { value: { client: {} }, type: 'RangeError', message: /`redis` .client must be an ioredis client/ },
    { value: { url: URL_A, prefix: 'has space' }, type: 'RangeError', message: /.prefix must be 1 to 64 printable ASCII characters/ },
    { value: { url: URL_A, resyncInterval: 0 }, type: 'RangeError', message: /.resyncInterval must be a number of seconds from 0.05 to 3600/ },
    { value: { url: URL_A, maxStaleness: 86401 }, type: 'RangeError', message: /.maxStaleness must be a number of seconds from 0.1 to 86400/ },
  ];
  for (const c of cases) {
    test(`${JSON.stringify(c.value)} -> ${c.type}`, () => {
      assert.throws(() => bearerGuard({ argv: [], env: {}, redis: c.value as never }), (err: Error & { code?: string }) => {
        assert.equal(err.name, c.type);
        assert.equal(err.code, 'ERR_BEARER_GUARD_INVALID_OPTION');
        assert.match(err.message, c.message);
        return secretFree(err);
      });
    });
  }
});
