// One-time use across 3 replicas on one Redis: a single-use enrollment token enrolls once, an approval (once) is accepted once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { canonicalize } from '../../src/approval/canonical-json.js';
import { specHash } from '../../src/approval/spec-hash.js';
import { approver, jwks, payload, signBytes } from '../approval/fixtures.js';
import { post } from '../approval/server.js';
import { TempDir } from '../helpers/config-fixtures.js';
import { makeEnrollKey } from '../helpers/enrollment.js';
import { makeKey } from '../helpers/keys.js';
import { burst } from './burst.js';
import { startCluster, waitForStatus, type Cluster } from './cluster.js';

const ENVIRONMENT = 'prod-eu';
const TRAIN = '/v2/models/iris-rf/train';
const SPEC = { n_estimators: 2, seed: 5 };

describe('single use across 3 replicas', { timeout: 60_000 }, () => {
  const tmp = new TempDir();
  const A = approver('approver-a');
  const enrollToken = makeEnrollKey({ environment: ENVIRONMENT, uses: 1, used: 0 });
  const trainer = makeKey('service', { name: 'trainer', scopes: ['models:train'] });
  let cluster: Cluster;
  let serial = 0;
  const approval = (): string =>
    signBytes(canonicalize(payload(A.kid, { spec_hash: specHash(SPEC), approval_id: `cluster-${process.pid}-${++serial}` }, Math.floor(Date.now() / 1000))), A.privateKey);

  before(async () => {
    cluster = await startCluster({
      seed: [enrollToken.entry, trainer.entry],
      args: [
        '--auth-enrollment-path', '/v2/agents',
        '--auth-environment', ENVIRONMENT,
        '--auth-environment-posture', 'prod',
        '--auth-approval-keys-file', tmp.file(jwks(A)),
      ],
    });
  });
  after(async () => {
    await cluster?.stop();
    tmp.cleanup();
  });

  test('20 concurrent enrollments with a single-use token, spread over the replicas: exactly one 201', async () => {
    const answers = await burst(
      Array.from({ length: 20 }, (_, i) => ({
        base: cluster.replicas[i % 3]!.url, method: 'POST', path: '/v2/agents',
        headers: { authorization: `Bearer ${enrollToken.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: `edge-${i}` }),
      })),
    );
    const created = answers.filter((a) => a.status === 201);
    assert.equal(created.length, 1, JSON.stringify(answers.map((a) => a.status)));
    assert.deepEqual(answers.filter((a) => a.status !== 201 && a.status !== 401).map((a) => a.body), [], 'the others are refused as a spent token, never a 5xx');
    const entries = await cluster.store.list();
    assert.equal(entries.filter((e) => e.family === 'agent').length, 1, 'one agent key in Redis');
    assert.equal(entries.find((e) => e.id === enrollToken.entry.id)?.used, 1);
    // The agent's key works on every replica, not only on the one that enrolled it.
    const apiKey = (JSON.parse(created[0]!.body) as { api_key: string }).api_key;
    await Promise.all(cluster.replicas.map((r) => waitForStatus(r.url, apiKey, 403, 5000)));
    for (const r of cluster.replicas) {
      const predicted = await post(`${r.url}/v2/models/iris-rf/predict`, { data: [[5.1, 3.5, 1.4, 0.2]] }, { token: apiKey });
      assert.equal(predicted.status, 200, `replica ${r.index}: ${predicted.text}`);
    }
  });

  test('one approval sent to all 3 replicas at once, 3 times each: exactly one 201, the rest 403 replayed', async () => {
    const credential = approval();
    const answers = await burst(
      Array.from({ length: 9 }, (_, i) => ({
        base: cluster.replicas[i % 3]!.url, method: 'POST', path: TRAIN,
        headers: { authorization: `Bearer ${trainer.token}`, 'approval-credential': credential, 'content-type': 'application/json' }, body: JSON.stringify(SPEC),
      })),
    );
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, 403, 403, 403, 403, 403, 403, 403, 403], answers.map((a) => a.body).join('\n'));
    for (const a of answers.filter((x) => x.status === 403)) {
      assert.deepEqual(JSON.parse(a.body), { detail: 'Approval credential rejected', error: 'approval_invalid', reason: 'replayed' });
    }
  });

  test('an approval used on one replica is refused as replayed on every replica, later too', async () => {
    const credential = approval();
    const first = await post(`${cluster.replicas[1]!.url}${TRAIN}`, SPEC, { token: trainer.token, approval: credential });
    assert.equal(first.status, 201, first.text);
    for (const r of cluster.replicas) {
      const again = await post(`${r.url}${TRAIN}`, SPEC, { token: trainer.token, approval: credential });
      assert.equal(again.status, 403, `replica ${r.index}: ${again.text}`);
      assert.equal((again.body as { reason: string }).reason, 'replayed');
    }
  });
});
