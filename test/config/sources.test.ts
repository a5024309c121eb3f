// Where the token comes from: each source alone, every pair (the higher wins), the token option.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import express from 'express';
import request from 'supertest';
import { bearerGuard, createBearerStrategy, loadAuthConfig } from '../../src/index.js';
import { argv, captureLogger, esc, TempDir, tokenFor } from '../helpers/config-fixtures.js';

const tmp = new TempDir();
after(() => tmp.cleanup());

const T = tokenFor('alone');

describe('each source alone gives the token', () => {
  const file = tmp.file(`${T}\n`);
  const ini = tmp.ini(['[DEFAULT]', `auth_bearer_token = ${T}`]);
  const cases: Array<{ name: string; argv?: string[]; env?: Record<string, string>; configFile?: string; envPrefix?: string; source: RegExp }> = [
    { name: '--auth-bearer-token <t>', argv: ['--auth-bearer-token', T], source: /^--auth-bearer-token$/ },
    { name: '--auth-bearer-token=<t>', argv: [`--auth-bearer-token=${T}`], source: /^--auth-bearer-token$/ },
    { name: '--auth-bearer-token-file <path>', argv: ['--auth-bearer-token-file', file], source: new RegExp(`^--auth-bearer-token-file \\(${esc(file)}\\)$`) },
    { name: '--auth-bearer-token-file=<path>', argv: [`--auth-bearer-token-file=${file}`], source: new RegExp(`^--auth-bearer-token-file \\(${esc(file)}\\)$`) },
    { name: 'env AUTH_BEARER_TOKEN', env: { AUTH_BEARER_TOKEN: T }, source: /^env AUTH_BEARER_TOKEN$/ },
    { name: 'env AUTH_BEARER_TOKEN_FILE', env: { AUTH_BEARER_TOKEN_FILE: file }, source: new RegExp(`^env AUTH_BEARER_TOKEN_FILE \\(${esc(file)}\\)$`) },
    { name: 'env DEEPAAS_AUTH_BEARER_TOKEN', envPrefix: 'DEEPAAS_', env: { DEEPAAS_AUTH_BEARER_TOKEN: T }, source: /^env DEEPAAS_AUTH_BEARER_TOKEN$/ },
    { name: 'env DEEPAAS_AUTH_BEARER_TOKEN_FILE', envPrefix: 'DEEPAAS_', env: { DEEPAAS_AUTH_BEARER_TOKEN_FILE: file }, source: /^env DEEPAAS_AUTH_BEARER_TOKEN_FILE / },
    { name: 'INI via the configFile option', configFile: ini, source: new RegExp(`^config file ${esc(ini)}$`) },
    { name: 'INI via --config-file <path>', argv: ['--config-file', ini], source: new RegExp(`^config file ${esc(ini)}$`) },
    { name: 'INI via --config-file=<path>', argv: [`--config-file=${ini}`], source: new RegExp(`^config file ${esc(ini)}$`) },
    { name: 'INI via env AUTH_CONFIG_FILE', env: { AUTH_CONFIG_FILE: ini }, source: new RegExp(`^config file ${esc(ini)}$`) },
    { name: 'INI via env DEEPAAS_AUTH_CONFIG_FILE', envPrefix: 'DEEPAAS_', env: { DEEPAAS_AUTH_CONFIG_FILE: ini }, source: /^config file / },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const config = loadAuthConfig({
        argv: argv(...(c.argv ?? [])),
        env: c.env ?? {},
        ...(c.configFile !== undefined && { configFile: c.configFile }),
        ...(c.envPrefix !== undefined && { envPrefix: c.envPrefix }),
      });
      assert.equal(config.token?.reveal(), T);
      assert.match(config.tokenSource ?? '', c.source);
      assert.equal(config.required, false);
      assert.deepEqual(config.warnings, []);
    });
  }

  // Before issue 9 they were ignored with only the auth-off warning; now they are named.
  test('with envPrefix, the unprefixed variables are not read: an error while no token is configured', () => {
    assert.throws(() => loadAuthConfig({ argv: argv(), env: { AUTH_BEARER_TOKEN: T, AUTH_BEARER_TOKEN_FILE: file }, envPrefix: 'DEEPAAS_' }), {
      code: 'ERR_BEARER_GUARD_UNPREFIXED_ENV',
      message: /AUTH_BEARER_TOKEN is set, but this app reads DEEPAAS_AUTH_BEARER_TOKEN/,
    });
  });

  test('arguments after -- are left to the app', () => {
    const config = loadAuthConfig({ argv: argv('--', '--auth-bearer-token', T), env: {} });
    assert.equal(config.token, undefined);
  });

  test('no source at all: token undefined, auth off', () => {
    const config = loadAuthConfig({ argv: argv('--port', '5000'), env: {} });
    assert.equal(config.token, undefined);
    assert.equal(config.tokenSource, undefined);
    assert.equal(config.configFile, undefined);
  });
});

type Source = 'flag' | 'flag-file' | 'env' | 'env-file' | 'ini';
const ORDER: readonly Source[] = ['flag', 'flag-file', 'env', 'env-file', 'ini'];

function contribute(source: Source): { argv: string[]; env: Record<string, string>; configFile?: string } {
  const t = tokenFor(source);
  switch (source) {
    case 'flag':
      return { argv: ['--auth-bearer-token', t], env: {} };
    case 'flag-file':
      return { argv: ['--auth-bearer-token-file', tmp.file(`${t}\n`)], env: {} };
    case 'env':
      return { argv: [], env: { AUTH_BEARER_TOKEN: t } };
    case 'env-file':
      return { argv: [], env: { AUTH_BEARER_TOKEN_FILE: tmp.file(`${t}\n`) } };
    case 'ini':
      return { argv: [], env: {}, configFile: tmp.ini([`auth_bearer_token = ${t}`]) };
  }
}

describe('each pair of sources: the higher one wins', () => {
  for (let i = 0; i < ORDER.length; i++) {
    for (let j = i + 1; j < ORDER.length; j++) {
      const high = ORDER[i]!;
      const low = ORDER[j]!;
      // The two spellings of one layer cannot both be given: that is a conflict, not a precedence.
      const sameLayer = (high === 'flag' && low === 'flag-file') || (high === 'env' && low === 'env-file');
      test(`${high} + ${low} -> ${sameLayer ? 'conflict' : high}`, () => {
        const a = contribute(high);
        const b = contribute(low);
        const options = { argv: argv(...a.argv, ...b.argv), env: { ...a.env, ...b.env }, configFile: a.configFile ?? b.configFile };
        if (sameLayer) {
          assert.throws(() => loadAuthConfig(options), { name: 'BearerGuardConfigError', code: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES' });
          return;
        }
        assert.equal(loadAuthConfig(options).token?.reveal(), tokenFor(high));
      });
    }
  }

  test('a token file below the winner is never read (a stale path is harmless)', () => {
    const config = loadAuthConfig({ argv: argv('--auth-bearer-token', T), env: { AUTH_BEARER_TOKEN_FILE: tmp.missing() } });
    assert.equal(config.token?.reveal(), T);
  });
});

// Before issue 9 an empty value counted as unset, silently; now the other source wins with a warning
// naming the empty one, and an empty value with no other source is an error (test/config/fail-safe.test.ts).
describe('an empty value beside a value elsewhere: the other source gives it, with a warning', () => {
  const envToken = tokenFor('env');
  const envIni = tmp.ini([`auth_bearer_token = ${tokenFor('envini')}`]);
  const cases: Array<{ name: string; argv: string[]; env: Record<string, string>; configFile?: string; expected: string; empty: RegExp }> = [
    { name: 'env AUTH_BEARER_TOKEN=""', argv: [], env: { AUTH_BEARER_TOKEN: '', AUTH_BEARER_TOKEN_FILE: tmp.file(`${T}\n`) }, expected: T, empty: /env AUTH_BEARER_TOKEN is set to the empty string; .* comes from env AUTH_BEARER_TOKEN_FILE/ },
    { name: 'env AUTH_BEARER_TOKEN_FILE=""', argv: [], env: { AUTH_BEARER_TOKEN: envToken, AUTH_BEARER_TOKEN_FILE: '' }, expected: envToken, empty: /env AUTH_BEARER_TOKEN_FILE is set to the empty string/ },
    { name: 'env AUTH_CONFIG_FILE=""', argv: [], env: { AUTH_CONFIG_FILE: '' }, configFile: envIni, expected: tokenFor('envini'), empty: /env AUTH_CONFIG_FILE .* comes from the configFile option/ },
    { name: '--auth-bearer-token=', argv: ['--auth-bearer-token='], env: { AUTH_BEARER_TOKEN: envToken }, expected: envToken, empty: /--auth-bearer-token was given an empty value; .* comes from env AUTH_BEARER_TOKEN/ },
    { name: '--auth-bearer-token ""', argv: ['--auth-bearer-token', ''], env: { AUTH_BEARER_TOKEN: envToken }, expected: envToken, empty: /--auth-bearer-token was given an empty value/ },
    { name: '--auth-bearer-token-file=', argv: ['--auth-bearer-token-file='], env: { AUTH_BEARER_TOKEN: envToken }, expected: envToken, empty: /--auth-bearer-token-file was given an empty value/ },
    { name: '--config-file=', argv: ['--config-file='], env: { AUTH_CONFIG_FILE: envIni }, expected: tokenFor('envini'), empty: /--config-file was given an empty value; .* comes from env AUTH_CONFIG_FILE/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const config = loadAuthConfig({ argv: argv(...c.argv), env: c.env, ...(c.configFile !== undefined && { configFile: c.configFile }) });
      assert.equal(config.token?.reveal(), c.expected);
      assert.deepEqual(config.warnings.map((w) => w.code), ['W_BEARER_GUARD_EMPTY_VALUE']);
      assert.match(config.warnings[0]!.message, c.empty);
    });
  }
  test('INI auth_bearer_token = with no other source is refused', () => {
    assert.throws(() => loadAuthConfig({ argv: argv('--config-file', tmp.ini(['auth_bearer_token =', 'auth_required = false'])), env: {} }), { code: 'ERR_BEARER_GUARD_EMPTY_VALUE' });
  });
});

describe('the token option beats every other source (bearerGuard on a real app)', () => {
  const optionToken = tokenFor('option');
  const flagToken = tokenFor('flag');
  const others = {
    argv: argv('--auth-bearer-token', flagToken),
    env: { AUTH_BEARER_TOKEN: tokenFor('env') },
    configFile: tmp.ini([`auth_bearer_token = ${tokenFor('ini')}`]),
  };
  const app = express();
  app.use(bearerGuard({ token: optionToken, ...others, logger: captureLogger() }));
  app.get('/v2/models/', (_req, res) => void res.json({ ok: true }));

  const cases = [
    { name: "the option's token", token: optionToken, status: 200 },
    { name: "the flag's token", token: flagToken, status: 401 },
    { name: "the env's token", token: tokenFor('env'), status: 401 },
    { name: "the INI's token", token: tokenFor('ini'), status: 401 },
  ];
  for (const c of cases) {
    test(`${c.name} -> ${c.status}`, async () => {
      await request(app).get('/v2/models/').set('Authorization', `Bearer ${c.token}`).expect(c.status);
    });
  }

  test('without the option, the same sources give the flag token', async () => {
    const app2 = express();
    app2.use(bearerGuard({ ...others, logger: captureLogger() }));
    app2.get('/v2/models/', (_req, res) => void res.json({ ok: true }));
    await request(app2).get('/v2/models/').set('Authorization', `Bearer ${flagToken}`).expect(200);
    await request(app2).get('/v2/models/').set('Authorization', `Bearer ${optionToken}`).expect(401);
  });

  test('with the option, broken argv, env and config file are not even read', () => {
    const logger = captureLogger();
    bearerGuard({ token: optionToken, argv: argv('--auth-bearer-token'), env: { AUTH_REQUIRED: 'maybe' }, configFile: tmp.missing(), logger });
    assert.deepEqual(logger.lines, []);
  });

  test('createBearerStrategy loads the same configuration', () => {
    const logger = captureLogger();
    createBearerStrategy({ argv: argv(), env: {}, logger });
    assert.equal(logger.lines.length, 1);
    assert.match(logger.lines[0]!, /W_BEARER_GUARD_AUTH_OFF/);
    assert.throws(() => createBearerStrategy({ argv: argv('--auth-required'), env: {}, logger }), { code: 'ERR_BEARER_GUARD_TOKEN_REQUIRED' });
  });
});
