// Fixtures for the keys tests: a recorded CLI session, key files read and crafted, and the token leak check.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { parseKeysFile } from '../../src/keys/file-format.js';
import { updateKeysFile } from '../../src/keys/file-write.js';
import type { KeyEntry } from '../../src/keys/types.js';
import { hasStackTrace, jsonOf, runCli, type CliResult } from './helpers.js';

/** SHA-256 hex of `text`. */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
/** The entries of a keys file. */
export const read = (file: string): KeyEntry[] => parseKeysFile(fs.readFileSync(file, 'utf8'), file);
/** The entry with `id`. */
export const byId = (file: string, id: string): KeyEntry => read(file).find((e) => e.id === id)!;
/** True when the ISO time `iso` is within `slack` ms of `ms`. */
export const near = (iso: string | undefined, ms: number, slack = 60_000): boolean => iso !== undefined && Math.abs(Date.parse(iso) - ms) < slack;

/** Writes an entry straight into the file (for states the CLI will not create, such as already expired). */
export async function craft(file: string, fields: Partial<KeyEntry> & { id: string }): Promise<void> {
  await updateKeysFile(file, (entries) => [
    ...entries,
    { name: 'crafted', family: 'service', scopes: ['models:read'], digest: `sha256:${sha256(fields.id)}`, hint: 'bgs_…abcd', created_at: '2025-01-01T00:00:00.000Z', ...fields },
  ]);
}

/** The runs of one test file, and every token they issued, so that a last test can look for leaks. */
export class KeysSession {
  readonly record: CliResult[] = [];
  readonly issued: Array<{ token: string; run: CliResult }> = [];

  /** Runs the CLI, recording the result. */
  cli(args: string[], env?: Record<string, string>): Promise<CliResult> {
    return runCli(args, { record: this.record, ...(env && { env }) });
  }

  /** Records that `run` printed `token` (its stdout is the token line, or JSON holding it). */
  issue(run: CliResult): string {
    const token = run.stdout.startsWith('{') ? jsonOf<{ token: string }>(run).token : run.stdout.trimEnd();
    this.issued.push({ token, run });
    return token;
  }

  /** Runs `keys create`, checks that it succeeded, and returns the token and the new entry. */
  async create(file: string, ...extra: string[]): Promise<{ token: string; entry: KeyEntry; run: CliResult }> {
    const run = await this.cli(['keys', 'create', '--keys-file', file, ...extra]);
    assert.equal(run.code, 0, run.stderr);
    const token = this.issue(run);
    const entry = read(file).find((e) => e.digest === `sha256:${sha256(token)}`);
    assert.ok(entry, 'the new entry holds the digest of the printed token');
    return { token, entry, run };
  }

  /**
   * Each issued token appears in exactly one output, the stdout of the run that issued it, which
   * holds nothing else; no part of it and no digest of it appears anywhere else; no stack traces.
   */
  assertNoLeaks(minTokens: number): void {
    assert.ok(this.issued.length >= minTokens, `${this.issued.length} tokens issued`);
    for (const { token, run } of this.issued) {
      assert.equal(token.length, 53);
      assert.ok(run.stdout === `${token}\n` || JSON.parse(run.stdout).token === token, 'stdout is only the token line');
      const hex = sha256(token);
      for (const other of this.record) {
        const seen = other === run ? other.stderr : other.stdout + other.stderr;
        const where = `bearer-guard ${other.args.join(' ')}`;
        assert.ok(!seen.includes(token.slice(4, 40)), `token (or part of it) leaked in: ${where}`);
        assert.ok(!(other.stdout + other.stderr).includes(hex), `digest leaked in: ${where}`);
      }
    }
    for (const r of this.record) assert.ok(!hasStackTrace(r.stderr), r.stderr);
  }
}
