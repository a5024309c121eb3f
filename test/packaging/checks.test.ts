// The package shape, checked on the packed tarball by the tools users and registries trust:
// publint (exports, bin, files) and @arethetypeswrong/cli (types per entrypoint and resolution
// mode). Both run offline on the .tgz, in about 1 s each.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { describeRun, packRepo, readTarball, repoPackage, ROOT, run, RUN_TIMEOUT_MS, type Packed } from './pack.js';

/** The CLIs' entry files, run with this node (no npx: it may look a package up in the registry). */
const binOf = (pkg: string, name: string): string => {
  const dir = join(ROOT, 'node_modules', pkg);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  return join(dir, manifest.bin[name]!);
};

let packed: Packed | undefined;

before(async () => {
  packed = await packRepo();
});

after(() => packed?.cleanup());

test('publint --strict finds no error or warning in the tarball (exports, types, bin, files)', async () => {
  const r = await run(process.execPath, [binOf('publint', 'publint'), 'run', packed!.tarball, '--strict'], ROOT, RUN_TIMEOUT_MS);
  assert.equal(r.code, 0, describeRun('publint', r));
  assert.match(r.stdout, /All good!/, describeRun('publint', r));
});

test('attw finds no types problem for any entrypoint of "exports" (node16 CJS and ESM, bundler)', async () => {
  // Profile node16: TypeScript's node10 resolution predates "exports" and cannot see subpaths
  // such as "bearer-guard/client"; the root entry still resolves there through "main"/"types".
  const args = [binOf('@arethetypeswrong/cli', 'attw'), packed!.tarball, '--profile', 'node16', '--no-definitely-typed', '--format', 'json'];
  const r = await run(process.execPath, args, ROOT, RUN_TIMEOUT_MS);
  const report = JSON.parse(r.stdout) as { analysis: { entrypoints: Record<string, unknown> }; problems: unknown };
  assert.equal(r.code, 0, `attw found problems:\n${JSON.stringify(report.problems, null, 2)}`);
  // Every subpath of the exports map was checked, whatever gets added to it.
  const exported = Object.keys(repoPackage().exports as Record<string, unknown>).sort();
  assert.deepEqual(Object.keys(report.analysis.entrypoints).sort(), exported);
});

test('every bin is in the tarball and starts with a node shebang', () => {
  const entries = readTarball(packed!.tarball);
  const bins = Object.entries(repoPackage().bin as Record<string, string>);
  assert.ok(bins.length > 0, 'package.json declares no bin');
  for (const [name, target] of bins) {
    const file = entries.get(`package/${target.replace(/^\.\//, '')}`);
    assert.ok(file, `bin ${name} points at ${target}, which the tarball lacks`);
    assert.match(file.toString('utf8', 0, 40), /^#!\/usr\/bin\/env node\n/, `bin ${name} (${target}) has no node shebang`);
  }
});
