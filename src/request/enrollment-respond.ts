// The enrollment endpoint's own answers: its prepared refusals, the 400/405/413 bodies, and the 201.
import type { ServerResponse } from 'node:http';
import { InsufficientScopeError, InvalidTokenError } from '../errors/refusals.js';
import type { EnrollRefusal } from '../keys/enroll.js';
import { ENROLL_SCOPE, type KeyEntry } from '../keys/types.js';
import { MAX_ENROLLMENT_BODY } from './enrollment-body.js';
import { prepare, prepareFailures, type PreparedFailure } from './respond.js';

/** Every refusal of the enrollment endpoint for one realm. @internal */
export interface EnrollmentFailures {
  /** 403: a valid key of another family. */
  readonly notEnrollToken: PreparedFailure;
  /** 401 per reason the store refused to enroll. */
  readonly refused: Readonly<Record<EnrollRefusal, PreparedFailure>>;
}

/** @internal */
export function prepareEnrollmentFailures(realm: string): EnrollmentFailures {
  const f = prepareFailures(realm);
  return Object.freeze({
    notEnrollToken: prepare(new InsufficientScopeError([ENROLL_SCOPE], 'Enrollment requires an enrollment token'), 'insufficient_scope', realm),
    refused: Object.freeze({
      unknown: f.unknownKey,
      revoked: f.revoked,
      expired: f.expired,
      wrong_environment: f.wrongEnvironment,
      used_up: prepare(new InvalidTokenError('Enrollment token already used'), 'enrollment_used', realm),
    }),
  });
}

/** A plain answer of the endpoint (not a bearer refusal): status, body, and the headers it needs. @internal */
export interface PlainAnswer {
  readonly status: number;
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/** 405 for every method but POST. @internal */
export const METHOD_NOT_ALLOWED: PlainAnswer = Object.freeze({ status: 405, body: json({ detail: 'Method not allowed; enroll with POST' }), headers: { Allow: 'POST' } });
/** 413 for a body over 1 KiB; the connection is closed, since the rest is never read. @internal */
export const BODY_TOO_LARGE: PlainAnswer = Object.freeze({
  status: 413,
  body: json({ detail: `Enrollment body too large (at most ${MAX_ENROLLMENT_BODY} bytes)`, error: 'invalid_request' }),
  headers: { Connection: 'close' },
});
/** 400 for a body that is not `{"name": "..."}` with a valid name. @internal */
export const INVALID_BODY: PlainAnswer = Object.freeze({
  status: 400,
  body: json({ detail: 'Enrollment body must be empty or JSON {"name": "..."} with a name of 1 to 64 characters from A-Z a-z 0-9 . _ -', error: 'invalid_request' }),
  headers: {},
});

/** Sends a plain answer with JSON and `Cache-Control: no-store`. @internal */
export function sendPlain(res: ServerResponse, answer: PlainAnswer): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = answer.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', answer.body.length);
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.end(answer.body);
}

/**
 * The 201 with the new agent key: the only response that ever holds a token the guard made.
 * @internal
 */
export function sendEnrolled(res: ServerResponse, entry: KeyEntry, token: string): void {
  const body = json({ agent_id: entry.agent_id, api_key: token, environment: entry.environment ?? null, scopes: entry.scopes, name: entry.name });
  sendPlain(res, { status: 201, body, headers: {} });
}
