// The trusted approver keys: a JWKS of Ed25519 public keys, validated whole, named by kid.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { BearerGuardConfigError } from '../errors/startup.js';
import { mayContainToken } from '../safety/redact.js';
import { decodeBase64url } from './base64url.js';

/** One public key of a JWKS, as the approval verifier accepts it. */
export interface Ed25519Jwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly kid: string;
  /** The 32-byte public key, base64url. */
  readonly x: string;
  readonly alg?: 'EdDSA' | 'Ed25519';
  readonly use?: 'sig';
}

/** The trusted keys, by kid. @internal */
export type TrustedKeys = ReadonlyMap<string, KeyObject>;

/** Key ids: what approvers name their keys, and what messages may repeat. */
export const KID = /^[A-Za-z0-9._:-]{1,64}$/;
const MEMBERS = new Set(['kty', 'crv', 'kid', 'x', 'alg', 'use', 'key_ops']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A short field value that is safe to repeat (never key material: `x` and `d` are never shown). */
const shownValue = (v: unknown): string => (typeof v === 'string' && /^[A-Za-z0-9-]{1,16}$/.test(v) && !mayContainToken(v) ? `"${v}"` : '(not shown)');

/**
 * Parses a JWKS (`{"keys": [...]}`) of Ed25519 public keys: `kty` "OKP", `crv` "Ed25519", a
 * unique `kid` of `A-Za-z0-9._:-` (1 to 64), a 32-byte `x` in strict base64url; `alg` ("EdDSA"
 * or "Ed25519"), `use` ("sig") and `key_ops` (["verify"]) are allowed. A private key (`d`) or
 * any other member is refused. Messages name the source, the entry and its kid; never a key.
 *
 * @param value - the parsed JWKS
 * @param where - names the source in messages, e.g. `approval keys file /etc/approvers.jwks`
 * @throws BearerGuardConfigError (`ERR_BEARER_GUARD_APPROVAL_KEYS`) on the first problem
 */
export function parseTrustedKeys(value: unknown, where: string): TrustedKeys {
  const fail = (problem: string): never => {
    throw new BearerGuardConfigError('ERR_BEARER_GUARD_APPROVAL_KEYS', `${where}: ${problem}`);
  };
  if (!isRecord(value) || !Array.isArray(value.keys)) fail('must be a JWKS: an object {"keys": [...]} of Ed25519 public keys');
  const keys = new Map<string, KeyObject>();
  (value as { keys: unknown[] }).keys.forEach((jwk, i) => {
    if (!isRecord(jwk)) fail(`key ${i} is not an object`);
    const k = jwk as Record<string, unknown>;
    const kidOk = typeof k.kid === 'string' && KID.test(k.kid) && !mayContainToken(k.kid);
    const at = `key ${i}${kidOk ? ` (kid "${k.kid as string}")` : ''}`;
    if ('d' in k) fail(`${at} holds a private key ("d"); the approval keys file holds public keys only: remove "d", and keep the private key with the approver`);
    if (k.kty !== 'OKP' || k.crv !== 'Ed25519') fail(`${at} has kty ${shownValue(k.kty)} and crv ${shownValue(k.crv)}; only Ed25519 keys (kty "OKP", crv "Ed25519") are trusted`);
    if (k.alg !== undefined && k.alg !== 'EdDSA' && k.alg !== 'Ed25519') fail(`${at} has alg ${shownValue(k.alg)}; only "EdDSA" or "Ed25519" (or no alg) is accepted`);
    if (k.use !== undefined && k.use !== 'sig') fail(`${at} has use ${shownValue(k.use)}; only "sig" (or no use) is accepted`);
    if (k.key_ops !== undefined && !(Array.isArray(k.key_ops) && k.key_ops.every((op) => op === 'verify'))) fail(`${at} has key_ops other than ["verify"]`);
    const extra = Object.keys(k).find((m) => !MEMBERS.has(m));
    if (extra !== undefined) fail(`${at} has a member ${/^[a-z][a-z0-9_]{0,15}$/.test(extra) ? `"${extra}"` : '(name not shown)'} that an Ed25519 public key does not have`);
    if (typeof k.kid !== 'string' || !KID.test(k.kid)) fail(`${at} needs a kid of 1 to 64 characters A-Z a-z 0-9 . _ : -`);
    const x = typeof k.x === 'string' ? decodeBase64url(k.x) : undefined;
    if (x === undefined || x.length !== 32) fail(`${at} needs "x": the 32-byte public key in unpadded base64url`);
    if (keys.has(k.kid as string)) fail(`${at} repeats a kid; each kid must be unique`);
    let key: KeyObject;
    try {
      key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: k.x as string }, format: 'jwk' });
    } catch {
      return fail(`${at} is not a valid Ed25519 public key`);
    }
    keys.set(k.kid as string, key);
  });
  return keys;
}

/**
 * Reads the text of a JWKS file: JSON, then {@link parseTrustedKeys}.
 * @throws BearerGuardConfigError (`ERR_BEARER_GUARD_APPROVAL_KEYS`)
 * @internal
 */
export function parseTrustedKeysText(text: string, where: string): TrustedKeys {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BearerGuardConfigError('ERR_BEARER_GUARD_APPROVAL_KEYS', `${where}: is not valid JSON (expected a JWKS {"keys": [...]})`);
  }
  return parseTrustedKeys(value, where);
}
