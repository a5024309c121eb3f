// The token never shows: not in errors (message, stack, inspect), warnings, logs, or the config.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { format, inspect } from 'node:util';
import express from 'express';
import request from 'supertest';
import { bearerGuard, createBearerStrategy, loadAuthConfig } from '../../src/index.js';
import { argv, assertNoLeak, captureLogger, errorTexts, TempDir, thrown } from '../helpers/config-fixtures.js';

const tmp = new TempDir();
after(() => tmp.cleanup());

// Random-looking, so that any 12-character run of it in a text is a leak.
const S = 'vQ8rT2mK9xLp4Wn7Zb3Hc6Jd1Fg5Ys0Ae';
const S2 = 'Nw5Pq1Xk7Rm3Tz9Vb2Lc8Hd4Jf6Gs0Ey';
const PADDED = 'dGhpcyBpcyBhIHNlY3JldCB0b2tlbiB2YWx1ZSAxMjM0NTY=';
const BAD = `${S.slice(0, 16)}$${S.slice(16)}`;
const SPACED = `${S.slice(0, 16)} ${S.slice(16)}`;

describe('start-up errors never contain the token', () => {
  const cases: Array<{ name: string; secret: string; run: () => unknown; code: string }> = [
    { name: 'flag given twice', secret: S, code: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES', run: () => loadAuthConfig({ argv: argv('--auth-bearer-token', S, `--auth-bearer-token=${S2}`), env: {} }) },
    { name: 'flag with flag file', secret: S, code: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES', run: () => loadAuthConfig({ argv: argv('--auth-bearer-token', S, '--auth-bearer-token-file', tmp.file(S2)), env: {} }) },
    { name: 'env with env file', secret: S, code: 'ERR_BEARER_GUARD_CONFLICTING_SOURCES', run: () => loadAuthConfig({ argv: argv(), env: { DEEPAAS_AUTH_BEARER_TOKEN: S, DEEPAAS_AUTH_BEARER_TOKEN_FILE: tmp.file(S2) }, envPrefix: 'DEEPAAS_' }) },
    { name: '$ in the flag token', secret: BAD, code: 'ERR_BEARER_GUARD_TOKEN_INVALID', run: () => loadAuthConfig({ argv: argv('--auth-bearer-token', BAD), env: {} }) },
    { name: 'space in the env token', secret: SPACED, code: 'ERR_BEARER_GUARD_TOKEN_INVALID', run: () => loadAuthConfig({ argv: argv(), env: { AUTH_BEARER_TOKEN: SPACED } }) },
    { name: '$ in the token file', secret: BAD, code: 'ERR_BEARER_GUARD_TOKEN_INVALID', run: () => loadAuthConfig({ argv: argv(), env: { AUTH_BEARER_TOKEN_FILE: tmp.file(`${BAD}\n`) } }) },
    { name: '$ in the INI token', secret: BAD, code: 'ERR_BEARER_GUARD_TOKEN_INVALID', run: () => loadAuthConfig({ argv: argv(), env: {}, configFile: tmp.ini([`auth_bearer_token = ${BAD}`]) }) },
    { name: 'longer than maxTokenLength', secret: S, code: 'ERR_BEARER_GUARD_TOKEN_INVALID', run: () => loadAuthConfig({ argv: argv(`--auth-bearer-token=${S}`), env: {}, maxTokenLength: 20 }) },
    { name: 'INI unknown key holding the token', secret: S, code: 'ERR_BEARER_GUARD_CONFIG_FILE', run: () => loadAuthConfig({ argv: argv(), env: {}, configFile: tmp.ini([`auth_bearer_tokn = ${S}`]) }) },
    { name: 'INI key set twice', secret: S, code: 'ERR_BEARER_GUARD_CONFIG_FILE', run: () => loadAuthConfig({ argv: argv(), env: {}, configFile: tmp.ini([`auth_bearer_token = ${S}`, '[DEFAULT]', `auth_bearer_token = ${S2}`]) }) },
    { name: 'INI token in an unknown section', secret: S, code: 'ERR_BEARER_GUARD_CONFIG_FILE', run: () => loadAuthConfig({ argv: argv(), env: {}, configFile: tmp.ini(['[auth]', `auth_bearer_token = ${S}`]) }) },
    { name: 'INI line without =', secret: S, code: 'ERR_BEARER_GUARD_CONFIG_FILE', run: () => loadAuthConfig({ argv: argv(), env: {}, configFile: tmp.ini([`auth_bearer_token ${S}`]) }) },
    { name: 'INI bad auth_required next to the token', secret: S, code: 'ERR_BEARER_GUARD_CONFIG_FILE', run: () => loadAuthConfig({ argv: argv(), env: {}, configFile: tmp.ini([`auth_bearer_token = ${S}`, 'auth_required = yes']) }) },
    // A plausible mistake: a secret file (one token, no key) given as the config file.
    { name: 'token file (no padding) given as --config-file', secret: S, code: 'ERR_BEARER_GUARD_CONFIG_FILE', run: () => loadAuthConfig({ argv: argv('--config-file', tmp.file(`${S}\n`)), env: {} }) },
    { name: 'token file (base64 with = padding) given as --config-file', secret: PADDED, code: 'ERR_BEARER_GUARD_CONFIG_FILE', run: () => loadAuthConfig({ argv: argv('--config-file', tmp.file(`${PADDED}\n`)), env: {} }) },
    { name: 'config file given as the token file', secret: S, code: 'ERR_BEARER_GUARD_TOKEN_INVALID', run: () => loadAuthConfig({ argv: argv('--auth-bearer-token-file', tmp.ini([`auth_bearer_token = ${S}`])), env: {} }) },
    { name: 'bearerGuard: bad token option', secret: BAD, code: 'ERR_BEARER_GUARD_TOKEN_INVALID', run: () => bearerGuard({ token: BAD, logger: captureLogger() }) },
    { name: 'bearerGuard: bad entry in a token array', secret: SPACED, code: 'ERR_BEARER_GUARD_TOKEN_INVALID', run: () => bearerGuard({ token: [S2, SPACED], logger: captureLogger() }) },
    { name: 'bearerGuard: token under a misspelt option', secret: S, code: 'ERR_BEARER_GUARD_UNKNOWN_OPTION', run: () => bearerGuard({ tokn: S } as never) },
    { name: 'createBearerStrategy: bad flag token', secret: BAD, code: 'ERR_BEARER_GUARD_TOKEN_INVALID', run: () => createBearerStrategy({ argv: argv('--auth-bearer-token', BAD), env: {}, logger: captureLogger() }) },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const err = thrown(c.run);
      assert.equal((err as { code?: unknown }).code, c.code);
      assertNoLeak(errorTexts(err), c.secret, c.name);
    });
  }
});

describe('a loaded config never shows the token', () => {
  const sources: Array<[string, Parameters<typeof loadAuthConfig>[0]]> = [
    ['flag', { argv: argv('--auth-bearer-token', S), env: {} }],
    ['env', { argv: argv(), env: { AUTH_BEARER_TOKEN: S } }],
    ['env file', { argv: argv(), env: { AUTH_BEARER_TOKEN_FILE: tmp.file(`${S}\n`) } }],
    ['INI', { argv: argv(), env: {}, configFile: tmp.ini([`auth_bearer_token = ${S}`]) }],
  ];
  for (const [name, options] of sources) {
    test(name, () => {
      const config = loadAuthConfig(options);
      assert.equal(config.token?.reveal(), S);
      const texts = [
        inspect(config),
        inspect(config, { showHidden: true, depth: Infinity }),
        JSON.stringify(config),
        String(config.token),
        `${config.token}`,
        `${String(config.token)}!`,
        inspect(config.token),
        format('%s %o %O %j', config, config, config.token, config),
        Object.keys(config.token ?? {}).join(','),
        config.tokenSource ?? '',
        ...config.warnings.map((w) => w.message),
      ];
      assertNoLeak(texts, S, name);
      assert.equal(String(config.token), '[redacted]');
      assert.equal(JSON.parse(JSON.stringify(config)).token, '[redacted]');
    });
  }
});

describe('warnings and everything logged never contain the token', () => {
  const WEAK = 'Zq9xWv3Lp7Rv4Nt';
  test('weak token and readable config file, through loadAuthConfig', () => {
    const config = loadAuthConfig({ argv: argv(), env: {}, configFile: tmp.ini([`auth_bearer_token = ${WEAK}`], 0o644) });
    assert.deepEqual(config.warnings.map((w) => w.code).sort(), ['W_BEARER_GUARD_CONFIG_FILE_MODE', 'W_BEARER_GUARD_WEAK_TOKEN']);
    assertNoLeak(config.warnings.map((w) => w.message), WEAK, 'warnings');
    assertNoLeak([inspect(config), JSON.stringify(config)], WEAK, 'config');
  });

  test('bearerGuard and createBearerStrategy logs, at start-up and per request', async () => {
    const logger = captureLogger();
    const configFile = tmp.ini([`auth_bearer_token = ${WEAK}`], 0o644);
    const app = express();
    app.use(bearerGuard({ argv: argv(), env: { AUTH_CONFIG_FILE: configFile }, logger }));
    app.get('/v2/models/', (_req, res) => void res.json({ ok: true }));
    createBearerStrategy({ argv: argv('--auth-bearer-token', WEAK), env: {}, logger });
    bearerGuard({ token: [S, WEAK], logger });
    createBearerStrategy({ argv: argv(), env: {}, logger });
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${WEAK}`).expect(200);
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${S}`).expect(401);
    await request(app).get('/v2/models/').set('Authorization', `Bearer ${WEAK}x`).expect(401);
    assert.ok(logger.lines.length >= 5, `expected the start-up warnings, got ${logger.lines.length}`);
    assertNoLeak(logger.lines, WEAK, 'log');
    assertNoLeak(logger.lines, S, 'log');
  });
});
