// The enrollment endpoint, answered by the guard itself: an enrollment token in, a new agent key out (201), never the app.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { auditEvent, emit, type AuditReason } from '../audit/event.js';
import type { BearerAuth } from '../keys/principal.js';
import { ENROLL_SCOPE } from '../keys/types.js';
import { releaseContinue } from '../middleware/expect-continue.js';
import type { Authenticator } from './authenticate.js';
import { readEnrollmentBody } from './enrollment-body.js';
import { BODY_TOO_LARGE, INVALID_BODY, METHOD_NOT_ALLOWED, prepareEnrollmentFailures, sendEnrolled, sendPlain, type PlainAnswer } from './enrollment-respond.js';
import type { Outcome } from './outcome.js';
import { createPublicMatcher, type RoutedRequest } from './public-paths.js';
import { sendFailure } from './respond.js';
import { failClosed } from './settle.js';
import { countsAsGuess } from '../throttle/refuse.js';
import type { Throttle } from '../throttle/throttle.js';

/** The endpoint: whether a request is for it, and its handler. @internal */
export interface EnrollmentEndpoint {
  matches(req: RoutedRequest): boolean;
  handle(req: IncomingMessage, res: ServerResponse): void;
}

/**
 * Builds the endpoint at `path` (matched like a public path). POST only; the token must be a
 * valid enrollment token bound to this server's environment; the body is read (at most 1 KiB)
 * only after that; then the store consumes one use and adds the agent key atomically, the
 * keyring is reloaded so the key works at once, and the key is answered with 201. A 401 counts
 * as a failed attempt for the `throttle`, if any.
 * @internal
 */
export function createEnrollmentEndpoint(auth: Authenticator, path: string, throttle?: Throttle): EnrollmentEndpoint {
  const matches = createPublicMatcher([path]);
  const failures = prepareEnrollmentFailures(auth.realm);
  const enroll = auth.enroll!;
  const audit = (req: IncomingMessage, outcome: 'allow' | 'deny', reason: AuditReason, status: number, principal?: BearerAuth, scope?: string, enrolled?: { agentId: string; keyId: string }): void => {
    if (auth.audit !== undefined) emit(auth.audit, auditEvent(req, outcome, reason, status, principal, scope, enrolled));
  };
  const plain = (req: IncomingMessage, res: ServerResponse, answer: PlainAnswer, reason: AuditReason, principal?: BearerAuth): void => {
    audit(req, 'deny', reason, answer.status, principal);
    sendPlain(res, answer);
  };

  const proceed = async (req: IncomingMessage, res: ServerResponse, outcome: Outcome): Promise<void> => {
    if (outcome.failure !== undefined) {
      audit(req, 'deny', outcome.failure.reason, outcome.failure.status, outcome.principal);
      if (throttle !== undefined && countsAsGuess(outcome.failure)) throttle.failed(req);
      sendFailure(req, res, outcome.failure);
      return;
    }
    const principal = outcome.principal;
    if (principal.family !== 'enroll') {
      audit(req, 'deny', 'insufficient_scope', 403, principal, ENROLL_SCOPE);
      sendFailure(req, res, failures.notEnrollToken);
      return;
    }
    releaseContinue(req, res);
    const body = await readEnrollmentBody(req);
    if (body.problem !== undefined) {
      return body.problem === 'too_large' ? plain(req, res, BODY_TOO_LARGE, 'body_too_large', principal) : plain(req, res, INVALID_BODY, 'invalid_body', principal);
    }
    // A client gone by now would never see its key: leave the token's use for its retry.
    if (res.destroyed || req.socket.destroyed) return;
    const result = await enroll({ tokenId: principal.id, name: body.name, environment: auth.environment?.name, now: Date.now() });
    if (!result.ok) {
      const failure = failures.refused[result.reason];
      audit(req, 'deny', failure.reason, failure.status, principal);
      sendFailure(req, res, failure);
      return;
    }
    // The key is in the store now: it is answered even if this reload fails (the watcher retries).
    await auth.reload().catch(() => undefined);
    audit(req, 'allow', 'enrolled', 201, principal, undefined, { agentId: result.entry.agent_id!, keyId: result.entry.id });
    sendEnrolled(res, result.entry, result.token);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'POST') return plain(req, res, METHOD_NOT_ALLOWED, 'method_not_allowed');
    const fail = (err: unknown): void => failClosed(auth, req, res, err);
    try {
      const outcome = auth.authenticate(req, true);
      const run = outcome instanceof Promise ? outcome.then((o) => proceed(req, res, o)) : proceed(req, res, outcome);
      run.catch(fail);
    } catch (err) {
      fail(err);
    }
  };
  return { matches, handle };
}
