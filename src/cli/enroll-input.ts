// Checks of what `keys create` is given for an enrollment token (--family enroll) and for a key's --environment.
import type { Command } from 'commander';
import { isEnvironmentName, ENVIRONMENT_RULE } from '../config/environment-rules.js';
import { toIsoUtc } from '../keys/duration.js';
import { MAX_USES } from '../keys/family-rules.js';
import { ENROLL_SCOPE, MAX_ENROLL_LIFETIME_MS, type KeyFamily } from '../keys/types.js';
import type { NewKeyFields } from '../keys/mint.js';
import { usageError } from './errors.js';
import { checkExpires, checkScopes } from './key-input.js';

/** The options of `keys create` these checks read. */
export interface FamilyOptions {
  family: KeyFamily;
  scope: string[];
  grantScope: string[];
  environment?: string;
  uses?: string;
  expires?: string;
}

/**
 * The family-dependent fields of a new key. An enrollment token needs `--environment` and at
 * least one `--grant-scope`, takes no `--scope` (its one scope is `agent:enroll`), expires in 1 h
 * unless `--expires` says otherwise (at most 24 h), and allows `--uses` enrollments (default 1).
 * Other families take `--scope` and an optional `--environment`, but not the enrollment options.
 * @throws CliError (usage) naming the option at fault
 */
export function familyFields(cmd: Command, opts: FamilyOptions, now: number): Omit<NewKeyFields, 'name' | 'family'> {
  if (opts.environment !== undefined && !isEnvironmentName(opts.environment)) throw usageError(cmd, `--environment must be ${ENVIRONMENT_RULE}`);
  if (opts.family !== 'enroll') {
    if (opts.grantScope.length > 0 || opts.uses !== undefined) throw usageError(cmd, '--grant-scope and --uses are only for enrollment tokens (--family enroll)');
    return {
      scopes: checkScopes(cmd, opts.scope),
      environment: opts.environment,
      expires_at: opts.expires === undefined ? undefined : toIsoUtc(checkExpires(cmd, opts.expires, now)),
    };
  }
  if (opts.scope.length > 0) throw usageError(cmd, `an enrollment token holds no scopes but ${ENROLL_SCOPE}; give the agents' scopes with --grant-scope`);
  if (opts.environment === undefined) throw usageError(cmd, 'an enrollment token is bound to one environment: add --environment NAME (e.g. --environment prod)');
  if (opts.grantScope.length === 0) throw usageError(cmd, 'add --grant-scope SCOPE (repeatable): the scopes each enrolled agent gets, e.g. --grant-scope models:predict');
  const grant = checkScopes(cmd, opts.grantScope);
  const uses = opts.uses === undefined ? 1 : /^[1-9][0-9]{0,4}$/.test(opts.uses) ? Number(opts.uses) : NaN;
  if (!(uses >= 1 && uses <= MAX_USES)) throw usageError(cmd, `--uses must be an integer from 1 to ${MAX_USES}`);
  const expires = checkExpires(cmd, opts.expires ?? '1h', now);
  if (expires - now > MAX_ENROLL_LIFETIME_MS) throw usageError(cmd, '--expires: an enrollment token lives at most 24h; create a new one when it runs out');
  return { scopes: [ENROLL_SCOPE], environment: opts.environment, expires_at: toIsoUtc(expires), grant_scopes: grant, uses };
}
