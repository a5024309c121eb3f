// requireApproval(): route middleware that lets a governed action through only with a valid approval credential.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { emit, type AuditReason } from '../audit/event.js';
import type { BearerGuardLogger } from '../config/options.js';
import { issuerOf, type Issuer } from '../keys/principal.js';
import { authOffIssuer } from '../request/context.js';
import { serverEnvironmentOf, type EnvironmentPosture } from '../request/environment-context.js';
import { sendInternalError, sendJsonRefusal } from '../request/respond.js';
import type { AuthedRequest } from '../request/settle.js';
import { reportInternalError } from '../safety/internal-error.js';
import { approvalEvent } from './audit.js';
import { resolveApprovalOptions, type RequireApprovalOptions } from './options.js';
import { approvalInvalidBody, approvalRequiredBody } from './responses.js';
import { specHash } from './spec-hash.js';
import { CLOCK_SKEW_S, verifyApproval, type ApprovalReason, type ApprovalVerdict } from './verify.js';

/** The middleware `requireApproval()` returns. */
export type RequireApprovalMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

const NO_GUARD = 'bearer-guard: requireApproval() ran without bearerGuard() (or createBearerStrategy()) before it; mount the guard before the routes. Requests are refused with 500.';
const NO_KEYS = 'bearer-guard: requireApproval() ran, but the guard has no approval keys; set --auth-approval-keys-file <jwks>, env AUTH_APPROVAL_KEYS_FILE, auth_approval_keys_file in the config file, or the approvalKeys option. Requests are refused with 500.';
const NO_ENV = 'bearer-guard: requireApproval() ran, but the guard has no environment name and posture to check approvals against; set --auth-environment and --auth-environment-posture. Requests are refused with 500.';

/**
 * Route middleware placed after the guard, its scopes and the body parser: lets the request on
 * only with an `Approval-Credential` header holding an approval signed by a trusted approver key
 * for this server's environment, this request's spec and `capability`. It never replaces the
 * bearer key. Refusals are 403 with `Cache-Control: no-store`; every decision is an audit event.
 * Without the guard, approval keys or the server's environment it answers 500 and logs why once:
 * it fails closed.
 *
 * @param options - see {@link RequireApprovalOptions}
 * @returns the middleware
 * @throws TypeError or RangeError for bad options
 * @example
 * ```ts
 * app.post('/v2/models/:name/train', requireScopes('models:train'), express.json(),
 *   requireApproval({ capability: 'models:train', spec: (req) => req.body ?? {} }), handler);
 * ```
 */
export function requireApproval(options: RequireApprovalOptions): RequireApprovalMiddleware {
  const { capability, spec, once, maxLifetimeS, postures } = resolveApprovalOptions(options);
  const required = approvalRequiredBody(capability);
  const warned = new Set<string>();
  const warnOnce = (logger: BearerGuardLogger, line: string): void => {
    if (warned.has(line)) return;
    warned.add(line);
    try {
      logger.warn(line);
    } catch {
      // A failing logger must not change the refusal.
    }
  };

  return function requireApprovalMiddleware(req, res, next) {
    const auth = (req as AuthedRequest).auth;
    const issued = issuerOf(auth);
    const issuer: Issuer | undefined = issued ?? authOffIssuer(req);
    if (issuer === undefined) {
      warnOnce(console, NO_GUARD);
      sendInternalError(req, res);
      return;
    }
    // Not governed in this posture: no approval decision to make.
    if (postures !== undefined && !postures.has(serverEnvironmentOf(req)?.posture as EnvironmentPosture)) {
      next();
      return;
    }
    const principal = issued === undefined ? undefined : auth;
    const logger = issuer.logger ?? console;
    // Audits the decision, then answers it; next() runs outside every try, so a route's own error stays its own.
    const decide = (reason: AuditReason, status: number, verdict?: ApprovalVerdict): void => {
      if (issuer.audit !== undefined) emit(issuer.audit, approvalEvent(req, status === 200 ? 'allow' : 'deny', reason, status, principal, capability, verdict));
      if (status === 200) next();
      else if (status === 500) sendInternalError(req, res);
      else sendJsonRefusal(req, res, status, reason === 'approval_required' ? required : approvalInvalidBody(reason as ApprovalReason));
    };
    const failClosed = (err: unknown): void => {
      reportInternalError(logger, err);
      decide('internal_error', 500);
    };
    let decision: [AuditReason, number, ApprovalVerdict?] | Promise<[AuditReason, number, ApprovalVerdict?]>;
    try {
      decision = check(req, issuer, logger);
    } catch (err) {
      failClosed(err);
      return;
    }
    if (Array.isArray(decision)) decide(...decision);
    else decision.then((d) => decide(...d), failClosed);
  };

  // The decision for one request: [audit reason, status, verdict], or its promise when the replay store is async.
  function check(req: IncomingMessage, issuer: Issuer, logger: BearerGuardLogger): [AuditReason, number, ApprovalVerdict?] | Promise<[AuditReason, number, ApprovalVerdict?]> {
    const approvals = issuer.approvals;
    if (approvals === undefined) {
      warnOnce(logger, NO_KEYS);
      return ['internal_error', 500];
    }
    const environment = serverEnvironmentOf(req);
    if (environment?.name === undefined || environment.posture === undefined) {
      warnOnce(logger, NO_ENV);
      return ['internal_error', 500];
    }
    const header = req.headers['approval-credential'];
    if (header === undefined || header === '') return ['approval_required', 403];
    // Node joins a repeated header with ", ", which no credential contains: it is malformed.
    const credential = typeof header === 'string' ? header : '';
    const hash = specHash(spec(req));
    const verdict = verifyApproval(credential, { keys: approvals.keys.current(), specHash: hash, environment, capability, nowMs: Date.now(), maxLifetimeS });
    if (!verdict.ok) return [verdict.reason, 403, verdict];
    if (!once) return ['ok', 200, verdict];
    const fresh = approvals.replay.claim(verdict.payload.approval_id, (verdict.payload.expires_at + CLOCK_SKEW_S) * 1000);
    const judge = (isNew: boolean): [AuditReason, number, ApprovalVerdict] => (isNew ? ['ok', 200, verdict] : ['replayed', 403, verdict]);
    return typeof fresh === 'boolean' ? judge(fresh) : Promise.resolve(fresh).then(judge);
  }
}
