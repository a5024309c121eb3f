// The brute-force throttle shared by 3 replicas through Redis: failures spread over the replicas reach the limit, the block holds everywhere, other IPs pass.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { changeCharFromEnd } from '../helpers/keys.js';
import { startCluster, type Cluster } from './cluster.js';
import { sleep } from './load.js';

const FAILURES = 9;

/** GET /v2/models/ from the loopback address `from` (all of 127.0.0.0/8 is local on Linux), so the replicas see distinct client IPs. */
function getFrom(from: string, base: string, token: string): Promise<{ status: number; body: string; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/v2/models/`, { localAddress: from, headers: { authorization: `Bearer ${token}` }, timeout: 10_000 });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, retryAfter: res.headers['retry-after'] }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

describe('throttle shared across 3 replicas', { timeout: 60_000 }, () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster({
      throttle: true,
      args: ['--auth-redis-resync-interval', '1', '--auth-throttle', '--auth-throttle-failures', String(FAILURES), '--auth-throttle-window-seconds', '60', '--auth-throttle-block-seconds', '30'],
    });
  });
  after(() => cluster?.stop());

  test(`${FAILURES} failures spread over the replicas start a block that holds on every replica, for a valid key too`, async () => {
    const attacker = '127.0.0.2';
    const wrong = changeCharFromEnd(cluster.key.token, 1);
    const statuses: number[] = [];
    // Round-robin over the replicas: no replica alone sees more than a third of the failures, so
    // replicas counting alone would need three times as many. A failure is counted just after its
    // 401 is sent: a short pause lets each count land before the next attempt.
    for (let i = 0; i < FAILURES + 2 && !statuses.includes(429); i++) {
      statuses.push((await getFrom(attacker, cluster.replicas[i % 3]!.url, wrong)).status);
      await sleep(20);
    }
    assert.deepEqual(statuses.slice(0, FAILURES - 1), Array.from({ length: FAILURES - 1 }, () => 401), 'below the limit: plain 401s');
    assert.ok(statuses.includes(429), `the failures of all replicas together reach the limit: ${statuses.join(' ')}`);
    // The block reaches the other replicas by pub/sub (or the next resync, 1 s here).
    for (const r of cluster.replicas) {
      for (const deadline = Date.now() + 2500; (await getFrom(attacker, r.url, cluster.key.token)).status !== 429; await sleep(50)) {
        assert.ok(Date.now() < deadline, `replica ${r.index} did not apply the block within 2.5 s`);
      }
    }
    for (const r of cluster.replicas) {
      for (const token of [wrong, cluster.key.token]) {
        const answer = await getFrom(attacker, r.url, token);
        assert.equal(answer.status, 429, `replica ${r.index}, ${token === wrong ? 'wrong' : 'valid'} key`);
        assert.deepEqual(JSON.parse(answer.body), { detail: 'Too many failed attempts', error: 'rate_limited' });
        assert.match(answer.retryAfter ?? '', /^[1-9]\d*$/);
      }
    }
  });

  test('another client IP is unaffected on every replica', async () => {
    for (const r of cluster.replicas) {
      assert.equal((await getFrom('127.0.0.3', r.url, cluster.key.token)).status, 200, `replica ${r.index}`);
      assert.equal((await getFrom('127.0.0.3', r.url, changeCharFromEnd(cluster.key.token, 2))).status, 401, `replica ${r.index}`);
    }
  });
});
