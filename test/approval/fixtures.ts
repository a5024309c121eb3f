// Approval test fixtures: a fixed Ed25519 key (RFC 8032 test 1), fresh keys, JWKS files, payloads, and signing of any bytes.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { ApprovalPayload } from '../../src/approval/payload.js';
import { specHash } from '../../src/approval/spec-hash.js';

/** RFC 8032 section 7.1, TEST 1: the secret key (seed). */
export const RFC8032_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
/** RFC 8032 section 7.1, TEST 1: the public key. */
export const RFC8032_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';

/** The PKCS#8 DER of an Ed25519 seed: the fixed 16-byte prefix, then the 32 bytes. */
export function keyFromSeed(seedHex: string): KeyObject {
  return createPrivateKey({ key: Buffer.from(`302e020100300506032b657004220420${seedHex}`, 'hex'), format: 'der', type: 'pkcs8' });
}

/** An approver: a private key and its public JWK under `kid`. */
export interface Approver {
  kid: string;
  privateKey: KeyObject;
  jwk: { kty: 'OKP'; crv: 'Ed25519'; kid: string; x: string };
}

export function approver(kid: string, privateKey: KeyObject = generateKeyPairSync('ed25519').privateKey): Approver {
  const { x } = createPublicKey(privateKey).export({ format: 'jwk' }) as { x: string };
  return { kid, privateKey, jwk: { kty: 'OKP', crv: 'Ed25519', kid, x } };
}

/** The JWKS text of some approvers. */
export const jwks = (...approvers: Approver[]): string => `${JSON.stringify({ keys: approvers.map((a) => a.jwk) }, null, 2)}\n`;

export const SPEC = { n_estimators: 10, seed: 7 };
export const NOW_S = 1_800_000_000;

/** A valid v1 payload for `kid`, issued now (NOW_S unless given) for 15 minutes. */
export function payload(kid: string, over: Partial<Record<keyof ApprovalPayload, unknown>> = {}, nowS = NOW_S): Record<string, unknown> {
  return {
    v: 1,
    kid,
    environment: 'prod-eu',
    environment_posture: 'prod',
    spec_hash: specHash(SPEC),
    capabilities: ['models:train'],
    issued_at: nowS,
    expires_at: nowS + 900,
    issued_by: 'alice@example.com',
    approval_id: 'apr-0001',
    ...over,
  };
}

/** `<b64url(bytes)>.<b64url(sig)>` over exactly `bytes`, whatever they are. */
export function signBytes(bytes: Buffer | string, key: KeyObject): string {
  const b = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  return `${b.toString('base64url')}.${sign(null, b, key).toString('base64url')}`;
}
