// 20 `keys create` processes at once on one keys file: the lock keeps every key, each with its own id.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { parseKeysFile } from '../../src/keys/file-format.js';
import { runCli, TempDirs } from './helpers.js';

const tmp = new TempDirs();
after(() => tmp.cleanup());

test('20 concurrent keys create leave exactly 20 entries with distinct ids and the printed tokens', async () => {
  const file = tmp.keysFile();
  const runs = await Promise.all(Array.from({ length: 20 }, (_, i) => runCli(['keys', 'create', '--name', `worker-${i}`, '--keys-file', file])));
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
  const entries = parseKeysFile(fs.readFileSync(file, 'utf8'), file);
  assert.equal(entries.length, 20);
  assert.equal(new Set(entries.map((e) => e.id)).size, 20);
  assert.deepEqual(new Set(entries.map((e) => e.name)), new Set(runs.map((_, i) => `worker-${i}`)));
  const digests = new Set(entries.map((e) => e.digest));
  for (const r of runs) assert.ok(digests.has(`sha256:${createHash('sha256').update(r.stdout.trimEnd()).digest('hex')}`));
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ['keys.json'], 'no lock or temp file is left');
});
