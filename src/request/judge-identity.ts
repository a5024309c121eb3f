// An identity from verify() goes through the same expiry and family rules as a key.
import { makePrincipal, type AuthIdentity, type Issuer } from '../keys/principal.js';
import { KEY_FAMILIES, type KeyFamily } from '../keys/types.js';
import type { Outcome } from './outcome.js';
import type { PreparedFailures } from './respond.js';

/** The outcome for an identity that verify() resolved to: expired, wrong family, or allowed. @internal */
export function judgeIdentity(issuer: Issuer, identity: AuthIdentity, families: ReadonlySet<KeyFamily>, failures: PreparedFailures): Outcome {
  if (typeof identity !== 'object' || typeof identity.name !== 'string') throw new TypeError('verify() resolved to something that is not an identity');
  const family = identity.family ?? 'service';
  if (!KEY_FAMILIES.includes(family)) throw new TypeError('verify() resolved to an identity with an unknown family');
  const principal = makePrincipal(issuer, {
    id: identity.id ?? identity.name,
    name: identity.name,
    family,
    scopes: identity.scopes ?? [],
    expiresAt: identity.expiresAt ?? null,
  });
  if (identity.expiresAt !== undefined && identity.expiresAt !== null) {
    const at = Date.parse(identity.expiresAt);
    if (Number.isNaN(at)) throw new TypeError('verify() resolved to an identity whose expiresAt is not a date');
    if (Date.now() >= at) return { failure: failures.expired, principal };
  }
  return families.has(family) ? { principal } : { failure: failures.wrongFamily, principal };
}
