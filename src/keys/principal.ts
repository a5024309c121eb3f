// The identity a request carries after the guard (`req.auth`): frozen, and never holding a token or digest.
import type { ApprovalContext } from '../approval/context.js';
import type { AuditSink } from '../audit/event.js';
import type { BearerGuardLogger } from '../config/options.js';
import type { KeyFamily } from './types.js';

/**
 * Who is calling: `req.auth` after the guard, and `req.user` from the passport strategy. It holds
 * no token and no digest, so printing or serialising it is safe.
 */
export interface BearerAuth {
  /** The key's id (`key_...`), or `token` / `token[i]` for the single configured token(s). */
  readonly id: string;
  readonly name: string;
  readonly family: KeyFamily;
  readonly scopes: readonly string[];
  /** ISO 8601 UTC, or `null` for a key that does not expire. */
  readonly expiresAt: string | null;
  readonly agentId?: string;
  readonly environment?: string;
}

/** What a `verify` callback resolves to for a token it accepts. */
export interface AuthIdentity {
  /** Defaults to `name`. */
  id?: string | undefined;
  name: string;
  /** Defaults to `service`. */
  family?: KeyFamily | undefined;
  /** Defaults to none: routes with `requireScopes` then answer 403. */
  scopes?: readonly string[] | undefined;
  /** ISO 8601; defaults to `null`. */
  expiresAt?: string | null | undefined;
}

/** What requireScopes and requireApproval need from the guard that issued a principal. @internal */
export interface Issuer {
  readonly realm: string;
  readonly audit: AuditSink | undefined;
  /** Where requireApproval reports usage problems and errors. */
  readonly logger?: BearerGuardLogger;
  /** The guard's trusted approval keys and replay store; undefined when none are configured. */
  readonly approvals?: ApprovalContext | undefined;
}

// The principals a guard issued, with their guard: requireScopes trusts only these, not any
// req.auth another middleware (express-jwt, say) may have set.
const issued = new WeakMap<BearerAuth, Issuer>();

/** Builds, freezes and registers a principal. @internal */
export function makePrincipal(issuer: Issuer, fields: {
  id: string;
  name: string;
  family: KeyFamily;
  scopes: readonly string[];
  expiresAt?: string | null | undefined;
  agentId?: string | undefined;
  environment?: string | undefined;
}): BearerAuth {
  const p: { -readonly [K in keyof BearerAuth]: BearerAuth[K] } = {
    id: fields.id,
    name: fields.name,
    family: fields.family,
    scopes: Object.freeze([...fields.scopes]),
    expiresAt: fields.expiresAt ?? null,
  };
  if (fields.agentId !== undefined) p.agentId = fields.agentId;
  if (fields.environment !== undefined) p.environment = fields.environment;
  const principal = Object.freeze(p);
  issued.set(principal, issuer);
  return principal;
}

/** The guard that issued `value`, when it is a principal a guard issued. @internal */
export function issuerOf(value: unknown): Issuer | undefined {
  return typeof value === 'object' && value !== null ? issued.get(value as BearerAuth) : undefined;
}
