// The quick start's advice, checked against the npm that runs the tests: `npm start -- ...` prints
// the command with its arguments (a token included) unless `--silent` is given.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { childEnv, describeRun, npm, ROOT } from './pack.js';

const TOKEN = randomBytes(24).toString('base64url');
const dir = mkdtempSync(join(tmpdir(), 'bearer-guard-npm-echo-'));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'echo', version: '1.0.0', private: true, scripts: { start: 'node server.js' } }));
writeFileSync(join(dir, 'server.js'), 'console.log("started");\n');

const ROWS: { args: string[]; echoes: boolean }[] = [
  { args: ['start', '--', '--auth-bearer-token', TOKEN], echoes: true },
  { args: ['start', '--silent', '--', '--auth-bearer-token', TOKEN], echoes: false },
];

test('the README says: npm start -- --auth-bearer-token T prints T unless --silent', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.match(readme, /npm start --silent -- --auth-bearer-token my-secret-token/);
  assert.match(readme, /npm start -- --auth-bearer-token-file \.\/api_token\.txt/);
});

for (const { args, echoes } of ROWS) {
  test(`npm ${args.join(' ').replace(TOKEN, 'T')} ${echoes ? 'prints' : 'does not print'} the token`, async () => {
    // Without the surrounding npm's settings: `npm test --silent` must not silence this one.
    const env = Object.fromEntries(Object.entries(childEnv()).filter(([k]) => !/^npm_config_/i.test(k)));
    const r = await npm(args, dir, 30_000, env);
    assert.equal(r.code, 0, describeRun('npm start', r));
    assert.match(r.stdout, /started/);
    assert.equal(`${r.stdout}${r.stderr}`.includes(TOKEN), echoes, describeRun('npm start', r));
  });
}
