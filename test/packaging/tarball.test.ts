// What `npm pack` ships: both builds with their types, everything package.json points at, and
// nothing else (no sources, tests or examples).
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { exportTargets, packRepo, readTarball, repoPackage, ROOT, type Packed } from './pack.js';

let packed: Packed | undefined;
let entries = new Map<string, Buffer>();

before(async () => {
  packed = await packRepo();
  entries = readTarball(packed.tarball);
});

after(() => packed?.cleanup());

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
  const pkg = repoPackage();

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
