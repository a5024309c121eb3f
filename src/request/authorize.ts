// Authorize: route middleware that checks the principal's scopes against the route's, answering 403 with them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { auditEvent, emit } from '../audit/event.js';
import { optionRangeError, optionTypeError } from '../errors/startup.js';
import { grantersOf, isScope } from '../keys/scopes.js';
import { prepareInsufficientScope, sendFailure, type PreparedFailure } from './respond.js';
import { callerAfterGuard } from './without-guard.js';

/** The middleware `requireScopes()` returns. */
export type RequireScopesMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * Route middleware placed after the guard: lets the request on only when `req.auth` holds every
 * one of `scopes` (`*` grants all, `models:*` every `models:` scope). Otherwise 403
 * `insufficient_scope` naming the route's scopes. Without the guard before it, it answers 500
 * and logs why: it fails closed.
 *
 * @param scopes - the scopes the route needs, e.g. `models:predict`
 * @returns the middleware
 * @throws TypeError or RangeError for a scope that is not a scope string
 * @example
 * ```ts
 * app.post('/v2/models/:name/predict', requireScopes('models:predict'), handler);
 * ```
 */
export function requireScopes(...scopes: string[]): RequireScopesMiddleware {
  if (scopes.length === 0) throw optionRangeError('ERR_BEARER_GUARD_INVALID_OPTION', 'requireScopes: name at least one scope, e.g. requireScopes("models:read")');
  for (const s of scopes) {
    if (typeof s !== 'string') throw optionTypeError('ERR_BEARER_GUARD_INVALID_OPTION', 'requireScopes: every scope must be a string such as "models:read"');
    if (!isScope(s)) throw optionRangeError('ERR_BEARER_GUARD_INVALID_OPTION', 'requireScopes: a scope is lower-case words joined by ":", such as "models:read" (allowed: a-z 0-9 _ . - and a final "*")');
  }
  // Each required scope with every scope that grants it, computed once.
  const granters = scopes.map(grantersOf);
  const scope = scopes.join(' ');
  const refusals = new Map<string, PreparedFailure>();
  const callerOf = callerAfterGuard('requireScopes()');

  return function requireScopesMiddleware(req, res, next) {
    const caller = callerOf(req, res, next);
    if (caller === undefined) return;
    const { auth, issuer: ctx } = caller;
    const held = auth.scopes;
    for (const options of granters) {
      if (!options.some((g) => held.includes(g))) {
        let refusal = refusals.get(ctx.realm);
        if (refusal === undefined) refusals.set(ctx.realm, (refusal = prepareInsufficientScope(scopes, ctx.realm)));
        if (ctx.audit !== undefined) emit(ctx.audit, auditEvent(req, 'deny', 'insufficient_scope', 403, auth, scope));
        sendFailure(req, res, refusal);
        return;
      }
    }
    next();
  };
}
