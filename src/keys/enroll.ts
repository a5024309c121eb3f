// Enrollment at the store level: consume one use of an enrollment token and add the agent key it creates, in one step.
import { generateAgentId } from './format.js';
import { mintKey } from './mint.js';
import type { KeyEntry } from './types.js';

/** What the guard asks a store to do for one enrollment. */
export interface EnrollRequest {
  /** The id of the enrollment token presented (the keyring found it by the token's digest). */
  readonly tokenId: string;
  /** The new agent's name; defaults to its agent id. */
  readonly name: string | undefined;
  /** The server's environment: the token must still be bound to it. */
  readonly environment: string | undefined;
  /** Epoch ms: expiry and revocation are judged at this instant, and the new key is created then. */
  readonly now: number;
}

/** Why a store refused to enroll: the token is gone, revoked, expired, used up or bound elsewhere. */
export type EnrollRefusal = 'unknown' | 'revoked' | 'expired' | 'used_up' | 'wrong_environment';

/** The outcome: the new agent key (entry and token, shown once), or why not. */
export type EnrollResult =
  | { readonly ok: true; readonly entry: KeyEntry; readonly token: string }
  | { readonly ok: false; readonly reason: EnrollRefusal };

/**
 * The one enrollment step on a list of entries, for stores to run inside their own atomic
 * read-modify-write: checks the token again, counts one use, and appends the agent key (family
 * `agent`, the token's environment and `grant_scopes`, a new `agent_id`, `enrolled_by` the
 * token's id, no expiry).
 *
 * @param entries - every entry as the store holds it now
 * @param request - see {@link EnrollRequest}
 * @returns the entries to store (only when enrolled) and the result
 */
export function enrollInEntries(entries: readonly KeyEntry[], request: EnrollRequest): { entries?: KeyEntry[]; result: EnrollResult } {
  const refuse = (reason: EnrollRefusal): { result: EnrollResult } => ({ result: { ok: false, reason } });
  const index = entries.findIndex((e) => e.id === request.tokenId && e.family === 'enroll');
  const token = entries[index];
  if (token === undefined) return refuse('unknown');
  const { now } = request;
  if (token.revoked_at !== undefined && Date.parse(token.revoked_at) <= now) return refuse('revoked');
  if (token.expires_at !== undefined && Date.parse(token.expires_at) <= now) return refuse('expired');
  if (token.environment !== request.environment) return refuse('wrong_environment');
  const used = token.used ?? 0;
  if (token.uses === undefined || used >= token.uses) return refuse('used_up');
  const agents = new Set(entries.map((e) => e.agent_id));
  let agentId = generateAgentId();
  while (agents.has(agentId)) agentId = generateAgentId();
  const { entry, token: secret } = mintKey(entries, {
    name: request.name ?? agentId,
    family: 'agent',
    scopes: token.grant_scopes ?? [],
    environment: token.environment,
    agent_id: agentId,
    enrolled_by: token.id,
  }, now);
  const consumed: KeyEntry = { ...token, used: used + 1 };
  return { entries: [...entries.map((e, i) => (i === index ? consumed : e)), entry], result: { ok: true, entry, token: secret } };
}
