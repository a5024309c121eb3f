/**
 * Parent side of the guarded server fixture: forks server-fixture.ts (with `--expose-gc`, so that
 * the baseline RSS is taken after a full GC), and wraps its IPC commands in promises. A child that
 * dies rejects every pending and later command, so a server crash fails the test loudly.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command, ReadyMessage, ReplyMessage, Stats } from './protocol.js';

export interface GuardedServer {
  readonly port: number;
  /** Sends `cmd` and resolves with the stats the child took after running it. */
  command(cmd: Command): Promise<Stats>;
  /** Polls the stats until `ok` holds; rejects with the last stats after `timeoutMs`. */
  waitFor(what: string, ok: (s: Stats) => boolean, timeoutMs?: number): Promise<Stats>;
  /** Whatever the child wrote to stderr (crash traces, warnings). */
  stderr(): string;
  /** Asks the child to exit and waits for it. */
  stop(): Promise<void>;
}

const FIXTURE = fileURLToPath(new URL('./server-fixture.ts', import.meta.url));

/** Starts the fixture for `major` with `token` and resolves once it listens. */
export function startGuardedServer(major: 'express5' | 'express4', token: string): Promise<GuardedServer> {
  const env: NodeJS.ProcessEnv = { ...process.env, HOSTILE_LOAD_TOKEN: token };
  delete env.NODE_TEST_CONTEXT; // the child is a server, not a test file
  const child = fork(FIXTURE, [major], { execArgv: ['--import', 'tsx', '--expose-gc'], env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => void (stderr += c.toString()));
  const pending = new Map<number, { resolve: (s: Stats) => void; reject: (e: Error) => void }>();
  let exited: Error | undefined;
  child.on('exit', (code, signal) => {
    exited = new Error(`guarded server exited (code ${code}, signal ${signal}); stderr: ${stderr.slice(-2000)}`);
    for (const p of pending.values()) p.reject(exited);
    pending.clear();
  });
  let nextId = 1;
  const command = (cmd: Command): Promise<Stats> => {
    if (exited) return Promise.reject(exited);
    const id = nextId++;
    return new Promise<Stats>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.send({ id, cmd });
    });
  };
  child.on('message', (m: ReplyMessage | ReadyMessage) => {
    if ('id' in m) {
      pending.get(m.id)?.resolve(m.stats);
      pending.delete(m.id);
    }
  });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`guarded server did not start; stderr: ${stderr}`));
    }, 30_000);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(exited);
    });
    child.on('message', (m: ReplyMessage | ReadyMessage) => {
      if (!('ready' in m)) return;
      clearTimeout(timer);
      resolve({
        port: m.port,
        command,
        waitFor: (what, ok, timeoutMs = 5000) => waitFor(command, what, ok, timeoutMs),
        stderr: () => stderr,
        stop: () => stop(child),
      });
    });
  });
}

async function waitFor(command: (cmd: Command) => Promise<Stats>, what: string, ok: (s: Stats) => boolean, timeoutMs: number): Promise<Stats> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await command('stats');
    if (ok(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last stats: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.disconnect();
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}
