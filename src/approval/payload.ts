// The payload of an approval credential (v1): its fields, and the shape check that refuses anything else.
import type { EnvironmentPosture } from '../request/environment-context.js';

/** The payload of an approval credential, version 1: canonical JSON, signed with Ed25519. */
export interface ApprovalPayload {
  readonly v: number;
  /** The approver's key id in the trusted JWKS. */
  readonly kid: string;
  readonly environment: string;
  readonly environment_posture: EnvironmentPosture;
  /** `sha256:<64 lower-case hex>` of the spec (see specHash). */
  readonly spec_hash: string;
  readonly capabilities: readonly string[];
  /** Unix seconds. */
  readonly issued_at: number;
  /** Unix seconds. */
  readonly expires_at: number;
  readonly issued_by: string;
  readonly approval_id: string;
  readonly org_id?: string;
  readonly project_id?: string;
}

/** The only version this verifier accepts. */
export const APPROVAL_VERSION = 1;

/** The posture values. @internal */
export const POSTURES: readonly EnvironmentPosture[] = Object.freeze(['dev', 'staging', 'prod']);

const SPEC_HASH = /^sha256:[0-9a-f]{64}$/;
/** Longest string field, in characters. */
const MAX_TEXT = 256;
const MAX_CAPABILITIES = 64;

const text = (v: unknown): boolean => typeof v === 'string' && v.length > 0 && v.length <= MAX_TEXT;
const seconds = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;

// Field -> rule, and whether it must be present.
const FIELDS: Readonly<Record<string, [required: boolean, ok: (v: unknown) => boolean]>> = {
  v: [true, (v) => v === APPROVAL_VERSION],
  kid: [true, text],
  environment: [true, text],
  environment_posture: [true, (v) => POSTURES.includes(v as EnvironmentPosture)],
  spec_hash: [true, (v) => typeof v === 'string' && SPEC_HASH.test(v)],
  capabilities: [true, (v) => Array.isArray(v) && v.length > 0 && v.length <= MAX_CAPABILITIES && v.every(text)],
  issued_at: [true, seconds],
  expires_at: [true, seconds],
  issued_by: [true, text],
  approval_id: [true, text],
  org_id: [false, text],
  project_id: [false, text],
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What the verifier's first step needs of a decoded payload: an object with a `kid`, and a `v`.
 * A payload of another version is only read this far, so that it is refused as
 * `unsupported_version` (after its signature is checked) rather than as malformed. @internal
 */
export function headerOf(value: unknown): { v: unknown; kid: string } | undefined {
  if (!isRecord(value) || !text(value.kid) || !Number.isSafeInteger(value.v)) return undefined;
  return { v: value.v, kid: value.kid as string };
}

/**
 * True when `value` is a version 1 payload: every required field, each of its type, and no
 * other field. @internal
 */
export function isV1Payload(value: unknown): value is ApprovalPayload {
  if (!isRecord(value)) return false;
  for (const key of Object.keys(value)) if (!Object.hasOwn(FIELDS, key)) return false;
  for (const [key, [required, ok]] of Object.entries(FIELDS)) {
    if (!Object.hasOwn(value, key)) {
      if (required) return false;
    } else if (!ok(value[key])) return false;
  }
  return true;
}
