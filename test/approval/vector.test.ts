// A committed test vector (RFC 8032 test key 1, a fixed payload, a fixed credential), cross-checked with openssl.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { canonicalize } from '../../src/approval/canonical-json.js';
import type { ApprovalPayload } from '../../src/approval/payload.js';
import { signApproval } from '../../src/approval/sign.js';
import { specHash } from '../../src/approval/spec-hash.js';
import { parseTrustedKeys } from '../../src/approval/trusted-keys.js';
import { verifyApproval } from '../../src/approval/verify.js';
import { TempDir } from '../helpers/config-fixtures.js';
import { approver, keyFromSeed, RFC8032_PUBLIC, RFC8032_SEED } from './fixtures.js';

const tmp = new TempDir();
after(() => tmp.cleanup());

const SPEC = { seed: 7, n_estimators: 10 };
const PAYLOAD = {
  v: 1,
  kid: 'rfc8032-test-1',
  environment: 'prod-eu',
  environment_posture: 'prod',
  spec_hash: 'sha256:58ce32ee26e717ae76904fba650e8e0721991a3178f598ac6a9e5db0e2732cb2',
  capabilities: ['models:train'],
  issued_at: 1_800_000_000,
  expires_at: 1_800_000_900,
  issued_by: 'alice@example.com',
  approval_id: 'apr-2027-0001',
} as const satisfies ApprovalPayload;
/** The public JWK of RFC 8032 test key 1. */
const JWK = { kty: 'OKP', crv: 'Ed25519', kid: 'rfc8032-test-1', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' } as const;
/** The credential: canonical payload, base64url; Ed25519 (deterministic) signature, base64url. */
const CREDENTIAL =
  'eyJhcHByb3ZhbF9pZCI6ImFwci0yMDI3LTAwMDEiLCJjYXBhYmlsaXRpZXMiOlsibW9kZWxzOnRyYWluIl0sImVudmlyb25tZW50IjoicHJvZC1ldSIsImVudmlyb25tZW50X3Bvc3R1cmUiOiJwcm9kIiwiZXhwaXJlc19hdCI6MTgwMDAwMDkwMCwiaXNzdWVkX2F0IjoxODAwMDAwMDAwLCJpc3N1ZWRfYnkiOiJhbGljZUBleGFtcGxlLmNvbSIsImtpZCI6InJmYzgwMzItdGVzdC0xIiwic3BlY19oYXNoIjoic2hhMjU2OjU4Y2UzMmVlMjZlNzE3YWU3NjkwNGZiYTY1MGU4ZTA3MjE5OTFhMzE3OGY1OThhYzZhOWU1ZGIwZTI3MzJjYjIiLCJ2IjoxfQ' +
  '.53-jLoLF5YRyT1TH64E04Lz13T0L571XqgnjTI-n8lgvm5_fD8ZlQ9Tu_7NAc6BMvBMcwnUiEJy4FNAO9jnxCQ';
const CANONICAL =
  '{"approval_id":"apr-2027-0001","capabilities":["models:train"],"environment":"prod-eu","environment_posture":"prod","expires_at":1800000900,"issued_at":1800000000,"issued_by":"alice@example.com","kid":"rfc8032-test-1","spec_hash":"sha256:58ce32ee26e717ae76904fba650e8e0721991a3178f598ac6a9e5db0e2732cb2","v":1}';

const key = keyFromSeed(RFC8032_SEED);
const check = {
  keys: parseTrustedKeys({ keys: [JWK] }, 'vector'),
  specHash: specHash(SPEC),
  environment: { name: 'prod-eu', posture: 'prod' as const },
  capability: 'models:train',
  nowMs: 1_800_000_100_000,
  maxLifetimeS: 86_400,
};
const openssl = (...args: string[]): Buffer => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });

describe('the committed test vector', () => {
  test('the key is RFC 8032 test 1: its public key is the RFC one, and its JWK the committed one', () => {
    assert.equal(createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex'), RFC8032_PUBLIC);
    assert.deepEqual(approver(JWK.kid, key).jwk, JWK);
  });
  test('the spec hash is SHA-256 of the canonical spec (members sorted, no whitespace)', () => {
    assert.equal(specHash(SPEC), PAYLOAD.spec_hash);
    assert.equal(specHash('{"n_estimators":10,"seed":7}'), PAYLOAD.spec_hash, 'a string is hashed as its bytes');
    assert.equal(specHash(Buffer.from('{"n_estimators":10,"seed":7}')), PAYLOAD.spec_hash);
  });
  test('the fixed key and payload give the fixed credential', () => {
    assert.equal(canonicalize(PAYLOAD), CANONICAL);
    assert.equal(Buffer.from(CREDENTIAL.split('.')[0]!, 'base64url').toString('utf8'), CANONICAL);
    assert.equal(signApproval(PAYLOAD, key), CREDENTIAL);
  });
  test('and it verifies', () => {
    const v = verifyApproval(CREDENTIAL, check);
    assert.deepEqual(v, { ok: true, payload: PAYLOAD });
  });
});

describe('cross-checked with openssl, an independent implementation', () => {
  const payloadFile = tmp.file(CANONICAL);
  const pemFile = tmp.file(key.export({ format: 'pem', type: 'pkcs8' }));

  test('openssl computes the same spec hash', () => {
    const digest = openssl('dgst', '-sha256', '-r', tmp.file('{"n_estimators":10,"seed":7}')).toString().split(' ')[0];
    assert.equal(`sha256:${digest!}`, PAYLOAD.spec_hash);
  });

  test('openssl pkeyutl -sign -rawin gives the same signature, and the credential built from it verifies', () => {
    const sigFile = path.join(tmp.dir, 'sig.bin');
    openssl('pkeyutl', '-sign', '-inkey', pemFile, '-rawin', '-in', payloadFile, '-out', sigFile);
    const sig = readFileSync(sigFile);
    assert.equal(sig.length, 64);
    const credential = `${Buffer.from(CANONICAL).toString('base64url')}.${sig.toString('base64url')}`;
    assert.equal(credential, CREDENTIAL);
    assert.equal(verifyApproval(credential, check).ok, true);
  });

  test('openssl verifies our signature with the public key', () => {
    const pub = tmp.file(createPublicKey(key).export({ format: 'pem', type: 'spki' }));
    const sigFile = tmp.file(Buffer.from(CREDENTIAL.split('.')[1]!, 'base64url'));
    const out = openssl('pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-in', payloadFile, '-sigfile', sigFile).toString();
    assert.match(out, /Signature Verified Successfully/);
  });

  test('a key made by openssl genpkey signs credentials that verify against its JWK', () => {
    const pem = path.join(tmp.dir, 'openssl-key.pem');
    openssl('genpkey', '-algorithm', 'ed25519', '-out', pem);
    const { x } = createPublicKey(readFileSync(pem)).export({ format: 'jwk' }) as { x: string };
    const payload = { ...PAYLOAD, kid: 'openssl-1' };
    const bytes = tmp.file(canonicalize(payload));
    const sigFile = path.join(tmp.dir, 'sig2.bin');
    openssl('pkeyutl', '-sign', '-inkey', pem, '-rawin', '-in', bytes, '-out', sigFile);
    const credential = `${readFileSync(bytes).toString('base64url')}.${readFileSync(sigFile).toString('base64url')}`;
    const keys = parseTrustedKeys({ keys: [{ kty: 'OKP', crv: 'Ed25519', kid: 'openssl-1', x }] }, 'openssl');
    assert.equal(verifyApproval(credential, { ...check, keys }).ok, true);
    // And a different fresh key under the same kid does not verify it.
    const { x: other } = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as { x: string };
    const wrong = parseTrustedKeys({ keys: [{ kty: 'OKP', crv: 'Ed25519', kid: 'openssl-1', x: other }] }, 'openssl');
    assert.deepEqual(verifyApproval(credential, { ...check, keys: wrong }), { ok: false, reason: 'bad_signature', kid: 'openssl-1' });
  });
});
