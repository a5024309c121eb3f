// loadIoredis in the built ESM and CommonJS output: finds ioredis when installed, and says how to install it when not.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadIoredis } from '../../src/redis/load-ioredis.js';
import { ROOT } from '../cli/helpers.js';

// A copy of dist/ where no node_modules can be found: as an app without ioredis installed.
let bare: string;
before(() => {
  bare = mkdtempSync(join(tmpdir(), 'bg-no-ioredis-'));
  cpSync(join(ROOT, 'dist'), join(bare, 'dist'), { recursive: true });
  writeFileSync(join(bare, 'package.json'), '{"type":"module"}\n');
});
after(() => rmSync(bare, { recursive: true, force: true }));

const MESSAGE = 'bearer-guard: Redis is configured but the optional peer dependency ioredis is not installed; run: npm install ioredis@6';

/** Runs loadIoredis from a built file in a child process, printing the class name or the error's code and message. */
function run(root: string, format: 'esm' | 'cjs'): string {
  const file = join(root, 'dist', format, 'redis', 'load-ioredis.js');
  const body = `.loadIoredis().then((R) => console.log('loaded', R.name), (e) => console.log(e.code, e.message))`;
  const script = format === 'esm' ? `import(${JSON.stringify(file)}).then((m) => m${body})` : `require(${JSON.stringify(file)})${body}`;
  return execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }).trim();
}

describe('loadIoredis', () => {
  for (const format of ['esm', 'cjs'] as const) {
    test(`${format} build: loads the Redis class when ioredis is installed`, () => {
      assert.equal(run(ROOT, format), 'loaded Redis');
    });
    test(`${format} build: ERR_BEARER_GUARD_REDIS with the install command when it is not`, () => {
      assert.equal(run(bare, format), `ERR_BEARER_GUARD_REDIS ${MESSAGE}`);
    });
  }

  test('any other import failure is passed on unchanged', async () => {
    const boom = new SyntaxError('broken module');
    await assert.rejects(loadIoredis(() => Promise.reject(boom)), (err) => err === boom);
    const dependency = Object.assign(new Error("Cannot find module 'denque'"), { code: 'MODULE_NOT_FOUND' });
    await assert.rejects(loadIoredis(() => Promise.reject(dependency)), (err) => err === dependency);
    await assert.rejects(loadIoredis(() => Promise.reject(Object.assign(new Error("Cannot find module 'ioredis'"), { code: 'MODULE_NOT_FOUND' }))), { code: 'ERR_BEARER_GUARD_REDIS', message: MESSAGE });
  });
});
