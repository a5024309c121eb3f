// The CLI's static import graph never reaches express, passport, passport-http-bearer or src/index.ts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers.js';

const SRC = path.join(ROOT, 'src');
const FORBIDDEN = ['express', 'passport', 'passport-http-bearer'];
// `import x from '...'`, `import {...} from '...'`, `import '...'`, `export ... from '...'`, `import('...')`.
// Whole-statement `import type` / `export type` are erased at compile time and skipped.
const STATIC = /^\s*(import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The specifiers a file imports at run time. */
function specifiersOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...[...code.matchAll(STATIC)].map((m) => m[2]!), ...[...code.matchAll(DYNAMIC)].map((m) => m[1]!)];
}

/** Every .ts file under src/ reached from `entry`, and every bare specifier met on the way. */
function walk(entry: string): { files: Set<string>; bare: Map<string, string> } {
  const files = new Set<string>();
  const bare = new Map<string, string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of specifiersOf(fs.readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) {
        if (!bare.has(spec)) bare.set(spec, path.relative(ROOT, file));
        continue;
      }
      const target = path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts');
      assert.ok(fs.existsSync(target), `${path.relative(ROOT, file)} imports ${spec}, which does not resolve to a .ts file`);
      if (target.startsWith(SRC + path.sep)) queue.push(target);
    }
  }
  return { files, bare };
}

test('src/cli/main.ts reaches no express, passport or passport-http-bearer, and not src/index.ts', () => {
  const { files, bare } = walk(path.join(SRC, 'cli', 'main.ts'));
  const rel = [...files].map((f) => path.relative(ROOT, f));
  // The walk really follows the graph: the CLI's own modules and the library modules it uses.
  for (const must of ['src/cli/program.ts', 'src/cli/commands/config-check.ts', 'src/config/load.ts', 'src/keys/file-write.ts']) {
    assert.ok(rel.includes(must), `${must} not reached`);
  }
  assert.ok(bare.has('commander') && bare.has('node:fs'));
  assert.ok(!rel.includes('src/index.ts'), 'src/index.ts is reached');
  for (const [spec, from] of bare) {
    const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
    assert.ok(!FORBIDDEN.includes(name), `${from} imports ${spec}`);
  }
});

test('the walker sees every import form it must', () => {
  const text = [
    "import a from 'a';",
    "import { b } from 'b';",
    "import * as c from 'c';",
    "import 'd';",
    "export { e } from 'e';",
    "export * from 'f';",
    "import { type G, h } from 'g';",
    "const i = await import('i');",
    "import type { J } from 'j';",
    "export type { K } from 'k';",
    "// import l from 'l';",
    "import {\n  m,\n  n,\n} from 'm';",
  ].join('\n');
  assert.deepEqual(specifiersOf(text).sort(), ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'i', 'm']);
});
