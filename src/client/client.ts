// createClient(): a small client for Node programs that call a bearer-guard protected model server.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { readJson, statusError } from './answers.js';
import { WHOAMI_PATH } from './check-token.js';
import { isIdentity, type SavedIdentity } from './contexts-format.js';
import { checkEndpoint, shownUrl } from './endpoint.js';
import { shownPath } from '../safety/paths.js';
import { BearerGuardClientError } from './errors.js';
import { DEFAULT_TIMEOUT_MS, send, type Target } from './http.js';
import { contextsFilePath, type ClientEnv } from './location.js';
import { checkToken, resolveCredentials, type CredentialsSource } from './resolve.js';

/** Options of {@link createClient}; all optional. */
export interface ClientOptions {
  /** A saved context by name; wins over the env vars, as `--context` does. */
  context?: string | undefined;
  /** The server's URL; only together with `token`. */
  endpoint?: string | undefined;
  /** The token; only together with `endpoint`. Prefer a context or `BEARER_GUARD_TOKEN`. */
  token?: string | undefined;
  /** Timeout of each request, headers and body, in ms. Default 10000. */
  timeoutMs?: number | undefined;
  /** The environment to read (`BEARER_GUARD_*`, `XDG_CONFIG_HOME`, `HOME`). Default `process.env`. */
  env?: ClientEnv | undefined;
}

/** What `predict` sends: a file as the multipart field `data` (DEEPaaS), or rows as JSON `{"data": ...}`. */
export type PredictInput =
  | { file: string | Blob; filename?: string | undefined; data?: undefined }
  | { data: unknown; file?: undefined };

/** The identity `whoami()` returns, as the server sends it. */
export type Identity = SavedIdentity;

/** A client bound to one endpoint and token. Inspecting or serialising it never shows the token. */
export interface BearerGuardClient {
  readonly endpoint: string;
  /** The saved context in use, or null (env vars or options). */
  readonly context: string | null;
  readonly source: CredentialsSource;
  /** `fetch` of a path under the endpoint with `Authorization: Bearer ...`; redirects are not followed by default. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** `GET /v2/auth/whoami`: who the token is. */
  whoami(): Promise<Identity>;
  /** `POST /v2/models/<model>/predict/`: the parsed JSON answer. */
  predict(model: string, input: PredictInput): Promise<unknown>;
}

const invalid = (message: string): BearerGuardClientError => new BearerGuardClientError('ERR_INVALID_ARGUMENT', `createClient: ${message}`);

function targetOf(options: ClientOptions): { target: Target; context: string | null; source: CredentialsSource } {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) throw invalid('timeoutMs must be a positive whole number of milliseconds');
  const env = options.env ?? process.env;
  const { context, endpoint, token } = options;
  if (token !== undefined || endpoint !== undefined) {
    if (context !== undefined) throw invalid('give either context, or endpoint and token, not both');
    if (token === undefined) throw invalid('endpoint needs token too (a saved token is never sent to another endpoint)');
    if (endpoint === undefined) throw new BearerGuardClientError('ERR_NO_ENDPOINT', 'createClient: token needs endpoint too (there is no default host)');
    if (typeof token !== 'string') throw invalid('token must be a string');
    const target = { endpoint: checkEndpoint(String(endpoint), 'endpoint'), token: checkToken(token, 'createClient: token'), timeoutMs };
    return { target, context: null, source: 'options' };
  }
  const warn = (message: string): void => process.emitWarning(message, { code: 'W_BEARER_GUARD_CREDENTIALS_FILE' });
  const found = resolveCredentials({ context, env, file: contextsFilePath(env), warn, note: () => undefined });
  return { target: { endpoint: found.endpoint, token: found.token, timeoutMs }, context: found.context, source: found.source };
}

/**
 * Creates a client with credentials resolved as the CLI resolves them: `context`, else
 * `BEARER_GUARD_TOKEN` (or `_FILE`) with `BEARER_GUARD_ENDPOINT`, else `BEARER_GUARD_CONTEXT`,
 * else the current context saved by `bearer-guard login`. Or pass `endpoint` and `token` both.
 *
 * @param options - see {@link ClientOptions}
 * @returns the client
 * @throws BearerGuardClientError (`ERR_NO_CREDENTIALS`, `ERR_NO_ENDPOINT`, `ERR_UNKNOWN_CONTEXT`, ...)
 * @example
 * ```ts
 * import { createClient } from 'bearer-guard/client';
 * const client = createClient({ context: 'staging' });
 * const { predictions } = (await client.predict('iris', { file: 'flowers.csv' })) as { predictions: unknown };
 * ```
 */
export function createClient(options: ClientOptions = {}): BearerGuardClient {
  const { target, context, source } = targetOf(options);
  const json = async (path: string, init?: RequestInit): Promise<unknown> => {
    const answer = await readJson(await send(target, path, init), target, path);
    if (answer.status < 200 || answer.status > 299) throw statusError(answer, target, path);
    return answer.body;
  };
  return Object.freeze({
    endpoint: target.endpoint,
    context,
    source,
    fetch: (path: string, init?: RequestInit) => send(target, path, init),
    async whoami(): Promise<Identity> {
      const body = await json(WHOAMI_PATH);
      if (!isIdentity(body)) throw new BearerGuardClientError('ERR_NOT_BEARER_GUARD', `${shownUrl(target.endpoint)}${WHOAMI_PATH} answered JSON that is not an identity`, { endpoint: shownUrl(target.endpoint) });
      return body;
    },
    async predict(model: string, input: PredictInput): Promise<unknown> {
      if (typeof model !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(model)) throw invalid('predict: the model name must be letters, digits, ".", "_" or "-"');
      const path = `/v2/models/${model}/predict/`;
      if (input?.file !== undefined) {
        const form = new FormData();
        const blob = typeof input.file === 'string' ? await readUpload(input.file) : input.file;
        form.append('data', blob, input.filename ?? (typeof input.file === 'string' ? basename(input.file) : 'data'));
        return json(path, { method: 'POST', body: form });
      }
      if (input?.data === undefined) throw invalid('predict: give { file } (a path or Blob) or { data } (sent as JSON {"data": ...})');
      return json(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: input.data }) });
    },
  });
}

async function readUpload(path: string): Promise<Blob> {
  try {
    return new Blob([await readFile(path)]);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new BearerGuardClientError('ERR_INVALID_ARGUMENT', `predict: cannot read the file ${shownPath(path)}: ${code === 'ENOENT' ? 'no such file' : typeof code === 'string' ? code : 'read error'}`);
  }
}
