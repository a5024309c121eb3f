// bearerGuard(): deny-by-default Express middleware with an exact public-path allow-list, a live keyring and the enrollment endpoint.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BearerGuardOptions } from '../config/options.js';
import { resolveGuardOptions, type ResolvedGuardOptions } from '../config/resolve.js';
import type { KeyringChange } from '../keys/keyring.js';
import { createAuthenticator } from '../request/authenticate.js';
import { markAuthOff } from '../request/context.js';
import { createEnrollmentEndpoint } from '../request/enrollment.js';
import { setServerEnvironment } from '../request/environment-context.js';
import { createPublicMatcher, normalise, type RoutedRequest } from '../request/public-paths.js';
import { optionRangeError } from '../errors/startup.js';
import { authenticateAndSettle, failClosed } from '../request/settle.js';
import { releaseContinue } from './expect-continue.js';
import { throttleFor } from '../request/redis-throttle.js';
import { sendThrottled } from '../throttle/refuse.js';
import type { ThrottleSettings } from '../throttle/settings.js';
import type { ThrottleRedis } from '../throttle/throttle.js';

/**
 * The middleware `bearerGuard()` returns. Typed on Node's own request and response so that it
 * fits `app.use()` of Express 4 and 5 without dragging Express's types into yours.
 */
export interface BearerGuardMiddleware {
  (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void): void;
  /**
   * Re-reads the keys file (or key store) and the token file now, and swaps the keyring in whole.
   * A file that fails validation keeps the previous keyring in force, and the promise rejects with
   * the problem. The approval keys file is re-read too; its failure is logged, and the previous
   * approval keys stay in force.
   * @returns what changed, by key id
   */
  reload(): Promise<KeyringChange>;
  /**
   * Settles once the first keyring is in force: at once for a token or a keys file; once Redis
   * (or an async `keyStore`) has answered otherwise. Rejects with the start-up error
   * (`ERR_BEARER_GUARD_REDIS` when Redis is unreachable or holds no keyring, naming the URL
   * without its password); nobody has to await it, and requests that arrive before it wait for
   * it (then get 503 if it rejected). Await it before listening.
   */
  readonly ready: Promise<void>;
  /**
   * Stops watching the keys file and closes the key store (the Redis connections the guard
   * opened), so that nothing keeps the process alive. The promise resolves once they are closed;
   * it never rejects, and callers may ignore it.
   */
  close(): Promise<void>;
  /** The brute-force throttle in force (see the `throttle` option), or undefined when it is off. */
  readonly throttle: ThrottleSettings | undefined;
}

/**
 * Protects every route of an Express app with a bearer token or named keys, except the `public`
 * paths. Mount it before body parsers and routes. With no options, the configuration is loaded
 * from `process.argv` and `process.env` (see {@link loadAuthConfig}); with nothing configured
 * anywhere, auth is off and a warning says so. After it, `req.auth` says who is calling.
 *
 * @param options - see {@link BearerGuardOptions}; all optional
 * @returns the middleware, with `ready`, `reload()` and `close()`
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
  return createGuard(resolveGuardOptions(options, 'bearerGuard'));
}

/**
 * {@link bearerGuard} on resolved options; with `throttleRedis`, the throttle (when on) counts
 * and blocks through that Redis, shared by every replica.
 * @internal
 */
export function createGuard(o: ResolvedGuardOptions, throttleRedis?: ThrottleRedis): BearerGuardMiddleware {
  const auth = createAuthenticator(o);
  const isPublic = createPublicMatcher(o.public, o.publicRootOnly);
  const env = auth.environment;
  if (auth.enrollmentPath !== undefined && o.public.some((p) => normalise(p, false, false) === normalise(auth.enrollmentPath!, false, false))) {
    void auth.close();
    throw optionRangeError('ERR_BEARER_GUARD_INVALID_OPTION', `${o.fn}: the enrollment path is also a public path; remove it from \`public\``);
  }
  const throttle = throttleFor(o, auth, throttleRedis);
  const enrollment = auth.enrollmentPath === undefined ? undefined : createEnrollmentEndpoint(auth, auth.enrollmentPath, throttle);
  const controls = {
    reload: auth.reload,
    ready: auth.ready,
    close: (): Promise<void> => {
      throttle?.close();
      return auth.close();
    },
    throttle: throttle?.settings,
  };

  if (auth.mode === 'off') {
    return Object.assign(function bearerGuardMiddleware(req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) {
      markAuthOff(req, auth.issuer);
      if (env !== undefined) setServerEnvironment(req, env);
      releaseContinue(req, res);
      next();
    }, controls);
  }
  return Object.assign(function bearerGuardMiddleware(req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) {
    let open: boolean;
    let blockedMs = 0;
    try {
      // The enrollment endpoint is answered here: an enrollment token never reaches the app.
      if (enrollment?.matches(req as RoutedRequest) === true) {
        blockedMs = throttle === undefined ? 0 : throttle.blockedFor(req);
        if (blockedMs > 0) sendThrottled(auth.audit, req, res, blockedMs);
        else enrollment.handle(req, res);
        return;
      }
      open = isPublic(req as RoutedRequest);
      // A blocked client IP is refused before its token is even read: a right guess gets 429 too.
      if (!open && throttle !== undefined) blockedMs = throttle.blockedFor(req);
    } catch (err) {
      // A request whose path cannot even be read is settled like any failed check: 500.
      failClosed(auth, req, res, err);
      return;
    }
    if (open) {
      if (env !== undefined) setServerEnvironment(req, env);
      releaseContinue(req, res);
      next();
      return;
    }
    if (blockedMs > 0) {
      sendThrottled(auth.audit, req, res, blockedMs);
      return;
    }
    authenticateAndSettle(auth, req, res, next as () => void, undefined, throttle);
  }, controls);
}
