// Every way a request can be refused (or let through) with a known and a known-wrong token,
// plus sabotage that makes the check itself throw, as tables for the leak audit.
import { PLAIN, TOKEN, WRONG } from './needles.js';

/** One request of the audit. `status` is what bearerGuard and the strategy must both answer. */
export interface RequestPath {
  name: string;
  headers: readonly string[];
  method?: string;
  path?: string;
  body?: string | Buffer;
  status: number;
}

const auth = (value: string): string => `Authorization: ${value}`;
const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** Refusals of every kind (and two acceptances, to audit what success attaches to req). */
export const REQUEST_PATHS: readonly RequestPath[] = [
  { name: 'no Authorization', headers: [], status: 401 },
  { name: 'wrong token', headers: [auth(`Bearer ${WRONG}`)], status: 401 },
  { name: 'PLAIN token (wrong)', headers: [auth(`Bearer ${PLAIN}`)], status: 401 },
  { name: 'token plus a character', headers: [auth(`Bearer ${TOKEN}x`)], status: 401 },
  { name: 'token less its first character', headers: [auth(`Bearer ${TOKEN.slice(1)}`)], status: 401 },
  { name: 'token less its padding', headers: [auth(`Bearer ${TOKEN.replace(/=+$/, '')}`)], status: 401 },
  { name: 'token lower-cased', headers: [auth(`Bearer ${TOKEN.toLowerCase()}`)], status: 401 },
  { name: 'token upper-cased', headers: [auth(`Bearer ${TOKEN.toUpperCase()}`)], status: 401 },
  { name: 'token percent-encoded', headers: [auth(`Bearer ${encodeURIComponent(TOKEN)}`)], status: 401 },
  { name: 'token base64-encoded', headers: [auth(`Bearer ${b64(TOKEN)}`)], status: 401 },
  { name: 'lower-case scheme, wrong token', headers: [auth(`bearer ${WRONG}`)], status: 401 },
  { name: 'upper-case scheme, wrong token', headers: [auth(`BEARER ${WRONG}`)], status: 401 },
  { name: 'two spaces, wrong token', headers: [auth(`Bearer  ${WRONG}`)], status: 401 },
  { name: 'Bearer alone', headers: [auth('Bearer')], status: 401 },
  { name: 'Bearer and spaces', headers: [auth('Bearer    ')], status: 401 },
  { name: 'tab after the scheme', headers: [auth(`Bearer\t${TOKEN}`)], status: 401 },
  { name: 'token, space, wrong token', headers: [auth(`Bearer ${TOKEN} ${WRONG}`)], status: 401 },
  { name: 'quoted token', headers: [auth(`Bearer "${TOKEN}"`)], status: 401 },
  { name: 'token with $', headers: [auth(`Bearer ${TOKEN.slice(0, 20)}$${TOKEN.slice(20)}`)], status: 401 },
  { name: 'token with a latin1 byte', headers: [auth(`Bearer ${TOKEN}\u00e9`)], status: 401 },
  { name: 'too long: padding then token', headers: [auth(`Bearer ${'A'.repeat(5000)}${TOKEN}`)], status: 401 },
  { name: 'too long: token repeated', headers: [auth(`Bearer ${TOKEN.replace(/=+$/, '').repeat(100)}`)], status: 401 },
  { name: 'two lines: token then wrong', headers: [auth(`Bearer ${TOKEN}`), auth(`Bearer ${WRONG}`)], status: 401 },
  { name: 'two lines: wrong then token', headers: [auth(`Bearer ${WRONG}`), auth(`Bearer ${TOKEN}`)], status: 401 },
  { name: 'two lines: token twice', headers: [auth(`Bearer ${TOKEN}`), `authorization: Bearer ${TOKEN}`], status: 401 },
  { name: 'comma-joined: wrong, token', headers: [auth(`Bearer ${WRONG}, Bearer ${TOKEN}`)], status: 401 },
  { name: 'comma-joined: token,wrong', headers: [auth(`Bearer ${TOKEN},Bearer ${WRONG}`)], status: 401 },
  { name: 'comma-joined: Basic, token', headers: [auth(`Basic eDp5, Bearer ${TOKEN}`)], status: 401 },
  { name: 'token and a trailing comma', headers: [auth(`Bearer ${TOKEN},`)], status: 401 },
  { name: 'Basic carrying the token', headers: [auth(`Basic ${TOKEN}`)], status: 401 },
  { name: 'Basic user:token', headers: [auth(`Basic ${b64(`user:${TOKEN}`)}`)], status: 401 },
  { name: 'Token scheme', headers: [auth(`Token ${TOKEN}`)], status: 401 },
  { name: 'Digest carrying the token', headers: [auth(`Digest username="u", response="${TOKEN}"`)], status: 401 },
  { name: 'token without a scheme', headers: [auth(TOKEN)], status: 401 },
  { name: 'scheme glued to the token', headers: [auth(`Bearer${TOKEN}`)], status: 401 },
  { name: 'token in the query', headers: [], path: `/v2/models/?access_token=${encodeURIComponent(TOKEN)}`, status: 401 },
  { name: 'raw token in the query', headers: [], path: `/v2/models/?access_token=${TOKEN}&x=${WRONG}`, status: 401 },
  {
    name: 'token in a form body',
    method: 'POST',
    path: '/v2/models/iris/predict',
    headers: ['Content-Type: application/x-www-form-urlencoded', `Content-Length: ${`access_token=${encodeURIComponent(TOKEN)}`.length}`],
    body: `access_token=${encodeURIComponent(TOKEN)}`,
    status: 401,
  },
  {
    name: 'token in a JSON body, wrong in the header',
    method: 'POST',
    path: '/v2/models/iris/predict',
    headers: ['Content-Type: application/json', auth(`Bearer ${WRONG}`), `Content-Length: ${JSON.stringify({ access_token: TOKEN }).length}`],
    body: JSON.stringify({ access_token: TOKEN }),
    status: 401,
  },
  {
    name: 'token in a large body (connection closed unread)',
    method: 'POST',
    path: '/v2/models/iris/predict',
    headers: ['Content-Type: application/json', 'Content-Length: 100000'],
    body: `{"access_token":"${TOKEN}","pad":"${'x'.repeat(100000 - 38 - TOKEN.length)}"}`,
    status: 401,
  },
  {
    name: 'token in a chunked body',
    method: 'POST',
    path: '/v2/models/iris/predict',
    headers: ['Content-Type: text/plain', 'Transfer-Encoding: chunked'],
    body: `${TOKEN.length.toString(16)}\r\n${TOKEN}\r\n0\r\n\r\n`,
    status: 401,
  },
  { name: 'token in a cookie', headers: [`Cookie: access_token=${TOKEN}; other=${WRONG}`], status: 401 },
  { name: 'token in Proxy-Authorization', headers: [`Proxy-Authorization: Bearer ${TOKEN}`], status: 401 },
  { name: 'token in X-Access-Token', headers: [`X-Access-Token: ${TOKEN}`, `X-Api-Key: ${TOKEN}`], status: 401 },
  { name: 'wrong token on an upper-cased path', path: '/V2/MODELS/', headers: [auth(`Bearer ${WRONG}`)], status: 401 },
  { name: 'wrong token on a path with no route', path: `/v2/${encodeURIComponent(TOKEN)}`, headers: [auth(`Bearer ${WRONG}`)], status: 401 },
  { name: 'accepted: the token', headers: [auth(`Bearer ${TOKEN}`)], status: 200 },
  { name: 'accepted: lower-case scheme, three spaces', headers: [auth(`bearer   ${TOKEN}`)], status: 200 },
];

/** A way to make the check itself throw, installed by a middleware ahead of the guard. */
export interface Sabotage {
  name: string;
  install(req: Record<string, unknown>): void;
  /** What both mounts answer (default 500: fail closed). */
  status?: number;
  /** Only bearerGuard reads `req.path`. */
  guardOnly?: boolean;
}

/** Each carries the secrets in everything it throws, and requests carry the valid token. */
export const SABOTAGE: readonly Sabotage[] = [
  { name: 'headers getter throws an Error naming the token', install: (req) => trap(req, 'headers', () => new Error(`boom ${TOKEN} ${WRONG}`)) },
  { name: 'headers getter throws an Error whose name is token-like', install: (req) => trap(req, 'headers', () => Object.assign(new Error('x'), { name: `Bad${PLAIN}` })) },
  { name: 'headers getter throws an Error whose code is the token', install: (req) => trap(req, 'headers', () => Object.assign(new Error('x'), { code: TOKEN })) },
  { name: 'headers getter throws an Error whose code is PLAIN', install: (req) => trap(req, 'headers', () => Object.assign(new Error('x'), { code: PLAIN })) },
  { name: 'headers getter throws an Error with a cause naming the token', install: (req) => trap(req, 'headers', () => new Error('x', { cause: new Error(TOKEN) })) },
  { name: 'headers getter throws a string naming the token', install: (req) => trap(req, 'headers', () => `boom ${TOKEN}`) },
  {
    name: 'headers getter throws an Error whose name getter throws the token',
    install: (req) =>
      trap(req, 'headers', () => {
        const err = new Error('x');
        Object.defineProperty(err, 'name', { get: () => { throw new Error(`name ${TOKEN}`); } });
        return err;
      }),
  },
  {
    name: 'headers getter throws a Proxy whose every trap throws the token',
    install: (req) => trap(req, 'headers', () => new Proxy({}, new Proxy({}, { get: () => () => { throw new Error(`trap ${TOKEN}`); } }))),
  },
  { name: 'rawHeaders getter throws the token', install: (req) => trap(req, 'rawHeaders', () => new Error(`raw ${TOKEN}`)) },
  {
    name: 'Authorization is an object that throws the token when used',
    install: (req) => {
      const boom = (): never => { throw new Error(`authorization ${TOKEN}`); };
      const value = { toString: boom, valueOf: boom, [Symbol.toPrimitive]: boom };
      Object.defineProperty(req, 'headers', { value: { ...(req.headers as object), authorization: value }, configurable: true });
    },
  },
  {
    name: 'Authorization is an array holding the token twice',
    status: 401,
    install: (req) => {
      const headers = { ...(req.headers as object), authorization: [`Bearer ${TOKEN}`, `Bearer ${WRONG}`] };
      Object.defineProperty(req, 'headers', { value: headers, configurable: true });
    },
  },
  { name: 'path getter throws the token', guardOnly: true, install: (req) => trap(req, 'path', () => new Error(`path ${TOKEN}`)) },
];

function trap(req: Record<string, unknown>, key: string, make: () => unknown): void {
  Object.defineProperty(req, key, {
    configurable: true,
    get: () => {
      throw make();
    },
  });
}
