// Checking a token against a server before it is saved: whoami, else (no whoami) the DEEPaaS models list.
import { readJson, statusError } from './answers.js';
import { isIdentity, type SavedIdentity } from './contexts-format.js';
import { shownUrl } from './endpoint.js';
import { BearerGuardClientError } from './errors.js';
import { send, type Target } from './http.js';

/** The whoami route `bearer-guard login` calls. */
export const WHOAMI_PATH = '/v2/auth/whoami';
/** The route called when the server has no whoami (any DEEPaaS server has it). */
export const FALLBACK_PATH = '/v2/models/';

/** What a successful check found. */
export interface TokenCheck {
  /** The identity, or null when the server has no whoami. */
  readonly identity: SavedIdentity | null;
  /** Which route accepted the token. */
  readonly via: 'whoami' | 'models';
  /** For the fallback: the token authenticated, but lacks the scope to list models (403). */
  readonly limited: boolean;
}

const notOurs = (target: Target, what: string): BearerGuardClientError =>
  new BearerGuardClientError('ERR_NOT_BEARER_GUARD', `${shownUrl(target.endpoint)}${what}: that is not a bearer-guard or DEEPaaS server; check the endpoint (host, port and path prefix)`, { endpoint: shownUrl(target.endpoint) });

/**
 * Checks the token: `GET /v2/auth/whoami` (200: the identity); on 404 (whatever its body),
 * `GET /v2/models/` (200, or a 403 `insufficient_scope`, means the token works). Nothing is saved here.
 * @throws BearerGuardClientError: `ERR_TOKEN_REJECTED` (401, with the reason), the network codes,
 *   `ERR_NOT_BEARER_GUARD` for an answer of the wrong shape, `ERR_HTTP` for other statuses
 */
export async function checkToken(target: Target): Promise<TokenCheck> {
  const who = await readJson(await send(target, WHOAMI_PATH), target, WHOAMI_PATH);
  if (who.status === 200) {
    if (!isIdentity(who.body)) throw notOurs(target, `${WHOAMI_PATH} answered 200 with JSON that is not an identity`);
    return { identity: who.body, via: 'whoami', limited: false };
  }
  if (who.status !== 404) throw statusError(who, target, WHOAMI_PATH);
  const models = await readJson(await send(target, FALLBACK_PATH), target, FALLBACK_PATH);
  if (models.status === 200) {
    const list = typeof models.body === 'object' && models.body !== null ? (models.body as { models?: unknown }).models : undefined;
    if (!Array.isArray(list)) throw notOurs(target, `${FALLBACK_PATH} answered 200 without a "models" list`);
    return { identity: null, via: 'models', limited: false };
  }
  const error = typeof models.body === 'object' && models.body !== null ? (models.body as { error?: unknown }).error : undefined;
  if (models.status === 403 && error === 'insufficient_scope') return { identity: null, via: 'models', limited: true };
  if (models.status === 404) throw notOurs(target, ` answered 404 to both ${WHOAMI_PATH} and ${FALLBACK_PATH}`);
  throw statusError(models, target, FALLBACK_PATH);
}
