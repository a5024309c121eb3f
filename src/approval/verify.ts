// The approval verifier: steps 1 to 8 in the order that decides the reason (step 9, replay, needs a store).
import { verify as verifySignature } from 'node:crypto';
import type { ServerEnvironment } from '../request/environment-context.js';
import { decodeBase64url } from './base64url.js';
import { canonicalize } from './canonical-json.js';
import { APPROVAL_VERSION, headerOf, isV1Payload, type ApprovalPayload } from './payload.js';
import type { TrustedKeys } from './trusted-keys.js';

/** Why an approval credential was refused, in the order the checks run. */
export type ApprovalReason =
  | 'malformed'
  | 'unknown_kid'
  | 'bad_signature'
  | 'unsupported_version'
  | 'spec_mismatch'
  | 'environment_mismatch'
  | 'expired'
  | 'missing_capability'
  | 'replayed';

/** Clock skew allowed on `issued_at` and `expires_at`, in seconds. */
export const CLOCK_SKEW_S = 60;
/** Default longest lifetime (`expires_at - issued_at`), in seconds: 24 h. */
export const DEFAULT_MAX_LIFETIME_S = 86_400;
/** Longest credential read, in characters (a header is refused as malformed beyond it). */
export const MAX_CREDENTIAL_LENGTH = 8192;

/** What a credential is checked against. @internal */
export interface ApprovalCheck {
  readonly keys: TrustedKeys;
  /** `sha256:<hex>` of the request's spec. */
  readonly specHash: string;
  readonly environment: ServerEnvironment;
  readonly capability: string;
  /** Epoch ms. */
  readonly nowMs: number;
  /** Seconds. */
  readonly maxLifetimeS: number;
}

/**
 * The verdict. A refused credential carries its kid once it was read, and its payload once its
 * signature held (steps 4 to 8): what an audit event may say of it.
 */
export type ApprovalVerdict =
  | { readonly ok: true; readonly payload: ApprovalPayload }
  | { readonly ok: false; readonly reason: ApprovalReason; readonly kid?: string; readonly payload?: ApprovalPayload };

const MALFORMED = Object.freeze({ ok: false, reason: 'malformed' } as const);
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Checks `credential` (`<payload_b64url>.<signature_b64url>`); the first check that fails
 * decides the reason:
 * 1. `malformed`: strict base64url, one dot, UTF-8 JSON that is its own RFC 8785 canonical form,
 *    an object with a `kid` and an integer `v` (all v1 fields, exactly, when `v` is 1), a 64-byte signature;
 * 2. `unknown_kid`; 3. `bad_signature` (Ed25519 over the payload bytes);
 * 4. `unsupported_version`; 5. `spec_mismatch`; 6. `environment_mismatch` (name or posture);
 * 7. `expired`: past `expires_at`, `issued_at` in the future, `expires_at <= issued_at`, or a
 *    lifetime over the maximum, with {@link CLOCK_SKEW_S} of skew;
 * 8. `missing_capability` (exact match).
 * @internal
 */
export function verifyApproval(credential: string, check: ApprovalCheck): ApprovalVerdict {
  if (credential.length > MAX_CREDENTIAL_LENGTH) return MALFORMED;
  const dot = credential.indexOf('.');
  if (dot === -1 || credential.indexOf('.', dot + 1) !== -1) return MALFORMED;
  const payloadBytes = decodeBase64url(credential.slice(0, dot));
  const signature = decodeBase64url(credential.slice(dot + 1));
  if (payloadBytes === undefined || signature === undefined || signature.length !== 64) return MALFORMED;
  let value: unknown;
  try {
    const text = utf8.decode(payloadBytes);
    value = JSON.parse(text);
    if (canonicalize(value) !== text) return MALFORMED;
  } catch {
    return MALFORMED;
  }
  const header = headerOf(value);
  if (header === undefined || (header.v === APPROVAL_VERSION && !isV1Payload(value))) return MALFORMED;

  const { kid } = header;
  const key = check.keys.get(kid);
  if (key === undefined) return { ok: false, reason: 'unknown_kid', kid };
  if (!verifySignature(null, payloadBytes, key, signature)) return { ok: false, reason: 'bad_signature', kid };
  if (header.v !== APPROVAL_VERSION) return { ok: false, reason: 'unsupported_version', kid };

  const payload = value as ApprovalPayload;
  const refuse = (reason: ApprovalReason): ApprovalVerdict => ({ ok: false, reason, kid, payload });
  if (payload.spec_hash !== check.specHash) return refuse('spec_mismatch');
  const env = check.environment;
  if (payload.environment !== env.name || payload.environment_posture !== env.posture) return refuse('environment_mismatch');
  const now = check.nowMs / 1000;
  const lifetime = payload.expires_at - payload.issued_at;
  if (now >= payload.expires_at + CLOCK_SKEW_S || payload.issued_at > now + CLOCK_SKEW_S || lifetime <= 0 || lifetime > check.maxLifetimeS) return refuse('expired');
  if (!payload.capabilities.includes(check.capability)) return refuse('missing_capability');
  return { ok: true, payload };
}
