// The shapes of keys: families, stored entries (never a token), and the identity a request gets.

/**
 * Who a key belongs to. Families never stand in for each other:
 * - `user`: a person's token (prefix `bgu_`);
 * - `service`: automation (prefix `bgs_`);
 * - `agent`: an enrolled agent's runtime key (prefix `bga_`);
 * - `enroll`: a one-time enrollment token (prefix `bge_`), never accepted on a guarded route.
 */
export type KeyFamily = 'user' | 'service' | 'agent' | 'enroll';

/** Every family, in display order. */
export const KEY_FAMILIES: readonly KeyFamily[] = Object.freeze(['user', 'service', 'agent', 'enroll']);

/** The token prefix of each family (without the `_`). */
export const FAMILY_PREFIX: Readonly<Record<KeyFamily, string>> = Object.freeze({
  user: 'bgu',
  service: 'bgs',
  agent: 'bga',
  enroll: 'bge',
});

/**
 * One key as a store holds it: metadata and the SHA-256 digest of the token, never the token.
 * Field names are those of the keys file (snake_case); timestamps are ISO 8601 UTC strings
 * such as `2027-01-31T00:00:00.000Z`.
 */
export interface KeyEntry {
  /** Non-secret identifier, e.g. `key_qkzvbwhtmrxa`; unique within a store. */
  readonly id: string;
  /** Human name, e.g. `ci-deploy`; several keys may share one (rotation keeps it). */
  readonly name: string;
  readonly family: KeyFamily;
  /** Scopes such as `models:read`; `*` grants everything, `models:*` every `models:` scope. */
  readonly scopes: readonly string[];
  /** `sha256:` and 64 lower-case hex digits of the token. */
  readonly digest: string;
  /** For display: the prefix and the last 4 characters, e.g. `bgs_…9xYz`. */
  readonly hint: string;
  readonly created_at: string;
  /** From this instant on, the key is refused as expired. */
  readonly expires_at?: string | undefined;
  /** From this instant on, the key is refused as revoked. */
  readonly revoked_at?: string | undefined;
  /** The only environment that accepts the key (used by the environments feature). */
  readonly environment?: string | undefined;
  /** The agent this runtime key belongs to (family `agent`). */
  readonly agent_id?: string | undefined;
  /** The id of the enrollment token that created this agent key (family `agent`). */
  readonly enrolled_by?: string | undefined;
  /** The scopes an enrollment token gives the agents it enrolls (family `enroll`). */
  readonly grant_scopes?: readonly string[] | undefined;
  /** How many enrollments an enrollment token allows in all (family `enroll`). */
  readonly uses?: number | undefined;
  /** How many it has made so far; absent counts as 0 (family `enroll`). */
  readonly used?: number | undefined;
}

/** The one scope an enrollment token holds: it enrolls, and nothing else. */
export const ENROLL_SCOPE = 'agent:enroll';

/** The longest an enrollment token may live: 24 hours, in ms. */
export const MAX_ENROLL_LIFETIME_MS = 24 * 60 * 60 * 1000;
