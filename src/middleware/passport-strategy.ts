// createBearerStrategy(): the same check as a passport strategy, for apps already on passport.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Strategy as HttpBearerStrategy } from 'passport-http-bearer';
import type { BearerCheckOptions } from '../config/options.js';
import { resolveCheckOptions } from '../config/resolve.js';
import type { KeyringChange } from '../keys/keyring.js';
import type { BearerAuth } from '../keys/principal.js';
import { createAuthenticator, type Authenticator } from '../request/authenticate.js';
import { markAuthOff } from '../request/context.js';
import { authenticateAndSettle, type AuthedRequest } from '../request/settle.js';
import { releaseContinue } from './expect-continue.js';
import { optionRangeError } from '../errors/startup.js';
import { throttleFor } from '../request/redis-throttle.js';
import { sendThrottled } from '../throttle/refuse.js';
import type { Throttle } from '../throttle/throttle.js';

/** What the strategy hands to passport as `req.user` on success: the same object as `req.auth`. */
export type BearerIdentity = BearerAuth;

/**
 * The strategy `createBearerStrategy()` returns: a passport strategy named `bearer`.
 * Typed structurally so that passport's types stay out of yours.
 */
export interface BearerGuardStrategy {
  readonly name: string;
  authenticate(req: IncomingMessage, options?: unknown): void;
  /** Re-reads the keys file (or key store) now; see `BearerGuardMiddleware.reload`. */
  reload(): Promise<KeyringChange>;
  /** Settles once the first keyring is in force; see `BearerGuardMiddleware.ready`. */
  readonly ready: Promise<void>;
  /** Stops watching the keys file and closes the key store; see `BearerGuardMiddleware.close`. */
  close(): Promise<void>;
}

// passport fills these in on a per-request copy of the strategy.
interface PassportActions {
  success(user: BearerIdentity, info?: unknown): void;
  fail(challenge: string | number, status?: number): void;
  pass(): void;
  error(err: Error): void;
}

/**
 * Builds a passport-http-bearer strategy that accepts the same tokens with the same header
 * rules as {@link bearerGuard}, and refuses with the same 401 JSON bodies and challenges.
 * Use it with `session: false`. Query-string and body tokens are ignored.
 *
 * @param options - the same token sources as `bearerGuard()` (no `public`: route choice is yours)
 * @returns a strategy for `passport.use()` or `passport.authenticate(strategy, ...)`
 * @throws the same start-up errors as `bearerGuard()`
 * @example
 * ```ts
 * const passport = new Passport();
 * app.get('/v2/models/', passport.authenticate(createBearerStrategy(), { session: false }), handler);
 * ```
 */
export function createBearerStrategy(options?: BearerCheckOptions): BearerGuardStrategy {
  const o = resolveCheckOptions(options, 'createBearerStrategy');
  const auth = createAuthenticator(o);
  if (auth.enrollmentPath !== undefined) {
    void auth.close();
    throw optionRangeError('ERR_BEARER_GUARD_ENROLLMENT', 'createBearerStrategy: an enrollment path is configured, but only bearerGuard() answers the enrollment endpoint; mount bearerGuard() or remove the path');
  }
  return new GuardStrategy(auth, throttleFor(o, auth));
}

// passport-http-bearer's verify callback; never called, since authenticate() is replaced.
const unusedVerify = (_token: string, done: (error: unknown, user?: unknown) => void): void => done(null, false);

class GuardStrategy extends HttpBearerStrategy<typeof unusedVerify> implements BearerGuardStrategy {
  declare private readonly auth: Authenticator;
  declare private readonly throttle: Throttle | undefined;

  constructor(auth: Authenticator, throttle: Throttle | undefined) {
    // passport-http-bearer's own header parsing and verify callback are bypassed by authenticate().
    super(unusedVerify);
    // Not a #private field: passport calls authenticate() on Object.create(strategy), which has
    // no private slots. Non-enumerable keeps inspection short (it holds digests, never tokens).
    Object.defineProperty(this, 'auth', { value: auth, enumerable: false });
    Object.defineProperty(this, 'throttle', { value: throttle, enumerable: false });
  }

  reload(): Promise<KeyringChange> {
    return this.auth.reload();
  }

  get ready(): Promise<void> {
    return this.auth.ready;
  }

  close(): Promise<void> {
    this.throttle?.close();
    return this.auth.close();
  }

  override authenticate(this: GuardStrategy & PassportActions, req: IncomingMessage & { res?: ServerResponse | undefined }): void {
    if (this.auth.mode === 'off') {
      markAuthOff(req, this.auth.issuer);
      if (req.res) releaseContinue(req, req.res);
      this.pass();
      return;
    }
    // A blocked client IP gets 429 before its token is read, as with bearerGuard.
    const blockedMs = this.throttle === undefined ? 0 : this.throttle.blockedFor(req);
    if (blockedMs > 0) {
      if (req.res) sendThrottled(this.auth.audit, req, req.res, blockedMs);
      else this.fail(429);
      return;
    }
    // Answers refusals like bearerGuard (JSON body) rather than passport's text "Unauthorized".
    authenticateAndSettle(this.auth, req, req.res, () => this.success((req as AuthedRequest).auth!), {
      refuse: (challenge, status) => this.fail(challenge, status),
      fail: () => this.error(new Error('bearer-guard: error inside the token check')),
    }, this.throttle);
  }
}
