// The keyring: an immutable snapshot of every key, found by the digest of a presented token in one map lookup.
import { digestKey, digestToken } from './digest.js';
import { makePrincipal, type BearerAuth, type Issuer } from './principal.js';
import type { KeyEntry, KeyFamily } from './types.js';

/** One key as the request path needs it. @internal */
export interface KeyRecord {
  readonly principal: BearerAuth;
  /** The allowed outcome, built once: `{ principal }`. */
  readonly allow: { readonly principal: BearerAuth };
  readonly family: KeyFamily;
  /** The only environment that accepts the key, or undefined for every environment. */
  readonly environment: string | undefined;
  /** Epoch ms from which the key is refused as expired; Infinity when it never expires. */
  readonly expiresAtMs: number;
  /** Epoch ms from which the key is refused as revoked; Infinity when not revoked. */
  readonly revokedAtMs: number;
  /** min(expiresAtMs, revokedAtMs): one comparison on the common path. */
  readonly deadline: number;
  /** What changes when the entry changes: compared by reload() to report what changed. */
  readonly signature: string;
}

/** A key configured the old way: the single token, its digest, or an entry of the token array. @internal */
export interface LegacyKey {
  readonly id: string;
  /** The token itself, or its stored `sha256:<hex>` digest. */
  readonly token?: string;
  readonly digest?: string;
}

/** What a reload changed, by key id. */
export interface KeyringChange {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
  /** How many keys the keyring holds now. */
  readonly size: number;
}

/** An immutable snapshot of the keys. Lookups cost one digest and one map lookup, whatever its size. @internal */
export class Keyring {
  readonly #byDigest: ReadonlyMap<string, KeyRecord>;
  readonly #digest: (token: string) => string;

  private constructor(byDigest: ReadonlyMap<string, KeyRecord>, digest: (token: string) => string) {
    this.#byDigest = byDigest;
    this.#digest = digest;
  }

  /** How many keys it holds. */
  get size(): number {
    return this.#byDigest.size;
  }

  /**
   * Builds a keyring from the legacy keys and the store's entries (an entry wins a digest clash).
   * `digest` is a seam for tests that count the work per lookup.
   */
  static build(issuer: Issuer, legacy: readonly LegacyKey[], entries: readonly KeyEntry[], digest = digestToken): Keyring {
    const map = new Map<string, KeyRecord>();
    for (const k of legacy) {
      const key = k.token !== undefined ? digest(k.token) : digestKey(k.digest!);
      map.set(key, record(makePrincipal(issuer, { id: k.id, name: k.id, family: 'service', scopes: ['*'] }), undefined, undefined));
    }
    for (const e of entries) {
      const principal = makePrincipal(issuer, {
        id: e.id,
        name: e.name,
        family: e.family,
        scopes: e.scopes,
        expiresAt: e.expires_at,
        agentId: e.agent_id,
        environment: e.environment,
      });
      map.set(digestKey(e.digest), record(principal, e.expires_at, e.revoked_at));
    }
    return new Keyring(map, digest);
  }

  /** @param token - the presented token @returns its key, or undefined */
  find(token: string): KeyRecord | undefined {
    return this.#byDigest.get(this.#digest(token));
  }

  /** What differs from `before`, by id. */
  changesSince(before: Keyring): KeyringChange {
    const index = (k: Keyring): Map<string, string> => new Map([...k.#byDigest.values()].map((r) => [r.principal.id, r.signature]));
    const [a, b] = [index(before), index(this)];
    return Object.freeze({
      added: [...b.keys()].filter((id) => !a.has(id)),
      removed: [...a.keys()].filter((id) => !b.has(id)),
      changed: [...b.keys()].filter((id) => a.has(id) && a.get(id) !== b.get(id)),
      size: this.size,
    });
  }
}

function record(principal: BearerAuth, expiresAt: string | undefined, revokedAt: string | undefined): KeyRecord {
  const expiresAtMs = expiresAt === undefined ? Infinity : Date.parse(expiresAt);
  const revokedAtMs = revokedAt === undefined ? Infinity : Date.parse(revokedAt);
  return Object.freeze({
    principal,
    allow: Object.freeze({ principal }),
    family: principal.family,
    environment: principal.environment,
    expiresAtMs,
    revokedAtMs,
    deadline: Math.min(expiresAtMs, revokedAtMs),
    signature: JSON.stringify([principal, revokedAt ?? null]),
  });
}
