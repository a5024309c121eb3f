// A fresh app installs the packed tarball and uses it the way the README says, from ESM,
// CommonJS and strict TypeScript (NodeNext, ESM and CJS flavours, skipLibCheck off), and runs the
// installed bin. Needs npm, with the registry or its cache.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { childEnv, describeRun, EXPRESS, INSTALL_TIMEOUT_MS, npm, packRepo, repoPackage, ROOT, run as runIn, RUN_TIMEOUT_MS, type Packed, type RunResult } from './pack.js';

const TSC = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
// express 5 ships no types; these are the versions the repo itself pins, so npm's cache has them.
const TYPES = ['@types/express@5.0.6', '@types/node@20.19.0'];
const PUBLIC_NAMES = [
  'BEARER_GUARD_FLAGS',
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
  'describeThrottle',
  'enrollInEntries',
  'formatSelfTestReport',
  'loadAuthConfig',
  'requireApproval',
  'requireFamily',
  'requireScopes',
  'selfTest',
  'sendContinue',
  'specHash',
  'whoami',
];
// 32 characters of the b64token alphabet: long enough not to draw the weak-token warning.
const TOKEN = randomBytes(24).toString('base64url');

/** Runs a command with the consumer token in the environment (`BG_TOKEN`). */
const run = (file: string, args: readonly string[], cwd: string, timeout: number): Promise<RunResult> => runIn(file, args, cwd, timeout, childEnv({ BG_TOKEN: TOKEN }));

let packed: Packed | undefined;
let consumerDir = '';
let installError: string | undefined;

before(async () => {
  packed = await packRepo();
});

after(() => packed?.cleanup());

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
    consumerDir = join(packed!.dir, 'consumer');
    mkdirSync(join(consumerDir, 'ts'), { recursive: true });
    writeFileSync(join(consumerDir, 'package.json'), JSON.stringify({ name: 'bearer-guard-consumer', private: true, type: 'module' }, null, 2));
    writeFileSync(join(consumerDir, 'tsconfig.json'), JSON.stringify(CONSUMER_TSCONFIG, null, 2));
    for (const [file, source] of Object.entries(CONSUMERS)) writeFileSync(join(consumerDir, file), source);
    const r = await npm(['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', packed!.tarball, EXPRESS, ...TYPES], consumerDir, INSTALL_TIMEOUT_MS);
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
  assert.equal(version.stdout.trim(), repoPackage().version);
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
