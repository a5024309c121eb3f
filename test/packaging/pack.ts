// Shared by the packaging tests: running npm and node without a shell, packing the repo into a
// temp dir, and reading the tarball. Needs dist/ (`npm test` builds before running the tests).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Long enough for `npm install` from the cache, or the registry when the cache lacks a package. */
export const INSTALL_TIMEOUT_MS = 120_000;
export const RUN_TIMEOUT_MS = 30_000;
/** The express the repo itself pins, so npm's cache has it. */
export const EXPRESS = 'express@5.3.0';

export interface RunResult {
  code: number | string | null;
  stdout: string;
  stderr: string;
}

/** Runs a command without a shell and never throws: the caller asserts on the result. */
export function run(file: string, args: readonly string[], cwd: string, timeout: number, env: NodeJS.ProcessEnv = childEnv()): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, timeout, env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : ((err as { code?: number | string }).code ?? (err.killed ? 'killed (timeout?)' : null));
      resolve({ code, stdout, stderr: err !== null && stderr === '' ? String(err) : stderr });
    });
  });
}

/** The environment for children: without node:test's and `npm run`'s per-project variables. */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const key of Object.keys(env)) {
    if (key === 'NODE_TEST_CONTEXT' || key === 'INIT_CWD' || /^npm_(package_|lifecycle_|config_(local_)?prefix$)/.test(key)) delete env[key];
  }
  return env;
}

/** npm, via the npm that runs `npm test` when there is one, else the `npm` on PATH. */
export function npm(args: readonly string[], cwd: string, timeout: number, env?: NodeJS.ProcessEnv): Promise<RunResult> {
  const cli = process.env.npm_execpath;
  return cli !== undefined && /npm-cli\.c?js$/.test(cli) ? run(process.execPath, [cli, ...args], cwd, timeout, env) : run('npm', args, cwd, timeout, env);
}

export function describeRun(what: string, r: RunResult): string {
  return `${what} exited with ${String(r.code)}\n--- stdout ---\n${r.stdout.trim()}\n--- stderr ---\n${r.stderr.trim()}`;
}

/** A packed tarball in a fresh temp dir; `cleanup()` removes the dir. */
export interface Packed {
  readonly dir: string;
  readonly tarball: string;
  cleanup(): void;
}

/** `npm pack` of the repo (without its prepack build) into a fresh temp dir. */
export async function packRepo(): Promise<Packed> {
  const missing = ['dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/cjs/index.js', 'dist/cjs/index.d.ts', 'dist/cjs/package.json'].filter(
    (f) => !existsSync(join(ROOT, f)),
  );
  assert.deepEqual(missing, [], `dist/ is missing or incomplete (${missing.join(', ')}): run \`npm run build\` first (\`npm test\` does)`);
  const dir = mkdtempSync(join(tmpdir(), 'bearer-guard-packaging-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  // --ignore-scripts: a prepack build would rewrite dist/ under the tests running beside this one.
  const packed = await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT, 60_000);
  assert.equal(packed.code, 0, describeRun('npm pack', packed));
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{ filename: string }>;
  assert.ok(info, `npm pack --json printed no entry:\n${packed.stdout}`);
  return { dir, tarball: join(dir, info.filename), cleanup };
}

/** File entries of a .tgz as path -> content (ustar, with pax `path` records honoured). */
export function readTarball(file: string): Map<string, Buffer> {
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
export function exportTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(exportTargets);
}

/** The repo's package.json. */
export function repoPackage(): Record<string, unknown> & { version: string } {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown> & { version: string };
}
