// Start-up warnings: auth off, weak token, readable config file; and how bearerGuard reports them.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import express from 'express';
import request from 'supertest';
import { bearerGuard, createBearerStrategy, loadAuthConfig } from '../../src/index.js';
import { argv, captureLogger, esc, TempDir, tokenFor } from '../helpers/config-fixtures.js';

const tmp = new TempDir();
after(() => tmp.cleanup());

const T = tokenFor('warn');
const codes = (config: ReturnType<typeof loadAuthConfig>): string[] => config.warnings.map((w) => w.code);

describe('W_BEARER_GUARD_AUTH_OFF', () => {
  test('no token and not required', () => {
    const config = loadAuthConfig({ argv: argv(), env: {} });
    assert.equal(config.warnings.length, 1);
    const [w] = config.warnings;
    assert.equal(w?.code, 'W_BEARER_GUARD_AUTH_OFF');
    assert.match(w?.message ?? '', /^bearer-guard: warning \[W_BEARER_GUARD_AUTH_OFF\]: no bearer token is configured, so every route is open/);
    assert.match(w?.message ?? '', /env AUTH_BEARER_TOKEN or AUTH_BEARER_TOKEN_FILE/);
  });

  test('names the prefixed variables', () => {
    // An unprefixed AUTH_BEARER_TOKEN here is now ERR_BEARER_GUARD_UNPREFIXED_ENV (issue 9), so none is set.
    const config = loadAuthConfig({ argv: argv(), env: {}, envPrefix: 'DEEPAAS_' });
    assert.match(config.warnings[0]?.message ?? '', /env DEEPAAS_AUTH_BEARER_TOKEN or DEEPAAS_AUTH_BEARER_TOKEN_FILE/);
  });

  test('bearerGuard logs it once and lets every request through', async () => {
    const logger = captureLogger();
    const app = express();
    app.use(bearerGuard({ argv: argv(), env: {}, logger }));
    app.get('/v2/models/', (_req, res) => void res.json({ ok: true }));
    assert.equal(logger.lines.length, 1);
    assert.match(logger.lines[0]!, /W_BEARER_GUARD_AUTH_OFF/);
    await request(app).get('/v2/models/').expect(200, { ok: true });
    await request(app).get('/v2/models/').set('Authorization', 'Bearer anything-at-all').expect(200);
    await request(app).get('/v2/models/').set('Authorization', 'Basic eDp5').expect(200);
    assert.equal(logger.lines.length, 1, 'requests add no log lines');
  });

  test('createBearerStrategy logs it too', () => {
    const logger = captureLogger();
    createBearerStrategy({ argv: argv(), env: {}, logger });
    assert.deepEqual(logger.lines.map((l) => /\[(W_[A-Z_]+)\]/.exec(l)?.[1]), ['W_BEARER_GUARD_AUTH_OFF']);
  });

  test('not given when a token is configured', () => {
    assert.deepEqual(codes(loadAuthConfig({ argv: argv(), env: { AUTH_BEARER_TOKEN: T } })), []);
  });
});

describe('W_BEARER_GUARD_WEAK_TOKEN', () => {
  const weak = 'Zq9xWv3Lp7Rv4Nt6Kw1Hy3Jd5Bf9Gc0'.slice(0, 31);
  const strong = 'Zq9xWv3Lp7Rv4Nt6Kw1Hy3Jd5Bf9Gc0T'.slice(0, 32);
  const sources: Array<[string, Parameters<typeof loadAuthConfig>[0], RegExp]> = [
    ['flag', { argv: argv('--auth-bearer-token', weak), env: {} }, /the token from --auth-bearer-token is shorter than 32 characters/],
    ['env', { argv: argv(), env: { DEEPAAS_AUTH_BEARER_TOKEN: weak }, envPrefix: 'DEEPAAS_' }, /the token from env DEEPAAS_AUTH_BEARER_TOKEN is shorter/],
    ['env file', { argv: argv(), env: { AUTH_BEARER_TOKEN_FILE: tmp.file(`${weak}\n`) } }, /the token from env AUTH_BEARER_TOKEN_FILE \(.+\) is shorter/],
    ['INI', { argv: argv(), env: {}, configFile: tmp.ini([`auth_bearer_token = ${weak}`]) }, /the token from config file .+\.ini is shorter/],
  ];
  for (const [name, options, message] of sources) {
    test(`31 characters from ${name}`, () => {
      const config = loadAuthConfig(options);
      assert.equal(config.token?.reveal(), weak, 'a weak token still works');
      assert.deepEqual(codes(config), ['W_BEARER_GUARD_WEAK_TOKEN']);
      assert.match(config.warnings[0]?.message ?? '', message);
      assert.match(config.warnings[0]?.message ?? '', /randomBytes\(32\)/);
    });
  }

  test('32 characters: no warning', () => {
    assert.equal(strong.length, 32);
    assert.deepEqual(codes(loadAuthConfig({ argv: argv('--auth-bearer-token', strong), env: {} })), []);
  });

  test('bearerGuard logs it for the token option too', () => {
    const logger = captureLogger();
    bearerGuard({ token: weak, logger });
    assert.equal(logger.lines.length, 1);
    assert.match(logger.lines[0]!, /W_BEARER_GUARD_WEAK_TOKEN.*the token option is shorter than 32/);
  });
});

describe('W_BEARER_GUARD_CONFIG_FILE_MODE', { skip: process.platform === 'win32' ? 'POSIX modes only' : false }, () => {
  const modes: Array<[number, boolean]> = [
    [0o644, true],
    [0o640, true],
    [0o604, true],
    [0o666, true],
    [0o600, false],
    [0o400, false],
  ];
  for (const [mode, warns] of modes) {
    test(`mode ${mode.toString(8)} with a token -> ${warns ? 'warning' : 'none'}`, () => {
      const file = tmp.ini([`auth_bearer_token = ${T}`], mode);
      const config = loadAuthConfig({ argv: argv('--config-file', file), env: {} });
      assert.deepEqual(codes(config), warns ? ['W_BEARER_GUARD_CONFIG_FILE_MODE'] : []);
      if (warns) {
        assert.match(config.warnings[0]?.message ?? '', new RegExp(`config file ${esc(file)} \\(from --config-file\\) holds a token and can be read by group or others \\(mode 0${mode.toString(8)}\\); run: chmod 600 ${esc(file)}`));
      }
    });
  }

  test('mode 644 without a token: no warning', () => {
    const file = tmp.ini(['auth_required = false'], 0o644);
    assert.deepEqual(codes(loadAuthConfig({ argv: argv(), env: { AUTH_BEARER_TOKEN: T }, configFile: file })), []);
  });

  test('combined with a weak token from the same file, both are logged by bearerGuard', () => {
    const logger = captureLogger();
    bearerGuard({ argv: argv(), env: { AUTH_CONFIG_FILE: tmp.ini(['auth_bearer_token = short'], 0o644) }, logger });
    const found = logger.lines.map((l) => /\[(W_[A-Z_]+)\]/.exec(l)?.[1]).sort();
    assert.deepEqual(found, ['W_BEARER_GUARD_CONFIG_FILE_MODE', 'W_BEARER_GUARD_WEAK_TOKEN']);
  });
});
