// npm run example:cluster: a redis-server and 3 example-server replicas on loopback sharing one keyring, to try revocation across replicas by hand; Ctrl-C stops everything.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { freeLoopbackPort, startRedisServer, stopRedisServer } from './example-cluster-redis.js';

const USAGE = `Usage: npm run example:cluster -- [options]

Starts redis-server and example-server replicas on 127.0.0.1, all sharing one keyring in Redis,
creates one key (its token is printed once), and prints commands to try revocation across
replicas by hand. Ctrl-C stops everything (Redis keeps nothing: its data lives in memory).

Options:
  --redis-port PORT   port for redis-server (default: a free one)
  --replicas N        how many replicas (default 3, at most 9)
  --help, -h          print this text and exit
`;

const CLI = 'dist/esm/cli/main.js';
const MODEL_SERVER = 'examples/model-server/main.ts';
const LISTENING = /^model server listening on (http:\/\/\S+)/m;

function usageError(message: string): never {
  process.stderr.write(`example:cluster: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function options(): { redisPort: number | undefined; replicas: number } {
  let parsed;
  try {
    parsed = parseArgs({ options: { 'redis-port': { type: 'string' }, replicas: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
  } catch (err) {
    usageError(err instanceof Error ? err.message : 'bad arguments');
  }
  if (parsed.values.help === true) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const port = parsed.values['redis-port'];
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) usageError('--redis-port must be an integer from 1 to 65535');
  const replicas = parsed.values.replicas ?? '3';
  if (!/^[1-9]$/.test(replicas)) usageError('--replicas must be an integer from 1 to 9');
  return { redisPort: port === undefined ? undefined : Number(port), replicas: Number(replicas) };
}

/** Starts one replica and resolves with its URL once it prints its `listening` line; its output goes to ours, prefixed. */
function startReplica(index: number, redisUrl: string, children: ChildProcess[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', MODEL_SERVER, '--listen-port', '0', '--auth-redis-url', redisUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let seen = '';
    const forward = (stream: NodeJS.WritableStream) => (chunk: string) => {
      seen += chunk;
      for (const line of chunk.split('\n')) if (line !== '') stream.write(`replica ${index} | ${line}\n`);
      const m = LISTENING.exec(seen);
      if (m !== null) resolve(m[1]!);
    };
    child.stdout!.setEncoding('utf8').on('data', forward(process.stdout));
    child.stderr!.setEncoding('utf8').on('data', forward(process.stderr));
    child.once('exit', (code, signal) => reject(new Error(`replica ${index} exited (${signal ?? code}) before listening`)));
  });
}

/** Sends SIGTERM to a child and waits for its exit (SIGKILL after 5 s). */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  const opts = options();
  const dir = mkdtempSync(join(tmpdir(), 'bg-cluster-'));
  const port = opts.redisPort ?? (await freeLoopbackPort());
  const replicas: ChildProcess[] = [];
  let redis: ChildProcess | undefined;
  let stopping: Promise<never> | undefined;
  const stopAll = (code: number): Promise<never> =>
    (stopping ??= (async () => {
      await Promise.all(replicas.map(stopChild));
      if (redis !== undefined) await stopRedisServer(redis, port);
      rmSync(dir, { recursive: true, force: true });
      process.stdout.write('example cluster stopped\n');
      process.exit(code);
    })());
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  try {
    redis = await startRedisServer(port, dir);
    const redisUrl = `redis://127.0.0.1:${port}`;
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'keys', 'create', '--name', 'cluster-demo', '--scope', '*', '--redis-url', redisUrl, '--json']);
    const key = JSON.parse(stdout) as { id: string; token: string };
    const urls = await Promise.all(Array.from({ length: opts.replicas }, (_, i) => startReplica(i + 1, redisUrl, replicas)));
    for (const child of [redis, ...replicas]) {
      child.once('exit', () => {
        if (stopping !== undefined) return;
        process.stderr.write('example:cluster: a process of the cluster stopped unexpectedly; stopping the rest\n');
        void stopAll(1);
      });
    }
    process.stdout.write(readyText(redisUrl, redis.pid!, key, urls, replicas.map((c) => c.pid!)));
  } catch (err) {
    process.stderr.write(`example:cluster: ${err instanceof Error ? err.message : 'failed to start'}\n`);
    await stopAll(1);
  }
}

function readyText(redisUrl: string, redisPid: number, key: { id: string; token: string }, urls: readonly string[], pids: readonly number[]): string {
  const loop = `for url in ${urls.join(' ')}; do curl -s -o /dev/null -w "$url %{http_code}\\n" -H "Authorization: Bearer $TOKEN" $url/v2/models/; done`;
  return [
    '',
    `redis:      ${redisUrl} (pid ${redisPid})`,
    ...urls.map((u, i) => `replica ${i + 1}:  ${u} (pid ${pids[i]})`),
    '',
    `key ${key.id} (cluster-demo, scope *), shown once:`,
    `export TOKEN=${key.token}`,
    '',
    'Every replica accepts it:',
    `  ${loop}`,
    'Revoke it once, in Redis:',
    `  node ${CLI} keys revoke ${key.id} --redis-url ${redisUrl}`,
    'and every replica refuses it within about a second (run the loop again: 401 everywhere).',
    'Create another key and it works everywhere:',
    `  export TOKEN=$(node ${CLI} keys create --name second --redis-url ${redisUrl})`,
    `  node ${CLI} keys list --redis-url ${redisUrl}`,
    '',
    'Press Ctrl-C to stop everything.',
    'example cluster ready',
    '',
  ].join('\n');
}

void main();
