// Options validation: bad options are refused by type and code; undefined is absent; no mutation.
import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, test } from 'node:test';
import express from 'express';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import request from 'supertest';
import { bearerGuard, createBearerStrategy, loadAuthConfig, type BearerGuardOptions } from '../../src/index.js';
import { argv, captureLogger, tokenFor } from '../helpers/config-fixtures.js';

const T = tokenFor('opt');
type Entry = (options: unknown) => unknown;
const ENTRIES: Record<'bearerGuard' | 'createBearerStrategy' | 'loadAuthConfig', Entry> = {
  bearerGuard: bearerGuard as Entry,
  createBearerStrategy: createBearerStrategy as Entry,
  loadAuthConfig: loadAuthConfig as Entry,
};
// Valid sources, so that only the option under test can fail.
const BASE = { argv: argv(), env: { AUTH_BEARER_TOKEN: T } };

const BAD: Array<{ option: string; value: unknown; type: 'TypeError' | 'RangeError'; message: RegExp; code?: string; only?: keyof typeof ENTRIES }> = [
  { option: 'argv', value: '--auth-bearer-token x', type: 'TypeError', message: /`argv` must be an array of strings/ },
  { option: 'argv', value: ['node', 'app', 5], type: 'TypeError', message: /`argv` must be an array of strings/ },
  { option: 'env', value: null, type: 'TypeError', message: /`env` must be an object shaped like process.env \(received null\)/ },
  { option: 'env', value: ['AUTH_BEARER_TOKEN=x'], type: 'TypeError', message: /`env` must be an object/ },
  { option: 'configFile', value: 42, type: 'TypeError', message: /`configFile` must be a file path string \(received number 42\)/ },
  { option: 'configFile', value: '', type: 'RangeError', message: /`configFile` must not be empty/ },
  { option: 'envPrefix', value: 7, type: 'TypeError', message: /`envPrefix` must be a string/ },
  { option: 'envPrefix', value: 'DEEP-AAS_', type: 'RangeError', message: /`envPrefix` may contain only letters, digits and _/ },
  { option: 'required', value: 'yes', type: 'TypeError', message: /`required` must be true or false/ },
  { option: 'required', value: 1, type: 'TypeError', message: /`required` must be true or false/ },
  { option: 'maxTokenLength', value: '4096', type: 'TypeError', message: /`maxTokenLength` must be a number/ },
  { option: 'maxTokenLength', value: 0, type: 'RangeError', message: /`maxTokenLength` must be an integer from 1 to 65536 \(received 0\)/ },
  { option: 'maxTokenLength', value: 1.5, type: 'RangeError', message: /`maxTokenLength` must be an integer/ },
  { option: 'maxTokenLength', value: 65537, type: 'RangeError', message: /`maxTokenLength` must be an integer/ },
  { option: 'maxTokenLength', value: Number.NaN, type: 'RangeError', message: /`maxTokenLength` must be an integer/ },
  { option: 'token', value: 12345, type: 'TypeError', message: /`token` must be a string or an array of strings \(received number\)/, only: 'bearerGuard' },
  { option: 'token', value: '', type: 'RangeError', message: /`token` must not be empty/, only: 'bearerGuard' },
  { option: 'token', value: [], type: 'RangeError', message: /`token` must not be an empty array/, only: 'createBearerStrategy' },
  { option: 'token', value: [T, null], type: 'TypeError', message: /`token\[1\]` must be a string \(received null\)/, only: 'bearerGuard' },
  { option: 'token', value: [T, undefined], type: 'TypeError', message: /`token\[1\]` is undefined; every entry of `token` must be a token string/, only: 'bearerGuard' },
  { option: 'token', value: [undefined, T], type: 'TypeError', message: /`token\[0\]` is undefined/, only: 'createBearerStrategy' },
  { option: 'token', value: [T, ''], type: 'RangeError', message: /`token\[1\]` must not be empty/, only: 'bearerGuard' },
  { option: 'token', value: 'has space in it 0123456789abcdef', type: 'RangeError', code: 'ERR_BEARER_GUARD_TOKEN_INVALID', message: /the token option contains characters/, only: 'bearerGuard' },
  { option: 'token', value: [T, 'x$'], type: 'RangeError', code: 'ERR_BEARER_GUARD_TOKEN_INVALID', message: /the token option \(entry 1\) contains characters/, only: 'createBearerStrategy' },
  { option: 'realm', value: 3, type: 'TypeError', message: /`realm` must be a string/, only: 'bearerGuard' },
  { option: 'realm', value: '', type: 'RangeError', message: /`realm` must be non-empty printable ASCII/, only: 'bearerGuard' },
  { option: 'realm', value: 'caf\u00e9', type: 'RangeError', message: /`realm` must be non-empty printable ASCII/, only: 'createBearerStrategy' },
  { option: 'logger', value: {}, type: 'TypeError', message: /`logger` must be an object with a warn\(message\) method/, only: 'bearerGuard' },
  { option: 'logger', value: console.warn, type: 'TypeError', message: /`logger` must be an object/, only: 'createBearerStrategy' },
  { option: 'public', value: '/health', type: 'TypeError', message: /`public` must be an array of path strings/, only: 'bearerGuard' },
  { option: 'public', value: [1], type: 'TypeError', message: /`public` must be an array of path strings \(received an entry of type number\)/, only: 'bearerGuard' },
  { option: 'public', value: ['health'], type: 'RangeError', message: /`public` entry "health" must start with "\/"/, only: 'bearerGuard' },
  { option: 'public', value: ['/v2/*'], type: 'RangeError', message: /`public` entry "\/v2\/\*" must be an exact path/, only: 'bearerGuard' },
];

describe('bad option values', () => {
  for (const c of BAD) {
    const entries = c.only ? [c.only] : (Object.keys(ENTRIES) as Array<keyof typeof ENTRIES>);
    for (const fn of entries) {
      test(`${fn}({ ${c.option}: ${JSON.stringify(c.value) ?? String(c.value)} })`, () => {
        const run = () => ENTRIES[fn]({ ...BASE, ...(fn !== 'loadAuthConfig' && { logger: captureLogger() }), [c.option]: c.value });
        assert.throws(run, { name: c.type, code: c.code ?? 'ERR_BEARER_GUARD_INVALID_OPTION', message: c.message });
        assert.throws(run, c.type === 'TypeError' ? TypeError : RangeError);
      });
    }
  }
});

describe('unknown options and wrong shapes', () => {
  const cases: Array<{ fn: keyof typeof ENTRIES; options: unknown; code: string; message: RegExp }> = [
    { fn: 'bearerGuard', options: { tokn: T }, code: 'ERR_BEARER_GUARD_UNKNOWN_OPTION', message: /bearerGuard: unknown option `tokn`; did you mean `token`\? \(known options: argv, env, configFile, envPrefix, required, maxTokenLength, keysFile, token, realm, logger, keyStore, families, verify, audit, environment, environmentPosture, enrollment, approvalKeys, redis, throttle, public\)/ },
    { fn: 'bearerGuard', options: { publicPaths: ['/'] }, code: 'ERR_BEARER_GUARD_UNKNOWN_OPTION', message: /unknown option `publicPaths`/ },
    { fn: 'bearerGuard', options: { envprefix: 'X_' }, code: 'ERR_BEARER_GUARD_UNKNOWN_OPTION', message: /did you mean `envPrefix`\?/ },
    { fn: 'createBearerStrategy', options: { public: ['/'] }, code: 'ERR_BEARER_GUARD_UNKNOWN_OPTION', message: /createBearerStrategy: unknown option `public`/ },
    { fn: 'loadAuthConfig', options: { token: T }, code: 'ERR_BEARER_GUARD_UNKNOWN_OPTION', message: /loadAuthConfig: unknown option `token`/ },
    { fn: 'loadAuthConfig', options: { configfile: 'x.ini' }, code: 'ERR_BEARER_GUARD_UNKNOWN_OPTION', message: /did you mean `configFile`\?/ },
    { fn: 'bearerGuard', options: 'token', code: 'ERR_BEARER_GUARD_INVALID_OPTION', message: /bearerGuard: options must be an object/ },
    { fn: 'bearerGuard', options: null, code: 'ERR_BEARER_GUARD_INVALID_OPTION', message: /options must be an object \(received null\)/ },
    { fn: 'createBearerStrategy', options: [T], code: 'ERR_BEARER_GUARD_INVALID_OPTION', message: /options must be an object \(received array\)/ },
    { fn: 'loadAuthConfig', options: 5, code: 'ERR_BEARER_GUARD_INVALID_OPTION', message: /options must be an object/ },
  ];
  for (const c of cases) {
    test(`${c.fn}(${JSON.stringify(c.options)}) -> ${c.code}`, () => {
      assert.throws(() => ENTRIES[c.fn](c.options), { name: 'TypeError', code: c.code, message: c.message });
    });
  }

  test('bearerGuard(req, res, next): used as a middleware without being called', () => {
    const req = new IncomingMessage(new Socket());
    req.method = 'GET';
    const res = new ServerResponse(req);
    const call = bearerGuard as unknown as (...args: unknown[]) => unknown;
    assert.throws(() => call(req, res, () => {}), {
      name: 'TypeError',
      code: 'ERR_BEARER_GUARD_NOT_CALLED',
      message: /bearerGuard was used as a middleware without being called: write app\.use\(bearerGuard\(\)\), not app\.use\(bearerGuard\)/,
    });
  });

  test('app.use(bearerGuard) in a real Express app reaches the error handler with the code', async () => {
    const app = express();
    app.use(bearerGuard as unknown as RequestHandler);
    app.get('/v2/models/', (_req, res) => void res.json({ ok: true }));
    const onError: ErrorRequestHandler = (err: { code?: string }, _req, res, _next) => void res.status(500).json({ code: err.code });
    app.use(onError);
    await request(app).get('/v2/models/').expect(500, { code: 'ERR_BEARER_GUARD_NOT_CALLED' });
  });
});

describe('undefined counts as absent', () => {
  test('bearerGuard with every option undefined but argv/env loads the config', async () => {
    const logger = captureLogger();
    const app = express();
    app.use(
      bearerGuard({
        token: undefined, realm: undefined, public: undefined, configFile: undefined, envPrefix: undefined,
        required: undefined, maxTokenLength: undefined, logger, argv: argv(), env: { AUTH_BEARER_TOKEN: T },
      }),
    );
    app.get('/v2/models/', (_req, res) => void res.json({ ok: true }));
    app.get('/', (_req, res) => void res.json({ root: true }));
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${T}`).expect(200);
    await request(app).get('/v2/models/').expect(401).expect('WWW-Authenticate', 'Bearer realm="api"');
    await request(app).get('/').expect(200);
    assert.deepEqual(logger.lines, []);
  });

  test('loadAuthConfig and createBearerStrategy', () => {
    const config = loadAuthConfig({ argv: argv(), env: { AUTH_BEARER_TOKEN: T }, configFile: undefined, envPrefix: undefined, required: undefined, maxTokenLength: undefined });
    assert.equal(config.token?.reveal(), T);
    assert.equal(config.required, false);
    const logger = captureLogger();
    createBearerStrategy({ token: undefined, realm: undefined, logger, argv: argv(), env: { AUTH_BEARER_TOKEN: T } });
    assert.deepEqual(logger.lines, []);
  });

  test('an undefined env variable is unset', () => {
    const config = loadAuthConfig({ argv: argv(), env: { AUTH_BEARER_TOKEN: undefined, AUTH_BEARER_TOKEN_FILE: undefined, AUTH_REQUIRED: undefined } });
    assert.equal(config.token, undefined);
  });
});

describe("the caller's options are not mutated", () => {
  const logger = captureLogger();
  const make = (): BearerGuardOptions => ({
    argv: ['node', 'app', '--auth-required'],
    env: { AUTH_BEARER_TOKEN: T, AUTH_REQUIRED: 'true' },
    envPrefix: '',
    required: true,
    maxTokenLength: 4096,
    realm: 'models',
    public: ['/', '/v2/', '/health'],
    logger,
  });
  const deepFreeze = <V>(v: V): V => {
    if (typeof v === 'object' && v !== null) {
      for (const inner of Object.values(v)) deepFreeze(inner);
      Object.freeze(v);
    }
    return v;
  };

  test('deep-equal before and after', () => {
    const options = make();
    bearerGuard(options);
    assert.deepStrictEqual(options, make());
    const { public: _unused, ...checkOptions } = make();
    const check = { ...checkOptions };
    createBearerStrategy(check);
    assert.deepStrictEqual(check, checkOptions);
    const { realm: _r, logger: _l, ...loadOptions } = checkOptions;
    const load = { ...loadOptions, env: { ...loadOptions.env } };
    loadAuthConfig(load);
    assert.deepStrictEqual(load, loadOptions);
  });

  test('works with deeply frozen options', async () => {
    const options = deepFreeze(make());
    const app = express();
    app.use(bearerGuard(options));
    app.get('/v2/models/', (_req, res) => void res.json({ ok: true }));
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${T}`).expect(200);
    const { public: _unused, ...checkOptions } = make();
    createBearerStrategy(deepFreeze(checkOptions));
    assert.equal(loadAuthConfig(deepFreeze({ argv: argv('--auth-required'), env: { AUTH_BEARER_TOKEN: T } })).token?.reveal(), T);
  });
});
