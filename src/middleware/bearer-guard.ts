// bearerGuard(): deny-by-default Express middleware with an exact public-path allow-list.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { releaseContinue } from './expect-continue.js';
import { DEFAULT_PUBLIC_PATHS, type BearerGuardOptions } from '../config/options.js';
import { createPublicMatcher, type RoutedRequest } from '../request/public-paths.js';
import { createRequestCheck } from '../request/authenticate.js';
import { reportInternalError } from '../safety/internal-error.js';
import { sendFailure, sendInternalError } from '../request/respond.js';
import { GUARD_KEYS, validateOptions } from '../config/validate-options.js';

/**
 * The middleware `bearerGuard()` returns. Typed on Node's own request and response so that it
 * fits `app.use()` of Express 4 and 5 without dragging Express's types into yours.
 */
export type BearerGuardMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * Protects every route of an Express app with a bearer token, except the `public` paths.
 * Mount it before body parsers and routes. With no options, the token is loaded from
 * `process.argv` and `process.env` (see {@link loadAuthConfig}); with no token anywhere, auth is
 * off and a warning says so.
 *
 * @param options - see {@link BearerGuardOptions}; all optional
 * @returns the middleware
 * @throws TypeError or RangeError for bad options, BearerGuardConfigError for bad configuration;
 *   each has an `ERR_BEARER_GUARD_*` code and names the option or source, never a token
 * @example
 * ```ts
 * import express from 'express';
 * import { bearerGuard } from 'bearer-guard';
 * const app = express();
 * app.use(bearerGuard());
 * ```
 */
export function bearerGuard(options?: BearerGuardOptions): BearerGuardMiddleware {
  // Also catches app.use(bearerGuard): Express then calls us with (req, res, next).
  const o = validateOptions(options, GUARD_KEYS);
  const check = createRequestCheck(o, 'bearerGuard');
  // The defaults name the app's own "/" and "/v2/": they open nothing under a mount path.
  const isPublic = createPublicMatcher(o.public ?? DEFAULT_PUBLIC_PATHS, o.public === undefined);
  const { logger } = check;

  if (check.authOff) {
    return function bearerGuardMiddleware(req, res, next) {
      releaseContinue(req, res);
      next();
    };
  }
  return function bearerGuardMiddleware(req, res, next) {
    let verdict;
    try {
      verdict = isPublic(req as RoutedRequest) ? 0 : check.evaluate(req);
    } catch (err) {
      reportInternalError(logger, err);
      sendInternalError(req, res);
      return;
    }
    if (typeof verdict === 'number') {
      releaseContinue(req, res);
      next();
      return;
    }
    sendFailure(req, res, verdict);
  };
}
