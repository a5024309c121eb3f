// The throttle's configuration: the option's forms, the flag > env > INI > option precedence, and fix-it errors.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { bearerGuard, createBearerStrategy, type BearerGuardOptions, type ThrottleSettings } from '../../src/index.js';
import { argv, captureLogger, TempDir, tokenFor } from '../helpers/config-fixtures.js';

const T = tokenFor('throttle');
const DEFAULTS: ThrottleSettings = { failures: 50, windowSeconds: 60, blockSeconds: 300 };
const dir = new TempDir();
after(() => dir.cleanup());

/** The settings a guard ends up with: the token from argv, so that argv, env and INI are all read. */
function settings(o: { flags?: string[]; env?: Record<string, string>; ini?: string[]; option?: BearerGuardOptions['throttle']; envPrefix?: string }): ThrottleSettings | undefined {
  const guard = bearerGuard({
    argv: argv('--auth-bearer-token', T, ...(o.flags ?? [])),
    env: o.env ?? {},
    configFile: o.ini === undefined ? undefined : dir.ini(o.ini),
    envPrefix: o.envPrefix,
    throttle: o.option,
    logger: captureLogger(),
  });
  guard.close();
  return guard.throttle;
}

describe('throttle configuration: on or off, and with what numbers', () => {
  const cases: Array<{ name: string; given: Parameters<typeof settings>[0]; want: ThrottleSettings | undefined }> = [
    { name: 'nothing: off (the library default)', given: {}, want: undefined },
    { name: 'throttle: true: the defaults', given: { option: true }, want: DEFAULTS },
    { name: 'throttle: false: off', given: { option: false }, want: undefined },
    { name: 'an object: on, with its numbers over the defaults', given: { option: { failures: 5 } }, want: { ...DEFAULTS, failures: 5 } },
    { name: 'an empty object: on, with the defaults', given: { option: {} }, want: DEFAULTS },
    { name: '--auth-throttle: on', given: { flags: ['--auth-throttle'] }, want: DEFAULTS },
    { name: '--no-auth-throttle beats throttle: true', given: { option: true, flags: ['--no-auth-throttle'] }, want: undefined },
    { name: '--auth-throttle=false beats env AUTH_THROTTLE=true', given: { flags: ['--auth-throttle=false'], env: { AUTH_THROTTLE: 'true' } }, want: undefined },
    { name: 'env AUTH_THROTTLE=false beats throttle: true', given: { option: true, env: { AUTH_THROTTLE: 'false' } }, want: undefined },
    { name: 'env AUTH_THROTTLE=true beats INI auth_throttle = false', given: { env: { AUTH_THROTTLE: 'true' }, ini: ['auth_throttle = false'] }, want: DEFAULTS },
    { name: 'INI auth_throttle = true: on', given: { ini: ['auth_throttle = true'] }, want: DEFAULTS },
    { name: 'INI auth_throttle = false beats throttle: { failures: 5 }', given: { option: { failures: 5 }, ini: ['auth_throttle = false'] }, want: undefined },
    { name: 'env behind envPrefix: DEEPAAS_AUTH_THROTTLE=false', given: { option: true, envPrefix: 'DEEPAAS_', env: { DEEPAAS_AUTH_THROTTLE: 'false' } }, want: undefined },
    {
      name: 'numbers: flag > env > INI > option > default, each on its own',
      given: {
        option: { failures: 5, windowSeconds: 5, blockSeconds: 5 },
        flags: ['--auth-throttle-failures', '7'],
        env: { AUTH_THROTTLE_FAILURES: '8', AUTH_THROTTLE_WINDOW_SECONDS: '9' },
        ini: ['auth_throttle_window_seconds = 10', 'auth_throttle_block_seconds = 11'],
      },
      want: { failures: 7, windowSeconds: 9, blockSeconds: 11 },
    },
    { name: 'a number alone does not turn the throttle on', given: { flags: ['--auth-throttle-failures', '7'] }, want: undefined },
    { name: 'a number with --auth-throttle', given: { flags: ['--auth-throttle', '--auth-throttle-block-seconds=30'] }, want: { ...DEFAULTS, blockSeconds: 30 } },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(settings(c.given), c.want));
  }

  test('with the token given in code no source is read: the option alone decides', () => {
    const guard = bearerGuard({ token: T, argv: argv('--no-auth-throttle'), env: { AUTH_THROTTLE: 'false' }, throttle: { blockSeconds: 9 }, logger: captureLogger() });
    assert.deepEqual(guard.throttle, { ...DEFAULTS, blockSeconds: 9 });
  });

  test('auth off (nothing configured): no throttle, whatever the option says', () => {
    const guard = bearerGuard({ argv: argv(), env: {}, throttle: true, logger: captureLogger() });
    assert.equal(guard.throttle, undefined);
  });
});

describe('throttle configuration errors', () => {
  const BAD: Array<{ value: unknown; type: 'TypeError' | 'RangeError'; message: RegExp }> = [
    { value: 'yes', type: 'TypeError', message: /^bearerGuard: `throttle` must be true, false, or \{ failures, windowSeconds, blockSeconds \} \(received a string of 3 characters\)$/ },
    { value: 1, type: 'TypeError', message: /`throttle` must be true, false, or \{ failures, windowSeconds, blockSeconds \}/ },
    { value: [], type: 'TypeError', message: /`throttle` must be true, false, or/ },
    { value: { failures: 0 }, type: 'RangeError', message: /^bearerGuard: `throttle` field `failures` must be a whole number of failures from 1 to 1000000 \(received 0\)$/ },
    { value: { windowSeconds: 1.5 }, type: 'RangeError', message: /`throttle` field `windowSeconds` must be a whole number of seconds from 1 to 86400 \(received 1.5\)/ },
    { value: { blockSeconds: '300' }, type: 'RangeError', message: /`throttle` field `blockSeconds` must be a whole number of seconds from 1 to 86400 \(received string\)/ },
    { value: { blockSeconds: 86401 }, type: 'RangeError', message: /field `blockSeconds` must be .* \(received 86401\)/ },
    { value: { failure: 5 }, type: 'RangeError', message: /^bearerGuard: `throttle` has an unknown field `failure`; did you mean `failures`\? \(known: failures, windowSeconds, blockSeconds\)$/ },
    { value: { constructor: 5 }, type: 'RangeError', message: /^bearerGuard: `throttle` has an unknown field \(known: failures, windowSeconds, blockSeconds\)$/ },
  ];
  for (const c of BAD) {
    test(`throttle: ${JSON.stringify(c.value)} is a ${c.type}`, () => {
      assert.throws(() => bearerGuard({ token: T, throttle: c.value as never }), { name: c.type, code: 'ERR_BEARER_GUARD_INVALID_OPTION', message: c.message });
    });
  }

  test('createBearerStrategy validates it the same way', () => {
    assert.throws(() => createBearerStrategy({ token: T, throttle: { failures: -1 } }), { name: 'RangeError', message: /^createBearerStrategy: `throttle` field `failures`/ });
  });

  const SOURCES: Array<{ name: string; flags?: string[]; env?: Record<string, string>; message: RegExp }> = [
    { name: 'a flag that is not a number', flags: ['--auth-throttle', '--auth-throttle-failures', 'many'], message: /--auth-throttle-failures must be a whole number of failures from 1 to 1000000/ },
    { name: 'an env var out of range', env: { AUTH_THROTTLE_BLOCK_SECONDS: '0' }, message: /env AUTH_THROTTLE_BLOCK_SECONDS must be a whole number of seconds from 1 to 86400/ },
    { name: 'a boolean that is not one', env: { AUTH_THROTTLE: 'sometimes' }, message: /AUTH_THROTTLE/ },
  ];
  for (const c of SOURCES) {
    test(`${c.name}: a start-up error naming the source`, () => {
      assert.throws(() => settings({ flags: c.flags ?? [], env: c.env ?? {} }), { name: 'BearerGuardConfigError', message: c.message });
    });
  }
});
