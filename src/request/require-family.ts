// requireFamily(): route middleware that lets only keys of the named families through, answering 403 otherwise.
import { auditEvent, emit } from '../audit/event.js';
import { FamilyNotAllowedError } from '../errors/refusals.js';
import { optionRangeError, optionTypeError } from '../errors/startup.js';
import { KEY_FAMILIES, type KeyFamily } from '../keys/types.js';
import type { RequireScopesMiddleware } from './authorize.js';
import { prepare, sendFailure, type PreparedFailure } from './respond.js';
import { callerAfterGuard } from './without-guard.js';

/**
 * Route middleware placed after the guard, like `requireScopes`: lets the request on only when
 * `req.auth` is a key of one of `families`. Otherwise 403 `insufficient_scope` with a detail
 * naming them (`{"detail":"Requires a key of family user","error":"insufficient_scope"}`), audit reason
 * `wrong_family`. Without the guard before it, it answers 500: it fails closed.
 *
 * @param families - the families the route takes: `user`, `service` or `agent`
 * @returns the middleware
 * @throws TypeError or RangeError for no family, an unknown family, or `enroll`
 * @example
 * ```ts
 * // Only people may delete a model: a service or agent key gets 403.
 * app.delete('/v2/models/:name', requireFamily('user'), handler);
 * ```
 */
export function requireFamily(...families: KeyFamily[]): RequireScopesMiddleware {
  if (families.length === 0) throw optionRangeError('ERR_BEARER_GUARD_INVALID_OPTION', 'requireFamily: name at least one family, e.g. requireFamily("user")');
  for (const f of families) {
    if (typeof f !== 'string') throw optionTypeError('ERR_BEARER_GUARD_INVALID_OPTION', 'requireFamily: every family must be a string: user, service or agent');
    if (f === 'enroll') throw optionRangeError('ERR_BEARER_GUARD_INVALID_OPTION', 'requireFamily: "enroll" tokens never reach a route (only the enrollment endpoint takes them)');
    if (!KEY_FAMILIES.includes(f)) throw optionRangeError('ERR_BEARER_GUARD_INVALID_OPTION', 'requireFamily: a family is user, service or agent');
  }
  const allowed = new Set<string>(families);
  const error = new FamilyNotAllowedError([...allowed]);
  const refusals = new Map<string, PreparedFailure>();
  const callerOf = callerAfterGuard('requireFamily()');

  return function requireFamilyMiddleware(req, res, next) {
    const caller = callerOf(req, res, next);
    if (caller === undefined) return;
    const { auth, issuer: ctx } = caller;
    if (allowed.has(auth.family)) return next();
    let refusal = refusals.get(ctx.realm);
    if (refusal === undefined) refusals.set(ctx.realm, (refusal = prepare(error, 'wrong_family', ctx.realm)));
    if (ctx.audit !== undefined) emit(ctx.audit, auditEvent(req, 'deny', 'wrong_family', 403, auth));
    sendFailure(req, res, refusal);
  };
}
