// The one ending of a guarded request, shared by the middleware and the passport strategy: audit, then admit or refuse.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { auditEvent, emit } from '../audit/event.js';
import type { BearerAuth } from '../keys/principal.js';
import { releaseContinue } from '../middleware/expect-continue.js';
import { reportInternalError } from '../safety/internal-error.js';
import type { Authenticator } from './authenticate.js';
import { setServerEnvironment } from './environment-context.js';
import type { Outcome } from './outcome.js';
import type { Throttle } from '../throttle/throttle.js';
import { countsAsGuess } from '../throttle/refuse.js';
import { sendFailure, sendInternalError } from './respond.js';

/** A request after the guard: `req.auth` is its principal. @internal */
export type AuthedRequest = IncomingMessage & { auth?: BearerAuth };

/** Without a response object (passport without req.res), refusals go to the framework. @internal */
export interface Fallback {
  refuse(challenge: string, status: number): void;
  fail(): void;
}

/**
 * Runs `authenticate`, then ends the request: an allowed principal becomes `req.auth`, a refusal
 * is answered with its prepared bytes, and an error (thrown or rejected) is a 500: fail closed.
 * Every decision goes to the audit sink, if any.
 * @internal
 */
export function authenticateAndSettle(auth: Authenticator, req: IncomingMessage, res: ServerResponse | undefined, admit: () => void, fallback?: Fallback, throttle?: Throttle): void {
  let outcome: Outcome | Promise<Outcome>;
  try {
    outcome = auth.authenticate(req);
  } catch (err) {
    failClosed(auth, req, res, err, fallback);
    return;
  }
  if (outcome instanceof Promise) {
    outcome.then(
      (o) => settle(auth, req, res, admit, fallback, o, throttle),
      (err: unknown) => failClosed(auth, req, res, err, fallback),
    );
    return;
  }
  settle(auth, req, res, admit, fallback, outcome, throttle);
}

function settle(auth: Authenticator, req: IncomingMessage, res: ServerResponse | undefined, admit: () => void, fallback: Fallback | undefined, outcome: Outcome, throttle: Throttle | undefined): void {
  const { audit } = auth;
  if (outcome.failure === undefined) {
    if (audit !== undefined) emit(audit, auditEvent(req, 'allow', 'ok', 200, outcome.principal));
    (req as AuthedRequest).auth = outcome.principal;
    if (auth.environment !== undefined) setServerEnvironment(req, auth.environment);
    if (res !== undefined) releaseContinue(req, res);
    admit();
    return;
  }
  const f = outcome.failure;
  if (audit !== undefined) emit(audit, auditEvent(req, 'deny', f.reason, f.status, outcome.principal));
  if (throttle !== undefined && countsAsGuess(f)) throttle.failed(req);
  if (res !== undefined) sendFailure(req, res, f);
  else if (f.challenge !== undefined) fallback?.refuse(f.challenge, f.status);
  else fallback?.fail();
}

/**
 * Ends a request whose check threw: reported without the error's message, audited as
 * `internal_error`, answered 500. Never a pass.
 * @internal
 */
export function failClosed(auth: Authenticator, req: IncomingMessage, res: ServerResponse | undefined, err: unknown, fallback?: Fallback): void {
  reportInternalError(auth.logger, err);
  if (auth.audit !== undefined) {
    try {
      emit(auth.audit, auditEvent(req, 'deny', 'internal_error', 500));
    } catch {
      // Building the event read the request, which already failed once: say nothing more.
    }
  }
  if (res !== undefined) sendInternalError(req, res);
  else fallback?.fail();
}
