// Minting a key: a new token, an id no other entry has, its digest and hint; used by the CLI and by enrollment.
import { formatDigest } from './digest.js';
import { toIsoUtc } from './duration.js';
import { generateKey, generateKeyId, keyHint } from './format.js';
import type { KeyEntry, KeyFamily } from './types.js';

/** What a new key copies or is given; the rest is generated. @internal */
export interface NewKeyFields {
  readonly name: string;
  readonly family: KeyFamily;
  readonly scopes: readonly string[];
  readonly expires_at?: string | undefined;
  readonly environment?: string | undefined;
  readonly agent_id?: string | undefined;
  readonly enrolled_by?: string | undefined;
  readonly grant_scopes?: readonly string[] | undefined;
  readonly uses?: number | undefined;
}

/**
 * A new entry and its token: `generateKey(family)`, an id no entry of `existing` has, the
 * token's digest and hint, and `created_at` = now. Optional fields are set only when given.
 * @internal
 */
export function mintKey(existing: readonly KeyEntry[], fields: NewKeyFields, now: number): { entry: KeyEntry; token: string } {
  const ids = new Set(existing.map((e) => e.id));
  let id = generateKeyId();
  while (ids.has(id)) id = generateKeyId();
  const token = generateKey(fields.family);
  const entry: KeyEntry = {
    id,
    name: fields.name,
    family: fields.family,
    scopes: [...fields.scopes],
    digest: formatDigest(token),
    hint: keyHint(token),
    created_at: toIsoUtc(now),
    ...(fields.expires_at !== undefined && { expires_at: fields.expires_at }),
    ...(fields.environment !== undefined && { environment: fields.environment }),
    ...(fields.agent_id !== undefined && { agent_id: fields.agent_id }),
    ...(fields.enrolled_by !== undefined && { enrolled_by: fields.enrolled_by }),
    ...(fields.grant_scopes !== undefined && { grant_scopes: [...fields.grant_scopes] }),
    ...(fields.uses !== undefined && { uses: fields.uses, used: 0 }),
  };
  return { entry, token };
}
