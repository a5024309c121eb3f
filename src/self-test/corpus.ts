// The bypass corpus: requests built from seed paths, family by family. None carries a valid token.
import { pathSpellings, utf8Bytes } from './spellings.js';

/** One request of the corpus, as it goes on the wire. */
export interface Probe {
  /** Family of tricks, e.g. `path:case`, `method`, `header`, `credential`, `target-form`. */
  readonly family: string;
  /** The seed path this request was derived from. */
  readonly seed: string;
  readonly method: string;
  /** The request-target, byte for byte (latin1 characters). */
  readonly target: string;
  /** Header lines in order, `Host` included (or deliberately left out). */
  readonly headers: readonly string[];
  readonly body: string;
  /** HTTP version of the request line. */
  readonly version: string;
}

/** A path to derive requests from, with the method its route answers. */
export interface Seed {
  readonly path: string;
  /** Upper-case method the route answers, e.g. `GET` or `POST`. */
  readonly method: string;
}

/** A wrong token that passes every syntax check: the guard must hash and reject it. */
export const WRONG_TOKEN = 'bg-selftest-Wr0ng.Token~0123456789abcdefghijklmnop';
const HOST = 'Host: 127.0.0.1';
const JSON_BODY = '{"x":1}';


/**
 * Credentials that must never open a protected route: none, empty, scheme look-alikes, wrong
 * separators, wrong tokens and values naive guards accept (`undefined`, `null`...).
 * @param wrong - a syntactically valid wrong token
 * @returns header lists, one per variant
 */
export function wrongCredentials(wrong: string = WRONG_TOKEN): string[][] {
  const a = (v: string): string[] => [`Authorization: ${v}`];
  return [
    [],
    a(''), a('Bearer'), a('Bearer '), a(`Bearer ${wrong}`), a(`bearer ${wrong}`), a(`BEARER ${wrong}`),
    ...['undefined', 'null', '[object Object]', 'true', 'false', '0', '*', '""', 'Bearer', '%00', '=', '==='].map((v) => a(`Bearer ${v}`)),
    a(`Basic ${Buffer.from('admin:admin').toString('base64')}`), a(`Basic ${wrong}`), a(`Token ${wrong}`), a(`Digest username="${wrong}"`),
    a(`Bearer2 ${wrong}`), a(`XBearer ${wrong}`), a(`NotBearer ${wrong}`), a(`Bearer: ${wrong}`), a(`Bearer=${wrong}`), a(`Bearer${wrong}`),
    a(utf8Bytes(`B\u0435arer ${wrong}`)), a(`Bearer\t${wrong}`), a(`Bearer\xa0${wrong}`), a(`Bearer  ${wrong}`), a(`Bearer     ${wrong}`),
    a(`Bearer ${wrong} ${wrong}`), a(`Bearer ${wrong}, Bearer ${wrong}`), a(`Bearer ${wrong},`), a(`Bearer ${wrong}\x01`), a(`Bearer ${wrong}\xe9`),
    [`Authorization: Bearer ${wrong}`, `Authorization: Bearer ${wrong}`],
    [`Authorization: Bearer ${wrong}`, 'Authorization: '],
    [`Proxy-Authorization: Bearer ${wrong}`],
    [`authorization: Bearer ${wrong}`],
    [`AUTHORIZATION : Bearer ${wrong}`],
  ];
}

/**
 * A token placed anywhere but the Authorization header: query string (scalars, arrays,
 * operator objects), JSON and form bodies, cookies.
 * @param token - the token to place (a wrong one in `selfTest`, the valid one in bearer-guard's own tests)
 * @returns method, target suffix, headers and body of each variant
 */
export function tokenElsewhere(token: string): { name: string; method: string; query: string; headers: string[]; body: string }[] {
  const t = encodeURIComponent(token);
  const json = (body: string): string[] => ['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`];
  const form = (body: string): string[] => ['Content-Type: application/x-www-form-urlencoded', `Content-Length: ${Buffer.byteLength(body)}`];
  const variants = [
    { name: 'query', method: 'GET', query: `?access_token=${t}`, headers: [], body: '' },
    { name: 'query-array', method: 'GET', query: `?access_token[]=${t}`, headers: [], body: '' },
    { name: 'query-empty-array', method: 'GET', query: '?access_token[]=', headers: [], body: '' },
    { name: 'query-operator', method: 'GET', query: `?access_token[$ne]=${t}`, headers: [], body: '' },
    { name: 'query-repeated', method: 'GET', query: `?access_token=${t}&access_token=${t}`, headers: [], body: '' },
    { name: 'cookie', method: 'GET', query: '', headers: [`Cookie: access_token=${t}; token=${t}; authorization=Bearer%20${t}`], body: '' },
  ];
  for (const body of [`{"access_token":"${token}"}`, '{"access_token":{"$gt":""}}', `{"access_token":["${token}"]}`, '{"__proto__":{"user":"admin"}}']) {
    variants.push({ name: 'json-body', method: 'POST', query: '', headers: json(body), body });
  }
  for (const body of [`access_token=${t}`, 'access_token[]=', `access_token[$gt]=&access_token=${t}`]) {
    variants.push({ name: 'form-body', method: 'POST', query: '', headers: form(body), body });
  }
  return variants;
}

/** Request-target forms other than origin-form, for `path`. */
export function targetForms(path: string): string[] {
  return [
    `http://127.0.0.1${path}`, `http://127.0.0.1/${path}`, `HTTP://LOCALHOST${path.toUpperCase()}`, `https://evil.example${path}`,
    `http://user:pass@127.0.0.1${path}`, `http://127.0.0.1:1${path}`, `//127.0.0.1${path}`, `http:${path}`, `ftp://x${path}`,
    `http://127.0.0.1?x=${path}`, `http://127.0.0.1#${path}`,
  ];
}

/** Methods, method overrides and CORS preflights, as [method, extra headers, query]. */
function methodVariants(): [string, string[], string][] {
  const preflight = ['Origin: https://evil.example', 'Access-Control-Request-Method: GET', 'Access-Control-Request-Headers: authorization'];
  const list: [string, string[], string][] = [
    ['GET', [], ''], ['HEAD', [], ''], ['POST', [], ''], ['PUT', [], ''], ['DELETE', [], ''], ['PATCH', [], ''],
    ['OPTIONS', [], ''], ['OPTIONS', preflight, ''], ['OPTIONS', ['Origin: https://evil.example', 'Access-Control-Request-Method: POST'], ''],
    ['PROPFIND', ['Depth: 1'], ''], ['TRACE', [], ''], ['SEARCH', [], ''], ['MKCOL', [], ''], ['LOCK', [], ''], ['PURGE', [], ''],
    ['FOO', [], ''], ['get', [], ''], ['GETT', [], ''],
  ];
  for (const h of ['X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override']) {
    for (const m of ['GET', 'DELETE']) list.push(['POST', [`${h}: ${m}`], '']);
  }
  list.push(['POST', [], '?_method=GET'], ['POST', [], '?_method=DELETE'], ['GET', [], '?_method=POST']);
  return list;
}

/** Headers that must not change the decision: proxy rewrites, odd Hosts, protocol tricks. */
function headerVariants(path: string): { headers: string[]; version?: string }[] {
  const h = (...lines: string[]): { headers: string[] } => ({ headers: [HOST, ...lines] });
  return [
    h('X-Original-URL: /'), h('X-Original-URL: /v2/'), h('X-Rewrite-URL: /'), h('X-Forwarded-Prefix: /v2'), h('X-Forwarded-Path: /'),
    h('X-Forwarded-Uri: /'), h('X-Forwarded-Host: evil.example'), h('X-Forwarded-Proto: https'), h('X-Forwarded-For: 127.0.0.1'),
    h('X-Real-IP: 127.0.0.1'), h('X-Forwarded-Port: 443'), h('Forwarded: for=127.0.0.1;host=localhost;proto=https'),
    h('x-middleware-subrequest: middleware:middleware:middleware:middleware:middleware'), h('x-middleware-prefetch: 1'),
    h(`Referer: http://127.0.0.1/`), h('Origin: null'), h('X-Requested-With: XMLHttpRequest'), h('Expect: 100-continue'),
    h(`X-Original-URL: ${path}`), h('Upgrade: websocket', 'Connection: Upgrade'), h('Cookie: session=admin; authenticated=true'),
    { headers: ['Host: evil.example'] }, { headers: ['Host: '] }, { headers: ['Host: 127.0.0.1:80'] }, { headers: ['Host: [::1]'] },
    { headers: ['Host: localhost', 'Host: evil.example'] }, { headers: ['Host: 127.0.0.1@evil.example'] }, { headers: ['Host: 127.0.0.1/v2/'] },
    { headers: [] }, { headers: [], version: 'HTTP/1.0' }, { headers: [HOST], version: 'HTTP/1.0' }, { headers: [HOST], version: 'HTTP/2.0' },
    { headers: [HOST], version: 'HTTP/1.2' }, { headers: [HOST], version: 'HTTP/0.9' },
  ];
}

/**
 * Builds the bypass corpus for `seeds`: every path spelling with the seed's own method, every
 * method and override, every header and request-target variant, every wrong credential and
 * every place a token can hide outside the header. No request carries a valid token.
 *
 * @param seeds - concrete paths, each with the method its route answers
 * @returns the requests, de-duplicated
 */
export function buildCorpus(seeds: readonly Seed[]): Probe[] {
  const probes: Probe[] = [];
  const seen = new Set<string>();
  const push = (p: Omit<Probe, 'version' | 'body'> & { version?: string | undefined; body?: string }): void => {
    const body = p.body ?? (/^(POST|PUT|PATCH)$/i.test(p.method) && !p.headers.some((l) => /^content-length:/i.test(l)) ? JSON_BODY : '');
    const headers = body !== '' && !p.headers.some((l) => /^content-length:/i.test(l))
      ? [...p.headers, 'Content-Type: application/json', `Content-Length: ${body.length}`]
      : p.headers;
    const probe: Probe = { ...p, headers, body, version: p.version ?? 'HTTP/1.1' };
    const key = JSON.stringify([probe.method, probe.target, probe.headers, probe.body, probe.version]);
    if (seen.has(key)) return;
    seen.add(key);
    probes.push(probe);
  };
  for (const { path, method } of seeds) {
    for (const s of pathSpellings(path)) push({ family: `path:${s.family}`, seed: path, method, target: s.path, headers: [HOST] });
    for (const [m, extra, query] of methodVariants()) push({ family: 'method', seed: path, method: m, target: path + query, headers: [HOST, ...extra] });
    for (const v of headerVariants(path)) push({ family: 'header', seed: path, method, target: path, headers: v.headers, version: v.version });
    for (const target of targetForms(path)) push({ family: 'target-form', seed: path, method, target, headers: [HOST] });
    for (const creds of wrongCredentials()) push({ family: 'credential', seed: path, method, target: path, headers: [HOST, ...creds] });
    for (const v of tokenElsewhere(WRONG_TOKEN)) {
      push({ family: `token-elsewhere:${v.name}`, seed: path, method: v.method, target: path + v.query, headers: [HOST, ...v.headers], body: v.body });
    }
  }
  push({ family: 'target-form', seed: '*', method: 'OPTIONS', target: '*', headers: [HOST] });
  push({ family: 'target-form', seed: '*', method: 'GET', target: '*', headers: [HOST] });
  push({ family: 'target-form', seed: '*', method: 'CONNECT', target: '127.0.0.1:80', headers: [HOST] });
  return probes;
}

/**
 * One plain `GET` per declared public path, without credentials (family `public-path`): what a
 * browser or health check sends. selfTest reports a 401 to one of them as `public-path-refused`.
 * @param paths - the public paths, as the client spells them
 * @returns the requests, in the order given
 */
export function publicPathProbes(paths: readonly string[]): Probe[] {
  return paths.map((path) => ({ family: 'public-path', seed: path, method: 'GET', target: path, headers: [HOST], body: '', version: 'HTTP/1.1' }));
}

/** The bytes of a probe's request, closing the connection after the response. */
export function serializeProbe(p: Probe, extraHeaders: readonly string[] = []): Buffer {
  const lines = [`${p.method} ${p.target} ${p.version}`, ...p.headers, ...extraHeaders, 'Connection: close'];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${p.body}`, 'latin1');
}
