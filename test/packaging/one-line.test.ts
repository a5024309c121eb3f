// "The one line" as the README shows it: each snippet, read from README.md by this test, is saved
// into a fresh `npm init -y` project that installed the packed tarball, started with a token,
// and must protect /v2/models/ while / and /v2/ stay public. examples/one-line/ too.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { childEnv, describeRun, EXPRESS, INSTALL_TIMEOUT_MS, npm, packRepo, ROOT, type Packed } from './pack.js';

const TOKEN = randomBytes(24).toString('base64url');
const START_TIMEOUT_MS = 20_000;

/** The code block after `<!-- snippet: NAME ... -->` in README.md, exactly as shown. */
function readmeSnippet(name: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const m = new RegExp(`<!-- snippet: ${name}\\b[^>]*-->\\n\`\`\`js\\n([\\s\\S]*?)\\n\`\`\`\\n`).exec(readme);
  assert.ok(m, `README.md has no \`<!-- snippet: ${name} -->\` followed by a js code block`);
  return `${m[1]!}\n`;
}

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

interface Row {
  name: string;
  /** Directory to run in, and the node arguments. */
  cwd: () => string;
  args: (tokenFile: string) => string[];
  env?: (tokenFile: string) => NodeJS.ProcessEnv;
}

let packed: Packed | undefined;
let project = '';
let tokenFile = '';

before(async () => {
  packed = await packRepo();
  project = join(packed.dir, 'my-app');
  mkdirSync(project);
  const init = await npm(['init', '-y'], project, 30_000);
  assert.equal(init.code, 0, describeRun('npm init -y', init));
  assert.equal((JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { type?: string }).type ?? 'commonjs', 'commonjs', 'npm init -y no longer makes a CommonJS project: update the README');
  const installed = await npm(['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', packed.tarball, EXPRESS], project, INSTALL_TIMEOUT_MS);
  assert.equal(installed.code, 0, describeRun('npm install', installed));
  writeFileSync(join(project, 'server.js'), readmeSnippet('one-line-cjs'));
  writeFileSync(join(project, 'server.mjs'), readmeSnippet('one-line-esm'));
  // "or as server.js after `npm pkg set type=module`": a sub-project that says so.
  mkdirSync(join(project, 'esm'));
  writeFileSync(join(project, 'esm', 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(project, 'esm', 'server.js'), readmeSnippet('one-line-esm'));
  tokenFile = join(packed.dir, 'api_token.txt');
  writeFileSync(join(tokenFile), `${TOKEN}\n`, { mode: 0o600 });
});

after(() => packed?.cleanup());

const ROWS: Row[] = [
  { name: 'README one-line-cjs as server.js: node server.js --auth-bearer-token-file ./api_token.txt', cwd: () => project, args: (f) => ['server.js', '--auth-bearer-token-file', f] },
  { name: 'README one-line-esm as server.mjs: AUTH_BEARER_TOKEN_FILE=./api_token.txt node server.mjs', cwd: () => project, args: () => ['server.mjs'], env: (f) => ({ AUTH_BEARER_TOKEN_FILE: f }) },
  { name: 'README one-line-esm as server.js with "type": "module"', cwd: () => join(project, 'esm'), args: (f) => ['server.js', '--auth-bearer-token', readFileSync(f, 'utf8').trim()] },
  { name: 'examples/one-line/app.ts, as its comment runs it', cwd: () => ROOT, args: () => ['--import', 'tsx', 'examples/one-line/app.ts'], env: () => ({ AUTH_BEARER_TOKEN: TOKEN }) },
];

for (const row of ROWS) {
  test(row.name, { timeout: INSTALL_TIMEOUT_MS + 2 * START_TIMEOUT_MS }, async (t) => {
    const port = await freePort();
    // No AUTH_* of the surrounding shell: only what the row gives.
    const env = childEnv({ PORT: String(port), ...row.env?.(tokenFile) });
    for (const key of Object.keys(env)) if (/^(DEEPAAS_)?AUTH_/.test(key) && !(key in (row.env?.(tokenFile) ?? {}))) delete env[key];
    const child = spawn(process.execPath, row.args(tokenFile), { cwd: row.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = once(child, 'exit');
    t.after(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    });

    const base = `http://127.0.0.1:${port}`;
    const get = async (path: string, token?: string): Promise<{ status: number; challenge: string | null; body: unknown }> => {
      const r = await fetch(base + path, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
      const text = await r.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON (an Express 404 page): compared as text, so the assertion shows it
      }
      return { status: r.status, challenge: r.headers.get('www-authenticate'), body };
    };
    // Wait until it listens (or fails to start).
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      assert.equal(child.exitCode, null, `the server exited with ${String(child.exitCode)}:\n${output}`);
      const ready = await fetch(`${base}/`).then(() => true, () => false);
      if (ready) break;
      assert.ok(Date.now() < deadline, `the server did not listen on ${port} within ${START_TIMEOUT_MS} ms:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    assert.deepEqual(await get('/'), { status: 200, challenge: null, body: { versions: ['v2'] } });
    assert.deepEqual(await get('/v2/'), { status: 200, challenge: null, body: { id: 'v2' } });
    assert.deepEqual(await get('/v2/models/'), { status: 401, challenge: 'Bearer realm="api"', body: { detail: 'Bearer token required' } });
    assert.equal((await get('/v2/models/', `${TOKEN}x`)).status, 401);
    assert.deepEqual(await get('/v2/models/', TOKEN), { status: 200, challenge: null, body: { models: [] } });
    assert.ok(!output.includes(TOKEN), `the server printed the token:\n${output}`);
  });
}
