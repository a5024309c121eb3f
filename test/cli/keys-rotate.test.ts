// keys rotate: a new key like the old one, printed once; the old one expires after the grace period or is revoked.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, test } from 'node:test';
import type { KeyEntry } from '../../src/keys/types.js';
import { jsonOf, TempDirs } from './helpers.js';
import { byId, craft, KeysSession, near, read, sha256 } from './keys-session.js';

const tmp = new TempDirs();
after(() => tmp.cleanup());
const s = new KeysSession();

describe('keys rotate', () => {
  const graces: Array<{ label: string; args: string[]; old: (e: KeyEntry) => boolean }> = [
    { label: 'default grace 1h', args: [], old: (e) => e.revoked_at === undefined && near(e.expires_at, Date.now() + 3_600_000) },
    { label: '--grace 1h', args: ['--grace', '1h'], old: (e) => e.revoked_at === undefined && near(e.expires_at, Date.now() + 3_600_000) },
    { label: '--grace 0', args: ['--grace', '0'], old: (e) => near(e.revoked_at, Date.now()) && e.expires_at === undefined },
  ];
  for (const g of graces) {
    test(`${g.label}: a new key with the same name, family, scopes, environment and agent; the old one retired`, async () => {
      const file = tmp.keysFile();
      await craft(file, { id: 'key_old', name: 'ci', family: 'agent', scopes: ['models:read', 'jobs:*'], environment: 'prod', agent_id: 'agt_abcdefghijkl' });
      const r = await s.cli(['keys', 'rotate', 'key_old', '--keys-file', file, ...g.args]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^bga_[0-9A-Za-z]{49}\n$/);
      const token = s.issue(r);
      const entries = read(file);
      assert.equal(entries.length, 2);
      const fresh = entries.find((e) => e.digest === `sha256:${sha256(token)}`)!;
      assert.notEqual(fresh.id, 'key_old');
      assert.deepEqual(
        { name: fresh.name, family: fresh.family, scopes: fresh.scopes, environment: fresh.environment, agent_id: fresh.agent_id, expires_at: fresh.expires_at },
        { name: 'ci', family: 'agent', scopes: ['models:read', 'jobs:*'], environment: 'prod', agent_id: 'agt_abcdefghijkl', expires_at: undefined },
      );
      assert.ok(g.old(byId(file, 'key_old')), JSON.stringify(byId(file, 'key_old')));
      assert.match(r.stderr, new RegExp(`^created key ${fresh.id} "ci" .* to replace key key_old, which .*; the token is shown once, above\\n$`));
    });
  }

  test('--json prints the new key as keys create --json does', async () => {
    const file = tmp.keysFile();
    const { entry } = await s.create(file, '--name', 'j', '--scope', 'a:b');
    const r = await s.cli(['keys', 'rotate', entry.id, '--keys-file', file, '--json']);
    assert.equal(r.code, 0, r.stderr);
    s.issue(r);
    const out = jsonOf<Record<string, unknown>>(r);
    assert.deepEqual(Object.keys(out), ['id', 'name', 'family', 'scopes', 'hint', 'created_at', 'expires_at', 'token']);
    assert.deepEqual([out.name, out.scopes, out.expires_at], ['j', ['a:b'], null]);
  });

  test('an old key that expires before the grace period ends keeps its earlier expiry', async () => {
    const file = tmp.keysFile();
    const soon = new Date(Date.now() + 600_000).toISOString();
    await craft(file, { id: 'key_soon', expires_at: soon });
    const r = await s.cli(['keys', 'rotate', 'key_soon', '--grace', '1d', '--keys-file', file]);
    assert.equal(r.code, 0, r.stderr);
    s.issue(r);
    assert.equal(byId(file, 'key_soon').expires_at, soon);
  });

  test('the new key gets the old key\'s lifetime again from now, or --expires', async () => {
    const file = tmp.keysFile();
    const created = new Date(Date.now() - 10 * 86_400_000).toISOString();
    await craft(file, { id: 'key_life', created_at: created, expires_at: new Date(Date.now() + 80 * 86_400_000).toISOString() });
    const r = await s.cli(['keys', 'rotate', 'key_life', '--keys-file', file, '--json']);
    assert.equal(r.code, 0, r.stderr);
    s.issue(r);
    assert.ok(near(jsonOf<{ expires_at: string }>(r).expires_at, Date.now() + 90 * 86_400_000), 'a 90-day key is replaced by a 90-day key');
    const id = jsonOf<{ id: string }>(r).id;
    const again = await s.cli(['keys', 'rotate', id, '--keys-file', file, '--expires', '7d', '--json']);
    assert.equal(again.code, 0, again.stderr);
    s.issue(again);
    assert.ok(near(jsonOf<{ expires_at: string }>(again).expires_at, Date.now() + 7 * 86_400_000));
    assert.equal((await s.cli(['keys', 'rotate', id, '--keys-file', file, '--expires', '2020-01-01'])).code, 2);
  });

  const dead: Array<[status: string, fields: Partial<KeyEntry>]> = [
    ['revoked', { revoked_at: '2025-06-01T00:00:00.000Z' }],
    ['expired', { expires_at: '2025-06-01T00:00:00.000Z' }],
  ];
  for (const [status, fields] of dead) {
    test(`rotating the ${status} key: exit 1, nothing written`, async () => {
      const file = tmp.keysFile();
      await craft(file, { id: 'key_dead', ...fields });
      const before = fs.readFileSync(file, 'utf8');
      const r = await s.cli(['keys', 'rotate', 'key_dead', '--keys-file', file]);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `bearer-guard: key key_dead in keys file ${file} is ${status}, so it cannot be rotated; create a new key with bearer-guard keys create\n`);
      assert.equal(fs.readFileSync(file, 'utf8'), before);
    });
  }
});

// Runs last: covers every run above.
test('each token appears only on the stdout line that issued it; its digest nowhere', () => s.assertNoLeaks(8));
