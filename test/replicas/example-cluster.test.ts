// npm run example:cluster as a child process: ready line, one authorised request per replica, the printed revoke command, Ctrl-C stops everything.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';
import { cleanEnv, runServer, until } from '../helpers/example-server.js';
import { waitForStatus } from './cluster.js';

const SCRIPT = 'scripts/example-cluster.ts';
const run = promisify(execFile);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm run example:cluster', { timeout: 60_000 }, () => {
  test('--help prints the usage and exits 0; an unknown option exits 2', async () => {
    const help = await run(process.execPath, ['--import', 'tsx', SCRIPT, '--help'], { env: cleanEnv() });
    assert.match(help.stdout, /^Usage: npm run example:cluster/);
    assert.match(help.stdout, /--redis-port PORT/);
    await assert.rejects(run(process.execPath, ['--import', 'tsx', SCRIPT, '--redis-prot', '1'], { env: cleanEnv() }), (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 2);
      assert.match(err.stderr, /Usage:/);
      return true;
    });
  });

  test('starts Redis and 3 replicas sharing one key; the printed revoke command works everywhere; SIGINT stops every process', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Whatever happens, nothing the script started may outlive the test.
    const started = (): number[] => [...out.matchAll(/\(pid (\d+)\)$/gm)].map((m) => Number(m[1]));
    try {
      await until('the ready line', 40_000, () => out.includes('example cluster ready') || child.exitCode !== null);
      assert.match(out, /example cluster ready/, err);
      const replicas = [...out.matchAll(/^replica \d:\s+(http:\/\/127\.0\.0\.1:\d+) \(pid (\d+)\)$/gm)].map((m) => ({ url: m[1]!, pid: Number(m[2]) }));
      assert.equal(replicas.length, 3, out);
      const redisPid = Number(/^redis:\s+redis:\/\/127\.0\.0\.1:\d+ \(pid (\d+)\)$/m.exec(out)?.[1]);
      const token = /^export TOKEN=(\S+)$/m.exec(out)?.[1];
      assert.ok(token !== undefined && token.startsWith('bgs_'), out);
      for (const r of replicas) {
        const res = await fetch(`${r.url}/v2/models/`, { headers: { authorization: `Bearer ${token}` } });
        assert.equal(res.status, 200, r.url);
      }
      // The printed revoke command, run as printed: every replica refuses the key soon after.
      const revoke = /^ {2}node (dist\/esm\/cli\/main\.js keys revoke .+)$/m.exec(out)?.[1];
      assert.ok(revoke !== undefined, out);
      await run(process.execPath, revoke.split(' '), { env: cleanEnv() });
      await Promise.all(replicas.map((r) => waitForStatus(r.url, token, 401, 3000)));
      assert.equal(out.split(token).length - 1, 1, 'the token is printed once, and no replica logs it');

      child.kill('SIGINT');
      assert.equal(await exited, 0, err);
      assert.match(out, /example cluster stopped/);
      for (const pid of [redisPid, ...replicas.map((r) => r.pid)]) assert.equal(alive(pid), false, `process ${pid} is still running`);
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      for (const pid of started()) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  test('--redis-port on a port already taken: a clear error naming redis-server, exit 1', async () => {
    // A running model server holds a port; redis-server cannot bind it.
    const holder = runServer(['--listen-port', '0', '--auth-bearer-token', 'example-single-token-0123456789abcdefghijklmnop'], cleanEnv());
    await until('the holder listening', 20_000, () => /listening on http:\/\/127\.0\.0\.1:(\d+)/.test(holder.stdout()));
    const port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(holder.stdout())![1]!;
    try {
      await assert.rejects(run(process.execPath, ['--import', 'tsx', SCRIPT, '--redis-port', port], { env: cleanEnv(), timeout: 30_000 }), (e: { code: number; stderr: string }) => {
        assert.equal(e.code, 1);
        assert.match(e.stderr, /redis-server exited/);
        return true;
      });
    } finally {
      holder.child.kill('SIGTERM');
      await holder.exited;
    }
  });
});
