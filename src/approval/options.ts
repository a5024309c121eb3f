// The options of requireApproval(), checked once with fix-it messages.
import type { IncomingMessage } from 'node:http';
import { optionRangeError, optionTypeError } from '../errors/startup.js';
import { parseDuration } from '../keys/duration.js';
import type { EnvironmentPosture } from '../request/environment-context.js';
import { POSTURES } from './payload.js';
import type { ApprovalSpec } from './spec-hash.js';
import { DEFAULT_MAX_LIFETIME_S } from './verify.js';

/** Options of `requireApproval()`. */
export interface RequireApprovalOptions {
  /** The capability the approval must grant, e.g. `models:train` (matched exactly, no wildcards). */
  capability: string;
  /**
   * The spec the approval is bound to, read from the request (after body parsing): an object or
   * other JSON value is hashed as its RFC 8785 canonical JSON, a string or Buffer as its bytes.
   * A throw is a 500.
   */
  spec: (req: IncomingMessage) => ApprovalSpec | null | number | boolean;
  /**
   * Each `approval_id` is accepted once (remembered in this process until the credential expires).
   * @defaultValue `true`
   */
  once?: boolean | undefined;
  /**
   * Longest lifetime (`expires_at - issued_at`) accepted: a duration such as `"15m"` or `"24h"`,
   * or a number of seconds; at most 30 days.
   * @defaultValue `"24h"`
   */
  maxLifetime?: string | number | undefined;
  /**
   * Require the approval only when the server's environment posture is one of these (e.g.
   * `["prod"]`); elsewhere the route goes on without one, and no approval event is logged. A
   * server without a posture is in none of them.
   * @defaultValue every posture: the approval is always required
   */
  postures?: readonly EnvironmentPosture[] | undefined;
}

/** @internal */
export interface ResolvedApprovalOptions {
  readonly capability: string;
  readonly spec: RequireApprovalOptions['spec'];
  readonly once: boolean;
  readonly maxLifetimeS: number;
  /** undefined: always. */
  readonly postures: ReadonlySet<EnvironmentPosture> | undefined;
}

/** A capability: lower-case words joined by ":", as scopes are (no wildcard). */
export const CAPABILITY = /^[a-z0-9_.-]+(:[a-z0-9_.-]+)*$/;
const MAX_LIFETIME_S = 30 * 86_400;
const KNOWN = ['capability', 'spec', 'once', 'maxLifetime', 'postures'];

/** @internal */
export function resolveApprovalOptions(options: unknown): ResolvedApprovalOptions {
  const type = (message: string): never => {
    throw optionTypeError('ERR_BEARER_GUARD_INVALID_OPTION', `requireApproval: ${message}`);
  };
  const range = (message: string): never => {
    throw optionRangeError('ERR_BEARER_GUARD_INVALID_OPTION', `requireApproval: ${message}`);
  };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) type('pass the options { capability, spec }, e.g. requireApproval({ capability: "models:train", spec: (req) => req.body })');
  const o = options as Record<string, unknown>;
  const unknown = Object.keys(o).find((k) => !KNOWN.includes(k));
  if (unknown !== undefined) type(`unknown option${/^[A-Za-z]{1,32}$/.test(unknown) ? ` \`${unknown}\`` : ''} (known options: ${KNOWN.join(', ')})`);
  if (typeof o.capability !== 'string') type('`capability` must be a string such as "models:train"');
  if (!CAPABILITY.test(o.capability as string)) range('`capability` is lower-case words joined by ":", such as "models:train" (allowed: a-z 0-9 _ . -; no wildcard)');
  if (typeof o.spec !== 'function') type('`spec` must be a function (req) => the spec: an object (hashed as canonical JSON), a string or a Buffer');
  if (o.once !== undefined && typeof o.once !== 'boolean') type('`once` must be true or false');
  let maxLifetimeS = DEFAULT_MAX_LIFETIME_S;
  if (typeof o.maxLifetime === 'number') maxLifetimeS = o.maxLifetime;
  else if (typeof o.maxLifetime === 'string') {
    try {
      maxLifetimeS = parseDuration(o.maxLifetime) / 1000;
    } catch (err) {
      range(`\`maxLifetime\`: ${(err as Error).message}`);
    }
  } else if (o.maxLifetime !== undefined) type('`maxLifetime` must be a duration such as "24h", or a number of seconds');
  if (!Number.isInteger(maxLifetimeS) || maxLifetimeS < 1 || maxLifetimeS > MAX_LIFETIME_S) range('`maxLifetime` must be from 1 second to 30 days');
  const p = o.postures;
  if (p !== undefined && !(Array.isArray(p) && p.length > 0 && p.every((x) => POSTURES.includes(x as EnvironmentPosture)))) {
    range('`postures` must be a non-empty array of "dev", "staging" and "prod", e.g. ["prod"]');
  }
  const postures = p === undefined ? undefined : new Set(p as EnvironmentPosture[]);
  return Object.freeze({ capability: o.capability as string, spec: o.spec as RequireApprovalOptions['spec'], once: o.once !== false, maxLifetimeS, postures });
}
