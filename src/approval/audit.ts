// The audit event of an approval decision: the request's, plus the capability and what the credential may say of itself.
import type { IncomingMessage } from 'node:http';
import { auditEvent, type AuditEvent, type AuditReason } from '../audit/event.js';
import type { BearerAuth } from '../keys/principal.js';
import { mayContainToken } from '../safety/redact.js';
import { KID } from './trusted-keys.js';
import type { ApprovalVerdict } from './verify.js';

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f"\\]/g;
const MAX = 128;

/** An approver's text for a log line: control characters, quotes and backslashes escaped, capped. */
function safe(text: string): string {
  const escaped = text.replace(UNSAFE, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return escaped.length > MAX ? `${escaped.slice(0, MAX - 1)}…` : escaped;
}

/**
 * The event for one approval decision. It never holds the credential: a kid is named only when
 * shaped like one (it may come from an unverified credential), and `approval_id` and `issued_by`
 * only once the signature held (an approver wrote them).
 * @internal
 */
export function approvalEvent(
  req: IncomingMessage,
  outcome: 'allow' | 'deny',
  reason: AuditReason,
  status: number,
  principal: BearerAuth | undefined,
  capability: string,
  verdict?: ApprovalVerdict,
): AuditEvent {
  const e: Record<string, unknown> = { ...auditEvent(req, outcome, reason, status, principal), type: 'approval', capability };
  const kid = verdict?.payload?.kid ?? (verdict?.ok === false ? verdict.kid : undefined);
  // A kid the trusted keys hold is the approver's; an unknown one is whatever the client sent.
  const known = verdict?.payload !== undefined || (verdict?.ok === false && verdict.reason === 'bad_signature');
  if (kid !== undefined && KID.test(kid) && (known || !mayContainToken(kid))) e.kid = kid;
  const payload = verdict?.payload;
  if (payload !== undefined) {
    e.approval_id = safe(payload.approval_id);
    e.issued_by = safe(payload.issued_by);
  }
  return e as unknown as AuditEvent;
}
