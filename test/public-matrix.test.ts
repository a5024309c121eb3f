// Public paths stay open in their Express spellings; everything else needs a token, in every spelling and method.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { describe, test } from 'node:test';
import type { BearerGuardOptions } from '../src/index.js';
import { MAJORS, serveForSuite, TOKEN, withApp, WRONG } from './helpers/apps.js';
import { expectFailsWith } from './helpers/expect.js';
import { rawRequest } from './helpers/raw-http.js';

const OPEN = [
  { path: '/', hit: 'root' },
  { path: '/v2', hit: 'v2' },
  { path: '/v2/', hit: 'v2' },
  { path: '/V2/', hit: 'v2' },
  { path: '/V2', hit: 'v2' },
  { path: '/?x=1', hit: 'root' },
  { path: '/v2/?access_token=abc', hit: 'v2' },
];

// Each spelling with the handler it reaches when the right token is sent (undefined: no route).
const PROTECTED: Array<{ path: string; hit: string | undefined }> = [
  { path: '/v2/models', hit: 'models' },
  { path: '/v2/models/', hit: 'models' },
  { path: '/V2/MODELS/', hit: 'models' },
  { path: '/v2/Models', hit: 'models' },
  { path: '/v2/models/iris', hit: 'model' },
  { path: '/v2/models/iris/', hit: 'model' },
  { path: '/v2/models/%69ris', hit: 'model' },
  { path: '/v2/models/..', hit: 'model' },
  { path: '/v2/models/a%2Fb', hit: 'model' },
  { path: '/v2/models/iris?access_token=x', hit: 'model' },
  { path: '/v2/%6Dodels', hit: undefined },
  { path: '//v2/models', hit: undefined },
  { path: '/v2/models;x', hit: undefined },
  { path: '/v2/./models', hit: undefined },
  { path: '/%2F', hit: undefined },
  { path: '/v2//', hit: undefined },
  { path: '/%76%32/', hit: undefined },
  { path: '/unknown', hit: undefined },
];

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND', 'TRACE'];

function get(server: Server, path: string, auth?: string, method = 'GET') {
  return rawRequest(server, [`${method} ${path} HTTP/1.1`, 'Host: localhost', ...(auth ? [`Authorization: ${auth}`] : [])]);
}

for (const { label, express } of MAJORS) {
  describe(`public/protected matrix on ${label}`, () => {
    const suite = serveForSuite(express);

    for (const { path, hit } of OPEN) {
      test(`${path} is open with no, wrong and right credentials`, async () => {
        for (const auth of [undefined, `Bearer ${WRONG}`, `Bearer ${TOKEN}`, 'Basic x', 'Bearer a,b']) {
          suite.t.hits.length = 0;
          const res = await get(suite.server, path, auth);
          assert.equal(res.status, 200, `${path} with ${auth ?? 'no header'}`);
          assert.deepEqual(suite.t.hits, [hit]);
        }
      });
    }

    for (const { path, hit } of PROTECTED) {
      test(`${path} needs a token for every method`, async () => {
        for (const method of METHODS) {
          suite.t.hits.length = 0;
          const res = await get(suite.server, path, undefined, method);
          if (method === 'HEAD') {
            assert.equal(res.status, 401, `${method} ${path}`);
            assert.equal(res.headers['www-authenticate'], 'Bearer realm="api"');
          } else {
            expectFailsWith(res, 'missing_token');
          }
          assert.deepEqual(suite.t.hits, [], `${method} ${path} ran a handler`);
        }
        const wrong = await get(suite.server, path, `Bearer ${WRONG}`);
        expectFailsWith(wrong, 'invalid_token');
        assert.deepEqual(suite.t.hits, []);
      });

      test(`${path} with the right token reaches ${hit ?? 'no route (404)'}`, async () => {
        suite.t.hits.length = 0;
        const res = await get(suite.server, path, `Bearer ${TOKEN}`);
        assert.equal(res.status, hit === undefined ? 404 : 200);
        assert.deepEqual(suite.t.hits, hit === undefined ? [] : [hit]);
      });
    }

    test('absolute-form request target is judged on its path', async () => {
      suite.t.hits.length = 0;
      expectFailsWith(await get(suite.server, 'http://localhost/v2/models/'), 'missing_token');
      const open = await get(suite.server, 'http://localhost/v2/');
      assert.equal(open.status, 200);
      assert.deepEqual(suite.t.hits, ['v2']);
    });

    const SETTINGS: Array<{ name: string; options: BearerGuardOptions; settings: Record<string, boolean>; open: string[]; closed: string[] }> = [
      { name: 'strict routing: /v2 is no longer the public /v2/', options: { token: TOKEN }, settings: { 'strict routing': true }, open: ['/v2/'], closed: ['/v2'] },
      { name: 'case sensitive routing: /V2/ is no longer the public /v2/', options: { token: TOKEN }, settings: { 'case sensitive routing': true }, open: ['/v2/'], closed: ['/V2/'] },
      { name: 'custom public list replaces the default, exact match only', options: { token: TOKEN, public: ['/v2/models/'] }, settings: {}, open: ['/V2/Models'], closed: ['/', '/v2/models/iris'] },
    ];
    for (const c of SETTINGS) {
      test(c.name, () =>
        withApp(express, c.options, c.settings, async (s) => {
          for (const path of c.open) assert.equal((await get(s, path)).status, 200, path);
          for (const path of c.closed) expectFailsWith(await get(s, path), 'missing_token');
        }),
      );
    }
  });
}
