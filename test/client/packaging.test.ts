// bearer-guard/client from the packed tarball, in fresh ESM, CommonJS and strict TypeScript (NodeNext, ESM and CJS) apps.
// Needs dist/ (`npm test` builds first) and npm with its cache (the main packaging test installs the same dependencies).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
const TOKEN = randomBytes(24).toString('base64url');
const TIMEOUT = 180_000;

interface RunResult {
  code: number | string | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const base: NodeJS.ProcessEnv = { ...process.env, BG_TOKEN: TOKEN, ...env };
  for (const key of Object.keys(base)) {
    if (key === 'NODE_TEST_CONTEXT' || key === 'INIT_CWD' || key.startsWith('BEARER_GUARD_') || /^npm_(package_|lifecycle_|config_(local_)?prefix$)/.test(key)) delete base[key];
  }
  return new Promise((resolve) => {
    execFile(file, args, { cwd, timeout: TIMEOUT, env: base, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : ((err as { code?: number | string }).code ?? 'killed'), stdout, stderr });
    });
  });
}

const npm = (args: readonly string[], cwd: string): Promise<RunResult> => {
  const cli = process.env.npm_execpath;
  return cli !== undefined && /npm-cli\.c?js$/.test(cli) ? run(process.execPath, [cli, ...args], cwd) : run('npm', args, cwd);
};
const describeRun = (what: string, r: RunResult): string => `${what} exited with ${String(r.code)}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;

/** The body every consumer runs (valid JavaScript and strict TypeScript): a tiny whoami server, a client, its errors; one JSON line out. */
const BODY = `
async function main() {
  const token = process.env.BG_TOKEN ?? '';
  const server = createServer((req, res) => {
    const ok = req.headers.authorization === 'Bearer ' + token && req.url === '/v2/auth/whoami';
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ok ? { id: 'token', name: 'token', family: 'service', scopes: ['*'], expires_at: null } : { detail: 'Invalid bearer token', error: 'invalid_token' }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const endpoint = 'http://127.0.0.1:' + String(address.port);
    const identity = await createClient({ endpoint, token }).whoami();
    const rejected = await createClient({ endpoint, token: 'wrong-token-0123456789' }).whoami().catch((e) => e);
    let noCredentials;
    try {
      createClient({ env: { BEARER_GUARD_CONFIG_DIR: process.cwd() + '/no-config' } });
    } catch (e) {
      noCredentials = e;
    }
    const r = rejected;
    console.log(JSON.stringify({
      resolved: RESOLVED,
      names: Object.keys(mod).sort(),
      identity,
      rejected: [rejected instanceof BearerGuardClientError, r.code, r.reason],
      noCredentials: noCredentials instanceof BearerGuardClientError ? noCredentials.code : String(noCredentials),
      inspected: inspect(createClient({ endpoint, token }), { showHidden: true, depth: 5 }).includes(token),
    }));
  } finally {
    server.close();
  }
}
main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
`;
const TS_PINS = `
function neverCalled(): void {
  const client: BearerGuardClient = createClient({ context: 'staging', timeoutMs: 5000 });
  // @ts-expect-error -- unknown option: the options type reached the consumer
  createClient({ contxt: 'x' });
  const code: BearerGuardClientErrorCode = 'ERR_TOKEN_REJECTED';
  // @ts-expect-error -- not a code
  const bad: BearerGuardClientErrorCode = 'ERR_NOPE';
  void client.predict('iris', { file: 'x.csv' });
  void code;
  void bad;
}
void neverCalled;
`;
const CONSUMERS: Record<string, string> = {
  'consumer.mjs': `import { createServer } from 'node:http';\nimport { once } from 'node:events';\nimport { inspect } from 'node:util';\nimport * as mod from 'bearer-guard/client';\nimport { createClient, BearerGuardClientError } from 'bearer-guard/client';\nconst RESOLVED = import.meta.resolve('bearer-guard/client');\n${BODY}`,
  'consumer.cjs': `'use strict';\nconst { createServer } = require('node:http');\nconst { once } = require('node:events');\nconst { inspect } = require('node:util');\nconst mod = require('bearer-guard/client');\nconst { createClient, BearerGuardClientError } = mod;\nconst RESOLVED = require.resolve('bearer-guard/client');\n${BODY}`,
  'ts/consumer.ts': `import { createServer } from 'node:http';\nimport { once } from 'node:events';\nimport { inspect } from 'node:util';\nimport * as mod from 'bearer-guard/client';\nimport { createClient, BearerGuardClientError } from 'bearer-guard/client';\nimport type { BearerGuardClient, BearerGuardClientErrorCode } from 'bearer-guard/client';\nconst RESOLVED = import.meta.resolve('bearer-guard/client');\n${BODY}${TS_PINS}`,
  'ts/consumer.cts': `import http = require('node:http');\nimport events = require('node:events');\nimport util = require('node:util');\nimport mod = require('bearer-guard/client');\nimport type { BearerGuardClient, BearerGuardClientErrorCode } from 'bearer-guard/client';\nconst { createServer } = http;\nconst { once } = events;\nconst { inspect } = util;\nconst { createClient, BearerGuardClientError } = mod;\nconst RESOLVED = require.resolve('bearer-guard/client');\n${BODY}${TS_PINS}`,
};
const TSCONFIG = {
  compilerOptions: { target: 'ES2022', lib: ['ES2023', 'DOM'], module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'], strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, verbatimModuleSyntax: true, skipLibCheck: false, rootDir: 'ts', outDir: 'out' },
  include: ['ts'],
};

let work = '';
let app = '';
let installError: string | undefined;
before(async () => {
  work = mkdtempSync(join(tmpdir(), 'bearer-guard-client-packaging-'));
  // --ignore-scripts: a prepack build would rewrite dist/ under the tests running beside this one.
  const packed = await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], ROOT);
  assert.equal(packed.code, 0, describeRun('npm pack', packed));
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{ filename: string }>;
  app = join(work, 'app');
  mkdirSync(join(app, 'ts'), { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'client-consumer', private: true, type: 'module' }));
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  for (const [file, source] of Object.entries(CONSUMERS)) writeFileSync(join(app, file), source);
  const r = await npm(['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', join(work, info!.filename), '@types/node@20.19.0'], app);
  if (r.code !== 0) installError = describeRun('npm install', r);
});
after(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

const NAMES = ['BearerGuardClientError', 'configDir', 'contextsFilePath', 'createClient'];

async function consumer(file: string, build: 'esm' | 'cjs'): Promise<void> {
  assert.equal(installError, undefined, installError);
  const r = await run(process.execPath, [file], app);
  assert.equal(r.code, 0, describeRun(`node ${file}`, r));
  const result = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  const resolved = String(result.resolved);
  assert.ok((resolved.startsWith('file:') ? fileURLToPath(resolved) : resolved).endsWith(['node_modules', 'bearer-guard', 'dist', build, 'client', 'index.js'].join(sep)), resolved);
  assert.deepEqual(result.names, NAMES);
  assert.deepEqual(result.identity, { id: 'token', name: 'token', family: 'service', scopes: ['*'], expires_at: null });
  assert.deepEqual(result.rejected, [true, 'ERR_TOKEN_REJECTED', 'invalid']);
  assert.equal(result.noCredentials, 'ERR_NO_CREDENTIALS');
  assert.equal(result.inspected, false, 'inspect(client) shows the token');
  assert.ok(!r.stdout.includes(TOKEN) && !r.stderr.includes(TOKEN));
}

test('an ESM app: import { createClient } from "bearer-guard/client"', { timeout: TIMEOUT }, () => consumer('consumer.mjs', 'esm'));
test('a CommonJS app: require("bearer-guard/client")', { timeout: TIMEOUT }, () => consumer('consumer.cjs', 'cjs'));

test('strict TypeScript apps (NodeNext, ESM and CJS, skipLibCheck off) compile against the client types and run', { timeout: TIMEOUT }, async () => {
  assert.equal(installError, undefined, installError);
  const tsc = await run(process.execPath, [TSC, '-p', join(app, 'tsconfig.json')], app);
  assert.equal(tsc.code, 0, describeRun('tsc', tsc));
  await consumer('out/consumer.js', 'esm');
  await consumer('out/consumer.cjs', 'cjs');
});

test('the installed bin has the client commands', { timeout: TIMEOUT }, async () => {
  assert.equal(installError, undefined, installError);
  const bin = join(app, 'node_modules/.bin/bearer-guard');
  const list = await run(bin, ['context', 'list', '--json'], app, { BEARER_GUARD_CONFIG_DIR: join(app, 'cfg') });
  assert.equal(list.code, 0, describeRun('bearer-guard context list', list));
  assert.equal(list.stdout, '[]\n');
  const pkg = JSON.parse(readFileSync(join(app, 'node_modules/bearer-guard/package.json'), 'utf8')) as { exports: Record<string, unknown> };
  assert.ok(pkg.exports['./client']);
});
