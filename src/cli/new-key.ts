// Minting a key (token, unique id, digest, hint) and printing it once, for `keys create` and `keys rotate`.
import { formatDigest } from '../keys/digest.js';
import { toIsoUtc } from '../keys/duration.js';
import { generateKey, generateKeyId, keyHint } from '../keys/format.js';
import type { KeyEntry, KeyFamily } from '../keys/types.js';
import type { CliContext } from './context.js';

/** What a new key copies or is given; the rest is generated. */
export interface NewKeyFields {
  readonly name: string;
  readonly family: KeyFamily;
  readonly scopes: readonly string[];
  readonly expires_at?: string | undefined;
  readonly environment?: string | undefined;
  readonly agent_id?: string | undefined;
}

/**
 * A new entry and its token: `generateKey(family)`, an id no entry of `existing` has, the
 * token's digest and hint, and `created_at` = now.
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
  };
  return { entry, token };
}

/**
 * Prints a new token once on stdout: the token and a newline (so `TOKEN=$(...)` works), or with
 * `json` one JSON line {id,name,family,scopes,hint,created_at,expires_at,token}.
 */
export function printToken(ctx: CliContext, entry: KeyEntry, token: string, json: boolean): void {
  if (!json) {
    ctx.out(`${token}\n`);
    return;
  }
  const { id, name, family, scopes, hint, created_at } = entry;
  ctx.out(`${JSON.stringify({ id, name, family, scopes, hint, created_at, expires_at: entry.expires_at ?? null, token })}\n`);
}
