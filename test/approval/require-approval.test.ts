// requireApproval over HTTP: a real Express app, a real guard (keys from a keys file), approval keys from a JWKS file on disk.
import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { canonicalize } from '../../src/approval/canonical-json.js';
import { specHash } from '../../src/approval/spec-hash.js';
import type { AuditEvent } from '../../src/index.js';
import { TempDir } from '../helpers/config-fixtures.js';
import { makeKey, writeKeysFile } from '../helpers/keys.js';
import { approver, jwks, payload, signBytes, SPEC } from './fixtures.js';
import { eventually, post, startApprovalServer, type ApprovalServer } from './server.js';

const tmp = new TempDir();
after(() => tmp.cleanup());

const A = approver('approver-a');
const B = approver('approver-b');
const trainer = makeKey('service', { name: 'trainer', scopes: ['models:train'] });
const predictor = makeKey('service', { name: 'predictor', scopes: ['models:predict'] });
const keysFile = path.join(tmp.dir, 'keys.json');
writeKeysFile(keysFile, [trainer.entry, predictor.entry]);
const jwksFile = path.join(tmp.dir, 'approvers.jwks');
writeFileSync(jwksFile, jwks(A, B));

const nowS = (): number => Math.floor(Date.now() / 1000);
let serial = 0;
/** A fresh credential (a new approval_id each time) for SPEC, signed by `by`. */
const approval = (over: Record<string, unknown> = {}, by = A): string =>
  signBytes(canonicalize(payload(by.kid, { approval_id: `apr-${++serial}`, ...over }, nowS())), by.privateKey);
const INVALID = { detail: 'Approval credential rejected', error: 'approval_invalid', reason: 'invalid' };
const rejected = (reason: string): object => ({ ...INVALID, reason });
const last = (s: ApprovalServer): AuditEvent => s.events.at(-1)!;

describe('requireApproval behind a real guard', () => {
  let s: ApprovalServer;
  before(async () => {
    s = await startApprovalServer({ guard: { keysFile, approvalKeys: jwksFile, argv: [], env: {} } });
  });
  after(() => s.close());

  test('a valid approval for the exact body: 201, audited with approval_id, kid, issued_by and capability', async () => {
    const credential = approval();
    const r = await post(`${s.url}/train`, { seed: 7, n_estimators: 10 }, { token: trainer.token, approval: credential });
    assert.equal(r.status, 201);
    assert.deepEqual(s.hits, ['train']);
    const e = last(s);
    assert.equal(e.type, 'approval');
    assert.equal(e.outcome, 'allow');
    assert.equal(e.reason, 'ok');
    assert.equal(e.capability, 'models:train');
    assert.equal(e.kid, 'approver-a');
    assert.equal(e.issued_by, 'alice@example.com');
    assert.equal(e.approval_id, `apr-${serial}`);
    assert.equal(e.key_name, 'trainer');
    assert.ok(!JSON.stringify(s.events).includes(credential.split('.')[0]!.slice(0, 24)), 'no event holds the credential');
  });

  test('no Approval-Credential header: 403 approval_required naming the capability, no-store', async () => {
    const r = await post(`${s.url}/train`, SPEC, { token: trainer.token });
    assert.equal(r.status, 403);
    assert.equal(r.text, '{"detail":"Approval required","error":"approval_required","capability":"models:train"}');
    assert.equal(r.cacheControl, 'no-store');
    assert.equal(last(s).reason, 'approval_required');
    assert.equal(last(s).outcome, 'deny');
  });

  // Steps 1 to 3 say only "invalid"; the audit event has the exact reason.
  const hidden: Array<[string, () => string, string]> = [
    ['malformed (padding)', () => `${approval()}=`, 'malformed'],
    ['malformed (whitespace in the JSON)', () => signBytes(JSON.stringify(payload('approver-a', { approval_id: 'x1' }, nowS()), null, 1), A.privateKey), 'malformed'],
    ['unknown_kid', () => approval({ kid: 'approver-z' }), 'unknown_kid'],
    ['bad_signature', () => approval({}, approver('approver-a')), 'bad_signature'],
  ];
  for (const [name, make, reason] of hidden) {
    test(`${name}: 403 reason "invalid", audited as ${reason}`, async () => {
      const r = await post(`${s.url}/train`, SPEC, { token: trainer.token, approval: make() });
      assert.equal(r.status, 403);
      assert.deepEqual(r.body, INVALID);
      assert.equal(r.cacheControl, 'no-store');
      assert.equal(last(s).reason, reason);
      assert.equal(last(s).approval_id, undefined, 'nothing unverified is repeated but a kid');
    });
  }

  // Steps 4 to 9 name themselves.
  const shown: Array<[string, () => string, unknown?]> = [
    ['unsupported_version', () => signBytes(canonicalize(payload('approver-a', { v: 2 }, nowS())), A.privateKey)],
    ['spec_mismatch', () => approval(), { n_estimators: 11, seed: 7 }],
    ['environment_mismatch', () => approval({ environment: 'staging-eu', environment_posture: 'staging' })],
    ['expired', () => approval({ issued_at: nowS() - 7200, expires_at: nowS() - 3600 })],
    ['missing_capability', () => approval({ capabilities: ['models:predict'] })],
  ];
  for (const [reason, make, body] of shown) {
    test(`${reason}: 403 with that reason`, async () => {
      const r = await post(`${s.url}/train`, body ?? SPEC, { token: trainer.token, approval: make() });
      assert.equal(r.status, 403);
      assert.deepEqual(r.body, rejected(reason));
      assert.equal(r.cacheControl, 'no-store');
      assert.equal(last(s).reason, reason);
    });
  }

  test('replayed: the same approval twice, the second is 403 replayed; with once: false it is accepted again', async () => {
    const credential = approval();
    assert.equal((await post(`${s.url}/train`, SPEC, { token: trainer.token, approval: credential })).status, 201);
    const again = await post(`${s.url}/train`, SPEC, { token: trainer.token, approval: credential });
    assert.equal(again.status, 403);
    assert.deepEqual(again.body, rejected('replayed'));
    assert.equal(last(s).reason, 'replayed');
    const reusable = approval();
    for (let i = 0; i < 2; i++) assert.equal((await post(`${s.url}/retrain`, SPEC, { token: trainer.token, approval: reusable })).status, 201);
  });

  test('a refused approval is not used up: after a spec_mismatch the same credential still works for its spec', async () => {
    const credential = approval();
    assert.equal((await post(`${s.url}/train`, { other: 1 }, { token: trainer.token, approval: credential })).status, 403);
    assert.equal((await post(`${s.url}/train`, SPEC, { token: trainer.token, approval: credential })).status, 201);
  });

  test('a string spec is hashed as its bytes', async () => {
    const text = 'replace iris-rf with build 42';
    const credential = approval({ spec_hash: specHash(text), capabilities: ['models:replace'] });
    const r = await post(`${s.url}/raw`, text, { token: trainer.token, approval: credential, type: 'text/plain' });
    assert.equal(r.status, 201);
  });

  test('an approval never replaces the bearer key', async () => {
    const credential = approval();
    const none = await post(`${s.url}/train`, SPEC, { approval: credential });
    assert.equal(none.status, 401, 'no bearer token: 401 before any approval check');
    const asBearer = await post(`${s.url}/train`, SPEC, { token: credential, approval: credential });
    assert.equal(asBearer.status, 401, 'the credential as a bearer token is an unknown token');
    assert.equal((asBearer.body as { error: string }).error, 'invalid_token');
    const scope = await post(`${s.url}/train`, SPEC, { token: predictor.token, approval: credential });
    assert.equal(scope.status, 403);
    assert.equal((scope.body as { error: string }).error, 'insufficient_scope', 'the scope check runs first');
    assert.deepEqual(s.hits.filter((h) => h === 'train').length > 0, true);
    // Not used up by the refusals above: the scope check ran before requireApproval.
    assert.equal((await post(`${s.url}/train`, SPEC, { token: trainer.token, approval: credential })).status, 201);
  });

  test('a spec function that throws: 500, audited as internal_error, its message not logged', async () => {
    const r = await post(`${s.url}/boom`, SPEC, { token: trainer.token, approval: approval() });
    assert.equal(r.status, 500);
    assert.equal(last(s).reason, 'internal_error');
    assert.ok(!s.logger.lines.join('\n').includes('spec failed'));
  });

  test('without the guard before it: 500', async () => {
    const r = await post(`${s.url}/unguarded`, SPEC, { token: trainer.token, approval: approval() });
    assert.equal(r.status, 500);
  });
});

describe('fail closed when approvals cannot be checked', () => {
  test('no approval keys configured: 500 and one warning naming the setting', async () => {
    const s = await startApprovalServer({ guard: { keysFile, argv: [], env: {} } });
    try {
      for (let i = 0; i < 2; i++) assert.equal((await post(`${s.url}/train`, SPEC, { token: trainer.token, approval: approval() })).status, 500);
      assert.equal((await post(`${s.url}/train`, SPEC, { token: trainer.token })).status, 500, 'even without a header');
      assert.equal(s.logger.lines.filter((l) => l.includes('no approval keys') && l.includes('--auth-approval-keys-file')).length, 1);
      assert.equal(s.hits.length, 0);
    } finally {
      await s.close();
    }
  });

  test('no server environment: 500 and one warning', async () => {
    const s = await startApprovalServer({ guard: { keysFile, approvalKeys: jwksFile, argv: [], env: {} }, environment: null });
    try {
      assert.equal((await post(`${s.url}/train`, SPEC, { token: trainer.token, approval: approval() })).status, 500);
      assert.equal(s.logger.lines.filter((l) => l.includes('--auth-environment')).length, 1);
    } finally {
      await s.close();
    }
  });

  test('auth off (nothing configured but approval keys): approvals are still required', async () => {
    const s = await startApprovalServer({ guard: { approvalKeys: jwksFile, argv: [], env: {} } });
    try {
      assert.equal((await post(`${s.url}/train`, SPEC, {})).status, 403);
      assert.equal((await post(`${s.url}/train`, SPEC, { approval: approval() })).status, 201);
    } finally {
      await s.close();
    }
  });
});

describe('postures: approvals required only in some', () => {
  for (const [posture, expected] of [['prod', 403], ['staging', 201], ['dev', 201], [undefined, 201]] as const) {
    test(`postures ["prod"] on a ${posture ?? 'posture-less'} server without a credential: ${expected}`, async () => {
      // No approval keys at all: a server outside the listed postures needs none.
      const s = await startApprovalServer({ guard: { keysFile, argv: [], env: {}, ...(posture === 'prod' ? { approvalKeys: jwksFile } : {}) }, environment: { name: 'x', posture } });
      try {
        const r = await post(`${s.url}/prod-only`, SPEC, { token: trainer.token });
        assert.equal(r.status, expected);
        assert.equal(s.events.filter((e) => e.type === 'approval').length, expected === 403 ? 1 : 0);
      } finally {
        await s.close();
      }
    });
  }
  test('bad postures are refused at creation', async () => {
    const { requireApproval } = await import('../../src/index.js');
    assert.throws(() => requireApproval({ capability: 'models:train', spec: () => ({}), postures: ['production' as 'prod'] }), /`postures` must be/);
    assert.throws(() => requireApproval({ capability: 'models:*', spec: () => ({}) }), /no wildcard/);
    assert.throws(() => requireApproval({ capability: 'models:train', spec: () => ({}), maxLifetime: '31d' }), /from 1 second to 30 days/);
    assert.throws(() => requireApproval({ capability: 'models:train', spec: {} as never }), /`spec` must be a function/);
  });
});

describe('approval keys from the configuration', () => {
  for (const [name, guard] of [
    ['--auth-approval-keys-file', { argv: ['node', 'app', '--auth-approval-keys-file', jwksFile], env: {} }],
    ['env AUTH_APPROVAL_KEYS_FILE (with envPrefix)', { argv: [], env: { DEEPAAS_AUTH_APPROVAL_KEYS_FILE: jwksFile }, envPrefix: 'DEEPAAS_' }],
  ] as const) {
    test(name, async () => {
      const s = await startApprovalServer({ guard: { keysFile, ...guard } });
      try {
        assert.equal((await post(`${s.url}/train`, SPEC, { token: trainer.token, approval: approval() })).status, 201);
      } finally {
        await s.close();
      }
    });
  }

  test('a JWKS object as the approvalKeys option', async () => {
    const s = await startApprovalServer({ guard: { keysFile, approvalKeys: { keys: [B.jwk] }, argv: [], env: {} } });
    try {
      assert.equal((await post(`${s.url}/train`, SPEC, { token: trainer.token, approval: approval({}, B) })).status, 201);
      assert.equal((await post(`${s.url}/train`, SPEC, { token: trainer.token, approval: approval({}, A) })).status, 403);
    } finally {
      await s.close();
    }
  });
});

describe('key rotation: guard.reload() re-reads the approval keys at once', () => {
  test('a kid added to the file is trusted as soon as reload() resolves, before the watcher would see it', async () => {
    const file = path.join(tmp.subdir(), 'reloaded.jwks');
    writeFileSync(file, jwks(A));
    const s = await startApprovalServer({ guard: { keysFile, approvalKeys: file, argv: [], env: {} } });
    try {
      assert.equal((await post(`${s.url}/train`, SPEC, { token: trainer.token, approval: approval({}, B) })).status, 403);
      // The watcher re-reads only after a 100 ms debounce; the request right after reload() comes
      // sooner, so only reload() can explain a 201 here.
      writeFileSync(file, jwks(A, B));
      await s.guard.reload();
      assert.equal((await post(`${s.url}/train`, SPEC, { token: trainer.token, approval: approval({}, B) })).status, 201);
    } finally {
      await s.close();
    }
  });
});

describe('key rotation: two kids, then one removed by a reload of the real file', () => {
  test('both work; after the file drops approver-a, only approver-b does; a broken file keeps the last good set', async () => {
    const file = path.join(tmp.subdir(), 'rotating.jwks');
    writeFileSync(file, jwks(A, B));
    const s = await startApprovalServer({ guard: { keysFile, approvalKeys: file, argv: [], env: {} } });
    try {
      assert.equal((await post(`${s.url}/train`, SPEC, { token: trainer.token, approval: approval({}, A) })).status, 201);
      assert.equal((await post(`${s.url}/train`, SPEC, { token: trainer.token, approval: approval({}, B) })).status, 201);
      // An atomic replace, as deploy tools do it.
      writeFileSync(`${file}.new`, jwks(B));
      renameSync(`${file}.new`, file);
      await eventually(() => s.logger.lines.some((l) => l.includes('approval keys reloaded') && l.includes('1 key')), 'the reload');
      const gone = await post(`${s.url}/train`, SPEC, { token: trainer.token, approval: approval({}, A) });
      assert.equal(gone.status, 403);
      assert.equal(last(s).reason, 'unknown_kid');
      assert.equal((await post(`${s.url}/train`, SPEC, { token: trainer.token, approval: approval({}, B) })).status, 201);
      // A broken file: logged, and approver-b still works.
      writeFileSync(file, '{"keys": [');
      await eventually(() => s.logger.lines.some((l) => l.includes('previous approval keys stay in force')), 'the failed reload');
      assert.equal((await post(`${s.url}/train`, SPEC, { token: trainer.token, approval: approval({}, B) })).status, 201);
    } finally {
      await s.close();
    }
  });
});
