// Minting a key (token, unique id, digest, hint) and printing it once, for `keys create` and `keys rotate`.
import type { KeyEntry } from '../keys/types.js';
import type { CliContext } from './context.js';

export { mintKey, type NewKeyFields } from '../keys/mint.js';

/**
 * Prints a new token once on stdout: the token and a newline (so `TOKEN=$(...)` works), or with
 * `json` one JSON line {id,name,family,scopes,hint,created_at,expires_at,token}, with environment,
 * grant_scopes and uses where the key has them.
 */
export function printToken(ctx: CliContext, entry: KeyEntry, token: string, json: boolean): void {
  if (!json) {
    ctx.out(`${token}\n`);
    return;
  }
  const { id, name, family, scopes, hint, created_at, environment, grant_scopes, uses } = entry;
  const extra = { ...(environment !== undefined && { environment }), ...(grant_scopes !== undefined && { grant_scopes }), ...(uses !== undefined && { uses }) };
  ctx.out(`${JSON.stringify({ id, name, family, scopes, hint, created_at, expires_at: entry.expires_at ?? null, ...extra, token })}\n`);
}
