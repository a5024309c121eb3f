// The example model server: with posture prod, POST /v2/models/:name/train needs an approval for its exact JSON body.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { canonicalize } from '../../src/approval/canonical-json.js';
import { specHash } from '../../src/approval/spec-hash.js';
import { TempDir } from '../helpers/config-fixtures.js';
import { makeKey, writeKeysFile } from '../helpers/keys.js';
import { approver, jwks, payload, signBytes } from './fixtures.js';
import { post } from './server.js';

const tmp = new TempDir();
after(() => tmp.cleanup());

const A = approver('approver-a');
const trainer = makeKey('service', { name: 'trainer', scopes: ['models:train'] });
const keysFile = path.join(tmp.dir, 'keys.json');
writeKeysFile(keysFile, [trainer.entry]);
const jwksFile = tmp.file(jwks(A));
const TRAIN = '/v2/models/iris-rf/train';
let serial = 0;
const approval = (spec: unknown, over: Record<string, unknown> = {}): string =>
  signBytes(canonicalize(payload(A.kid, { spec_hash: specHash(spec as object), approval_id: `ex-${++serial}`, ...over }, Math.floor(Date.now() / 1000))), A.privateKey);

/** The example app (built against the package, dist/) in environment prod-eu with the given posture. */
async function start(posture: 'prod' | 'staging'): Promise<{ url: string; close(): Promise<void> }> {
  const { createApp } = await import('../../examples/model-server/app.js');
  const { TrainingJobs } = await import('../../examples/model-server/training.js');
  const { trainForest } = await import('../../examples/model-server/model.js');
  const { loadIris } = await import('../../examples/model-server/dataset.js');
  const jobs = new TrainingJobs();
  const argv = ['node', 'main', '--auth-keys-file', keysFile, '--auth-approval-keys-file', jwksFile, '--auth-environment', 'prod-eu', '--auth-environment-posture', posture];
  const app = createApp({ argv, jobs, forest: trainForest(loadIris(), { nEstimators: 2, seed: 1 }) });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        jobs.cancelAll();
        app.guard.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('example server, posture prod', () => {
  let s: Awaited<ReturnType<typeof start>>;
  before(async () => {
    s = await start('prod');
  });
  after(() => s.close());

  test('training without an approval: 403 approval_required', async () => {
    const r = await post(`${s.url}${TRAIN}`, { n_estimators: 3 }, { token: trainer.token });
    assert.equal(r.status, 403);
    assert.deepEqual(r.body, { detail: 'Approval required', error: 'approval_required', capability: 'models:train' });
  });
  test('with an approval for the exact body (members in any order): 201', async () => {
    const r = await post(`${s.url}${TRAIN}`, { seed: 3, n_estimators: 3 }, { token: trainer.token, approval: approval({ n_estimators: 3, seed: 3 }) });
    assert.equal(r.status, 201, r.text);
  });
  test('with an approval for another body: 403 spec_mismatch', async () => {
    const r = await post(`${s.url}${TRAIN}`, { n_estimators: 4 }, { token: trainer.token, approval: approval({ n_estimators: 3 }) });
    assert.deepEqual(r.body, { detail: 'Approval credential rejected', error: 'approval_invalid', reason: 'spec_mismatch' });
  });
  test('no body counts as {}', async () => {
    const res = await fetch(`${s.url}${TRAIN}`, { method: 'POST', headers: { authorization: `Bearer ${trainer.token}`, 'approval-credential': approval({}) } });
    assert.equal(res.status, 201);
  });
  test('reading the trainings needs no approval', async () => {
    const res = await fetch(`${s.url}${TRAIN}`, { headers: { authorization: `Bearer ${trainer.token}` } });
    assert.equal(res.status, 200);
  });
  test('the OpenAPI document declares the Approval-Credential header on the training operation', async () => {
    const doc = (await (await fetch(`${s.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>> };
    const params = doc.paths['/v2/models/{name}/train']!.post!.parameters!;
    assert.ok(params.some((p) => p.name === 'Approval-Credential' && p.in === 'header'));
  });
});

describe('example server, posture staging', () => {
  test('training needs no approval', async () => {
    const s = await start('staging');
    try {
      const r = await post(`${s.url}${TRAIN}`, { n_estimators: 3 }, { token: trainer.token });
      assert.equal(r.status, 201);
    } finally {
      await s.close();
    }
  });
});
