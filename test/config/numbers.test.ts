// The number settings (Redis timings, throttle limits): parsed from every source, checked against their range.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { loadAuthConfig } from '../../src/index.js';
import { SETTINGS } from '../../src/config/settings.js';
import { argv, TempDir, thrown, tokenFor } from '../helpers/config-fixtures.js';

const tmp = new TempDir();
after(() => tmp.cleanup());
const T = tokenFor('numbers');
const NUMBERS = SETTINGS.filter((s) => s.type === 'number');

describe('number settings', () => {
  test('the table has the Redis and throttle numbers', () => {
    assert.deepEqual(NUMBERS.map((s) => s.key), ['redisResyncInterval', 'redisMaxStaleness', 'throttleFailures', 'throttleWindowSeconds', 'throttleBlockSeconds']);
  });

  for (const s of NUMBERS) {
    const r = s.range!;
    const good = String(r.integer ? Math.min(r.max, Math.max(r.min, 7)) : r.min);
    const sources = [
      ['flag', { argv: argv(`--auth-bearer-token=${T}`, `${s.flag}=${good}`), env: {} }],
      ['env', { argv: argv(`--auth-bearer-token=${T}`), env: { [s.env]: ` ${good} ` } }],
      ['ini', { argv: argv(`--auth-bearer-token=${T}`), env: {}, configFile: tmp.ini([`${s.ini} = ${good}`]) }],
    ] as const;
    for (const [where, options] of sources) {
      test(`${s.name} = ${good} from the ${where}`, () => {
        const config = loadAuthConfig(options) as unknown as Record<string, unknown>;
        assert.equal(config[s.key], Number(good));
      });
    }
    const bad = ['abc', '-1', '1e3', '0x10', String(r.max + 1), String(r.min / 2), ...(r.integer ? ['1.5'] : [])];
    for (const value of bad) {
      test(`${s.name} = ${JSON.stringify(value)} stops start-up naming the flag and the range`, () => {
        const err = thrown(() => loadAuthConfig({ argv: argv(`--auth-bearer-token=${T}`, `${s.flag}=${value}`), env: {} })) as { code: string; message: string };
        assert.equal(err.code, 'ERR_BEARER_GUARD_INVALID_VALUE');
        assert.match(err.message, new RegExp(`${s.flag} must be a (whole )?number of ${r.unit} from ${r.min} to ${r.max}$`));
      });
    }
  }

  test('unset numbers and an unset throttle stay undefined', () => {
    const config = loadAuthConfig({ argv: argv(`--auth-bearer-token=${T}`), env: {} });
    for (const key of ['redisResyncInterval', 'redisMaxStaleness', 'throttle', 'throttleFailures', 'throttleWindowSeconds', 'throttleBlockSeconds', 'redisUrl', 'redisPrefix'] as const) {
      assert.equal(config[key], undefined, key);
    }
  });

  test('--no-auth-throttle is an explicit false', () => {
    assert.equal(loadAuthConfig({ argv: argv(`--auth-bearer-token=${T}`, '--no-auth-throttle'), env: {} }).throttle, false);
  });
});
