// Making an approval credential: the payload's canonical JSON, signed with the approver's Ed25519 key.
import { sign, type KeyObject } from 'node:crypto';
import { encodeBase64url } from './base64url.js';
import { canonicalize } from './canonical-json.js';
import type { ApprovalPayload } from './payload.js';

/**
 * `<payload_b64url>.<signature_b64url>`: the RFC 8785 canonical JSON of `payload` (UTF-8),
 * and the Ed25519 signature of exactly those bytes.
 *
 * @param payload - the fields (see ApprovalPayload); not checked here
 * @param privateKey - the approver's Ed25519 private key
 * @throws TypeError when the key is not an Ed25519 private key, or the payload is not JSON
 * @internal
 */
export function signApproval(payload: ApprovalPayload, privateKey: KeyObject): string {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') throw new TypeError('an approval is signed with an Ed25519 private key');
  const bytes = Buffer.from(canonicalize(payload), 'utf8');
  return `${encodeBase64url(bytes)}.${encodeBase64url(sign(null, bytes, privateKey))}`;
}
