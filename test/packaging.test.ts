// Packaging: what `npm pack` ships, and whether a fresh app can use it the way the README says,
// from ESM, CommonJS and strict TypeScript (NodeNext, ESM and CJS flavours, skipLibCheck off).
// Needs dist/ (`npm test` builds before running this) and npm, with the registry or its cache.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSC = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
const INSTALL_TIMEOUT_MS = 120_000;
const RUN_TIMEOUT_MS = 30_000;
const EXPRESS = 'express@5.3.0';
// express 5 ships no types; these are the versions the repo itself pins, so npm's cache has them.
const TYPES = ['@types/express@5.0.6', '@types/node@20.19.0'];
const PUBLIC_NAMES = [
  'BearerAuthError',
  'BearerGuardConfigError',
  'BearerGuardError',
  'FamilyNotAllowedError',
  'InsufficientScopeError',
  'InvalidRequestError',
  'InvalidTokenError',
  'KEY_FAMILIES',
  'MemoryKeyStore',
  'MissingTokenError',
  'Secret',
  'bearerGuard',
  'createBearerStrategy',
  'deferContinue',
  'enrollInEntries',
  'formatSelfTestReport',
  'loadAuthConfig',
  'requireFamily',
  'requireScopes',
  'selfTest',
];
// 32 characters of the b64token alphabet: long enough not to draw the weak-token warning.
const TOKEN = randomBytes(24).toString('base64url');

interface RunResult {
  code: number | string | null;
  stdout: string;
  stderr: string;
}

/** Runs a command without a shell and never throws: the caller asserts on the result. */
function run(file: string, args: readonly string[], cwd: string, timeout: number): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, timeout, env: childEnv(), maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : ((err as { code?: number | string }).code ?? (err.killed ? 'killed (timeout?)' : null));
      resolve({ code, stdout, stderr: err !== null && stderr === '' ? String(err) : stderr });
    });
  });
}

/** The environment for children: without node:test's and `npm run`'s per-project variables. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, BG_TOKEN: TOKEN };
  for (const key of Object.keys(env)) {
    if (key === 'NODE_TEST_CONTEXT' || key === 'INIT_CWD' || /^npm_(package_|lifecycle_|config_(local_)?prefix$)/.test(key)) delete env[key];
  }
  return env;
}

/** npm, via the npm that runs `npm test` when there is one, else the `npm` on PATH. */
function npm(args: readonly string[], cwd: string, timeout: number): Promise<RunResult> {
  const cli = process.env.npm_execpath;
  return cli !== undefined && /npm-cli\.c?js$/.test(cli) ? run(process.execPath, [cli, ...args], cwd, timeout) : run('npm', args, cwd, timeout);
}

function describeRun(what: string, r: RunResult): string {
  return `${what} exited with ${String(r.code)}\n--- stdout ---\n${r.stdout.trim()}\n--- stderr ---\n${r.stderr.trim()}`;
}

/** File entries of a .tgz as path -> content (ustar, with pax `path` records honoured). */
function readTarball(file: string): Map<string, Buffer> {
  const buf = gunzipSync(readFileSync(file));
  const entries = new Map<string, Buffer>();
  let paxPath: string | undefined;
  for (let off = 0; off + 512 <= buf.length; ) {
    const header = buf.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number): string => header.subarray(start, start + length).toString('utf8').replace(/\0[\s\S]*$/, '');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    const name = prefix === '' ? field(0, 100) : `${prefix}/${field(0, 100)}`;
    const body = buf.subarray(off + 512, off + 512 + size);
    if (type === 'x') {
      paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
    } else if (type === 'g') {
      // global pax header: nothing npm puts there matters here
    } else {
      if (type === '0' || type === '') entries.set(paxPath ?? name, Buffer.from(body));
      paxPath = undefined;
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/** Every string target of an `exports` map (conditions and subpaths, nested). */
function exportTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(exportTargets);
}

// --- shared state, set up once -------------------------------------------------------------

let workDir = '';
let tarball = '';
let entries = new Map<string, Buffer>();
let consumerDir = '';
let installError: string | undefined;

before(async () => {
  const missing = ['dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/cjs/index.js', 'dist/cjs/index.d.ts', 'dist/cjs/package.json'].filter(
    (f) => !existsSync(join(ROOT, f)),
  );
  assert.deepEqual(missing, [], `dist/ is missing or incomplete (${missing.join(', ')}): run \`npm run build\` first (\`npm test\` does)`);
  workDir = mkdtempSync(join(tmpdir(), 'bearer-guard-packaging-'));
  // --ignore-scripts: a prepack build would rewrite dist/ under the tests running beside this one.
  const packed = await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', workDir], ROOT, 60_000);
  assert.equal(packed.code, 0, describeRun('npm pack', packed));
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{ filename: string }>;
  assert.ok(info, `npm pack --json printed no entry:\n${packed.stdout}`);
  tarball = join(workDir, info.filename);
  entries = readTarball(tarball);
});

after(() => {
  if (workDir !== '') rmSync(workDir, { recursive: true, force: true });
});

test('dist/ is not older than src/ (else the package under test is stale)', (t) => {
  const newest = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => statSync(join(e.parentPath, e.name)).mtimeMs));
  const src = newest(join(ROOT, 'src'));
  const dist = Math.min(statSync(join(ROOT, 'dist/esm/index.js')).mtimeMs, statSync(join(ROOT, 'dist/cjs/index.js')).mtimeMs);
  // Only a diagnostic: mtimes are not proof, and `npm test` always builds first.
  if (src > dist) t.diagnostic('dist/ is older than src/: run `npm run build` to test the current sources');
});

test('npm pack ships both builds with their types, and no sources, tests or examples', () => {
  const names = [...entries.keys()].sort();
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;

  for (const f of ['package.json', 'dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/cjs/index.js', 'dist/cjs/index.d.ts', 'dist/cjs/package.json']) {
    assert.ok(entries.has(`package/${f}`), `tarball lacks package/${f}; it has:\n${names.join('\n')}`);
  }
  // Every file that package.json points at is in the tarball.
  const targets = [...exportTargets(pkg.exports), pkg.main, pkg.types].filter((x): x is string => typeof x === 'string');
  for (const target of targets) {
    assert.ok(entries.has(`package/${target.replace(/^\.\//, '')}`), `package.json points at ${target}, which the tarball lacks`);
  }
  // dist/cjs is CommonJS although the package is "type": "module".
  assert.deepEqual(JSON.parse(entries.get('package/dist/cjs/package.json')!.toString('utf8')), { type: 'commonjs' });

  // Both builds hold the same modules, each with its declarations.
  const modules = (flavour: string, ext: string): string[] =>
    names.filter((n) => n.startsWith(`package/dist/${flavour}/`) && n.endsWith(ext)).map((n) => n.slice(`package/dist/${flavour}/`.length, -ext.length));
  assert.deepEqual(modules('esm', '.js'), modules('cjs', '.js'));
  assert.deepEqual(modules('esm', '.d.ts'), modules('esm', '.js'));
  assert.deepEqual(modules('cjs', '.d.ts'), modules('cjs', '.js'));

  // README and LICENSE ship when the repo has them (npm adds them whatever "files" says).
  for (const doc of readdirSync(ROOT).filter((f) => /^(readme|license|licence)(\.|$)/i.test(f))) {
    assert.ok(entries.has(`package/${doc}`), `${doc} is in the repo but not in the tarball`);
  }

  const forbidden = names.filter((n) => /^package\/(src|test|examples|scripts|docs|bench|\.ci|node_modules)\//.test(n) || /\.(tgz|tsbuildinfo)$|\/tsconfig[^/]*\.json$/.test(n));
  assert.deepEqual(forbidden, [], 'the tarball ships development files');
  const unexpected = names.filter((n) => !/^package\/(package\.json|dist\/.+|(readme|license|licence|changelog)(\.[a-z]+)?)$/i.test(n));
  assert.deepEqual(unexpected, [], 'the tarball ships files outside dist/');
});

// --- one consumer app, installed from the tarball --------------------------------------------

/** The part every runtime consumer shares; valid JavaScript and strict TypeScript alike. */
const CONSUMER_BODY = `
async function main() {
  const token = process.env.BG_TOKEN ?? '';
  const app = express();
  app.use(bearerGuard({ token }));
  app.get('/v2/models/', (_req, res) => {
    res.json({ models: ['iris'] });
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const url = 'http://127.0.0.1:' + String(address.port) + '/v2/models/';
    const anon = await fetch(url);
    const wrong = await fetch(url, { headers: { authorization: 'Bearer not-the-token' } });
    const authed = await fetch(url, { headers: { authorization: 'Bearer ' + token } });
    const config = loadAuthConfig({ argv: ['n', 's', '--auth-bearer-token', token], env: {} });
    console.log(JSON.stringify({
      resolved: RESOLVED,
      names: Object.keys(bg).sort(),
      anon: { status: anon.status, challenge: anon.headers.get('www-authenticate'), body: await anon.text() },
      wrong: { status: wrong.status, challenge: wrong.headers.get('www-authenticate'), body: await wrong.text() },
      authed: { status: authed.status, body: await authed.text() },
      revealMatches: config.token?.reveal() === token,
      tokenSource: config.tokenSource,
      json: JSON.stringify(config),
      inspected: inspect(config, { depth: 5, showHidden: true }),
      selfTest: await bg.selfTest(app).then((r) => ({ ok: r.ok, sent: r.sent, routes: r.routes })),
    }));
  } finally {
    server.close();
    server.closeAllConnections();
  }
}
main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
`;

/** Type pins for the TypeScript consumers: real types (not any) reach a strict NodeNext app. */
const TS_PINS = `
const pins: { guard: (options?: BearerGuardOptions) => BearerGuardMiddleware; config?: AuthConfig } = { guard: bg.bearerGuard };
function neverCalled(): void {
  // @ts-expect-error -- unknown option: the options type reached the consumer
  bg.bearerGuard({ publik: [] });
  const revealed: string | undefined = bg.loadAuthConfig().token?.reveal();
  void revealed;
}
void pins;
void neverCalled;
`;

const CONSUMERS: Record<string, string> = {
  'consumer.mjs': `import express from 'express';
import { once } from 'node:events';
import { inspect } from 'node:util';
import * as bg from 'bearer-guard';
import { bearerGuard, loadAuthConfig } from 'bearer-guard';
const RESOLVED = import.meta.resolve('bearer-guard');
${CONSUMER_BODY}`,
  'consumer.cjs': `'use strict';
const express = require('express');
const { once } = require('node:events');
const { inspect } = require('node:util');
const bg = require('bearer-guard');
const { bearerGuard, loadAuthConfig } = require('bearer-guard');
const RESOLVED = require.resolve('bearer-guard');
${CONSUMER_BODY}`,
  'ts/consumer.ts': `import express from 'express';
import { once } from 'node:events';
import { inspect } from 'node:util';
import * as bg from 'bearer-guard';
import { bearerGuard, loadAuthConfig } from 'bearer-guard';
import type { AuthConfig, BearerGuardMiddleware, BearerGuardOptions } from 'bearer-guard';
const RESOLVED = import.meta.resolve('bearer-guard');
${CONSUMER_BODY}${TS_PINS}`,
  'ts/consumer.cts': `import express = require('express');
import events = require('node:events');
import util = require('node:util');
import bg = require('bearer-guard');
import type { AuthConfig, BearerGuardMiddleware, BearerGuardOptions } from 'bearer-guard';
const { once } = events;
const { inspect } = util;
const { bearerGuard, loadAuthConfig } = bg;
const RESOLVED = require.resolve('bearer-guard');
${CONSUMER_BODY}${TS_PINS}`,
};

const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    types: ['node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true,
    skipLibCheck: false,
    rootDir: 'ts',
    outDir: 'out',
  },
  include: ['ts'],
};

/** Installs the tarball once into a fresh app; every consumer test waits for it. */
let installing: Promise<void> | undefined;
function installed(): Promise<void> {
  installing ??= (async () => {
    consumerDir = join(workDir, 'consumer');
    mkdirSync(join(consumerDir, 'ts'), { recursive: true });
    writeFileSync(join(consumerDir, 'package.json'), JSON.stringify({ name: 'bearer-guard-consumer', private: true, type: 'module' }, null, 2));
    writeFileSync(join(consumerDir, 'tsconfig.json'), JSON.stringify(CONSUMER_TSCONFIG, null, 2));
    for (const [file, source] of Object.entries(CONSUMERS)) writeFileSync(join(consumerDir, file), source);
    const r = await npm(['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', tarball, EXPRESS, ...TYPES], consumerDir, INSTALL_TIMEOUT_MS);
    if (r.code !== 0) installError = describeRun(`npm install (in ${consumerDir})`, r);
  })();
  return installing;
}

async function requireInstalled(): Promise<void> {
  await installed();
  assert.equal(installError, undefined, installError);
}

interface ConsumerResult {
  resolved: string;
  names: string[];
  anon: { status: number; challenge: string | null; body: string };
  wrong: { status: number; challenge: string | null; body: string };
  authed: { status: number; body: string };
  revealMatches: boolean;
  tokenSource: string;
  json: string;
  inspected: string;
  selfTest: { ok: boolean; sent: number; routes: string[] };
}

async function runConsumer(file: string): Promise<ConsumerResult> {
  const r = await run(process.execPath, [file], consumerDir, RUN_TIMEOUT_MS);
  assert.equal(r.code, 0, describeRun(`node ${file}`, r));
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as ConsumerResult;
  } catch {
    assert.fail(describeRun(`node ${file} printed no JSON result;`, r));
  }
}

function checkConsumer(result: ConsumerResult, build: 'esm' | 'cjs'): void {
  const resolved = result.resolved.startsWith('file:') ? fileURLToPath(result.resolved) : result.resolved;
  assert.ok(
    resolved.endsWith(['node_modules', 'bearer-guard', 'dist', build, 'index.js'].join(sep)),
    `bearer-guard resolved to ${resolved}, not the installed dist/${build}`,
  );
  assert.deepEqual(result.names, PUBLIC_NAMES);

  assert.equal(result.anon.status, 401);
  assert.equal(result.anon.challenge, 'Bearer realm="api"');
  assert.deepEqual(JSON.parse(result.anon.body), { detail: 'Bearer token required' });
  assert.equal(result.wrong.status, 401);
  assert.equal(result.wrong.challenge, 'Bearer realm="api", error="invalid_token"');
  assert.deepEqual(JSON.parse(result.wrong.body), { detail: 'Invalid bearer token', error: 'invalid_token' });
  assert.equal(result.authed.status, 200);
  assert.deepEqual(JSON.parse(result.authed.body), { models: ['iris'] });

  assert.equal(result.revealMatches, true, 'loadAuthConfig() lost the token from argv');
  assert.equal(result.tokenSource, '--auth-bearer-token');
  assert.ok(!result.json.includes(TOKEN), `JSON.stringify(config) shows the token: ${result.json}`);
  assert.ok(!result.inspected.includes(TOKEN), `util.inspect(config) shows the token: ${result.inspected}`);
  assert.match(result.inspected, /\[redacted\]/);
  assert.equal(result.selfTest.ok, true, 'selfTest() from the tarball found an open route');
  assert.ok(result.selfTest.sent > 100, 'selfTest() from the tarball sent no corpus');
  assert.deepEqual(result.selfTest.routes, ['GET /v2/models/']);
}

test('the tarball installs into a fresh app with express 5', { timeout: INSTALL_TIMEOUT_MS + 10_000 }, async () => {
  await requireInstalled();
  const installedPkg = JSON.parse(readFileSync(join(consumerDir, 'node_modules/bearer-guard/package.json'), 'utf8')) as { name: string };
  assert.equal(installedPkg.name, 'bearer-guard');
  // The consumer got a peer-compatible express, not one bundled by bearer-guard.
  assert.ok(!existsSync(join(consumerDir, 'node_modules/bearer-guard/node_modules/express')), 'bearer-guard brought its own express');
});

test('the installed bin: bearer-guard --version, token hash from stdin, keys create into a 0600 file', { timeout: INSTALL_TIMEOUT_MS + 3 * RUN_TIMEOUT_MS }, async () => {
  await requireInstalled();
  const bin = join(consumerDir, 'node_modules/.bin/bearer-guard');
  const version = await run(bin, ['--version'], consumerDir, RUN_TIMEOUT_MS);
  assert.equal(version.code, 0, describeRun('bearer-guard --version', version));
  assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  const keysFile = join(consumerDir, 'keys.json');
  const created = await run(bin, ['keys', 'create', '--name', 'ci', '--scope', 'models:read', '--keys-file', keysFile], consumerDir, RUN_TIMEOUT_MS);
  assert.equal(created.code, 0, describeRun('bearer-guard keys create', created));
  assert.match(created.stdout, /^bgs_[0-9A-Za-z]{49}\n$/);
  assert.equal(statSync(keysFile).mode & 0o777, 0o600);
  const usage = await run(bin, ['token', 'hash', 'x'], consumerDir, RUN_TIMEOUT_MS);
  assert.equal(usage.code, 2);
});

test('an ESM app: import { bearerGuard } from "bearer-guard"', { timeout: INSTALL_TIMEOUT_MS + RUN_TIMEOUT_MS }, async () => {
  await requireInstalled();
  checkConsumer(await runConsumer('consumer.mjs'), 'esm');
});

test('a CommonJS app: require("bearer-guard")', { timeout: INSTALL_TIMEOUT_MS + RUN_TIMEOUT_MS }, async () => {
  await requireInstalled();
  checkConsumer(await runConsumer('consumer.cjs'), 'cjs');
});

test('strict TypeScript apps (NodeNext, ESM and CJS, skipLibCheck off) compile and run', { timeout: INSTALL_TIMEOUT_MS + 3 * RUN_TIMEOUT_MS }, async () => {
  await requireInstalled();
  const tsc = await run(process.execPath, [TSC, '-p', join(consumerDir, 'tsconfig.json')], consumerDir, RUN_TIMEOUT_MS);
  assert.equal(tsc.code, 0, describeRun('tsc on the TypeScript consumers', tsc));
  checkConsumer(await runConsumer('out/consumer.js'), 'esm');
  checkConsumer(await runConsumer('out/consumer.cjs'), 'cjs');
});
