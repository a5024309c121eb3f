// Fixtures for the configuration tests: temp files on disk, argv/env builders, leak checks.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import type { BearerGuardLogger } from '../../src/index.js';

/** A distinct strong (>= 32 chars) b64token per label, so a test can tell sources apart. */
export function tokenFor(label: string): string {
  return `${label.replace(/[^A-Za-z0-9]/g, '')}_Zx8Qm2Lp7Rv4Nt6Kw1Hy3Jd5Bf9Gc0Ts`;
}

/** argv shaped like process.argv. */
export function argv(...flags: string[]): string[] {
  return ['node', 'app', ...flags];
}

/** True when running as root, where chmod 000 does not stop reads. */
export const IS_ROOT = process.getuid?.() === 0;

/** A temp directory with real files; call `cleanup()` in `after`. */
export class TempDir {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bg-'));
  #count = 0;

  /** Writes `content` to a fresh file with `mode` (default 0600) and returns its path. */
  file(content: string | Buffer, mode = 0o600, name = `f${++this.#count}`): string {
    const p = path.join(this.dir, name);
    fs.writeFileSync(p, content);
    fs.chmodSync(p, mode);
    return p;
  }

  /** An INI file holding `lines`, one per line. */
  ini(lines: readonly string[], mode = 0o600): string {
    return this.file(`${lines.join('\n')}\n`, mode, `c${++this.#count}.ini`);
  }

  /** A path inside the temp dir that does not exist. */
  missing(): string {
    return path.join(this.dir, `missing-${++this.#count}`);
  }

  /** A sub-directory (reading it as a file fails with EISDIR, even as root). */
  subdir(): string {
    const p = path.join(this.dir, `d${++this.#count}`);
    fs.mkdirSync(p);
    return p;
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A logger keeping every line. */
export function captureLogger(): BearerGuardLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (m: string) => void lines.push(m) };
}

/** Runs `fn`, asserts it throws, and returns what it threw. */
export function thrown(fn: () => unknown): unknown {
  let caught: unknown;
  assert.throws(fn, (err: unknown) => {
    caught = err;
    return true;
  });
  return caught;
}

/** Every way an error can end up in a log. */
export function errorTexts(err: unknown): string[] {
  assert.ok(err instanceof Error, 'expected an Error');
  return [err.message, err.stack ?? '', inspect(err), String(err), JSON.stringify(err), inspect(err, { showHidden: true, depth: 5 })];
}

/** Escapes `s` for use inside a RegExp. */
export function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Asserts that no text contains `secret`, nor any 12-character run of it (so a token cut at its
 * `=` padding, or quoted, still counts as a leak).
 */
export function assertNoLeak(texts: readonly string[], secret: string, label = ''): void {
  const window = Math.min(12, secret.length);
  for (const text of texts) {
    for (let i = 0; i + window <= secret.length; i++) {
      const piece = secret.slice(i, i + window);
      assert.ok(!text.includes(piece), `${label}: text leaks ${JSON.stringify(piece)} of the token: ${text}`);
    }
  }
}
