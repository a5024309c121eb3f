// Runs examples/model-server/main.ts as a child process for the example-server tests, and calls it with fetch.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';

const ENTRY = 'examples/model-server/main.ts';
const START_TIMEOUT_MS = 20_000;
const LISTENING = /^model server listening on (http:\/\/\S+)(?: \(.*\))?$/m;

/** `process.env` without anything that could configure the guard or confuse a child node. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('DEEPAAS_') || key.startsWith('AUTH_') || key === 'NODE_TEST_CONTEXT') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running (or finished) child with everything it printed. */
export interface ChildRun {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  stdout(): string;
  stderr(): string;
}

/** Spawns `node --import tsx examples/model-server/main.ts ...args` from the repo root. */
export function runServer(args: readonly string[], env: NodeJS.ProcessEnv): ChildRun {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: process.cwd(),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<Exit>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, exited, stdout: () => out, stderr: () => err };
}

/** The exit of a run that should stop by itself; SIGKILLed (and so reported as killed) after `ms`. */
export async function exitWithin(run: ChildRun, ms: number): Promise<Exit> {
  const timer = setTimeout(() => run.child.kill('SIGKILL'), ms);
  const exit = await run.exited;
  clearTimeout(timer);
  return exit;
}

/** A started server: its base URL, plus the run. */
export interface StartedServer extends ChildRun {
  readonly url: string;
  /** SIGTERM, then the exit status (SIGKILL after 5 s). */
  stop(): Promise<Exit>;
}

/** Starts the server on a free port and waits for its `listening on` line. */
export async function startServer(args: readonly string[], env: NodeJS.ProcessEnv): Promise<StartedServer> {
  const run = runServer(['--listen-port', '0', ...args], env);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      run.child.kill('SIGKILL');
      reject(new Error(`server did not start in ${START_TIMEOUT_MS} ms; stderr: ${run.stderr()}`));
    }, START_TIMEOUT_MS);
    const check = (): void => {
      const match = LISTENING.exec(run.stdout());
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    run.child.stdout?.on('data', check);
    void run.exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`server exited before listening (${JSON.stringify(exit)}); stderr: ${run.stderr()}`));
    });
  });
  const stop = async (): Promise<Exit> => {
    if (run.child.exitCode === null && run.child.signalCode === null) {
      run.child.kill('SIGTERM');
      const timer = setTimeout(() => run.child.kill('SIGKILL'), 5000);
      const exit = await run.exited;
      clearTimeout(timer);
      return exit;
    }
    return run.exited;
  };
  return { ...run, url, stop };
}

/** A response with its parsed JSON body (every answer of the example must be JSON). */
export interface JsonResponse {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test assertions walk the body freely
  body: any;
}

export interface CallOptions {
  method?: string;
  token?: string;
  headers?: Record<string, string>;
  body?: string | FormData | Blob;
}

/** fetch + JSON: asserts nothing, but throws if the body is not JSON (never HTML). */
export async function call(base: string, path: string, options: CallOptions = {}): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  const init: RequestInit = { method: options.method ?? 'GET', headers };
  if (options.body !== undefined) init.body = options.body;
  const response = await fetch(base + path, init);
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('application/json')) {
    throw new Error(`${init.method} ${path}: ${response.status} with Content-Type ${JSON.stringify(type)}: ${text.slice(0, 200)}`);
  }
  return { status: response.status, headers: response.headers, body: JSON.parse(text) };
}

/** JSON request options. */
export function jsonBody(value: unknown, token?: string): CallOptions {
  const options: CallOptions = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
  if (token !== undefined) options.token = token;
  return options;
}

/** A multipart form with `content` as a CSV file in `field`. */
export function csvForm(content: string, field = 'data'): FormData {
  const form = new FormData();
  form.append(field, new Blob([content], { type: 'text/csv' }), 'input.csv');
  return form;
}

/** What `expectContinueUpload` saw. */
export interface UploadResult {
  status: number;
  body: unknown;
  /** Whether the server invited the body with `100 Continue`. */
  continued: boolean;
}

/**
 * Uploads `content` as the multipart field `data` with `Expect: 100-continue`, the way curl
 * sends large files: the body goes out only if the server answers `100 Continue`.
 */
export function expectContinueUpload(base: string, path: string, content: string, token?: string): Promise<UploadResult> {
  const boundary = 'example-boundary-7d1f';
  const body = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="data"; filename="input.csv"\r\n` +
      `Content-Type: text/csv\r\n\r\n${content}\r\n--${boundary}--\r\n`,
  );
  const headers: Record<string, string> = {
    expect: '100-continue',
    'content-type': `multipart/form-data; boundary=${boundary}`,
    'content-length': String(body.length),
  };
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    let continued = false;
    const req = request(`${base}${path}`, { method: 'POST', headers, timeout: 10_000 });
    req.on('continue', () => {
      continued = true;
      req.end(body);
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        req.destroy();
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), continued });
        } catch (err) {
          reject(err instanceof Error ? err : new Error('bad JSON'));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('upload timed out')));
    req.on('error', reject);
    req.flushHeaders();
  });
}

/** The JSON lines a run printed (pino's log lines), in order; the plain `listening` line is skipped. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test assertions walk the entries freely
export function jsonLines(text: string): any[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as unknown);
}

/** Polls `check` every 50 ms until it holds; fails with `what` after `ms`. */
export async function until(what: string, ms: number, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() >= deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What {@link rawCall} got: status, headers and the body as text. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One request with node:http, which (unlike fetch) sends any `Host` header it is given: for
 * checking that nothing in a response is built from it.
 */
export function rawCall(base: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method: options.method ?? 'GET', headers: options.headers, timeout: 10_000 });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(options.body);
  });
}
