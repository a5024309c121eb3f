// Endpoints: checked once (http or https, no user, query or fragment), and joined with a request path.
import { mayContainToken } from '../safety/redact.js';
import { BearerGuardClientError } from './errors.js';

/** The default endpoint of `bearer-guard login`: the example model server's address. */
export const DEFAULT_ENDPOINT = 'http://127.0.0.1:5000';

/**
 * `text` as an endpoint: an `http:` or `https:` URL without credentials, query or fragment, with
 * no trailing slash (a path prefix such as `https://host/ml` is kept).
 * @param what - names the source in messages, e.g. `--endpoint` or `BEARER_GUARD_ENDPOINT`
 * @throws BearerGuardClientError (`ERR_INVALID_ENDPOINT`)
 */
export function checkEndpoint(text: string, what: string): string {
  const shown = mayContainToken(text) || text.length > 200 ? '(the value given is not shown)' : JSON.stringify(text);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new BearerGuardClientError('ERR_INVALID_ENDPOINT', `${what} ${shown} is not a URL; give one such as ${DEFAULT_ENDPOINT} or https://models.example.org`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BearerGuardClientError('ERR_INVALID_ENDPOINT', `${what} must be an http:// or https:// URL, e.g. ${DEFAULT_ENDPOINT}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new BearerGuardClientError('ERR_INVALID_ENDPOINT', `${what} must not hold a user or password (user:pass@host); the token is the credential`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new BearerGuardClientError('ERR_INVALID_ENDPOINT', `${what} must not have a query (?...) or fragment (#...)`);
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * The URL of `path` under `endpoint`. Only paths are accepted, never a whole URL, so that the
 * token can never be sent to another host.
 * @throws BearerGuardClientError (`ERR_INVALID_ARGUMENT`) for a path that does not start with one `/`
 */
export function urlOf(endpoint: string, path: string): string {
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//')) {
    throw new BearerGuardClientError('ERR_INVALID_ARGUMENT', 'the path must start with a single "/", e.g. /v2/models/ (a whole URL is refused: the token goes only to the endpoint)');
  }
  return `${endpoint}${path}`;
}

/**
 * `url` as messages show it: whole, unless a part looks like a token (a token pasted into a path,
 * say); then only the origin, or nothing when the origin itself looks like one.
 */
export function shownUrl(url: string): string {
  if (!mayContainToken(url)) return url;
  let origin: string | undefined;
  try {
    origin = new URL(url).origin;
  } catch {
    // not a URL: show nothing of it
  }
  return origin !== undefined && origin !== 'null' && !mayContainToken(origin) ? `${origin}/(path not shown: it looks like a token)` : '(the endpoint is not shown: it looks like a token)';
}
