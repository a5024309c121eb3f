// What each family's entries must and must not hold: enrollment tokens are bound, short-lived and counted.
import { ENROLL_SCOPE, MAX_ENROLL_LIFETIME_MS, type KeyEntry } from './types.js';

/** The most enrollments one enrollment token may allow. @internal */
export const MAX_USES = 10_000;

/** Fields only one family may hold. */
const ONLY: ReadonlyArray<readonly [keyof KeyEntry, KeyEntry['family'], string]> = [
  ['grant_scopes', 'enroll', 'an enrollment token (family enroll)'],
  ['uses', 'enroll', 'an enrollment token (family enroll)'],
  ['used', 'enroll', 'an enrollment token (family enroll)'],
  ['enrolled_by', 'agent', 'an agent key (family agent)'],
];

/**
 * Checks the rules between an entry's fields: an enrollment token has an environment, an expiry
 * at most 24 h after its creation, `grant_scopes`, `uses`, `used` <= `uses`, and the one scope
 * `agent:enroll`; the enrollment fields appear on no other family.
 *
 * @param entry - an entry whose fields each passed their own check
 * @param fail - called with the first problem found (never a value)
 * @internal
 */
export function checkFamilyFields(entry: KeyEntry, fail: (problem: string) => never): void {
  for (const [field, family, who] of ONLY) {
    if (entry[field] !== undefined && entry.family !== family) fail(`"${field}" is only for ${who}; remove it or fix "family"`);
  }
  if (entry.family !== 'enroll') return;
  for (const field of ['environment', 'expires_at', 'grant_scopes', 'uses'] as const) {
    if (entry[field] === undefined) fail(`an enrollment token needs "${field}" (create one with bearer-guard keys create --family enroll)`);
  }
  if (entry.scopes.length !== 1 || entry.scopes[0] !== ENROLL_SCOPE) fail(`an enrollment token's "scopes" must be ["${ENROLL_SCOPE}"]; what its agents get goes in "grant_scopes"`);
  if (Date.parse(entry.expires_at!) - Date.parse(entry.created_at) > MAX_ENROLL_LIFETIME_MS) fail('an enrollment token must expire at most 24 h after "created_at"');
  if ((entry.used ?? 0) > entry.uses!) fail('"used" must not be more than "uses"');
}
