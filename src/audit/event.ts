// Audit events: one per decision on a non-public request, never holding a token, digest, header or query.
import type { IncomingMessage } from 'node:http';
import { mayContainToken } from '../safety/redact.js';
import type { BearerAuth } from '../keys/principal.js';
import type { ApprovalReason } from '../approval/verify.js';

/** Why a request was allowed or denied. */
export type AuditReason =
  | 'ok'
  | 'missing_token'
  | 'invalid_request'
  | 'invalid_token'
  | 'unknown_key'
  | 'expired'
  | 'revoked'
  | 'wrong_family'
  | 'wrong_environment'
  | 'insufficient_scope'
  | 'enrolled'
  | 'enrollment_used'
  | 'invalid_body'
  | 'body_too_large'
  | 'method_not_allowed'
  | 'internal_error'
  | 'store_unavailable'
  // The client IP is blocked by the brute-force throttle (429).
  | 'throttled'
  // Approval decisions (type "approval"): the verifier's reasons; "expired" is shared.
  | 'approval_required'
  | ApprovalReason;

/** One decision. Field names are snake_case, as log pipelines expect. */
export interface AuditEvent {
  /** `auth` for the bearer key (the guard, requireScopes); `approval` for requireApproval. */
  readonly type: 'auth' | 'approval';
  /** ISO 8601 UTC. */
  readonly time: string;
  readonly outcome: 'allow' | 'deny';
  readonly reason: AuditReason;
  /** The status the decision answers with (the allow event's is 200: the request goes on). */
  readonly status: number;
  readonly method: string;
  /** Without the query string, control characters escaped, token-like segments replaced, capped at 256. */
  readonly path: string;
  /** `req.ip`, which follows Express's `trust proxy`; the socket's address without Express; `[redacted]` for a token-like forwarded value. */
  readonly ip: string;
  readonly key_id?: string;
  readonly key_name?: string;
  readonly family?: string;
  /** The route's required scopes, for `insufficient_scope`. */
  readonly scope?: string;
  /** Approval events: the capability the route requires. */
  readonly capability?: string;
  /** Approval events: the credential's kid, once read (when shaped like a kid). */
  readonly kid?: string;
  /** Approval events: the credential's `approval_id`, once its signature held. */
  readonly approval_id?: string;
  /** Approval events: the credential's `issued_by`, once its signature held. */
  readonly issued_by?: string;
  /** The agent of an agent key; for `enrolled`, the agent just created. */
  readonly agent_id?: string;
  /** For `enrolled`: the id of the new agent key (never its token). */
  readonly new_key_id?: string;
}

/** Where audit events go: a function, or a pino-compatible logger (`info` for allow, `warn` for deny). */
export type AuditSink = ((event: AuditEvent) => void) | { info(event: AuditEvent): void; warn(event: AuditEvent): void };

const MAX_PATH = 256;

/** Builds the event for one decision. @internal */
export function auditEvent(
  req: IncomingMessage,
  outcome: 'allow' | 'deny',
  reason: AuditReason,
  status: number,
  principal?: BearerAuth,
  scope?: string,
  enrolled?: { agentId: string; keyId: string },
): AuditEvent {
  const e: Record<string, unknown> = {
    type: 'auth',
    time: isoNow(),
    outcome,
    reason,
    status,
    method: safeText(req.method ?? '', 32),
    path: auditPath((req as { originalUrl?: unknown }).originalUrl ?? req.url),
    ip: clientIp(req),
  };
  if (principal !== undefined) {
    e.key_id = principal.id;
    e.key_name = principal.name;
    e.family = principal.family;
    if (principal.agentId !== undefined) e.agent_id = principal.agentId;
  }
  if (scope !== undefined) e.scope = scope;
  if (enrolled !== undefined) {
    e.agent_id = enrolled.agentId;
    e.new_key_id = enrolled.keyId;
  }
  return e as unknown as AuditEvent;
}

/** Hands an event to the sink; a throwing or rejecting sink changes nothing. @internal */
export function emit(sink: AuditSink, event: AuditEvent): void {
  try {
    const result: unknown = typeof sink === 'function' ? sink(event) : event.outcome === 'allow' ? sink.info(event) : sink.warn(event);
    if (result !== null && typeof result === 'object' && typeof (result as { catch?: unknown }).catch === 'function') {
      (result as Promise<unknown>).catch(() => {});
    }
  } catch {
    // The sink's failure is its own: the response is already decided.
  }
}

// Anything auditPath must change: a query, a character to escape, or a run long enough to be a token.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_WORK = /[?\u0000-\u001f\u007f-\uffff"\\]|[A-Za-z0-9\-._~+=]{12}/;

/** The request path for an event: no query, escaped, token-like segments replaced, capped. @internal */
export function auditPath(url: unknown): string {
  if (typeof url !== 'string') return '';
  // The common path ("/v2/models/iris-rf/predict") needs none of the work below.
  if (url.length <= MAX_PATH && !NEEDS_WORK.test(url)) return url;
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const shown = path
    .split('/')
    .map((segment) => (mayContainToken(segment) ? '[redacted]' : segment))
    .join('/');
  return safeText(shown, MAX_PATH);
}

// `req.ip` when the app trusts proxies; otherwise the socket's address, which is what `req.ip`
// would give without paying for Express's X-Forwarded-For parsing on every request.
function clientIp(req: IncomingMessage): string {
  try {
    const app = (req as { app?: { get?(name: string): unknown } }).app;
    const trusting = typeof app?.get === 'function' && Boolean(app.get('trust proxy'));
    const ip = trusting ? (req as { ip?: unknown }).ip : req.socket?.remoteAddress;
    // A trusted X-Forwarded-For is still client text: a token pasted there must not be echoed.
    if (trusting && typeof ip === 'string' && mayContainToken(ip)) return '[redacted]';
    return typeof ip === 'string' ? safeText(ip, 64) : '';
  } catch {
    return '';
  }
}

let lastMs = 0;
let lastIso = '';

// Under load many decisions share a millisecond: format each millisecond once.
function isoNow(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f"\\]/;

// Control characters, quotes and backslashes escaped as \xNN, then capped.
function safeText(text: string, max: number): string {
  if (text.length <= max && !UNSAFE.test(text)) return text;
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const escaped = text.replace(/[\u0000-\u001f\u007f-\u009f"\\]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return escaped.length > max ? `${escaped.slice(0, max - 1)}…` : escaped;
}
