// Failing requests and misconfigurations, with all output captured: neither token appears anywhere.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, test } from 'node:test';
import { bearerGuard, createBearerStrategy, loadAuthConfig } from '../src/index.js';
import { captureLogger, listen, MAJORS, TOKEN, WRONG } from './helpers/apps.js';
import { rawRequest } from './helpers/raw-http.js';

/** Runs `fn` with process.stdout and process.stderr captured. */
async function captureOutput(fn: () => Promise<void>): Promise<string> {
  const out: string[] = [];
  const orig = { o: process.stdout.write.bind(process.stdout), e: process.stderr.write.bind(process.stderr) };
  const grab = (chunk: unknown): boolean => {
    out.push(String(chunk));
    return true;
  };
  process.stdout.write = grab as typeof process.stdout.write;
  process.stderr.write = grab as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stdout.write = orig.o;
    process.stderr.write = orig.e;
  }
  return out.join('');
}

const HEADERS = [
  [],
  [`Authorization: Bearer ${WRONG}`],
  [`Authorization: Bearer ${TOKEN}x`],
  [`Authorization: Bearer ${TOKEN.slice(1)}`],
  [`Authorization: Bearer ${TOKEN} ${WRONG}`],
  [`Authorization: Bearer ${TOKEN}`, `Authorization: Bearer ${WRONG}`],
  [`Authorization: Bearer ${WRONG},${TOKEN}`],
  [`Authorization: Basic ${TOKEN}`],
  [`Authorization: Bearer ${'a'.repeat(5000)}${TOKEN}`],
];

function assertClean(text: string, where: string): void {
  for (const secret of [TOKEN, WRONG]) assert.ok(!text.includes(secret), `${where} contains a token`);
}

describe('no token in any output', () => {
  for (const { label, express } of MAJORS) {
    test(`refused requests on ${label}: responses, logs and console stay clean`, async () => {
      const logger = captureLogger();
      let seen = '';
      const output = await captureOutput(async () => {
        const app = express();
        app.use(bearerGuard({ argv: ['node', 'app', '--auth-bearer-token', TOKEN], env: {}, logger }));
        const passport = (await import('passport')).Passport;
        app.get('/p', new passport().authenticate(createBearerStrategy({ token: TOKEN, logger }), { session: false }), (_q, r) => void r.json({}));
        const s = await listen(app);
        try {
          for (const h of HEADERS) {
            for (const path of ['/v2/models/', '/p']) {
              const res = await rawRequest(s, [`GET ${path} HTTP/1.1`, 'Host: x', ...h]);
              assert.equal(res.status, 401);
              seen += JSON.stringify(res.headers) + res.body;
            }
          }
        } finally {
          s.close();
        }
      });
      assertClean(seen, 'a response');
      assertClean(output, 'stdout/stderr');
      assertClean(logger.lines.join('\n'), 'the logger');
    });
  }

  test('misconfigurations: errors, stacks and inspections never show the value', () => {
    const bad = [`${TOKEN}$`, `${TOKEN} ${WRONG}`, ' \t ', `${TOKEN}\u00e9`];
    for (const value of bad) {
      for (const sources of [
        { argv: ['n', 's', `--auth-bearer-token=${value}`], env: {} },
        { argv: [], env: { AUTH_BEARER_TOKEN: value } },
      ]) {
        let caught: unknown;
        assert.throws(() => bearerGuard({ ...sources, logger: captureLogger() }), (err) => {
          caught = err;
          return (err as { code?: string }).code === 'ERR_BEARER_GUARD_TOKEN_INVALID';
        });
        const e = caught as Error;
        assertClean(`${e.message}\n${e.stack}\n${inspect(e)}\n${String(e)}`, 'a start-up error');
      }
    }
    for (const value of [`${TOKEN}$`, ' ']) {
      assert.throws(() => bearerGuard({ token: value }), (err: Error) => {
        assertClean(`${err.message}\n${err.stack}\n${inspect(err)}`, 'an option error');
        return true;
      });
    }
  });

  test('a loaded configuration prints, inspects and serialises without its token', () => {
    const config = loadAuthConfig({ argv: ['n', 's', '--auth-bearer-token', TOKEN], env: {} });
    assert.equal(config.token?.reveal(), TOKEN);
    const views = [inspect(config, { depth: 10, showHidden: true }), JSON.stringify(config), String(config.token), `${config.token}`, `${String(config.token)}`];
    for (const v of views) assertClean(v, 'a view of the config');
  });
});
