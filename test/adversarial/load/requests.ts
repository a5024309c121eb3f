/**
 * The requests the hostile-load test sends besides the flood: valid predict calls (JSON and
 * multipart) with the answers the fixture must give, and the catalogue of requests that clients
 * break off mid-way.
 */
import assert from 'node:assert/strict';
import { TOKEN } from '../../helpers/apps.js';
import type { RawResponse } from '../../helpers/raw-http.js';
import { ANNOUNCED, BOUNDARY, type UploadKind } from './hostile-client.js';
import { PATHS } from './protocol.js';
import { sendRequest } from './slow-client.js';

export const AUTH = `Authorization: Bearer ${TOKEN}`;
const ROW = [5.1, 3.5, 1.4, 0.2];
const CSV = 'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n';
const CONTENT_TYPE: Record<UploadKind, string> = { json: 'application/json', multipart: `multipart/form-data; boundary=${BOUNDARY}` };

/** The head of a predict POST, ending with the blank line; 10 MB announced unless `length` says otherwise. */
export function postHead(kind: UploadKind, auth: boolean, length = `Content-Length: ${ANNOUNCED}`): string {
  return [`POST ${PATHS.predict} HTTP/1.1`, 'Host: localhost', `Content-Type: ${CONTENT_TYPE[kind]}`, length, ...(auth ? [AUTH] : []), '', ''].join('\r\n');
}

/** A valid, authenticated JSON predict call; resolves once it is answered as it should be. */
export async function validJson(port: number): Promise<void> {
  const body = JSON.stringify({ data: [ROW] });
  const res = await sendRequest(port, `${postHead('json', true, `Content-Length: ${body.length}`).slice(0, -2)}Connection: close\r\n\r\n${body}`);
  assert.equal(res.status, 200, res.body);
  assert.deepEqual(JSON.parse(res.body), { status: 'OK', route: 'predict', json: { data: [ROW] } });
}

/** A valid, authenticated multipart upload of a CSV file; resolves once answered as it should be. */
export async function validMultipart(port: number): Promise<void> {
  const body = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="data"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\n${CSV}\r\n--${BOUNDARY}--\r\n`;
  const res = await sendRequest(port, `${postHead('multipart', true, `Content-Length: ${body.length}`).slice(0, -2)}Connection: close\r\n\r\n${body}`);
  assert.equal(res.status, 200, res.body);
  assert.deepEqual(JSON.parse(res.body), { status: 'OK', route: 'predict', json: {}, file: { field: 'data', size: CSV.length, text: CSV } });
}

/** A trickled GET of the models list with the token, and the check of its answer. */
export const MODELS_REQUEST = [`GET ${PATHS.models} HTTP/1.1`, 'Host: localhost', AUTH, 'Connection: close', '', ''].join('\r\n');
export function expectModels(res: RawResponse): void {
  assert.equal(res.status, 200, res.body);
  assert.deepEqual(JSON.parse(res.body), { status: 'OK', route: 'models' });
}

/** What a client that dropped mid-body may have read first: the 401, or nothing if it was reset. */
const REFUSED_OR_NOTHING = /^(HTTP\/1\.1 401 Unauthorized\r\n[^]*"detail":"Bearer token required"\}|)$/;

export interface BrokenRequest {
  readonly name: string;
  /** What the client sends before it drops the connection. */
  readonly bytes: string | Buffer;
  /** What it may have read back meanwhile (nothing at all when omitted). */
  readonly answer: RegExp;
  /** Which body parsers it reaches: it has the token and its whole head went out. */
  readonly parsers: readonly string[];
}

const body = Buffer.alloc(100 * 1024, 'a');
const jsonStart = (auth: boolean): Buffer => Buffer.concat([Buffer.from(postHead('json', auth)), Buffer.from('{"data":"'), body]);
const multipartStart = (auth: boolean): Buffer =>
  Buffer.concat([Buffer.from(postHead('multipart', auth)), Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="data"; filename="x.csv"\r\n\r\n`), body]);

/** Requests broken off mid-request-line, mid-header and mid-body (100 KiB into a 10 MB body). */
export const BROKEN: readonly BrokenRequest[] = [
  { name: 'mid request line', bytes: 'POST /v2/models/ir', answer: /^$/, parsers: [] },
  { name: 'mid header, no token', bytes: `POST ${PATHS.predict} HTTP/1.1\r\nHost: localhost\r\nContent-Le`, answer: /^$/, parsers: [] },
  { name: 'mid header, valid token', bytes: `GET ${PATHS.models} HTTP/1.1\r\nHost: localhost\r\n${AUTH}\r\n`, answer: /^$/, parsers: [] },
  { name: 'mid header, half a token', bytes: `GET ${PATHS.models} HTTP/1.1\r\nHost: localhost\r\n${AUTH.slice(0, 30)}`, answer: /^$/, parsers: [] },
  { name: 'mid body, no token, JSON', bytes: jsonStart(false), answer: REFUSED_OR_NOTHING, parsers: [] },
  { name: 'mid body, no token, multipart', bytes: multipartStart(false), answer: REFUSED_OR_NOTHING, parsers: [] },
  // The JSON parser runs first for every authenticated POST and fails the JSON ones; multer only
  // gets the multipart one.
  { name: 'mid body, valid token, JSON', bytes: jsonStart(true), answer: /^$/, parsers: ['json'] },
  { name: 'mid body, valid token, multipart', bytes: multipartStart(true), answer: /^$/, parsers: ['json', 'multipart'] },
  {
    name: 'mid body, valid token, chunked JSON',
    bytes: Buffer.concat([Buffer.from(postHead('json', true, 'Transfer-Encoding: chunked')), Buffer.from(`${(body.length + 9).toString(16)}\r\n{"data":"`), body]),
    answer: /^$/,
    parsers: ['json'],
  },
];
