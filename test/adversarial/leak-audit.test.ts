/**
 * Leak audit ("Secrets stay secret"): every failure path, driven with a known token (TOKEN), a
 * known wrong token (WRONG) and an all-alphanumeric token (PLAIN), must not show any of them,
 * in any form (leak/needles.ts: 12-character runs of the raw, cased, base64, base64url, hex,
 * percent-, JSON-, unicode- and regexp-escaped forms), through any channel:
 *
 * - start-up (leak/startup-paths.ts): every ERR_BEARER_GUARD_* code and W_BEARER_GUARD_* warning,
 *   through options and real flags, env vars, token files and INI files on disk, with the secrets
 *   pasted where they do not belong; through loadAuthConfig, bearerGuard (logger and console) and
 *   createBearerStrategy. Captured: stdout, stderr, process warnings, logger lines, the thrown
 *   error (message, stack, name, own properties, inspect with showHidden, JSON, String, format,
 *   structuredClone, its cause chain) and every view of what was returned (AuthConfig and its
 *   Secret and warnings, the middleware and its source, the strategy and its prototype).
 * - requests (leak/request-paths.ts) on Express 5 and 4, through bearerGuard and a passport
 *   strategy on a private Passport, each with a logger and with console, plus an uncalled
 *   app.use(bearerGuard): every refusal, two acceptances, and sabotage that makes the check
 *   throw (with and without a throwing logger). Captured: the raw response (status line, reason,
 *   headers, body), stdout, stderr, logger, and every property added to or changed on req and res
 *   on the way (a spy in leak/servers.ts diffs them; req.user and passport's additions included),
 *   res.locals and res.getHeaders().
 * - a self-check plants a leak in each channel and requires the audit to find it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { bearerGuard, createBearerStrategy, loadAuthConfig } from '../../src/index.js';
import { MAJORS } from '../helpers/apps.js';
import { IS_ROOT, TempDir } from '../helpers/config-fixtures.js';
import { auditCall, auditRequest, callEntry, detector, findLeaks, report, totals, viewReturned, type Leak } from './leak/audit.js';
import { Recorder, withProcessOutput } from './leak/capture.js';
import { forms, PLAIN, SECRETS, TOKEN, WINDOW, WRONG, type SecretName } from './leak/needles.js';
import { PLANTED_CALLS, PLANTED_REQUESTS, startPlantedServer } from './leak/planted.js';
import { REQUEST_PATHS, SABOTAGE } from './leak/request-paths.js';
import { startMounts, type Holder, type Mount } from './leak/servers.js';
import { startupPaths } from './leak/startup-paths.js';

const tmp = new TempDir();
after(() => tmp.cleanup());

/** Codes the library defines: the audit must reach every one of them. */
const ERRORS_TS = readFileSync(new URL('../../src/errors/startup.ts', import.meta.url), 'utf8');
const ALL_ERROR_CODES = [...new Set(ERRORS_TS.match(/'ERR_BEARER_GUARD_[A-Z_]+'/g) ?? [])].map((c) => c.slice(1, -1));
const ALL_WARNING_CODES = [...new Set(ERRORS_TS.match(/'W_BEARER_GUARD_[A-Z_]+'/g) ?? [])].map((c) => c.slice(1, -1));
const reached = new Set<string>();

describe('needles', () => {
  test('the secrets contain the characters that make encodings differ', () => {
    for (const c of ['+', '/', '=', '~', '.']) {
      assert.ok(TOKEN.includes(c) && WRONG.includes(c), `TOKEN and WRONG contain ${c}`);
    }
    assert.match(PLAIN, /^[A-Za-z0-9]{32,}$/);
    for (const name of Object.keys(SECRETS) as SecretName[]) {
      const texts = forms(name).map((f) => f.text);
      assert.equal(new Set(texts.map((t) => t.toLowerCase())).size >= 8, true, `${name}: the forms differ`);
    }
  });

  test('every form is found whole, by its 12-character prefix and suffix, and in any case', () => {
    let checked = 0;
    for (const name of Object.keys(SECRETS) as SecretName[]) {
      for (const f of forms(name)) {
        for (const piece of [f.text, f.text.slice(0, WINDOW), f.text.slice(-WINDOW), f.text.slice(3, 3 + WINDOW + 5), f.text.toUpperCase(), f.text.toLowerCase()]) {
          const found = detector.scan(`log line: <${piece}> end`);
          assert.ok(found.some((x) => x.secret === name), `${name} ${f.form}: ${piece} must be found`);
          checked++;
        }
      }
    }
    assert.ok(checked > 200);
  });

  test('an 11-character piece or a clean text is not a finding', () => {
    assert.deepEqual(detector.scan(`x ${TOKEN.slice(0, WINDOW - 1)} y ${WRONG.slice(-(WINDOW - 1))}`), []);
    const clean = loadAuthConfig({ argv: [], env: { AUTH_BEARER_TOKEN: TOKEN } });
    assert.deepEqual(detector.scan(`${JSON.stringify(clean)} ${String(clean.token)}`), []);
  });
});

describe('self-check: a leak planted in each channel is found', () => {
  test('start-up channels', async () => {
    for (const p of PLANTED_CALLS) {
      const rec = new Recorder();
      const { captures } = await auditCall(rec, () => p.run(rec), (r, result) => r.views('returned', result));
      const leaks = findLeaks(`planted: ${p.channel}`, captures);
      assert.ok(leaks.some((l) => l.channel.startsWith(p.channel)), `planted leak in ${p.channel} not found; found in: ${leaks.map((l) => l.channel).join(', ')}`);
    }
  });

  for (const { label, express } of MAJORS) {
    test(`request channels on ${label}`, async () => {
      const holder: Holder = { rec: undefined, loggerThrows: false, pending: undefined };
      const server = await startPlantedServer(express, holder);
      const mount: Mount = { name: `${label} planted`, kind: 'bearerGuard', console: true, server, holder };
      try {
        for (const [name, { channel }] of Object.entries(PLANTED_REQUESTS)) {
          const { captures } = await auditRequest(mount, ['GET /v2/models/ HTTP/1.1', 'Host: x', `X-Plant: ${name}`], undefined);
          const leaks = findLeaks(`planted: ${name}`, captures);
          assert.ok(leaks.some((l) => l.channel.startsWith(channel)), `planted ${name}: nothing found in ${channel}; found in: ${leaks.map((l) => l.channel).join(', ')}`);
        }
        // And the same server with no plant is clean: the spy itself adds nothing.
        const { captures } = await auditRequest(mount, ['GET /v2/models/ HTTP/1.1', 'Host: x', `Authorization: Bearer ${TOKEN}`], undefined);
        assert.equal(report(findLeaks('planted: none', captures)), report([]));
      } finally {
        server.close();
      }
    });
  }
});

describe('start-up paths', () => {
  test('no error, warning, log line or returned object shows a secret', async (t) => {
    const leaks: Leak[] = [];
    const wrongOutcome: string[] = [];
    let calls = 0;
    for (const p of startupPaths(tmp, IS_ROOT)) {
      for (const entry of p.entries ?? []) {
        const rec = new Recorder();
        const name = `${p.name} via ${entry}`;
        const result = await auditCall(rec, () => callEntry(entry, p.options, rec), (r, value) => viewReturned(entry, r, value));
        calls++;
        reached.add(result.outcome);
        result.warnings.forEach((w) => reached.add(w));
        if (result.outcome !== p.expect) wrongOutcome.push(`${name}: expected ${p.expect}, got ${result.outcome}`);
        for (const w of p.warns ?? []) if (!result.warnings.includes(w)) wrongOutcome.push(`${name}: expected warning ${w}, got ${result.warnings.join(',')}`);
        leaks.push(...findLeaks(name, result.captures));
      }
    }
    t.diagnostic(`start-up: ${calls} calls audited`);
    // Each path must take the failure it is meant to drive, and leak nothing.
    assert.ok(wrongOutcome.length === 0 && leaks.length === 0, `${wrongOutcome.join('\n')}\n${report(leaks)}`);
  });

  test('the table reaches every error code and warning the library defines', () => {
    assert.ok(ALL_ERROR_CODES.length >= 10 && ALL_WARNING_CODES.length >= 3, 'codes were read from src/errors/startup.ts');
    assert.deepEqual([...ALL_ERROR_CODES, ...ALL_WARNING_CODES].filter((c) => !reached.has(c)), []);
  });
});

for (const { label, express } of MAJORS) {
  describe(`request paths on ${label}`, () => {
    let mounts: Mount[] = [];
    before(async () => {
      // The mounts' own start-up is audited too.
      const rec = new Recorder();
      mounts = await withProcessOutput(rec, () => startMounts(label, express));
      const leaks = findLeaks(`${label}: starting the mounts`, rec.captures);
      assert.equal(leaks.length, 0, report(leaks));
    });
    after(() => mounts.forEach((m) => m.server.close()));

    test('every refusal and acceptance: response, logs and attachments stay clean', async (t) => {
      const leaks: Leak[] = [];
      const wrongStatus: string[] = [];
      let requests = 0;
      for (const m of mounts) {
        const paths = m.kind === 'app.use(bearerGuard) uncalled' ? REQUEST_PATHS.filter((p) => /^(accepted: the token|wrong token|token in the query|two lines: token twice)$/.test(p.name)) : REQUEST_PATHS;
        for (const p of paths) {
          const head = [`${p.method ?? 'GET'} ${p.path ?? '/v2/models/'} HTTP/1.1`, 'Host: x', ...p.headers];
          const { res, captures } = await auditRequest(m, head, p.body);
          requests++;
          const expected = m.kind === 'app.use(bearerGuard) uncalled' ? 500 : p.status;
          if (res.status !== expected) wrongStatus.push(`${m.name} / ${p.name}: expected ${expected}, got ${res.status}`);
          leaks.push(...findLeaks(`${m.name} / ${p.name}`, captures));
        }
      }
      t.diagnostic(`${label}: ${requests} requests audited`);
      assert.ok(wrongStatus.length === 0 && leaks.length === 0, `${wrongStatus.join('\n')}\n${report(leaks)}`);
    });

    test('errors thrown inside the check, with and without a throwing logger', async (t) => {
      const leaks: Leak[] = [];
      const wrongStatus: string[] = [];
      let requests = 0;
      for (const m of mounts.filter((x) => x.kind !== 'app.use(bearerGuard) uncalled')) {
        for (const s of SABOTAGE) {
          if (s.guardOnly && m.kind !== 'bearerGuard') continue;
          for (const loggerThrows of m.console ? [false] : [false, true]) {
            const name = `${m.name} / ${s.name}${loggerThrows ? ' / logger throws' : ''}`;
            const head = ['GET /v2/models/ HTTP/1.1', 'Host: x', `X-Sabotage: ${s.name}`, `Authorization: Bearer ${TOKEN}`];
            const { res, captures } = await auditRequest(m, head, undefined, loggerThrows);
            requests++;
            if (res.status !== (s.status ?? 500)) wrongStatus.push(`${name}: expected ${s.status ?? 500}, got ${res.status}`);
            if (res.status === 500 && !res.raw.endsWith('{"detail":"Internal authentication error"}')) wrongStatus.push(`${name}: not the guard's own 500`);
            leaks.push(...findLeaks(name, captures));
          }
        }
      }
      t.diagnostic(`${label}: ${requests} sabotaged requests audited`);
      assert.ok(wrongStatus.length === 0 && leaks.length === 0, `${wrongStatus.join('\n')}\n${report(leaks)}`);
    });
  });
}

describe('regressions (each failed before its fix)', () => {
  const message = (fn: () => unknown): string => {
    try {
      fn();
    } catch (err) {
      return (err as Error).message;
    }
    assert.fail('expected a throw');
  };

  test('a token given where a token-file or config-file path goes is not echoed', () => {
    for (const fn of [
      () => loadAuthConfig({ argv: ['n', 's', '--auth-bearer-token-file', TOKEN], env: {} }),
      () => loadAuthConfig({ argv: [], env: { AUTH_BEARER_TOKEN_FILE: PLAIN } }),
      () => loadAuthConfig({ argv: ['n', 's', `--config-file=${WRONG}`], env: {} }),
      () => loadAuthConfig({ argv: [], env: {}, configFile: PLAIN }),
    ]) {
      const m = message(fn);
      assert.deepEqual(detector.scan(m), [], m);
      assert.match(m, /looks like a token/);
    }
    // An ordinary missing path is still named in full.
    const missing = tmp.missing();
    assert.ok(message(() => loadAuthConfig({ argv: [], env: { AUTH_BEARER_TOKEN_FILE: missing } })).includes(missing));
  });

  test('an envPrefix that is a token is not echoed in env var names', () => {
    const config = loadAuthConfig({ argv: [], env: {}, envPrefix: PLAIN });
    assert.deepEqual(detector.scan(config.warnings.map((w) => w.message).join('\n')), []);
    assert.match(config.warnings[0]?.message ?? '', /<envPrefix>AUTH_BEARER_TOKEN/);
    assert.deepEqual(detector.scan(message(() => loadAuthConfig({ argv: [], env: {}, envPrefix: PLAIN, required: true }))), []);
    assert.match(loadAuthConfig({ argv: [], env: {}, envPrefix: 'DEEPAAS_' }).warnings[0]?.message ?? '', /env DEEPAAS_AUTH_BEARER_TOKEN /);
  });

  test('a token as a public entry or as an unknown option key is not echoed', () => {
    for (const fn of [
      () => bearerGuard({ token: WRONG, public: [TOKEN] }),
      () => bearerGuard({ token: WRONG, public: [`/${TOKEN}?`] }),
      () => bearerGuard({ [PLAIN]: true } as never),
      () => createBearerStrategy({ [TOKEN]: 1 } as never),
    ]) {
      const m = message(fn);
      assert.deepEqual(detector.scan(m), [], m);
    }
    assert.match(message(() => bearerGuard({ public: ['health'] })), /entry "health"/);
    assert.match(message(() => bearerGuard({ tokn: 'x' } as never)), /unknown option `tokn`/);
  });

  test('a realm holding an accepted token is refused at start-up', () => {
    for (const fn of [
      () => bearerGuard({ token: TOKEN, realm: TOKEN }),
      () => createBearerStrategy({ token: [WRONG, TOKEN], realm: `api ${TOKEN}`, logger: { warn: () => undefined } }),
      () => bearerGuard({ argv: [], env: { AUTH_BEARER_TOKEN: TOKEN }, realm: TOKEN }),
    ]) {
      assert.throws(fn, (err: Error & { code?: string }) => err.code === 'ERR_BEARER_GUARD_INVALID_OPTION' && detector.scan(err.message).length === 0);
    }
  });
});

test('audit totals', (t) => {
  t.diagnostic(
    `audited ${totals.paths} paths (plus ${totals.planted} planted leaks, all found): ${totals.captures} captures, ` +
      `${(totals.bytes / 1e6).toFixed(1)} MB, through ${totals.kinds.size} kinds of channel (${[...totals.kinds].sort().join(', ')}) ` +
      `under ${totals.labels.size} distinct labels; ${detector.runs} 12-character runs of ${Object.keys(SECRETS).length} secrets searched`,
  );
  assert.ok(totals.paths > 900 && totals.planted >= PLANTED_CALLS.length);
  assert.ok(totals.kinds.has('audit'), 'audit events were captured and searched');
});
