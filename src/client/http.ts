// Authenticated requests with a timeout, and network failures turned into errors that say what to check.
import { BearerGuardClientError } from './errors.js';
import { shownUrl, urlOf } from './endpoint.js';

/** The default timeout of a request, headers and body (ms). */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** What one request needs besides its path. */
export interface Target {
  readonly endpoint: string;
  readonly token: string;
  readonly timeoutMs: number;
}

const codeOf = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

const TLS = /CERT|SSL|TLS|ERR_TLS|EPROTO|UNABLE_TO|SELF_SIGNED|HOSTNAME|ALTNAME/;

/** The error of a request that got no answer: refused, DNS, TLS, timeout, aborted or other. */
export function networkError(err: unknown, target: string, timeoutMs: number): BearerGuardClientError {
  const endpoint = shownUrl(target);
  const name = (err as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError') {
    return new BearerGuardClientError('ERR_TIMEOUT', `no answer from ${endpoint} within ${timeoutMs / 1000} s; check that the endpoint is right and the server is up, or allow a longer timeout (--timeout SECONDS in the CLI)`, { endpoint });
  }
  if (name === 'AbortError') return new BearerGuardClientError('ERR_ABORTED', `the request to ${endpoint} was aborted`, { endpoint });
  // fetch wraps the socket's error: TypeError('fetch failed') with the system error as cause (sometimes nested).
  let code: string | undefined;
  for (let e: unknown = err, i = 0; e !== undefined && e !== null && i < 5; e = (e as { cause?: unknown }).cause, i++) code = codeOf(e) ?? code;
  const shown = code !== undefined && /^[A-Z0-9_]{2,60}$/.test(code) ? code : 'network error';
  if (code === 'ECONNREFUSED') {
    return new BearerGuardClientError('ERR_UNREACHABLE', `cannot connect to ${endpoint}: connection refused; is the server running and listening there? Check the endpoint's host and port`, { endpoint });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NONAME') {
    return new BearerGuardClientError('ERR_DNS', `cannot find the host of ${endpoint}: DNS lookup failed (${shown}); check the host name in the endpoint`, { endpoint });
  }
  if (code !== undefined && TLS.test(code)) {
    return new BearerGuardClientError('ERR_TLS', `TLS error with ${endpoint} (${shown}); check that the server speaks https on that port and that its certificate is trusted (NODE_EXTRA_CA_CERTS for a private CA)`, { endpoint });
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return new BearerGuardClientError('ERR_TIMEOUT', `no connection to ${endpoint} within the timeout (${shown}); check the endpoint and any firewall`, { endpoint });
  }
  return new BearerGuardClientError('ERR_UNREACHABLE', `cannot reach ${endpoint} (${shown}); check the endpoint and that the server is up`, { endpoint });
}

/**
 * Sends `init` to `path` under the target's endpoint with `Authorization: Bearer <token>`
 * (replacing any the caller set), a timeout over the whole exchange, and redirects not followed
 * unless `init.redirect` says so, so that the token never follows a redirect elsewhere.
 * @throws BearerGuardClientError for a bad path and for every failure to get an answer
 */
export async function send(target: Target, path: string, init: RequestInit = {}): Promise<Response> {
  const url = urlOf(target.endpoint, path);
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${target.token}`);
  const timeout = AbortSignal.timeout(target.timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  try {
    return await fetch(url, { ...init, headers, signal, redirect: init.redirect ?? 'manual' });
  } catch (err) {
    throw networkError(timeout.aborted ? timeout.reason : err, target.endpoint, target.timeoutMs);
  }
}

/** The body of `res` as text, within the same timeout; a failure to read is a network error. */
export async function bodyText(res: Response, target: Target): Promise<string> {
  try {
    return await res.text();
  } catch (err) {
    throw networkError(err, target.endpoint, target.timeoutMs);
  }
}
