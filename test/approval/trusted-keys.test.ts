// The trusted JWKS: only Ed25519 public keys; every other key is a start-up error naming the file and the kid, never key material.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { parseTrustedKeys } from '../../src/approval/trusted-keys.js';
import { bearerGuard, loadAuthConfig } from '../../src/index.js';
import { captureLogger } from '../helpers/apps.js';
import { TempDir } from '../helpers/config-fixtures.js';
import { approver } from './fixtures.js';

const tmp = new TempDir();
after(() => tmp.cleanup());

const A = approver('approver-a');
const privateJwk = A.privateKey.export({ format: 'jwk' }) as Record<string, string>;
const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' }) as Record<string, string>;
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) as Record<string, string>;
const x448 = generateKeyPairSync('ed448').publicKey.export({ format: 'jwk' }) as Record<string, string>;

const BAD: Array<[string, unknown, RegExp]> = [
  ['not a JWKS', [A.jwk], /must be a JWKS/],
  ['an RSA key', { keys: [A.jwk, { ...rsa, kid: 'old-rsa' }] }, /key 1 \(kid "old-rsa"\) has kty "RSA".*only Ed25519/],
  ['an EC key', { keys: [{ ...ec, kid: 'p256' }] }, /key 0 \(kid "p256"\) has kty "EC" and crv "P-256"/],
  ['an Ed448 key', { keys: [{ ...x448, kid: 'ed448' }] }, /kid "ed448"\) has kty "OKP" and crv "Ed448"/],
  ['alg RS256 on an Ed25519 key', { keys: [{ ...A.jwk, alg: 'RS256' }] }, /kid "approver-a"\) has alg "RS256"/],
  ['use enc', { keys: [{ ...A.jwk, use: 'enc' }] }, /has use "enc"/],
  ['a private key (d)', { keys: [{ ...privateJwk, kid: 'approver-a' }] }, /holds a private key \("d"\)/],
  ['a repeated kid', { keys: [A.jwk, approver('approver-a').jwk] }, /key 1 \(kid "approver-a"\) repeats a kid/],
  ['no kid', { keys: [{ kty: 'OKP', crv: 'Ed25519', x: A.jwk.x }] }, /key 0 needs a kid/],
  ['a kid with a space', { keys: [{ ...A.jwk, kid: 'a b' }] }, /key 0 needs a kid/],
  ['x too short', { keys: [{ ...A.jwk, x: A.jwk.x.slice(0, 40) }] }, /needs "x": the 32-byte public key/],
  ['x padded', { keys: [{ ...A.jwk, x: `${A.jwk.x}=` }] }, /needs "x"/],
  ['an unknown member', { keys: [{ ...A.jwk, x5c: ['abc'] }] }, /member "x5c"/],
];

describe('parseTrustedKeys', () => {
  for (const [name, value, message] of BAD) {
    test(`${name}: refused, naming the entry, never a key`, () => {
      assert.throws(() => parseTrustedKeys(value, 'approval keys file /etc/approvers.jwks'), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'ERR_BEARER_GUARD_APPROVAL_KEYS');
        assert.match(err.message, /^bearer-guard: approval keys file \/etc\/approvers\.jwks: /);
        assert.match(err.message, message);
        for (const secret of [A.jwk.x, privateJwk.d!, rsa.n!.slice(0, 20), ec.x!]) assert.ok(!err.message.includes(secret.slice(0, 12)), 'no key material');
        return true;
      });
    });
  }
  test('several kids; alg EdDSA, use sig and key_ops verify are fine; an empty set is allowed', () => {
    const keys = parseTrustedKeys({ keys: [A.jwk, { ...approver('b').jwk, alg: 'EdDSA', use: 'sig', key_ops: ['verify'] }] }, 'x');
    assert.deepEqual([...keys.keys()], ['approver-a', 'b']);
    assert.equal(parseTrustedKeys({ keys: [] }, 'x').size, 0);
  });
});

describe('at start-up', () => {
  test('bearerGuard with an RSA key in the approval keys file throws, naming the file and the kid', () => {
    const file = tmp.file(JSON.stringify({ keys: [A.jwk, { ...rsa, kid: 'legacy' }] }));
    assert.throws(
      () => bearerGuard({ token: 'a'.repeat(40), approvalKeys: file, logger: captureLogger() }),
      (err: Error & { code?: string }) => err.code === 'ERR_BEARER_GUARD_APPROVAL_KEYS' && err.message.includes(file) && err.message.includes('kid "legacy"'),
    );
  });
  test('--auth-approval-keys-file naming a missing file: loadAuthConfig throws', () => {
    assert.throws(() => loadAuthConfig({ argv: ['node', 'app', '--auth-approval-keys-file', tmp.missing()], env: {} }), /approval keys file .*cannot be read: no such file/);
  });
  test('loadAuthConfig reports the approval keys file and its source', () => {
    const file = tmp.file(JSON.stringify({ keys: [A.jwk] }));
    const config = loadAuthConfig({ argv: [], env: { AUTH_APPROVAL_KEYS_FILE: file, AUTH_BEARER_TOKEN: 'b'.repeat(40) } });
    assert.equal(config.approvalKeysFile, file);
    assert.equal(config.sources.auth_approval_keys_file, 'env AUTH_APPROVAL_KEYS_FILE');
  });
  test('the approvalKeys option is checked eagerly', () => {
    assert.throws(() => bearerGuard({ token: 'a'.repeat(40), approvalKeys: '' }), /`approvalKeys` must not be empty/);
    assert.throws(() => bearerGuard({ token: 'a'.repeat(40), approvalKeys: 5 as unknown as string }), /`approvalKeys` must be a JWKS file path/);
  });
});
