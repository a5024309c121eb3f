// Runs the real CLI, as built into dist/ (what the package's bin runs; npm test builds first), as a child process, in temp dirs, recording all output.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from this file's location. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What one run of the CLI gave. */
export interface CliResult {
  readonly args: readonly string[];
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runCli}. */
export interface RunOptions {
  /** Extra env vars (the test process's AUTH_* and DEEPAAS_* vars are never passed on). */
  env?: Record<string, string>;
  /** Written to stdin, which is then closed (closed at once when absent). */
  input?: string;
  /** Every result is also pushed here (for leak checks over a whole file). */
  record?: CliResult[];
}

/** The test process's env without any variable that bearer-guard reads. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(DEEPAAS_)?AUTH_/.test(k)) env[k] = v;
  return env;
}

/** Runs `bearer-guard <args>` as `node dist/esm/cli/main.js <args>` from the repository root. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/esm/cli/main.js', ...args], {
      cwd: ROOT,
      env: { ...cleanEnv(), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const result = { args, code, stdout, stderr };
      options.record?.push(result);
      resolve(result);
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Temp directories removed by `cleanup()`. */
export class TempDirs {
  readonly #dirs: string[] = [];

  /** A fresh empty directory. */
  make(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bg-cli-'));
    this.#dirs.push(dir);
    return dir;
  }

  /** The path of `keys.json` in a fresh directory (the file does not exist yet). */
  keysFile(): string {
    return path.join(this.make(), 'keys.json');
  }

  cleanup(): void {
    for (const dir of this.#dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** True when the output holds what looks like a JS stack trace. */
export const hasStackTrace = (text: string): boolean => /^\s+at .+[(:]\d+/m.test(text) || /\bError: .*\n\s+at /.test(text);

/** Parses one JSON line of stdout. */
export function jsonOf<T = unknown>(result: CliResult): T {
  return JSON.parse(result.stdout) as T;
}
