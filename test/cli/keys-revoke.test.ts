// keys revoke: revoked_at set to now, a second revoke a no-op, unknown ids refused without echoing a token.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, test } from 'node:test';
import { jsonOf, TempDirs } from './helpers.js';
import { byId, KeysSession, near } from './keys-session.js';

const tmp = new TempDirs();
after(() => tmp.cleanup());
const s = new KeysSession();

describe('keys revoke', () => {
  test('sets revoked_at to now; a second revoke changes nothing and exits 0 with a note', async () => {
    const file = tmp.keysFile();
    const { entry } = await s.create(file, '--name', 'gone');
    const first = await s.cli(['keys', 'revoke', entry.id, '--keys-file', file, '--json']);
    assert.equal(first.code, 0, first.stderr);
    const revokedAt = byId(file, entry.id).revoked_at;
    assert.ok(near(revokedAt, Date.now()));
    const shown = jsonOf<Record<string, unknown>>(first);
    assert.deepEqual([shown.id, shown.revoked_at, shown.status, shown.digest], [entry.id, revokedAt, 'revoked', undefined]);
    assert.match(first.stderr, new RegExp(`^revoked key ${entry.id} "gone" .* in keys file ${file}\\n$`));
    const again = await s.cli(['keys', 'revoke', entry.id, '--keys-file', file]);
    assert.equal(again.code, 0);
    assert.match(again.stderr, /^note: .* was already revoked at .*; nothing changed\n$/);
    assert.equal(byId(file, entry.id).revoked_at, revokedAt);
  });

  const unknown: Array<[name: string, id: string, says: (file: string) => string]> = [
    ['an unknown id', 'key_nope', (file) => `bearer-guard: no key with id key_nope in keys file ${file}`],
    ['a pasted token', 'bgs_Zx8Qm2Lp7Rv4Nt6Kw1Hy3Jd5Bf9Gc0TsQaaaaaaaaaaaaaaaa', (file) => `in keys file ${file} (the id given looks like a token and is not shown)`],
  ];
  for (const [name, id, says] of unknown) {
    test(`${name}: revoke and rotate exit 1, naming the file, never echoing a token`, async () => {
      const file = tmp.keysFile();
      await s.create(file, '--name', 'x');
      const before = fs.readFileSync(file, 'utf8');
      for (const command of ['revoke', 'rotate']) {
        const r = await s.cli(['keys', command, id, '--keys-file', file]);
        assert.equal(r.code, 1);
        assert.ok(r.stderr.includes(says(file)), r.stderr);
        assert.equal(r.stdout, '');
        if (id.startsWith('bgs_')) assert.ok(!r.stderr.includes(id.slice(4, 20)));
      }
      assert.equal(fs.readFileSync(file, 'utf8'), before);
    });
  }

  test('a missing keys file: revoke and rotate exit 1 naming it, and no file is created', async () => {
    const file = tmp.keysFile();
    for (const command of ['revoke', 'rotate']) {
      const r = await s.cli(['keys', command, 'key_abc', '--keys-file', file]);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, `bearer-guard: keys file ${file}: cannot be read: no such file\n`);
      assert.equal(fs.existsSync(file), false);
    }
  });
});

// Runs last: covers every run above.
test('each token appears only on the stdout line that issued it; its digest nowhere', () => s.assertNoLeaks(3));
