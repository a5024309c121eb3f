// Writing the keys file: atomic 0600 replacement, no temp files left, a lock that holds across processes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { BearerGuardConfigError } from '../../src/errors/startup.js';
import { parseKeysFile, serializeKeysFile } from '../../src/keys/file-format.js';
import { updateKeysFile, withFileLock, writeFileAtomic } from '../../src/keys/file-write.js';
import type { KeyEntry } from '../../src/keys/types.js';
import { sampleEntry } from '../helpers/keys.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
/** A fresh temp directory and the keys file path inside it. */
function fresh(): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bg-keys-write-'));
  dirs.push(dir);
  return { dir, file: path.join(dir, 'keys.json') };
}
const modeOf = (p: string): number => fs.statSync(p).mode & 0o777;
const entry = sampleEntry;
const isKeysError = (pattern: RegExp) => (err: unknown) =>
  err instanceof BearerGuardConfigError && err.code === 'ERR_BEARER_GUARD_KEYS_FILE' && pattern.test(err.message);
const POSIX = process.platform !== 'win32';

describe('writeFileAtomic', () => {
  test('replaces a 0644 file with a 0600 one and leaves no temp file', { skip: !POSIX }, async () => {
    const { dir, file } = fresh();
    fs.writeFileSync(file, 'old');
    fs.chmodSync(file, 0o644);
    await writeFileAtomic(file, 'new\n');
    assert.equal(fs.readFileSync(file, 'utf8'), 'new\n');
    assert.equal(modeOf(file).toString(8), '600');
    assert.deepEqual(fs.readdirSync(dir), ['keys.json']);
  });

  test('creates missing directories with mode 0700', { skip: !POSIX }, async () => {
    const { dir } = fresh();
    const file = path.join(dir, 'a', 'b', 'keys.json');
    await writeFileAtomic(file, 'x');
    assert.equal(modeOf(path.join(dir, 'a', 'b')).toString(8), '700');
    assert.equal(modeOf(file).toString(8), '600');
  });

  test('a failed rename removes the temp file', async () => {
    const { dir, file } = fresh();
    fs.mkdirSync(file);
    fs.writeFileSync(path.join(file, 'inside'), 'x'); // renaming a file onto a non-empty directory fails
    await assert.rejects(writeFileAtomic(file, 'new'));
    assert.deepEqual(fs.readdirSync(dir), ['keys.json']);
  });
});

describe('withFileLock', () => {
  test('runs calls one at a time, and removes the lock after each', async () => {
    const { file } = fresh();
    let active = 0;
    let most = 0;
    const work = async (): Promise<void> => {
      most = Math.max(most, ++active);
      await sleep(20);
      active--;
    };
    await Promise.all(Array.from({ length: 5 }, () => withFileLock(file, work)));
    assert.equal(most, 1);
    assert.ok(!fs.existsSync(`${file}.lock`));
  });

  test('releases the lock when fn throws', async () => {
    const { file } = fresh();
    await assert.rejects(withFileLock(file, () => Promise.reject(new Error('boom'))), /boom/);
    assert.ok(!fs.existsSync(`${file}.lock`));
    assert.equal(await withFileLock(file, async () => 'again', { timeoutMs: 100 }), 'again');
  });

  test('gives up on a fresh lock after timeoutMs, naming the lock file to remove', async () => {
    const { file } = fresh();
    fs.writeFileSync(`${file}.lock`, 'someone else\n');
    let ran = false;
    const started = Date.now();
    await assert.rejects(
      withFileLock(file, async () => void (ran = true), { timeoutMs: 300 }),
      isKeysError(new RegExp(`remove ${file.replace(/[.\\]/g, '\\$&')}\\.lock`)),
    );
    assert.ok(Date.now() - started >= 300);
    assert.equal(ran, false);
    assert.equal(fs.readFileSync(`${file}.lock`, 'utf8'), 'someone else\n', 'not ours to remove');
  });

  test('a holder that runs longer than staleMs keeps its lock fresh', async () => {
    const { file } = fresh();
    let active = 0;
    let most = 0;
    const slow = async (): Promise<void> => {
      most = Math.max(most, ++active);
      await sleep(400);
      active--;
    };
    const first = withFileLock(file, slow, { staleMs: 150 });
    await sleep(30);
    await Promise.all([first, withFileLock(file, slow, { staleMs: 150 })]);
    assert.equal(most, 1, 'the second caller must not take a live lock for a stale one');
  });

  test('takes over a stale lock (mtime in the past)', async () => {
    const { dir, file } = fresh();
    fs.writeFileSync(`${file}.lock`, '99999 crashed\n');
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(`${file}.lock`, past, past);
    const started = Date.now();
    assert.equal(await withFileLock(file, async () => 'mine', { timeoutMs: 2000 }), 'mine');
    assert.ok(Date.now() - started < 1000);
    assert.deepEqual(fs.readdirSync(dir), [], 'the stale lock and its moved copy are gone');
  });
});

describe('updateKeysFile', () => {
  test('a missing file counts as empty; the result is written 0600 and returned', async () => {
    const { dir, file } = fresh();
    const result = await updateKeysFile(file, (entries) => [...entries, entry(1)]);
    assert.deepEqual(result, [entry(1)]);
    assert.equal(fs.readFileSync(file, 'utf8'), serializeKeysFile([entry(1)]));
    if (POSIX) assert.equal(modeOf(file).toString(8), '600');
    assert.deepEqual(fs.readdirSync(dir), ['keys.json']);
  });

  test('passes the current entries to change', async () => {
    const { file } = fresh();
    fs.writeFileSync(file, serializeKeysFile([entry(1), entry(2)]));
    let seen: KeyEntry[] = [];
    await updateKeysFile(file, async (entries) => {
      seen = entries;
      return entries.slice(1);
    });
    assert.deepEqual(seen, [entry(1), entry(2)]);
    assert.deepEqual(parseKeysFile(fs.readFileSync(file, 'utf8'), 'f'), [entry(2)]);
  });

  test('refuses an invalid file and an invalid change, leaving the file as it was', async () => {
    const { file } = fresh();
    fs.writeFileSync(file, '{"version": 2, "keys": []}');
    await assert.rejects(updateKeysFile(file, (e) => e), isKeysError(/"version" must be 1/));
    const good = serializeKeysFile([entry(1)]);
    fs.writeFileSync(file, good);
    await assert.rejects(updateKeysFile(file, (e) => [...e, entry(1)]), isKeysError(/after the change: keys\[1\] \(id key_b\): "id" is the same/));
    assert.equal(fs.readFileSync(file, 'utf8'), good);
    assert.ok(!fs.existsSync(`${file}.lock`));
  });

  test('20 child processes appending at once leave exactly 20 entries', { timeout: 90_000 }, async () => {
    const { dir, file } = fresh();
    const fixture = fileURLToPath(new URL('./fixtures/append-key.ts', import.meta.url));
    const go = path.join(dir, 'go');
    const children = Array.from({ length: 20 }, (_, n) => {
      const child = spawn(process.execPath, ['--import', 'tsx', fixture, file, String(n), go], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
      return new Promise<string>((resolve) => child.on('close', (code) => resolve(code === 0 ? '' : `child ${n} exited ${code}: ${stderr}`)));
    });
    // Start them together once all are loaded, so that they really contend for the lock.
    while (fs.readdirSync(dir).filter((f) => f.startsWith('go.ready-')).length < 20) await sleep(20);
    fs.writeFileSync(go, '');
    assert.deepEqual((await Promise.all(children)).filter(Boolean), []);
    const ids = parseKeysFile(fs.readFileSync(file, 'utf8'), 'f').map((e) => e.id);
    assert.deepEqual(ids.sort(), Array.from({ length: 20 }, (_, n) => `key_child_${n}`).sort());
    assert.deepEqual(fs.readdirSync(dir).filter((f) => !f.startsWith('go')), ['keys.json'], 'no lock or temp file left');
  });
});
