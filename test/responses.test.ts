// Every row of the response table, on Express 5 and Express 4, through raw sockets.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildApp, listen, MAJORS, serveForSuite, TOKEN, WRONG } from './helpers/apps.js';
import { expectFailsWith, type Refusal } from './helpers/expect.js';
import { rawRequest } from './helpers/raw-http.js';

const CYRILLIC_E = '\u0435';
const rows: Array<{ name: string; headers: string[]; refusal: Refusal }> = [
  { name: 'no Authorization header', headers: [], refusal: 'missing_token' },
  { name: 'Basic scheme', headers: ['Authorization: Basic dXNlcjpwYXNz'], refusal: 'missing_token' },
  { name: 'Token scheme', headers: [`Authorization: Token ${TOKEN}`], refusal: 'missing_token' },
  { name: 'bare token, no scheme', headers: [`Authorization: ${TOKEN}`], refusal: 'missing_token' },
  { name: 'Bearer with no token', headers: ['Authorization: Bearer'], refusal: 'missing_token' },
  { name: 'Bearer and trailing spaces', headers: ['Authorization: Bearer    '], refusal: 'missing_token' },
  { name: 'tab separator', headers: [`Authorization: Bearer\t${TOKEN}`], refusal: 'missing_token' },
  { name: 'scheme look-alike Bearer2', headers: [`Authorization: Bearer2 ${TOKEN}`], refusal: 'missing_token' },
  { name: 'scheme look-alike Bearer:', headers: [`Authorization: Bearer: ${TOKEN}`], refusal: 'missing_token' },
  { name: 'Cyrillic e in Bearer', headers: [`Authorization: B${CYRILLIC_E}arer ${TOKEN}`], refusal: 'missing_token' },
  { name: 'Proxy-Authorization only', headers: [`Proxy-Authorization: Bearer ${TOKEN}`], refusal: 'missing_token' },
  { name: 'wrong token', headers: [`Authorization: Bearer ${WRONG}`], refusal: 'invalid_token' },
  { name: 'right token in other case', headers: [`Authorization: Bearer ${TOKEN.toUpperCase()}`], refusal: 'invalid_token' },
  { name: 'right token plus junk', headers: [`Authorization: Bearer ${TOKEN}x`], refusal: 'invalid_token' },
  { name: 'prefix of the right token', headers: [`Authorization: Bearer ${TOKEN.slice(0, -3)}`], refusal: 'invalid_token' },
  { name: 'token then a second word', headers: [`Authorization: Bearer ${TOKEN} x`], refusal: 'invalid_token' },
  { name: 'char outside b64token', headers: [`Authorization: Bearer ${TOKEN}$`], refusal: 'invalid_token' },
  { name: 'padding in the middle', headers: ['Authorization: Bearer ab=cd'], refusal: 'invalid_token' },
  { name: 'non-ASCII byte in token', headers: [`Authorization: Bearer ${TOKEN}\u00e9`], refusal: 'invalid_token' },
  { name: 'token over the 4 KiB cap', headers: [`Authorization: Bearer ${'a'.repeat(4097)}`], refusal: 'invalid_token' },
  { name: 'two Authorization lines (right first)', headers: [`Authorization: Bearer ${TOKEN}`, `Authorization: Bearer ${WRONG}`], refusal: 'invalid_request' },
  { name: 'two Authorization lines (right second)', headers: [`Authorization: Bearer ${WRONG}`, `authorization: Bearer ${TOKEN}`], refusal: 'invalid_request' },
  { name: 'two identical Authorization lines', headers: [`Authorization: Bearer ${TOKEN}`, `Authorization: Bearer ${TOKEN}`], refusal: 'invalid_request' },
  { name: 'comma-joined credentials', headers: [`Authorization: Bearer ${TOKEN}, Bearer ${WRONG}`], refusal: 'invalid_request' },
  { name: 'Digest with its own commas (no bearer credentials)', headers: ['Authorization: Digest username="u", realm="r", nonce="n"'], refusal: 'missing_token' },
  { name: 'Basic and Bearer comma-joined', headers: [`Authorization: Basic eA==, Bearer ${TOKEN}`], refusal: 'invalid_request' },
];

const accepted: Array<{ name: string; header: string }> = [
  { name: 'canonical', header: `Bearer ${TOKEN}` },
  { name: 'lower-case scheme', header: `bearer ${TOKEN}` },
  { name: 'upper-case scheme', header: `BEARER ${TOKEN}` },
  { name: 'two spaces', header: `Bearer  ${TOKEN}` },
  { name: 'five spaces', header: `Bearer     ${TOKEN}` },
];

for (const { label, express } of MAJORS) {
  describe(`response table on ${label}`, () => {
    const suite = serveForSuite(express);

    for (const row of rows) {
      test(`${row.name} -> 401 ${row.refusal}`, async () => {
        suite.t.hits.length = 0;
        const res = await rawRequest(suite.server, ['GET /v2/models/ HTTP/1.1', 'Host: localhost', ...row.headers]);
        expectFailsWith(res, row.refusal);
        assert.deepEqual(suite.t.hits, [], 'no protected handler may run');
      });
    }

    for (const row of accepted) {
      test(`${row.name} -> the route's own response`, async () => {
        suite.t.hits.length = 0;
        const res = await rawRequest(suite.server, ['GET /v2/models/ HTTP/1.1', 'Host: localhost', `Authorization: ${row.header}`]);
        assert.equal(res.status, 200);
        assert.deepEqual(JSON.parse(res.body), { models: ['iris'] });
        assert.equal(res.headers['www-authenticate'], undefined);
        assert.deepEqual(suite.t.hits, ['models']);
      });
    }

    test('a token exactly at the cap is checked, not refused as malformed', async () => {
      const capped = buildApp(express, { token: 'a'.repeat(4096) });
      const s = await listen(capped.app);
      try {
        const ok = await rawRequest(s, ['GET /v2/models/ HTTP/1.1', 'Host: x', `Authorization: Bearer ${'a'.repeat(4096)}`]);
        assert.equal(ok.status, 200);
        const off = await rawRequest(s, ['GET /v2/models/ HTTP/1.1', 'Host: x', `Authorization: Bearer ${'a'.repeat(4095)}b`]);
        expectFailsWith(off, 'invalid_token');
      } finally {
        s.close();
      }
    });

    test('realm is configurable and escaped in the challenge', async () => {
      const custom = buildApp(express, { token: TOKEN, realm: 'models "v2" \\ api' });
      const s = await listen(custom.app);
      try {
        const res = await rawRequest(s, ['GET /v2/models/ HTTP/1.1', 'Host: x']);
        expectFailsWith(res, 'missing_token', 'models \\"v2\\" \\\\ api');
      } finally {
        s.close();
      }
    });

    test('several tokens (rotation): each is accepted, others refused', async () => {
      const rotated = buildApp(express, { token: [TOKEN, WRONG] });
      const s = await listen(rotated.app);
      try {
        for (const tok of [TOKEN, WRONG]) {
          const res = await rawRequest(s, ['GET /v2/models/ HTTP/1.1', 'Host: x', `Authorization: Bearer ${tok}`]);
          assert.equal(res.status, 200);
        }
        expectFailsWith(await rawRequest(s, ['GET /v2/models/ HTTP/1.1', 'Host: x', 'Authorization: Bearer other']), 'invalid_token');
      } finally {
        s.close();
      }
    });
  });
}
