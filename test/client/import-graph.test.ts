// bearer-guard/client, as built, loads no express, passport, passport-http-bearer, convict, ini or commander (ESM and CJS).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { ROOT, TempDirs } from '../cli/helpers.js';

const FORBIDDEN = /[\\/]node_modules[\\/](express|passport|passport-http-bearer|convict|ini|commander|@inquirer)[\\/]/;
const tmp = new TempDirs();
after(() => tmp.cleanup());

/** Every module file a fresh node loads for `code`, found by a resolve hook (ESM) or require.cache (CJS). */
function loaded(flavour: 'esm' | 'cjs', entry: string): string[] {
  const dir = tmp.make();
  const trace = path.join(dir, 'trace.txt');
  if (flavour === 'cjs') {
    const out = execFileSync(process.execPath, ['-e', `require(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(require.cache)))`], { cwd: ROOT, encoding: 'utf8' });
    return JSON.parse(out) as string[];
  }
  const hooks = path.join(dir, 'hooks.mjs');
  fs.writeFileSync(hooks, "import { appendFileSync } from 'node:fs';\nexport async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(process.env.BG_TRACE, r.url + '\\n'); return r; }\n");
  const register = path.join(dir, 'register.mjs');
  fs.writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(new URL(`file://${hooks}`).href)});\n`);
  execFileSync(process.execPath, ['--import', register, '--input-type=module', '-e', `await import(${JSON.stringify(new URL(`file://${entry}`).href)});`], { cwd: ROOT, env: { ...process.env, BG_TRACE: trace } });
  return fs.readFileSync(trace, 'utf8').trim().split('\n');
}

for (const flavour of ['esm', 'cjs'] as const) {
  test(`dist/${flavour}/client/index.js loads none of the server-side dependencies`, () => {
    const files = loaded(flavour, path.join(ROOT, 'dist', flavour, 'client', 'index.js'));
    // The trace really sees what is loaded: the client's own modules.
    assert.ok(files.some((f) => f.includes(`dist/${flavour}/client/http.js`)), files.join('\n'));
    assert.deepEqual(files.filter((f) => FORBIDDEN.test(f) || /dist[\\/](esm|cjs)[\\/](index|middleware[\\/]|config[\\/])/.test(f)), []);
  });
}

test('the check sees a forbidden module when one is loaded (the main entry loads passport-http-bearer)', () => {
  const files = loaded('cjs', path.join(ROOT, 'dist', 'cjs', 'index.js'));
  assert.ok(files.some((f) => FORBIDDEN.test(f)));
});
