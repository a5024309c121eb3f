// The answers of requireApproval: 403 approval_required, 403 approval_invalid with a reason; JSON bodies built once.
import type { ApprovalReason } from './verify.js';

/** The body of a 403 for a request without an approval. */
export interface ApprovalRequiredBody {
  readonly detail: 'Approval required';
  readonly error: 'approval_required';
  readonly capability: string;
}

/** The body of a 403 for a refused approval; `reason` is `invalid` for steps 1 to 3. */
export interface ApprovalInvalidBody {
  readonly detail: 'Approval credential rejected';
  readonly error: 'approval_invalid';
  readonly reason: 'invalid' | Exclude<ApprovalReason, 'malformed' | 'unknown_kid' | 'bad_signature'>;
}

/**
 * What a client is told. Steps 1 to 3 (`malformed`, `unknown_kid`, `bad_signature`) all say
 * `invalid`, so that a forger learns nothing; later steps name themselves, since only a
 * correctly signed credential reaches them. @internal
 */
export function publicReason(reason: ApprovalReason): ApprovalInvalidBody['reason'] {
  return reason === 'malformed' || reason === 'unknown_kid' || reason === 'bad_signature' ? 'invalid' : reason;
}

const invalidBodies = new Map<string, Buffer>();

/** The 403 body for `reason`, computed once per reason. @internal */
export function approvalInvalidBody(reason: ApprovalReason): Buffer {
  const shown = publicReason(reason);
  let body = invalidBodies.get(shown);
  if (body === undefined) {
    const value: ApprovalInvalidBody = { detail: 'Approval credential rejected', error: 'approval_invalid', reason: shown };
    invalidBodies.set(shown, (body = Buffer.from(JSON.stringify(value))));
  }
  return body;
}

/** The 403 body for a missing approval. @internal */
export function approvalRequiredBody(capability: string): Buffer {
  const value: ApprovalRequiredBody = { detail: 'Approval required', error: 'approval_required', capability };
  return Buffer.from(JSON.stringify(value));
}
