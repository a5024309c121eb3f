// The example server's /openapi.json, fetched from the running server, passes `redocly lint` (recommended rules, offline).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PUBLIC_PATHS } from '../examples/model-server/routes-public.js';
import { call, cleanEnv, startServer, type StartedServer } from './helpers/example-server.js';

const REDOCLY = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
const TOKEN = 'openapi-lint-token-0123456789abcdefghijklmnop';
// No telemetry, no update check: the lint runs offline inside `npm test`.
const LINT_ENV = cleanEnv({ REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' });

interface LintResult {
  code: number;
  errors: number;
  warnings: number;
  rules: string[];
}

/** Runs `redocly lint --config redocly.yaml --format=json` on `doc` as a child process. */
function lint(dir: string, name: string, doc: unknown): Promise<LintResult> {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(doc));
  const args = [REDOCLY, 'lint', '--config', 'redocly.yaml', '--format=json', file];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { env: LINT_ENV, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      try {
        const out = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: Array<{ ruleId: string }> };
        resolve({ code, errors: out.totals.errors, warnings: out.totals.warnings, rules: out.problems.map((p) => p.ruleId) });
      } catch {
        reject(new Error(`redocly exited ${code} without a JSON report; stderr: ${stderr.slice(0, 2000)}`));
      }
    });
  });
}

describe('OpenAPI document of the example server', { timeout: 120_000 }, () => {
  let server!: StartedServer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is walked freely
  let doc!: any;
  const dir = mkdtempSync(join(tmpdir(), 'bearer-guard-openapi-'));

  before(async () => {
    server = await startServer(['--auth-bearer-token', TOKEN], cleanEnv());
    doc = (await call(server.url, '/openapi.json')).body;
  });

  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('passes redocly lint with the recommended rules: no error, no warning', async () => {
    assert.deepEqual(await lint(dir, 'openapi', doc), { code: 0, errors: 0, warnings: 0, rules: [] });
  });

  test('redocly.yaml extends recommended and turns off only no-path-trailing-slash', () => {
    const config = readFileSync('redocly.yaml', 'utf8').replace(/#.*$/gm, '');
    assert.match(config, /^extends:\s*\n\s*- recommended\s*$/m);
    const rules = config.slice(config.indexOf('rules:')).split('\n').slice(1);
    assert.deepEqual(rules.filter((line) => /^\s+\S/.test(line)).map((line) => line.trim()), ['no-path-trailing-slash: off']);
  });

  // Each row breaks one promise of the document; the lint must then fail on that rule.
  const broken: Array<[string, string, (d: typeof doc) => void]> = [
    ['an operation without operationId', 'operation-operationId', (d) => delete d.paths['/v2/models/'].get.operationId],
    ['a public operation without security: []', 'security-defined', (d) => delete d.paths['/v2/'].get.security],
    ['no info.license', 'info-license', (d) => delete d.info.license],
    ['a trailing slash on the server URL', 'no-server-trailing-slash', (d) => (d.servers[0].url += '/')],
  ];
  for (const [what, rule, breakIt] of broken) {
    test(`the lint catches ${what} (${rule})`, async () => {
      const copy = structuredClone(doc);
      breakIt(copy);
      const result = await lint(dir, rule, copy);
      assert.ok(result.rules.includes(rule), JSON.stringify(result));
    });
  }

  test('every operation has a unique operationId; public ones declare security: [], the rest a scheme; the server URL is the listen address', () => {
    const ids: string[] = [];
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { operationId?: string; security?: unknown[] }>>)) {
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        assert.match(op.operationId ?? '', /^[a-zA-Z]+$/, where);
        ids.push(op.operationId!);
        if (PUBLIC_PATHS.includes(path)) assert.deepEqual(op.security, [], where);
        else assert.ok((op.security?.length ?? 0) > 0, where);
      }
    }
    assert.ok(ids.length >= 10);
    assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
    assert.deepEqual(doc.info.license, { name: 'MIT', identifier: 'MIT' });
    assert.deepEqual(doc.servers, [{ url: server.url }]);
  });
});
