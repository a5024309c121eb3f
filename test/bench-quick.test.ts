// Runs the benchmark in --quick mode so it can never rot: every variant must produce results.
// No timing is asserted here; timings live in docs/benchmarks.md, written by `npm run bench`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';

test('npm run bench -- --quick measures every variant', { timeout: 120_000 }, async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick'], { encoding: 'utf8', timeout: 110_000 });
  for (const id of 'abcdefghijklmno') {
    const row = new RegExp(`^\\| \\(${id}\\) [^|]+\\| (\\d+) \\|`, 'm').exec(stdout);
    assert.ok(row, `variant (${id}) missing from the table:\n${stdout}`);
    assert.ok(Number(row[1]) > 0, `variant (${id}) served no requests`);
  }
  assert.match(stdout, /after 20,000 guarded requests/);
  assert.match(stdout, /bench: 15 variants, 1 round\(s\), all produced results/);
});
