// Reading the server's answers: JSON bodies, the `detail` of refusals, and the error for each status.
import { mayContainToken } from '../safety/redact.js';
import { BearerGuardClientError, type TokenRejection } from './errors.js';
import { shownUrl } from './endpoint.js';
import { bodyText, type Target } from './http.js';

/** A JSON answer: the status and the parsed body. */
export interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** The server's `detail`, when it is a short string that does not look like a token. */
export function detailOf(body: unknown): string | undefined {
  const detail = typeof body === 'object' && body !== null ? (body as { detail?: unknown }).detail : undefined;
  if (typeof detail !== 'string' || detail.length > 200 || mayContainToken(detail) || /[\p{Cc}]/u.test(detail)) return undefined;
  return detail;
}

/** expired, revoked or invalid, from bearer-guard's 401 detail. */
export function rejectionOf(detail: string | undefined): TokenRejection {
  if (detail === 'Bearer token expired') return 'expired';
  if (detail === 'Bearer token revoked') return 'revoked';
  return 'invalid';
}

/**
 * The JSON answer of `res`; for an error status whose body is not JSON, the body is null.
 * @throws BearerGuardClientError (`ERR_NOT_BEARER_GUARD`) for a redirect, or a success that is not JSON
 */
export async function readJson(res: Response, target: Target, path: string): Promise<JsonAnswer> {
  const where = shownUrl(`${target.endpoint}${path}`);
  const endpoint = shownUrl(target.endpoint);
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel().catch(() => undefined);
    throw new BearerGuardClientError('ERR_NOT_BEARER_GUARD', `${where} answered with a redirect (${res.status}), which is not followed so that the token stays with the endpoint; give the endpoint the redirect leads to`, { endpoint, status: res.status });
  }
  const text = await bodyText(res, target);
  const type = res.headers.get('content-type') ?? '';
  try {
    if (!/^application\/([a-z.+-]+\+)?json\b/i.test(type)) throw new Error('not JSON');
    return { status: res.status, body: JSON.parse(text) as unknown };
  } catch {
    // An error status speaks for itself (a proxy's HTML 502, a plain server's text 404); only a
    // success must be JSON to be believed.
    if (res.status >= 400) return { status: res.status, body: null };
    const shownType = /^[\x20-\x7e]{0,80}$/.test(type) && !mayContainToken(type) ? (type === '' ? 'no Content-Type' : `Content-Type ${type}`) : 'an odd Content-Type';
    throw new BearerGuardClientError('ERR_NOT_BEARER_GUARD', `${where} answered ${res.status} with ${shownType} and a body that is not JSON: that is not a bearer-guard or DEEPaaS server; check the endpoint (host, port and path prefix)`, { endpoint, status: res.status });
  }
}

/**
 * The error for a JSON answer with an error status: 401 rejected (expired, revoked, invalid),
 * 403 forbidden (scope), anything else `ERR_HTTP` with the server's detail.
 */
export function statusError(answer: JsonAnswer, target: Target, path: string): BearerGuardClientError {
  const { status, body } = answer;
  const detail = detailOf(body);
  const said = detail === undefined ? '' : `: ${detail}`;
  const endpoint = shownUrl(target.endpoint);
  const where = shownUrl(`${target.endpoint}${path}`);
  const details = { endpoint, status, detail };
  if (status === 401) {
    const reason = rejectionOf(detail);
    const todo = reason === 'invalid' ? 'check the token, or log in again with a valid one' : 'ask for a new token, then run bearer-guard login again';
    return new BearerGuardClientError('ERR_TOKEN_REJECTED', `${endpoint} refused the token (401${said}); ${todo}`, { ...details, reason });
  }
  if (status === 403) {
    const scope = typeof body === 'object' && body !== null ? (body as { scope?: unknown }).scope : undefined;
    const needs = typeof scope === 'string' && /^[a-z0-9:*._ -]{1,200}$/.test(scope) ? ` it needs the scope ${scope}` : '';
    return new BearerGuardClientError('ERR_FORBIDDEN', `${where} refused the call (403${said}): the token is valid but lacks the rights;${needs || ' ask for a key with the scope the route needs'}`, details);
  }
  return new BearerGuardClientError('ERR_HTTP', `${where} answered ${status}${said}`, details);
}
