// One assertion helper for refusals: status, exact JSON body, exact challenge, caching headers.
import assert from 'node:assert/strict';
import type { RawResponse } from './raw-http.js';

export type Refusal = 'missing_token' | 'invalid_token' | 'invalid_request' | 'expired' | 'revoked';

const BODIES: Record<Refusal, object> = {
  missing_token: { detail: 'Bearer token required' },
  invalid_token: { detail: 'Invalid bearer token', error: 'invalid_token' },
  invalid_request: { detail: 'Invalid bearer token', error: 'invalid_request' },
  expired: { detail: 'Bearer token expired', error: 'invalid_token' },
  revoked: { detail: 'Bearer token revoked', error: 'invalid_token' },
};

/** The challenge bearer-guard must send for a refusal in `realm`. */
export function challengeFor(refusal: Refusal, realm = 'api'): string {
  const error = refusal === 'expired' || refusal === 'revoked' ? 'invalid_token' : refusal;
  return refusal === 'missing_token' ? `Bearer realm="${realm}"` : `Bearer realm="${realm}", error="${error}"`;
}

/** Asserts that `res` is exactly the 403 for a route needing `scope`. */
export function expectForbidden(res: RawResponse, scope: string, realm = 'api'): void {
  assert.equal(res.status, 403, `status for insufficient_scope; body ${res.body}`);
  assert.deepEqual(JSON.parse(res.body), { detail: 'Insufficient scope', error: 'insufficient_scope', scope });
  assert.equal(res.headers['www-authenticate'], `Bearer realm="${realm}", error="insufficient_scope", scope="${scope}"`);
  assert.match(res.headers['content-type'] ?? '', /^application\/json/);
  assert.equal(res.headers['cache-control'], 'no-store');
}

/** Asserts that `res` is exactly the 401 for `refusal`. */
export function expectFailsWith(res: RawResponse, refusal: Refusal, realm = 'api'): void {
  assert.equal(res.status, 401, `status for ${refusal}; body ${res.body}`);
  assert.deepEqual(JSON.parse(res.body), BODIES[refusal]);
  assert.equal(res.headers['www-authenticate'], challengeFor(refusal, realm));
  assert.match(res.headers['content-type'] ?? '', /^application\/json/);
  assert.equal(res.headers['cache-control'], 'no-store');
}
