// Tokens come from the Authorization header only, and refused requests never have their bodies read.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { MAJORS, serveForSuite, TOKEN } from './helpers/apps.js';
import { expectFailsWith } from './helpers/expect.js';
import { rawRequest } from './helpers/raw-http.js';

const ELSEWHERE: Array<{ name: string; head: string[]; body?: string }> = [
  { name: 'access_token in the query', head: [`GET /v2/models/?access_token=${TOKEN} HTTP/1.1`] },
  { name: 'access_token[] in the query', head: [`GET /v2/models/?access_token[]=${TOKEN} HTTP/1.1`] },
  { name: 'access_token in a cookie', head: ['GET /v2/models/ HTTP/1.1', `Cookie: access_token=${TOKEN}`] },
  {
    name: 'access_token in a JSON body',
    head: ['POST /v2/models/iris/predict HTTP/1.1', 'Content-Type: application/json'],
    body: JSON.stringify({ access_token: TOKEN }),
  },
  {
    name: 'access_token object in a JSON body',
    head: ['POST /v2/models/iris/predict HTTP/1.1', 'Content-Type: application/json'],
    body: JSON.stringify({ access_token: { $gt: '' } }),
  },
  {
    name: 'access_token in a form body',
    head: ['POST /v2/models/iris/predict HTTP/1.1', 'Content-Type: application/x-www-form-urlencoded'],
    body: `access_token=${TOKEN}`,
  },
];

for (const { label, express } of MAJORS) {
  describe(`header-only tokens and unread bodies on ${label}`, () => {
    const suite = serveForSuite(express);

    for (const c of ELSEWHERE) {
      test(`${c.name} counts as no credentials`, async () => {
        suite.t.hits.length = 0;
        suite.t.parsed.count = 0;
        const body = c.body ?? '';
        const head = [...c.head, 'Host: x', ...(body ? [`Content-Length: ${Buffer.byteLength(body)}`] : [])];
        expectFailsWith(await rawRequest(suite.server, head, body), 'missing_token');
        assert.deepEqual(suite.t.hits, []);
        assert.equal(suite.t.parsed.count, 0, 'the body parser must not run');
      });
    }

    test('an authenticated JSON predict is parsed and answered', async () => {
      suite.t.parsed.count = 0;
      const body = JSON.stringify({ data: [[5.1, 3.5, 1.4, 0.2]] });
      const res = await rawRequest(
        suite.server,
        ['POST /v2/models/iris/predict HTTP/1.1', 'Host: x', `Authorization: Bearer ${TOKEN}`, 'Content-Type: application/json', `Content-Length: ${body.length}`],
        body,
      );
      assert.equal(res.status, 200);
      assert.deepEqual(JSON.parse(res.body).body, { data: [[5.1, 3.5, 1.4, 0.2]] });
      assert.equal(suite.t.parsed.count, 1);
    });

    test('a small refused body is discarded and the connection stays usable', async () => {
      const { port } = suite.server.address() as AddressInfo;
      const socket = connect(port, '127.0.0.1');
      let text = '';
      socket.on('data', (c: Buffer) => void (text += c.toString()));
      const body = JSON.stringify({ data: [[1, 2, 3, 4]] });
      socket.write(['POST /v2/models/iris/predict HTTP/1.1', 'Host: x', 'Content-Type: application/json', `Content-Length: ${body.length}`, '', body].join('\r\n'));
      socket.write(['GET /v2/models/ HTTP/1.1', 'Host: x', `Authorization: Bearer ${TOKEN}`, 'Connection: close', '', ''].join('\r\n'));
      await new Promise<void>((resolve) => socket.on('close', () => resolve()));
      const [first, second] = text.split(/(?=HTTP\/1\.1 )/);
      assert.match(first ?? '', /^HTTP\/1\.1 401 /);
      assert.doesNotMatch(first ?? '', /connection: close/i);
      assert.match(second ?? '', /^HTTP\/1\.1 200 /);
    });

    for (const type of ['application/json', 'multipart/form-data; boundary=xyz']) {
      test(`an unauthenticated 10 MB ${type.split(';')[0]} upload is refused before its body is sent`, async () => {
        suite.t.parsed.count = 0;
        const { port } = suite.server.address() as AddressInfo;
        const socket = connect(port, '127.0.0.1');
        const received: Buffer[] = [];
        const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
        socket.on('data', (c: Buffer) => received.push(c));
        // Headers only: the announced body never comes. The answer must not wait for it.
        socket.write(['POST /v2/models/iris/predict HTTP/1.1', 'Host: x', `Content-Type: ${type}`, `Content-Length: ${10 * 1024 * 1024}`, '', ''].join('\r\n'));
        await closed;
        const text = Buffer.concat(received).toString();
        assert.match(text, /^HTTP\/1\.1 401 /);
        assert.match(text, /\r\nconnection: close\r\n/i);
        assert.match(text, /"detail":"Bearer token required"/);
        assert.equal(suite.t.parsed.count, 0);
      });
    }
  });
}
