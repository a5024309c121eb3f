// The 503 of a key store that cannot be trusted now (Redis unreachable past maxStaleness, or a first load that failed).
import { type PreparedFailure } from './respond.js';

/** The body of the 503: DEEPaaS-style `detail`, nothing about why. */
const BODY = Buffer.from(JSON.stringify({ detail: 'Authentication unavailable' }));

/**
 * The prepared 503 `{"detail":"Authentication unavailable"}` with `Retry-After` and
 * `Cache-Control: no-store` (every refusal has it), audit reason `store_unavailable`. No bearer
 * challenge: the credentials may be fine, the guard just cannot check them now.
 *
 * @param retryAfterSeconds - the `Retry-After` value, whole seconds (at least 1)
 * @internal
 */
export function prepareStoreUnavailable(retryAfterSeconds: number): PreparedFailure {
  return Object.freeze({
    error: undefined,
    reason: 'store_unavailable',
    status: 503,
    challenge: undefined,
    body: BODY,
    retryAfter: Math.max(1, Math.ceil(retryAfterSeconds)),
  });
}

/** `Retry-After` of a store that is not Redis (whose resync interval is used instead). @internal */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;
