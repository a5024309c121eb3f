// FileKeyStore: list() reads and validates, warnings() checks the mode, subscribe() hears every real change once.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { syncBuiltinESMExports } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { BearerGuardConfigError } from '../../src/errors/startup.js';
import { serializeKeysFile } from '../../src/keys/file-format.js';
import { FileKeyStore, type FileKeyStoreOptions } from '../../src/keys/file-store.js';
import { writeFileAtomic } from '../../src/keys/file-write.js';
import { assertNoLeak, errorTexts, thrown } from '../helpers/config-fixtures.js';
import { sampleEntry } from '../helpers/keys.js';

const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const TOKEN = `bgs_${Array.from({ length: 49 }, () => B62[randomInt(62)]).join('')}`;
const POSIX = process.platform !== 'win32';
const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const entry = sampleEntry;
const content = (...ns: number[]): string => serializeKeysFile(ns.map(entry));

/** A fresh directory holding a valid 0600 keys file. */
function fresh(): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bg-keys-store-'));
  dirs.push(dir);
  const file = path.join(dir, 'keys.json');
  fs.writeFileSync(file, content(1), { mode: 0o600 });
  return { dir, file };
}

/** A store with the poll slowed down, so that the watcher alone must notice changes. */
const watchOnly = (file: string, options: FileKeyStoreOptions = {}): FileKeyStore => new FileKeyStore(file, { debounceMs: 50, pollMs: 60_000, ...options });

/** Subscribes a counter. */
function counted(store: FileKeyStore): { calls: () => number; stop: () => void } {
  let calls = 0;
  const stop = store.subscribe(() => void calls++);
  return { calls: () => calls, stop };
}

/** Subscribes a counter and waits until the check made at subscription is over. */
async function settled(store: FileKeyStore): Promise<{ calls: () => number; stop: () => void }> {
  const counter = counted(store);
  await sleep(150);
  assert.equal(counter.calls(), 0, 'nothing changed yet');
  return counter;
}

async function waitFor(what: string, done: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) assert.fail(`not within ${ms} ms: ${what}`);
    await sleep(10);
  }
}

describe('FileKeyStore.subscribe', () => {
  test('fires after an atomic rename-replace, and again after a second one (within 2 s each)', async () => {
    const { file } = fresh();
    const { calls, stop } = await settled(watchOnly(file));
    await writeFileAtomic(file, content(1, 2));
    await waitFor('first replace', () => calls() === 1);
    await writeFileAtomic(file, content(2));
    await waitFor('second replace (the watch must survive the rename)', () => calls() === 2);
    stop();
  });

  test('fires after an in-place write', async () => {
    const { file } = fresh();
    const { calls, stop } = await settled(watchOnly(file));
    fs.writeFileSync(file, content(3));
    await waitFor('in-place write', () => calls() === 1);
    stop();
  });

  test('fires after the file is deleted and created again', async () => {
    const { file } = fresh();
    const { calls, stop } = await settled(watchOnly(file));
    fs.unlinkSync(file);
    await sleep(200);
    const before = calls();
    fs.writeFileSync(file, content(4));
    await waitFor('recreate', () => calls() > before);
    stop();
  });

  test('fires once for one slow in-place write, even with a fast poll, and not for the same bytes', async () => {
    const { file } = fresh();
    const { calls, stop } = await settled(new FileKeyStore(file, { debounceMs: 100, pollMs: 20 }));
    const fd = fs.openSync(file, 'w'); // truncates: an editor writing in place
    await sleep(20);
    fs.writeSync(fd, content(5));
    fs.closeSync(fd);
    await sleep(700);
    assert.equal(calls(), 1);
    fs.writeFileSync(file, content(5)); // new mtime, same content
    await sleep(500);
    assert.equal(calls(), 1, 'unchanged content is no change');
    stop();
  });

  test('follows a Kubernetes secret volume (..data symlink swap)', { skip: !POSIX }, async () => {
    const { dir } = fresh();
    const version = (name: string, n: number): void => {
      fs.mkdirSync(path.join(dir, name));
      fs.writeFileSync(path.join(dir, name, 'k8s.json'), content(n));
    };
    version('..2026_01_01', 1);
    fs.symlinkSync('..2026_01_01', path.join(dir, '..data'));
    fs.symlinkSync('..data/k8s.json', path.join(dir, 'k8s.json'));
    const { calls, stop } = await settled(watchOnly(path.join(dir, 'k8s.json')));
    version('..2026_02_01', 6);
    fs.symlinkSync('..2026_02_01', path.join(dir, '..data_tmp'));
    fs.renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
    await waitFor('..data swap', () => calls() === 1);
    stop();
  });

  test('notices a change made between list() and subscribe()', async () => {
    const { file } = fresh();
    const store = watchOnly(file);
    store.list();
    fs.writeFileSync(file, content(7));
    const { calls, stop } = counted(store);
    await waitFor('change before subscribe', () => calls() === 1);
    stop();
  });

  test('unsubscribe stops that listener only; the last one stops everything', async () => {
    const { file } = fresh();
    const store = watchOnly(file);
    const a = counted(store);
    const b = await settled(store);
    a.stop();
    fs.writeFileSync(file, content(8));
    await waitFor('b hears', () => b.calls() === 1);
    await sleep(200);
    assert.equal(a.calls(), 0);
    b.stop();
    fs.writeFileSync(file, content(9));
    await sleep(400);
    assert.equal(b.calls(), 1);
  });

  test('one watcher serves every subscriber; stopping the last closes it and stops the poll', async () => {
    const { file } = fresh();
    const { watch, statSync } = fs;
    let watchers = 0;
    let stats = 0;
    const countedWatch = (...args: Parameters<typeof watch>): fs.FSWatcher => {
      const watcher = watch(...args);
      watchers++;
      const close = watcher.close.bind(watcher);
      const closeCounted = (): void => {
        watchers--;
        close();
      };
      return Object.assign(watcher, { close: closeCounted });
    };
    const countedStat = (...args: Parameters<typeof statSync>): ReturnType<typeof statSync> => {
      if (args[0] === file) stats++;
      return statSync(...args);
    };
    // Swaps the functions behind `import { watch, statSync } from 'node:fs'` for this test only.
    Object.assign(fs, { watch: countedWatch, statSync: countedStat });
    syncBuiltinESMExports();
    try {
      const store = new FileKeyStore(file, { debounceMs: 10, pollMs: 20 });
      const stopA = store.subscribe(() => undefined);
      const stopB = store.subscribe(() => undefined);
      assert.equal(watchers, 1);
      await sleep(100);
      assert.ok(stats >= 2, 'the poll runs');
      stopA();
      assert.equal(watchers, 1, 'B still listens');
      stopB();
      assert.equal(watchers, 0, 'the watcher is closed');
      const seen = stats;
      await sleep(150);
      assert.equal(stats, seen, 'the poll has stopped');
      stopB();
    } finally {
      Object.assign(fs, { watch, statSync });
      syncBuiltinESMExports();
    }
  });

  test('a throwing listener is reported through onError; the others still hear', async () => {
    const { file } = fresh();
    const errors: string[] = [];
    const store = watchOnly(file, { onError: (m) => void errors.push(m) });
    const stopBad = store.subscribe(() => {
      throw new TypeError(TOKEN);
    });
    const good = await settled(store);
    fs.writeFileSync(file, content(10));
    await waitFor('good listener', () => good.calls() === 1);
    assert.deepEqual(errors, [`keys file ${file}: a change listener threw TypeError`]);
    stopBad();
    good.stop();
  });

  test('when the directory cannot be watched, says so and falls back to the poll', async () => {
    const { dir } = fresh();
    const file = path.join(dir, 'later', 'keys.json');
    const errors: string[] = [];
    const { calls, stop } = await settled(new FileKeyStore(file, { debounceMs: 10, pollMs: 50, onError: (m) => void errors.push(m) }));
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /cannot watch its directory \(no such file\); checking every 50 ms instead/);
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, content(11));
    await waitFor('poll', () => calls() === 1);
    stop();
  });

  test('never keeps the process alive', { timeout: 20_000 }, async () => {
    const { file } = fresh();
    const src = new URL('../../src/keys/file-store.ts', import.meta.url).href;
    const script = `import(${JSON.stringify(src)}).then(({ FileKeyStore }) => { new FileKeyStore(${JSON.stringify(file)}, { pollMs: 20, debounceMs: 10 }).subscribe(() => {}); })`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: 'inherit' });
    const killer = setTimeout(() => child.kill(), 10_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearTimeout(killer);
    assert.equal(code, 0, 'the child must exit by itself');
  });
});

describe('FileKeyStore.list and warnings', () => {
  test('list() returns frozen, validated entries; description names the file', () => {
    const { file } = fresh();
    const store = new FileKeyStore(file);
    assert.equal(store.description, `keys file ${file}`);
    const entries = store.list();
    assert.deepEqual(entries, [entry(1)]);
    assert.ok(Object.isFrozen(entries) && Object.isFrozen(entries[0]));
  });

  const broken: Array<[string, (file: string) => void, RegExp]> = [
    ['not JSON, with a token in it', (f) => fs.writeFileSync(f, `{"version": 1,\n"keys": [${TOKEN}]}`), /: is not valid JSON \(line 2\)$/],
    ['an invalid entry', (f) => fs.writeFileSync(f, content(1).replace('"service"', JSON.stringify(TOKEN))), /: keys\[0\] \(id key_b\): "family" must be one of/],
    ['missing', (f) => fs.unlinkSync(f), /: cannot be read: no such file$/],
    ['a directory', (f) => {
      fs.unlinkSync(f);
      fs.mkdirSync(f);
    }, /: cannot be read: it is a directory$/],
  ];
  for (const [what, breakIt, pattern] of broken) {
    test(`list() throws a coded error naming the file: ${what}`, () => {
      const { file } = fresh();
      breakIt(file);
      const err = thrown(() => new FileKeyStore(file).list());
      assert.ok(err instanceof BearerGuardConfigError);
      assert.equal(err.code, 'ERR_BEARER_GUARD_KEYS_FILE');
      assert.ok(err.message.startsWith(`bearer-guard: keys file ${file}: `), err.message);
      assert.match(err.message, pattern);
      assertNoLeak(errorTexts(err), TOKEN, what);
    });
  }

  test('a token given where the path goes is not echoed', () => {
    const store = new FileKeyStore(TOKEN);
    assertNoLeak([store.description], TOKEN, 'description');
    const err = thrown(() => store.list());
    assert.equal((err as BearerGuardConfigError).code, 'ERR_BEARER_GUARD_KEYS_FILE');
    assertNoLeak(errorTexts(err), TOKEN, 'list');
  });

  test('warnings(): one for a 0644 file, with the chmod fix; none for 0600 or a missing file', { skip: !POSIX }, () => {
    const { dir, file } = fresh();
    const store = new FileKeyStore(file);
    assert.deepEqual(store.warnings(), []);
    fs.chmodSync(file, 0o644);
    const warnings = store.warnings();
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.code, 'W_BEARER_GUARD_KEYS_FILE_MODE');
    assert.match(warnings[0]?.message ?? '', /^bearer-guard: warning \[W_BEARER_GUARD_KEYS_FILE_MODE\]: keys file .+ can be read by group or others \(mode 0644\)/);
    assert.ok(warnings[0]?.message.endsWith(`run: chmod 600 ${file}`));
    fs.chmodSync(file, 0o640);
    assert.equal(store.warnings().length, 1, 'group-readable counts too');
    assert.deepEqual(new FileKeyStore(path.join(dir, 'none.json')).warnings(), []);
  });

  test('rejects bad timing options', () => {
    assert.throws(() => new FileKeyStore('k.json', { pollMs: 0 }), { code: 'ERR_BEARER_GUARD_INVALID_OPTION' });
    assert.throws(() => new FileKeyStore('k.json', { debounceMs: Number.NaN }), { code: 'ERR_BEARER_GUARD_INVALID_OPTION' });
  });
});
