// The throttle on the request path: which refusals count as guesses, and the 429 for a blocked IP.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { auditEvent, emit, type AuditSink } from '../audit/event.js';
import { sendJsonRefusal, type PreparedFailure } from '../request/respond.js';

const BODY = Buffer.from(JSON.stringify({ detail: 'Too many failed attempts', error: 'rate_limited' }));

/**
 * Whether a refusal is a failed guess: a 401 for a token that was presented (wrong, malformed,
 * unknown, expired, revoked, of another family or environment). A request without credentials,
 * a 400 and a 403 (a valid key without the scope) are not.
 * @internal
 */
export function countsAsGuess(failure: PreparedFailure): boolean {
  return failure.status === 401 && failure.reason !== 'missing_token';
}

/**
 * Answers 429 `rate_limited` for a blocked client IP, with `Retry-After` (the whole seconds left
 * in the block) and no-store, and audits it as `throttled`.
 * @param msLeft - what `Throttle.blockedFor()` said (more than 0)
 * @internal
 */
export function sendThrottled(audit: AuditSink | undefined, req: IncomingMessage, res: ServerResponse, msLeft: number): void {
  if (audit !== undefined) emit(audit, auditEvent(req, 'deny', 'throttled', 429));
  if (!res.headersSent) res.setHeader('Retry-After', String(Math.ceil(msLeft / 1000)));
  sendJsonRefusal(req, res, 429, BODY);
}
