// Redis stopped (SIGSTOP), killed and restarted, then wiped, under load on 3 replicas: the staleness window, the fail-closed 503, recovery without a restart, each logged once.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { cleanEnv } from '../helpers/example-server.js';
import { makeKey, writeKeysFile } from '../helpers/keys.js';
import { startCluster, waitForStatus, type Cluster } from './cluster.js';
import { Load, sleep, type Sample } from './load.js';

const RESYNC_S = 0.25;
/** Redis requires it; every replica gets it in its URL, and none may ever print it. */
const PASSWORD = 'Rpl1caPassw0rd-Zq8';
const STALE_S = 3;
/** Requests sent this soon after Redis stops must all pass: the last confirmation is at most one resync old. */
const SAFE_MS = (STALE_S - RESYNC_S) * 1000 - 250;
/** Requests sent this long after Redis stops must all get 503. */
const STALE_MS = STALE_S * 1000 + 750;

const digestHex = (token: string): string => createHash('sha256').update(token).digest('hex');
const inWindow = (samples: readonly Sample[], from: number, to: number): Sample[] => samples.filter((s) => s.sent >= from && s.sent < to);
const statuses = (samples: readonly Sample[]): Record<number, number> => samples.reduce<Record<number, number>>((m, s) => ({ ...m, [s.status]: (m[s.status] ?? 0) + 1 }), {});

describe('Redis failure under load on 3 replicas', { timeout: 60_000 }, () => {
  let cluster: Cluster;
  let load: Load;
  const dir = mkdtempSync(join(tmpdir(), 'bg-replicas-'));
  const revoked = makeKey('service', { name: 'revoked-before', scopes: ['models:read'] });
  before(async () => {
    cluster = await startCluster({
      redis: { persist: true },
      password: PASSWORD,
      args: ['--auth-redis-resync-interval', String(RESYNC_S), '--auth-redis-max-staleness', String(STALE_S)],
    });
    // A key revoked before anything fails: once every replica refuses it, none may accept it again.
    await cluster.add(revoked.entry);
    await Promise.all(cluster.replicas.map((r) => waitForStatus(r.url, revoked.token, 200, 10_000)));
    await cluster.revoke(revoked.entry.id);
    await Promise.all(cluster.replicas.map((r) => waitForStatus(r.url, revoked.token, 401, 10_000)));
    load = new Load(cluster.replicas.map((r) => r.url), [
      { name: 'steady', loops: 2, keepBody: true, next: () => ({ token: cluster.key.token, label: 'steady' }) },
      { name: 'revoked', next: () => ({ token: revoked.token, label: 'revoked' }) },
    ]);
    await sleep(300);
  });
  after(async () => {
    await load?.stop();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every replica answers the steady key with 200 again; resolves with the slowest recovery (ms since `since`). */
  async function recovered(since: number, ms: number): Promise<number> {
    let slowest = 0;
    for (const r of cluster.replicas) {
      const deadline = Date.now() + ms;
      for (;;) {
        const ok = load.of('steady', 'steady', r.index).find((s) => s.status === 200 && s.sent > since);
        if (ok !== undefined) {
          slowest = Math.max(slowest, ok.done - since);
          break;
        }
        assert.ok(Date.now() < deadline, `replica ${r.index} did not recover within ${ms} ms`);
        await sleep(20);
      }
    }
    return slowest;
  }

  /** Checks one outage starting at `stoppedAt` and ending at `backAt`. */
  function checkOutage(name: string, stoppedAt: number, backAt: number): void {
    const steady = load.of('steady');
    const early = inWindow(steady, stoppedAt, stoppedAt + SAFE_MS);
    assert.ok(early.length > 30, `${name}: traffic within the staleness window`);
    assert.deepEqual(statuses(early), { 200: early.length }, `${name}: every valid request within the staleness window passes`);
    const late = inWindow(steady, stoppedAt + STALE_MS, backAt);
    for (const r of cluster.replicas) assert.ok(late.some((s) => s.replica === r.index), `${name}: replica ${r.index} got traffic once stale`);
    assert.deepEqual(statuses(late), { 503: late.length }, `${name}: every request past the staleness window fails closed`);
    for (const s of late) {
      assert.deepEqual(JSON.parse(s.body!), { detail: 'Authentication unavailable' });
      assert.match(s.retryAfter ?? '', /^[1-9]\d*$/, 'Retry-After in seconds');
      assert.match(s.cacheControl ?? '', /no-store/);
    }
    const outage = inWindow(steady, stoppedAt, backAt);
    const lastOk = outage.filter((s) => s.status === 200).pop();
    const first503 = outage.find((s) => s.status === 503);
    console.log(`# ${name}: last 200 ${lastOk === undefined ? '-' : lastOk.done - stoppedAt} ms, first 503 ${first503 === undefined ? '-' : first503.done - stoppedAt} ms after Redis stopped (max staleness ${STALE_S} s, resync ${RESYNC_S} s)`);
  }

  test('SIGSTOP: served from memory for maxStaleness, then 503; SIGCONT: every replica recovers without a restart', async () => {
    const stoppedAt = Date.now();
    cluster.redis.pause();
    await sleep(STALE_MS + 1500);
    // The public /v2/ (a readiness probe) still answers: only guarded routes fail closed.
    for (const r of cluster.replicas) assert.equal((await fetch(`${r.url}/v2/`)).status, 200, `replica ${r.index}: /v2/`);
    const backAt = Date.now();
    cluster.redis.resume();
    const recovery = await recovered(backAt, 10_000);
    console.log(`# SIGSTOP: every replica served 200 again ${recovery} ms after SIGCONT`);
    checkOutage('SIGSTOP', stoppedAt, backAt);
  });

  test('killed and restarted (AOF kept the data): 503 once stale, then recovery, and a new revocation still reaches everyone', async () => {
    const stoppedAt = Date.now();
    await cluster.redis.kill();
    await sleep(STALE_MS + 1500);
    const backAt = Date.now();
    await cluster.redis.restart();
    const recovery = await recovered(backAt, 10_000);
    console.log(`# kill + restart: every replica served 200 again ${recovery} ms after Redis was back`);
    checkOutage('kill', stoppedAt, backAt);
    // The store works again for changes too: a revocation written now is refused everywhere.
    const key = makeKey('service', { name: 'after-restart', scopes: ['models:read'] });
    await cluster.add(key.entry);
    await Promise.all(cluster.replicas.map((r) => waitForStatus(r.url, key.token, 200, 5000)));
    await cluster.revoke(key.entry.id);
    await Promise.all(cluster.replicas.map((r) => waitForStatus(r.url, key.token, 401, 3000)));
  });

  test('wiped (FLUSHALL): never an empty keyring; the last keys until stale, then 503; keys import brings every replica back', async () => {
    const stoppedAt = Date.now();
    assert.match(await cluster.redis.command('FLUSHALL'), /^\+OK/);
    await sleep(STALE_MS + 1500);
    const backAt = Date.now();
    const file = join(dir, 'keys.json');
    writeKeysFile(file, [cluster.key.entry, { ...revoked.entry, revoked_at: '2026-01-01T00:00:00.000Z' }]);
    const cli = await promisify(execFile)(process.execPath, ['dist/esm/cli/main.js', 'keys', 'import', '--from', file, '--redis-url', cluster.url], { env: cleanEnv(), timeout: 20_000 });
    assert.equal(`${cli.stdout}${cli.stderr}`.includes(PASSWORD), false, 'keys import printed the Redis password');
    const recovery = await recovered(backAt, 10_000);
    console.log(`# FLUSHALL + keys import: every replica served 200 again ${recovery} ms after the import started`);
    checkOutage('FLUSHALL', stoppedAt, backAt);
  });

  test('the key revoked before the outages was never accepted again', () => {
    const revokedSamples = load.of('revoked');
    assert.ok(revokedSamples.length > 100);
    assert.deepEqual(revokedSamples.filter((s) => s.status === 200), []);
    assert.deepEqual(Object.keys(statuses(revokedSamples)).sort(), ['401', '503']);
  });

  test('each replica logged each failure and each recovery once, not once per request', async () => {
    await load.stop();
    for (const r of cluster.replicas) {
      const out = r.output();
      const count = (re: RegExp): number => out.split('\n').filter((line) => re.test(line)).length;
      const unreachable = count(/is unreachable/);
      const stale = count(/refusing with 503/);
      const back = count(/reachable again/);
      assert.equal(stale, 3, `replica ${r.index}: one "stale" line per outage\n${out}`);
      assert.ok(unreachable <= 2, `replica ${r.index}: at most one "unreachable" line per outage of Redis itself\n${out}`);
      assert.equal(back, 3, `replica ${r.index}: one recovery line per outage\n${out}`);
      assert.ok(count(/store_unavailable/) > 0, `replica ${r.index}: the 503s are audited as store_unavailable`);
      // Through every failure and recovery: never the Redis password, a token or a token's digest.
      for (const secret of [PASSWORD, cluster.key.token, revoked.token, digestHex(cluster.key.token), digestHex(revoked.token)]) {
        assert.equal(out.includes(secret), false, `replica ${r.index} printed a secret`);
      }
    }
  });
});
