// Runs the benchmark in --quick mode so it can never rot: every variant must produce results.
// No timing is asserted here; timings live in docs/benchmarks.md, written by `npm run bench`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { VARIANTS } from '../bench/variants.js';

test('npm run bench -- --quick measures every variant', { timeout: 180_000 }, async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick'], { encoding: 'utf8', timeout: 170_000 });
  for (const { id } of VARIANTS) {
    const row = new RegExp(`^\\| \\(${id}\\) [^|]+\\| (\\d+) \\|`, 'm').exec(stdout);
    assert.ok(row, `variant (${id}) missing from the table:\n${stdout}`);
    assert.ok(Number(row[1]) > 0, `variant (${id}) served no requests`);
  }
  assert.match(stdout, /after 20,000 guarded requests/);
  assert.match(stdout, new RegExp(`bench: ${VARIANTS.length} variants, 1 round\\(s\\), all produced results`));
  // The store variants' CPU per request, and the propagation across 3 replica processes (3 keys per row).
  assert.match(stdout, /^\| µs per request, median of rounds \| \d+\.\d \| \d+\.\d \| \d\.\d{3} \|/m);
  for (const row of ['revocation refused', 'new key accepted', "revocation, one replica's subscriber killed just before", 'new key, after a subscriber was killed']) {
    assert.match(stdout, new RegExp(`^\\| ${row} \\| 9 \\| \\d+ \\| \\d+ \\| \\d+ \\|`, 'm'), row);
  }
  assert.match(stdout, /No replica accepted a key after refusing it/);
});
