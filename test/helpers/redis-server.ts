// Starts a real Debian redis-server on a free loopback port for one test file, and stops it after.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from '../../scripts/example-cluster-redis.js';

/** A redis-server this test started; nothing else is ever touched. */
export interface TestRedis {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` (add `/<db>` as needed). */
  readonly url: string;
  readonly pid: number;
  /** Sends one command (RESP) and returns the raw reply text, e.g. `+PONG\r\n`. */
  command(...args: string[]): Promise<string>;
  /** SIGSTOP: the server holds every connection open and answers nothing. */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  /** SIGKILL, and waits for the exit. With `persist`, the AOF keeps what was written. */
  kill(): Promise<void>;
  /** Starts it again on the same port (after kill() or stop()). */
  restart(): Promise<void>;
  /** SHUTDOWN NOSAVE (or SIGKILL if it does not stop), and removes its directory. */
  stop(): Promise<void>;
}

/** Options of {@link startRedis}. */
export interface StartRedisOptions {
  /**
   * Keep the data across kill()/restart() with an append-only file fsynced on every write,
   * like a production Redis. Default false: `--save "" --appendonly no`.
   */
  persist?: boolean;
  /** Extra redis-server arguments, e.g. `['--requirepass', 'pw']`. */
  args?: readonly string[];
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A free TCP port on 127.0.0.1 (bound, read, closed): the one example:cluster uses. */
export const freePort = freeLoopbackPort;

/** Sends one RESP command to 127.0.0.1:port and resolves with the first reply chunk. */
export function redisCommand(port: number, args: readonly string[], password?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const encode = (a: readonly string[]): string => `*${a.length}\r\n${a.map((x) => `$${Buffer.byteLength(x)}\r\n${x}\r\n`).join('')}`;
    let reply = '';
    let skip = password === undefined ? 0 : 1;
    socket.setTimeout(2000, () => socket.destroy(new Error('redis command timed out')));
    socket.on('error', reject);
    // A connection closed without a whole reply (SHUTDOWN, a server going away) settles too.
    socket.on('close', () => reject(new Error('redis connection closed without a reply')));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (skip > 0 && reply.includes('\r\n')) {
        reply = reply.slice(reply.indexOf('\r\n') + 2);
        skip = 0;
      }
      if (skip === 0 && reply.length > 0 && reply.endsWith('\r\n')) {
        socket.end();
        resolve(reply);
      }
    });
    socket.write((password === undefined ? '' : encode(['AUTH', password])) + encode(args));
  });
}

/** Starts redis-server on a free loopback port and waits until it answers PING. */
export async function startRedis(options: StartRedisOptions = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bg-redis-'));
  const password = passwordOf(options.args ?? []);
  const argv = [
    '--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '',
    '--appendonly', options.persist === true ? 'yes' : 'no', '--appendfsync', 'always',
    '--daemonize', 'no', '--loglevel', 'warning',
    ...(options.args ?? []),
  ];
  let child: ChildProcess = await launch(argv, port, password);
  const exited = (c: ChildProcess): Promise<void> => new Promise((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve())));
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child.pid!;
    },
    command: (...args: string[]) => redisCommand(port, args, password),
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    kill: async () => {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await exited(child);
    },
    restart: async () => {
      child = await launch(argv, port, password);
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGCONT');
        await redisCommand(port, ['SHUTDOWN', 'NOSAVE'], password).catch(() => undefined);
        const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
        await exited(child);
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function passwordOf(args: readonly string[]): string | undefined {
  const i = args.indexOf('--requirepass');
  return i >= 0 ? args[i + 1] : undefined;
}

async function launch(argv: readonly string[], port: number, password: string | undefined): Promise<ChildProcess> {
  const child = spawn('redis-server', argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}): ${stderr.trim()}`);
    const reply = await redisCommand(port, ['PING'], password).catch(() => '');
    if (reply.startsWith('+PONG')) return child;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not answer PING within 10 s: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
