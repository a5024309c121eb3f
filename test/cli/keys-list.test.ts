// keys list: every key with its status (active, expired, revoked) as JSON or a table, never a digest.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, test } from 'node:test';
import { hasStackTrace, jsonOf, TempDirs } from './helpers.js';
import { craft, KeysSession } from './keys-session.js';

const tmp = new TempDirs();
after(() => tmp.cleanup());
const s = new KeysSession();
const DIGEST_LIKE = /sha256|[0-9a-f]{64}/;

describe('keys list', () => {
  test('--json shows each key with its status and never a digest; the table shows the same', async () => {
    const file = tmp.keysFile();
    const active = await s.create(file, '--name', 'active', '--scope', '*');
    const revoked = await s.create(file, '--name', 'revoked');
    assert.equal((await s.cli(['keys', 'revoke', revoked.entry.id, '--keys-file', file])).code, 0);
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const past = new Date(Date.now() - 3_600_000).toISOString();
    await craft(file, { id: 'key_expired', expires_at: past });
    await craft(file, { id: 'key_both', expires_at: past, revoked_at: past });
    await craft(file, { id: 'key_later', expires_at: soon, revoked_at: soon });
    const expected: Array<[id: string, status: string]> = [
      [active.entry.id, 'active'],
      [revoked.entry.id, 'revoked'],
      ['key_expired', 'expired'],
      ['key_both', 'revoked'],
      ['key_later', 'active'],
    ];

    const r = await s.cli(['keys', 'list', '--keys-file', file, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const list = jsonOf<Array<Record<string, unknown>>>(r);
    assert.deepEqual(list.map((k) => [k.id, k.status]), expected);
    for (const k of list) assert.deepEqual(Object.keys(k), ['id', 'name', 'family', 'scopes', 'hint', 'created_at', 'expires_at', 'revoked_at', 'status']);
    const { digest: _digest, ...shown } = active.entry;
    assert.deepEqual(list[0], { ...shown, expires_at: null, revoked_at: null, status: 'active' });
    assert.ok(!DIGEST_LIKE.test(r.stdout + r.stderr));

    const table = await s.cli(['keys', 'list', '--keys-file', file]);
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^ID\s+NAME\s+FAMILY\s+SCOPES\s+HINT\s+CREATED\s+EXPIRES\s+STATUS$/);
    assert.equal(lines.length, expected.length + 1);
    expected.forEach(([id, status], i) => assert.match(lines[i + 1]!, new RegExp(`^${id}\\s.*\\s${status}$`)));
    assert.ok(!DIGEST_LIKE.test(table.stdout + table.stderr));
  });

  test('an empty keys file: exit 0, a note on stderr, [] with --json', async () => {
    const file = tmp.keysFile();
    fs.writeFileSync(file, '{"version": 1, "keys": []}');
    const text = await s.cli(['keys', 'list', '--keys-file', file]);
    assert.deepEqual([text.code, text.stdout, text.stderr], [0, '', `no keys in keys file ${file}\n`]);
    const json = await s.cli(['keys', 'list', '--keys-file', file, '--json']);
    assert.deepEqual([json.code, json.stdout], [0, '[]\n']);
  });

  const broken: Array<[name: string, content: string | undefined, says: RegExp]> = [
    ['a missing file', undefined, /cannot be read: no such file/],
    ['a file that is not JSON', 'not json', /is not valid JSON/],
    ['a file with a bad entry', '{"version": 1, "keys": [{"id": "key_a"}]}', /keys\[0\] \(id key_a\): "name" is missing/],
  ];
  for (const [name, content, says] of broken) {
    test(`${name}: exit 1, naming the file and the problem`, async () => {
      const file = tmp.keysFile();
      if (content !== undefined) fs.writeFileSync(file, content);
      const r = await s.cli(['keys', 'list', '--keys-file', file]);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.ok(r.stderr.startsWith(`bearer-guard: keys file ${file}: `), r.stderr);
      assert.match(r.stderr, says);
      assert.ok(!hasStackTrace(r.stderr));
    });
  }
});

// Runs last: covers every run above.
test('each token appears only on the stdout line that issued it; its digest nowhere', () => s.assertNoLeaks(2));
