// The redis-server of npm run example:cluster: started on a loopback port with nothing saved to disk, stopped with SHUTDOWN NOSAVE.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';

/** A free TCP port on 127.0.0.1 (bound, read, closed). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** Sends one inline command to 127.0.0.1:port and resolves with the first reply line ('' on any error). */
function command(port: number, line: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('error', () => resolve(''));
    socket.on('close', () => resolve(''));
    socket.on('data', (chunk) => {
      resolve(chunk.toString('utf8'));
      socket.end();
    });
    socket.write(`${line}\r\n`);
  });
}

/**
 * Starts `redis-server` on 127.0.0.1:`port` with its working directory `dir`, no snapshots and no
 * append-only file, and waits until it answers PING.
 * @throws when it exits first (port taken, redis-server missing) or does not answer within 10 s
 */
export async function startRedisServer(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  let failure: Error | undefined;
  child.once('error', (err) => (failure = new Error(`cannot run redis-server (${(err as NodeJS.ErrnoException).code ?? err.name}); install it, e.g. apt-get install -y redis-server`)));
  for (const deadline = Date.now() + 10_000; ; ) {
    if (failure !== undefined) throw failure;
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}) on port ${port}: ${output.trim().split('\n').pop() ?? ''}`);
    if ((await command(port, 'PING')).startsWith('+PONG')) return child;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer on port ${port} within 10 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** SHUTDOWN NOSAVE, then waits for the exit (SIGKILL after 3 s). */
export async function stopRedisServer(child: ChildProcess, port: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await command(port, 'SHUTDOWN NOSAVE');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
