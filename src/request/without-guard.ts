// Route middleware after the guard: the caller it admitted, or, reached without a guard, one warning and 500 (fail closed).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { issuerOf, type BearerAuth, type Issuer } from '../keys/principal.js';
import { isAuthOff } from './context.js';
import { sendInternalError } from './respond.js';
import type { AuthedRequest } from './settle.js';

/**
 * The refusal of route middleware (`requireScopes`, `requireFamily`, `whoami`) that finds no
 * principal of a guard on the request: a 500, and once per middleware a console warning naming it.
 * @param fn - the middleware's name as users write it, e.g. `requireScopes()`
 * @param fix - what to do, e.g. `mount the guard before the routes`
 * @internal
 */
export function refuseWithoutGuard(fn: string, fix: string): (req: IncomingMessage, res: ServerResponse) => void {
  let warned = false;
  return (req, res) => {
    if (!warned) {
      warned = true;
      try {
        console.warn(`bearer-guard: ${fn} ran without bearerGuard() (or createBearerStrategy()) before it${fix}. Requests are refused with 500.`);
      } catch {
        // A failing console must not change the refusal.
      }
    }
    sendInternalError(req, res);
  };
}

/** The caller that route middleware after the guard works on. @internal */
export interface GuardedCaller {
  readonly auth: BearerAuth;
  readonly issuer: Issuer;
}

/**
 * The opening of route middleware placed after the guard (`requireScopes`, `requireFamily`):
 * the caller, or `undefined` once the request is settled, passed on when the guard had auth off
 * (`next()`), else refused with 500 since no guard ran before it.
 * @param fn - the middleware's name as users write it, e.g. `requireScopes()`
 * @internal
 */
export function callerAfterGuard(fn: string): (req: IncomingMessage, res: ServerResponse, next: () => void) => GuardedCaller | undefined {
  const unguarded = refuseWithoutGuard(fn, '; mount the guard before the routes');
  return (req, res, next) => {
    const auth = (req as AuthedRequest).auth;
    const issuer = issuerOf(auth);
    if (auth !== undefined && issuer !== undefined) return { auth, issuer };
    if (isAuthOff(req)) next();
    else unguarded(req, res);
    return undefined;
  };
}
